/**
 * `npm run seed -- [--tenants 10] [--signals 2000] [--seed 42] [--data-dir ./data] [--force]
 * [--synchronous FULL] [--concurrency 256]`: writes deterministic demo signals for the pilot
 * municipalities through the signal command handler (src/demo/). Exit codes: 0 done, 1 refused or
 * failed, 2 usage.
 *
 * The store is opened with the app's durability (SQLITE_SYNCHRONOUS, FULL by default): with 256
 * commands in flight each commit carries some 250 appends, so an fsync per commit costs little
 * (50,000 signals took about as long with NORMAL). NORMAL would be safe too: the data is
 * reproducible, and a rerun with --force resumes after a crash.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { EventStore } from '../platform/event-store/event-store.port.js';
import type { SynchronousMode } from '../platform/event-store/sqlite/schema.js';
import { SqliteEventStore } from '../platform/event-store/sqlite/sqlite-event-store.js';
import { PILOT_MUNICIPALITIES, organisationsOf, rosterOf } from '../demo/municipalities.js';
import { DEMO_DEFAULTS, DEMO_UNTIL, DemoOptionsError, MAX_DEMO_SIGNALS } from '../demo/plan.js';
import { seedDemoData, storeHasEvents, type SeedProgress, type SeedSummary } from '../demo/seed-demo-data.js';

const SYNCHRONOUS_MODES: readonly SynchronousMode[] = ['OFF', 'NORMAL', 'FULL', 'EXTRA'];
const DEFAULT_CONCURRENCY = 256;

const USAGE = `usage: npm run seed -- [--tenants <1-${PILOT_MUNICIPALITIES.length}>] [--signals <n>] [--seed <n>] [--data-dir <dir>]
         [--force] [--synchronous OFF|NORMAL|FULL|EXTRA] [--concurrency <n>]
Writes deterministic demo signals (same arguments, same events) for the first <tenants> pilot
municipalities through the signal command handler into <data-dir>/events.sqlite, spread over
the three years before ${DEMO_UNTIL.toISOString().slice(0, 10)}. Municipalities, in order:
  ${PILOT_MUNICIPALITIES.map((m) => m.slug).join(', ')}
Defaults: --tenants ${DEMO_DEFAULTS.tenants} --signals ${DEMO_DEFAULTS.signals} --seed ${DEMO_DEFAULTS.seed}, --data-dir $DATA_DIR or ./data,
--synchronous $SQLITE_SYNCHRONOUS or FULL (as the app), --concurrency ${DEFAULT_CONCURRENCY}.
A store that already holds events is refused; --force adds to it (the same arguments again
replay to no new events, which also resumes an interrupted run).`;

class UsageError extends Error {}
class RefusedError extends Error {}

interface Arguments {
  tenants: number;
  signals: number;
  seed: number;
  dataDir: string;
  force: boolean;
  synchronous: SynchronousMode;
  concurrency: number;
  esdb: string | undefined;
}

function wholeNumber(
  name: string,
  value: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  const parsed = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got "${value}"`);
  }
  return parsed;
}

function parse(argv: string[], env: NodeJS.ProcessEnv): Arguments {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      tenants: { type: 'string' },
      signals: { type: 'string' },
      seed: { type: 'string' },
      'data-dir': { type: 'string' },
      force: { type: 'boolean', default: false },
      synchronous: { type: 'string' },
      concurrency: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) throw new UsageError('');
  const synchronous = (values.synchronous ?? (env['SQLITE_SYNCHRONOUS'] || 'FULL')).toUpperCase();
  if (!(SYNCHRONOUS_MODES as readonly string[]).includes(synchronous)) {
    throw new UsageError(`--synchronous must be one of ${SYNCHRONOUS_MODES.join(', ')}`);
  }
  const esdb = env['EVENTSTORE_CONNECTION_STRING'] || undefined;
  if (esdb && values['data-dir'] !== undefined) {
    throw new UsageError('--data-dir is for the embedded store, but EVENTSTORE_CONNECTION_STRING is set');
  }
  return {
    tenants: wholeNumber('tenants', values.tenants, DEMO_DEFAULTS.tenants, 1, PILOT_MUNICIPALITIES.length),
    signals: wholeNumber('signals', values.signals, DEMO_DEFAULTS.signals, 1, MAX_DEMO_SIGNALS),
    seed: wholeNumber('seed', values.seed, DEMO_DEFAULTS.seed, 0, 0xffffffff),
    dataDir: resolve(values['data-dir'] ?? (env['DATA_DIR'] || 'data')),
    force: values.force,
    synchronous: synchronous as SynchronousMode,
    concurrency: wholeNumber('concurrency', values.concurrency, DEFAULT_CONCURRENCY, 1, 10_000),
    esdb,
  };
}

const format = (n: number): string => Math.round(n).toLocaleString('en-US');

function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

function progressLine(p: SeedProgress): string {
  const share = p.signalsTotal > 0 ? (100 * p.signalsSubmitted) / p.signalsTotal : 100;
  const commandsPerSecond = p.elapsedMs > 0 ? (p.commandsDone * 1000) / p.elapsedMs : 0;
  const eta = p.etaSeconds === null ? '…' : duration(p.etaSeconds * 1000);
  return (
    `${format(p.signalsSubmitted)} / ${format(p.signalsTotal)} signals (${share.toFixed(1)}%) · ` +
    `${format(p.signalsPerSecond)} signals/s · ${format(commandsPerSecond)} commands/s · ETA ${eta}`
  );
}

function table(rows: Array<[string, number]>, total: number): string {
  const width = Math.max(...rows.map(([name]) => name.length));
  return rows
    .map(
      ([name, count]) =>
        `  ${name.padEnd(width)}  ${format(count).padStart(8)}  ${((100 * count) / total).toFixed(1).padStart(5)}%`,
    )
    .join('\n');
}

function report(summary: SeedSummary, where: string): string {
  const { options } = summary;
  const perSecond = summary.elapsedMs > 0 ? (summary.signals * 1000) / summary.elapsedMs : 0;
  const lastDay = new Date(options.until.getTime() - 1).toISOString().slice(0, 10);
  const lines = [
    `Seeded ${format(summary.signals)} signals for ${summary.tenants.length} pilot municipalities in ${duration(summary.elapsedMs)} ` +
      `(${format(perSecond)} signals/s, ${format((summary.commands * 1000) / Math.max(1, summary.elapsedMs))} commands/s) into ${where}.`,
    `${format(summary.commands)} commands: ${format(summary.eventsWritten)} events written, ${format(summary.replayed)} replayed ` +
      `(already stored), ${format(summary.failureCount)} failed.`,
    `Seed ${options.seed}; simulated time ${options.from.toISOString().slice(0, 10)} – ${lastDay} (UTC); ` +
      `idempotency keys demo:${options.runTag}:<tenant>:<signal>:<step>.`,
    '',
    'Signals per municipality:',
    table(
      summary.tenants.map((t) => [t.tenantId, t.signals]),
      summary.signals,
    ),
    '',
    'Signals per state now:',
    table(
      Object.entries(summary.byState).sort((a, b) => b[1] - a[1]),
      summary.signals,
    ),
    '',
    'Commands:',
    table(
      Object.entries(summary.byCommand).sort((a, b) => b[1] - a[1]),
      summary.commands,
    ),
  ];
  if (summary.clusters.length > 0) {
    lines.push(
      '',
      `Dossier-worthy clusters (many similar signals in one municipality): ${summary.clusters.length}, e.g.`,
    );
    for (const cluster of [...summary.clusters].sort((a, b) => b.size - a.size).slice(0, 5)) {
      lines.push(
        `  ${cluster.tenantId}: ${cluster.label}, ${cluster.from.toISOString().slice(0, 10)} – ` +
          `${cluster.to.toISOString().slice(0, 10)}, ${cluster.size} signals`,
      );
    }
  }
  const first = PILOT_MUNICIPALITIES.find((m) => m.slug === summary.tenants[0]?.tenantId);
  if (first) {
    const roster = rosterOf(first);
    const municipal = organisationsOf(first).find((org) => org.municipal)!;
    const giver = roster.givers[municipal.id]?.[0];
    const processor = roster.processors['wonen']?.[0];
    lines.push('', `Demo users (see src/demo/municipalities.ts), e.g. for ${first.name}:`);
    lines.push(
      `  npm run token -- --tenant ${first.slug} --role lead-processor --sub ${roster.leads[0]!.id}`,
    );
    if (processor) {
      lines.push(
        `  npm run token -- --tenant ${first.slug} --role processor --domain wonen --sub ${processor.id}`,
      );
    }
    if (giver) {
      lines.push(
        `  npm run token -- --tenant ${first.slug} --role signal-giver --org ${municipal.id} --sub ${giver.id}`,
      );
    }
  }
  return lines.join('\n');
}

async function main(argv: string[]): Promise<number> {
  const args = parse(argv, process.env);
  let store: EventStore;
  let where: string;
  if (args.esdb) {
    // Loaded only for EventStoreDB: seeding the embedded store does not load its gRPC client.
    const { EventStoreDbEventStore } =
      await import('../platform/event-store/eventstoredb/eventstoredb-event-store.js');
    store = EventStoreDbEventStore.fromConnectionString(args.esdb);
    where = 'EventStoreDB (EVENTSTORE_CONNECTION_STRING)';
  } else {
    const file = resolve(args.dataDir, 'events.sqlite');
    store = new SqliteEventStore({ file, synchronous: args.synchronous });
    where = `${file} (synchronous=${args.synchronous})`;
  }
  try {
    if (!args.force && (await storeHasEvents(store))) {
      throw new RefusedError(
        `${where} already holds events: demo data goes into an empty store. Remove ${args.esdb ? 'them' : args.dataDir} ` +
          'first, or pass --force to add to it (the same arguments again write nothing new).',
      );
    }
    process.stderr.write(
      `Seeding ${format(args.signals)} demo signals for ${args.tenants} municipalities (seed ${args.seed}) into ${where}` +
        (args.synchronous !== 'FULL' && !args.esdb
          ? '; demo data is reproducible, so a crash costs at most a rerun with --force'
          : '') +
        '.\n',
    );
    const tty = process.stderr.isTTY === true;
    const summary = await seedDemoData(store, {
      tenants: args.tenants,
      signals: args.signals,
      seed: args.seed,
      concurrency: args.concurrency,
      progressIntervalMs: tty ? 500 : 5000,
      onProgress: (p) => process.stderr.write(tty ? `\r${progressLine(p)}\u001b[K` : `${progressLine(p)}\n`),
    });
    if (tty) process.stderr.write('\n');
    process.stdout.write(`${report(summary, where)}\n`);
    if (summary.failureCount > 0) {
      process.stderr.write(
        `${format(summary.failureCount)} commands failed${summary.aborted ? ' (stopped early)' : ''}; the first ones:\n`,
      );
      for (const f of summary.failures) {
        process.stderr.write(
          `  ${f.tenantId} #${f.signalIndex} step ${f.step} ${f.command}: ${f.code} ${f.message}\n`,
        );
      }
      return 1;
    }
    return 0;
  } finally {
    await store.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message ? `${error.message}\n` : ''}${USAGE}\n`);
      process.exitCode = 2;
    } else if (error instanceof DemoOptionsError) {
      process.stderr.write(`${error.message}\n${USAGE}\n`);
      process.exitCode = 2;
    } else if (
      error instanceof TypeError &&
      'code' in error &&
      String(error.code).startsWith('ERR_PARSE_ARGS')
    ) {
      process.stderr.write(`${error.message}\n${USAGE}\n`);
      process.exitCode = 2;
    } else if (error instanceof RefusedError) {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 1;
    } else {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    }
  },
);
