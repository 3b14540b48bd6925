/**
 * A rebuild in lanes for F2, as `npm run cli -- projections rebuild all` runs it with
 * PROJECTION_LANES: every read model caught up by lanes that split the tenants. Prints `started`
 * before and `caught-up` after; with `before-seal` it SIGKILLs itself once every lane has caught
 * up, before the read models are sealed (their checkpoints still where they were).
 */
import { PROJECTIONS } from '../../../projections/index.js';
import { catchUpInLanes } from '../../../src/read-models/rebuild-lanes.js';

const [eventsFile, readsFile, lanes = '2', point = 'none'] = process.argv.slice(2);
if (!eventsFile || !readsFile)
  throw new Error('usage: lane-rebuild.ts <events> <reads> [lanes] [before-seal]');

process.stdout.write('started\n');
const { lanes: used } = await catchUpInLanes(
  {
    eventStore: { kind: 'sqlite', file: eventsFile, synchronous: 'NORMAL' },
    readStore: { kind: 'sqlite', file: readsFile },
  },
  PROJECTIONS,
  {
    lanes: Number(lanes),
    // Small steps and commits of part of the changed documents: many commits to be killed in.
    batchSize: 20,
    maxDirtyDocuments: 200,
    beforeSeal: () => {
      if (point === 'before-seal') process.kill(process.pid, 'SIGKILL');
    },
  },
);
process.stdout.write(`lanes ${used.length}\n`);
process.stdout.write('caught-up\n');
