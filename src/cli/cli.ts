/**
 * `npm run cli -- projections status`, `npm run cli -- projections rebuild <name|all>` and
 * `npm run cli -- audit verify [--tenant <t>] [--json]`, `npm run cli -- privacy sweep`. Works on the configured stores directly
 * (no HTTP); stop the app before a rebuild, which drops the read model's current version and
 * builds it again from the event store: it is refused while another holder (the app's projection
 * runner) has the projections lease. A verification only reads, beside a running app.
 */
import { collectionOf, PROJECTIONS } from '../../projections/index.js';
import { ConfigError, loadConfig, type AppConfig } from '../config/app-config.js';
import type { RebuildLease } from '../read-models/projections-lease.js';
import { decimalInteger } from '../config/decimal-integer.js';
import { openEventStore, openKeyStore, openReadStore } from '../platform/open-stores.js';
import { spawn } from 'node:child_process';
import { catchUpInLanes, defaultRebuildLanes } from '../read-models/rebuild-lanes.js';
import {
  LANE_GC_FLAG,
  REBUILD_MALLOC_ENV,
  rebuildProcess,
  SHORT_REBUILD_FLAG,
} from '../read-models/rebuild-flags.js';
import { CATCH_UP_BATCH_SIZE } from '../platform/projections/projection-runner.js';
import type { StoreVerifyReport } from '../audit/verify-store.js';
import { CliUsageError, IDENTITY_USAGE } from './identity-usage.js';
import { systemClock } from '../platform/clock.js';
import { MIGRATE_USAGE, MigrateUsageError } from '../processes/migrate-signal-workflow/migrate-usage.js';

/** Moves signals to another lifecycle version; exit 1 when any was refused. */
async function signalsMigrate(args: string[]): Promise<number> {
  // Loaded here, not by every command: the migration brings the signal decider and @nestjs/common,
  // which made a rebuild's lane in this process's thread about a quarter slower (more to collect).
  const { migrateFromCli, migrationSummary } =
    await import('../processes/migrate-signal-workflow/migrate.cli.js');
  const store = await openEventStore(loadConfig(process.env, EXISTING_STORE).eventStore);
  try {
    const report = await migrateFromCli(args, store);
    console.log(migrationSummary(report));
    return report.refused.length === 0 ? 0 : 1;
  } catch (error) {
    if (error instanceof MigrateUsageError) throw new UsageError(error.message);
    throw error;
  } finally {
    await store.close();
  }
}

const USAGE = `usage: npm run cli -- projections status
       npm run cli -- projections rebuild <${PROJECTIONS.map((p) => p.name).join('|')}|all>
       npm run cli -- audit verify [--tenant <tenant>] [--json]
       npm run cli -- privacy sweep
       ${MIGRATE_USAGE}
${IDENTITY_USAGE}`;

const TENANT = /^[a-z][a-z0-9-]{1,62}$/;

/**
 * Every command but `tenant create` works on an existing store: on a DATA_DIR without one (a typo)
 * it stops with a message naming it and creates nothing there (loadConfig).
 */
const EXISTING_STORE = { existingStore: true } as const;

class UsageError extends Error {}

/** Refuses what a command does not take (`projections rebuild all --force`, say), rather than ignoring it. */
function noMoreArguments(rest: readonly string[]): void {
  if (rest.length > 0) throw new UsageError(`unknown argument "${rest[0]}"`);
}

/** The process exit code: 0, or 1 when a verification found violations. */
async function main(argv: string[]): Promise<number> {
  const [area, command, target] = argv;
  if (area === 'audit' && command === 'verify') return auditVerify(argv.slice(2));
  if (area === 'tenant' || area === 'organisation' || area === 'people') {
    // Each command's modules are loaded when it runs: a rebuild's process holds only what it needs
    // (see openEventStore).
    const { identityCli } = await import('./identity-cli.js');
    // Only `tenant create` may start a store (a fresh install); the others work on an existing one.
    const existingStore = !(area === 'tenant' && command === 'create');
    return identityCli(loadConfig(process.env, { existingStore }), area, command, argv.slice(2));
  }
  if (area === 'privacy' && command === 'sweep') {
    noMoreArguments(argv.slice(2));
    return privacySweep();
  }
  if (area === 'signals' && command === 'migrate') return signalsMigrate(argv.slice(2));
  if (area !== 'projections' || (command !== 'status' && command !== 'rebuild')) throw new UsageError('');
  noMoreArguments(argv.slice(command === 'status' ? 2 : 3));
  const config = loadConfig(process.env, EXISTING_STORE);
  if (command === 'status') return projections(config, command, undefined, null);
  if (!target || selectedOf(target).length === 0)
    throw new UsageError(`unknown read model "${target ?? ''}"`);
  lanesFromEnv();
  // Not beside a running projection runner: the app would answer from the dropped tables (500) and
  // its runner write into the new ones. Refused while another holds the runner's lease; held while
  // the rebuild runs (projections-lease.ts).
  const { takeRebuildLease } = await import('../read-models/projections-lease.js');
  const taken = await takeRebuildLease(config.leases);
  if ('refused' in taken) {
    console.error(taken.refused);
    return 1;
  }
  try {
    return await projections(config, command, target, taken.lease);
  } finally {
    await taken.lease.release();
  }
}

