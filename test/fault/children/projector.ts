/**
 * A projection runner process for F2: builds every read model from the event store into a
 * read-model file and, when told so, SIGKILLs itself the n-th time it reaches a crash point.
 * Commits come every two batches; with a bound on changed documents, after every batch that reaches
 * it, of part of the changed documents.
 */
import { PROJECTIONS } from '../../../projections/index.js';
import { SqliteEventStore } from '../../../src/platform/event-store/sqlite/sqlite-event-store.js';
import { ProjectionRunner } from '../../../src/platform/projections/projection-runner.js';
import { SqliteReadStore } from '../../../src/platform/read-store/sqlite/sqlite-read-store.js';

const [eventsFile, readsFile, point = 'none', nth = '0', batchSize = '200', maxDirty] = process.argv.slice(2);
if (!eventsFile || !readsFile)
  throw new Error('usage: projector.ts <events> <reads> [point] [n] [batchSize] [maxDirtyDocuments]');

let reached = 0;
function crashAt(name: string): void {
  if (name !== point) return;
  reached += 1;
  if (reached === Number(nth)) process.kill(process.pid, 'SIGKILL');
}

const store = new SqliteEventStore({ file: eventsFile });
// PROJECTOR_UNSYNCED=1: as the CLI's rebuild writes (commits synced to disk only on close).
const reads = new SqliteReadStore({
  file: readsFile,
  faultHook: crashAt,
  unsyncedUntilClose: process.env['PROJECTOR_UNSYNCED'] === '1',
});
const runner = new ProjectionRunner(store, reads, PROJECTIONS, {
  batchSize: Number(batchSize),
  // A commit every two batches: several commits to crash in, each after a window of events
  // applied in memory only (what a crash must lose without a trace).
  flushEvents: 2 * Number(batchSize),
  // A small bound on changed documents: commits of part of them, the rest kept changed in memory.
  ...(maxDirty === undefined ? {} : { maxDirtyDocuments: Number(maxDirty) }),
  faultHook: crashAt,
});
await runner.start();
process.stdout.write('started\n');
await runner.whenCaughtUp();
await runner.stop();
await reads.close();
await store.close();
process.stdout.write('caught-up\n');
