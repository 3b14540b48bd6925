/**
 * `npm run cli -- projections status` and `npm run cli -- projections rebuild <name|all>`.
 * Works on the configured stores directly (no HTTP); stop the app before a rebuild, which drops
 * the read model's current version and builds it again from the event store.
 */
import { collectionOf, PROJECTIONS } from '../../projections/index.js';
import { ConfigError, loadConfig } from '../config/app-config.js';
import { createEventStore } from '../platform/event-store/event-store.module.js';
import { ProjectionRunner } from '../platform/projections/projection-runner.js';
import { ThreadProjectionHost } from '../read-models/projection-host.js';
import { createReadStore } from '../read-models/read-models.module.js';

const USAGE = `usage: npm run cli -- projections status
       npm run cli -- projections rebuild <${PROJECTIONS.map((p) => p.name).join('|')}|all>`;

class UsageError extends Error {}

async function main(argv: string[]): Promise<void> {
  const [area, command, target] = argv;
  if (area !== 'projections' || (command !== 'status' && command !== 'rebuild')) throw new UsageError('');
  const config = loadConfig();
  const store = createEventStore(config.eventStore);
  const readStore = await createReadStore(config.readStore);
  try {
    if (command === 'status') {
      // The same figures /health shows, read from the stores without running any projection.
      const rows = await new ThreadProjectionHost(config, store, readStore, false).status();
      console.table(
        rows.map((row) => ({
          projection: `${row.name} v${row.version}${row.rebuildingBeside ? ` (v${row.rebuildingBeside} pending)` : ''}`,
          checkpoint: row.checkpoint ?? '-',
          'lag (events)': row.lagEvents ?? '?',
          'caught up': row.caughtUp,
          parked: row.parked,
        })),
      );
      for (const projection of PROJECTIONS) {
        const row = rows.find((candidate) => candidate.name === projection.name)!;
        const spec = collectionOf(projection, row.version);
        for (const parked of await readStore.parked(spec, 5)) {
          console.log(
            `parked in ${projection.name}: ${parked.eventType} at ${parked.position} (${parked.stream}): ${parked.reason}`,
          );
        }
      }
      return;
    }
    const selected =
      target === 'all' ? PROJECTIONS : PROJECTIONS.filter((projection) => projection.name === target);
    if (!target || selected.length === 0) throw new UsageError(`unknown read model "${target ?? ''}"`);
    for (const projection of selected) {
      await readStore.drop(collectionOf(projection));
    }
    const head = await store.health();
    const total =
      head.lastPosition !== undefined && head.adapter === 'sqlite' ? Number(head.lastPosition) : null;
    const runner = new ProjectionRunner(store, readStore, selected, { batchSize: 10_000 });
    const started = Date.now();
    const progress = setInterval(() => report(runner.applied, total, started), 250);
    await runner.start();
    await runner.whenCaughtUp();
    clearInterval(progress);
    report(runner.applied, total, started);
    await runner.stop();
    process.stderr.write('\n');
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `rebuilt ${selected.map((p) => p.name).join(', ')}: ${runner.applied.toLocaleString('en')} events in ${seconds.toFixed(1)} s ` +
        `(${Math.round(runner.applied / Math.max(seconds, 0.001)).toLocaleString('en')} events/s)`,
    );
  } finally {
    await readStore.close();
    await store.close();
  }
}

function report(done: number, total: number | null, started: number): void {
  const seconds = Math.max((Date.now() - started) / 1000, 0.001);
  const rate = done / seconds;
  const width = 30;
  const share = total ? Math.min(done / total, 1) : 0;
  const bar = total ? `[${'#'.repeat(Math.round(share * width)).padEnd(width, '.')}] ` : '';
  const eta = total && rate > 0 ? ` ETA ${Math.max(0, (total - done) / rate).toFixed(0)} s` : '';
  process.stderr.write(
    `\r${bar}${done.toLocaleString('en')}${total ? ` / ${total.toLocaleString('en')}` : ''} events, ${Math.round(rate).toLocaleString('en')} events/s${eta}   `,
  );
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) {
    if (error.message) console.error(error.message);
    console.error(USAGE);
    process.exit(2);
  }
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  console.error(error);
  process.exit(1);
});