function selectedOf(target: string): typeof PROJECTIONS {
  return target === 'all' ? PROJECTIONS : PROJECTIONS.filter((projection) => projection.name === target);
}

/** `projections status`, or `projections rebuild <target>` while this process holds `lease`. */
async function projections(
  config: AppConfig,
  command: 'status' | 'rebuild',
  target: string | undefined,
  lease: RebuildLease | null,
): Promise<number> {
  // The projections read the events as stored: the read models keep text sealed (SealedText), so
  // neither the status nor a rebuild needs the keys.
  const store = await openEventStore(config.eventStore);
  const readStore = await openReadStore(config.readStore);
  try {
    if (command === 'status') {
      // The same figures /health shows, read from the stores without running any projection.
      const { ThreadProjectionHost } = await import('../read-models/projection-host.js');
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
      return 0;
    }
    const selected = selectedOf(target ?? '');
    const laneOptions = lanesFromEnv();
    // Lanes that take every core want V8's collector in their own threads, the allocator's freed
    // memory kept, and a short log TurboFan without inlining (rebuild-flags.ts): flags and
    // environment of the process, so the rebuild runs again in a process of its own that has them.
    // A variable the environment already has keeps its value.
    const wanted = await rebuildProcess(store, laneOptions.lanes);
    const flags = wanted.flags.filter((flag) => !process.execArgv.includes(flag));
    const env = Object.fromEntries(
      Object.entries(wanted.env).filter(([name]) => process.env[name] === undefined),
    );
    if (flags.length > 0 || Object.keys(env).length > 0) {
      await readStore.close();
      await store.close();
      // The process run again takes the lease itself.
      await lease?.release();
      return runAgainWith(flags, env);
    }
    for (const projection of selected) {
      await readStore.drop(collectionOf(projection));
    }
    // The lanes open connections of their own; alone on a file left without collections, the first
    // one gives it the read store's page size (SqliteReadStore).
    await readStore.close();
    const head = await store.health();
    const total =
      head.lastPosition !== undefined && head.adapter === 'sqlite' ? Number(head.lastPosition) : null;
    const started = Date.now();
    // Lanes split the tenants between threads (PROJECTION_LANES; by default 2 with 2 cores or more).
    const { applied, lanes, sealSeconds } = await catchUpInLanes(
      { eventStore: config.eventStore, readStore: config.readStore },
      selected,
      {
        batchSize: CATCH_UP_BATCH_SIZE,
        ...laneOptions,
        onProgress: (count) => progress(count, total, started),
      },
    );
    progress(applied, total, started);
    process.stderr.write('\n');
    const seconds = (Date.now() - started) / 1000;
    for (const [index, lane] of lanes.entries()) {
      const { tenants, except } = lane.share;
      console.log(
        `lane ${index + 1}: ${lane.applied.toLocaleString('en')} events in ${lane.seconds.toFixed(1)} s, ` +
          `${except ? `tenants other than ${tenants.join(', ')}` : `tenants ${tenants.join(', ')}`}`,
      );
    }
    if (lanes.length > 0) console.log(`sealed (checkpoints, query indexes) in ${sealSeconds.toFixed(1)} s`);
    if (process.execArgv.includes(LANE_GC_FLAG))
      console.log(`V8's garbage collector ran in each lane's own thread (${LANE_GC_FLAG})`);
    if (Object.entries(REBUILD_MALLOC_ENV).every(([name, value]) => process.env[name] === value))
      console.log('the C allocator kept the memory it freed for reuse (MALLOC_*_ of rebuild-flags.ts)');
    if (process.execArgv.includes(SHORT_REBUILD_FLAG))
      console.log(`a short log: TurboFan compiled without inlining (${SHORT_REBUILD_FLAG})`);
    console.log(
      `rebuilt ${selected.map((p) => p.name).join(', ')}: ${applied.toLocaleString('en')} events in ${seconds.toFixed(1)} s ` +
        `(${Math.round(applied / Math.max(seconds, 0.001)).toLocaleString('en')} events/s)`,
    );
    return 0;
  } finally {
    await readStore.close();
    await store.close();
  }
}

/**
 * The retention sweep by hand, as the app runs it daily: erases the text of signals closed longer
 * ago than their tenant's retention period (default 5 years) and finishes interrupted erasures. Safe beside a
 * running app and safe to repeat. Prints the report as JSON; exit code 1 when an erasure failed.
 */
async function privacySweep(): Promise<number> {
  const config = loadConfig(process.env, EXISTING_STORE);
  const { EncryptingEventStore } = await import('../privacy/encrypting-event-store.js');
  const keys = await openKeyStore(config.keyStore);
  const store = new EncryptingEventStore(await openEventStore(config.eventStore), keys);
  const readStore = await openReadStore(config.readStore);
  try {
    const [
      { SignalTextEraser },
      { TenantSettings, TenantsService },
      { TenantRetentionPolicy },
      { RetentionSweep },
    ] = await Promise.all([
      import('../privacy/erase-text/signal-text-eraser.js'),
      import('../tenants/tenants.service.js'),
      import('../privacy/retention/tenant-retention-policy.js'),
      import('../privacy/retention/retention-sweep.js'),
    ]);
    const eraser = new SignalTextEraser(store, keys, systemClock);
    const tenants = new TenantsService(store, systemClock);
    const policy = new TenantRetentionPolicy(new TenantSettings(tenants), tenants);
    const sweep = new RetentionSweep(readStore, store, eraser, policy, systemClock);
    const report = await sweep.run();
    console.log(JSON.stringify(report, null, 2));
    return report.failed > 0 ? 1 : 0;
  } finally {
    await readStore.close();
    await store.close();
    await keys.close();
  }
}

/**
 * Replays every stream (of one tenant with --tenant), recomputes its hash chain and re-checks each
 * transition against its definition version. Progress on stderr; a summary, or the JSON report
 * with --json, on stdout. Operators run it with direct access to the store, so it is not recorded
 * as an audit read (GET /audit/verify is).
 */
async function auditVerify(args: string[]): Promise<number> {
  let tenant: string | undefined;
  let json = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--json') json = true;
    else if (arg === '--tenant' && args[i + 1] !== undefined && TENANT.test(args[i + 1]!)) tenant = args[++i];
    else
      throw new UsageError(arg === '--tenant' ? '--tenant needs a tenant slug' : `unknown argument "${arg}"`);
  }
  const config = loadConfig(process.env, EXISTING_STORE);
  const { verifyStore } = await import('../audit/verify-store.js');
  const store = await openEventStore(config.eventStore);
  try {
    const head = await store.health();
    const total =
      head.lastPosition !== undefined && head.adapter === 'sqlite' ? Number(head.lastPosition) : null;
    const started = Date.now();
    const report = await verifyStore(store, {
      ...(tenant ? { tenant } : {}),
      progressEvery: 20_000,
      onProgress: ({ read }) => progress(read, total, started),
    });
    process.stderr.write('\n');
    console.log(json ? JSON.stringify(report, null, 2) : summary(report));
    return report.ok ? 0 : 1;
  } finally {
    await store.close();
  }
}

function summary(report: StoreVerifyReport): string {
  const total = Object.values(report.counts).reduce((sum, n) => sum + n, 0);
  const lines = [
    `verified ${report.events.toLocaleString('en')} events in ${report.streams.toLocaleString('en')} streams` +
      `${report.tenant ? ` of tenant ${report.tenant}` : ''} in ${(report.durationMs / 1000).toFixed(1)} s ` +
      `(${report.eventsPerSecond.toLocaleString('en')} events/s read)`,
  ];
  if (total === 0) {
    lines.push(
      'no violations: every hash chain is intact, every transition was allowed, and every merge and dossier membership holds',
    );
    return lines.join('\n');
  }
  lines.push(`${total.toLocaleString('en')} violation${total === 1 ? '' : 's'}:`);
  const found = Object.entries(report.counts).filter(([, count]) => count > 0);
  const width = Math.max(20, ...found.map(([kind]) => kind.length));
  for (const [kind, count] of found) lines.push(`  ${kind.padEnd(width)} ${count.toLocaleString('en')}`);
  for (const v of report.violations) {
    lines.push(`${v.stream}  revision ${v.revision}  ${v.kind}: ${v.detail}`);
  }
  if (report.truncated)
    lines.push(`(listed the first ${report.violations.length}; --json gives the same list)`);
  return lines.join('\n');
}

/**
 * This command again, in a node process with `flags` beside this one's flags and `env` beside its
 * environment, its output and input this process's; resolves with its exit code (1 when a signal
 * ended it). A SIGINT or SIGTERM sent to this process goes to it too, and this one waits for it to
 * stop: a rebuild stopped that way keeps what it committed (catchUpInLanes).
 */
function runAgainWith(flags: readonly string[], env: Readonly<Record<string, string>>): Promise<number> {
  const child = spawn(process.execPath, [...process.execArgv, ...flags, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, forward);
  return new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => resolve(code ?? 1));
  }).finally(() => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.off(signal, forward);
  });
}

/** PROJECTION_LANES: how many lanes (threads, each with a share of the tenants) a rebuild uses. */
function lanesFromEnv(): { lanes: number } {
  const raw = process.env['PROJECTION_LANES'];
  if (raw === undefined || raw === '') return { lanes: defaultRebuildLanes() };
  const lanes = decimalInteger(raw);
  if (!Number.isInteger(lanes) || lanes < 1)
    throw new UsageError('PROJECTION_LANES must be a whole number ≥ 1');
  return { lanes };
}

function progress(done: number, total: number | null, started: number): void {
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

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError || error instanceof CliUsageError) {
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
  },
);
