import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import autocannon from 'autocannon';
import DatabaseConstructor from 'better-sqlite3';
import type { ActorClaims, AuthenticatedActor } from '../../src/auth/actor.js';
import { actorFromClaims } from '../../src/auth/actor.js';
import { mintToken } from '../../src/auth/mint-token.js';
import type { EventStoreHealth } from '../../src/platform/event-store/event-store.port.js';
import { uuidv7 } from '../../src/platform/ids.js';
import type { JsonObject, JsonValue } from '../../src/platform/json.js';
import { validateCommandBody } from '../../src/signals/command-fields.validation.js';
import type { SignalCommandResult } from '../../src/signals/execute-signal-command/execute-signal-command.command.js';
import { currentSignalWorkflow } from '../../src/signals/signal.repository.js';
import { dossierFanOutWorkflow } from '../../workflows/dossier-fan-out/dossier-fan-out.js';
import { createSignalDeadlinesWorkflow } from '../../workflows/signal-deadlines/signal-deadlines.js';
import type { ProcessInput } from '../../workflows/process.js';
import { SIGNAL_CATEGORY } from '../../src/signals/signal.events.js';
import { testAuthConfig } from '../support/tokens.js';
import { formatProfileEntries, summarizeCpuProfile, type ProfileSummary } from './cpu-profile.js';
import {
  envInt,
  formatMs,
  formatRate,
  median,
  row,
  Samples,
  summarizeLatencies,
  type Bench,
  type BenchCheck,
  type BenchContext,
  type BenchReport,
  type LatencySummary,
  type Measurement,
} from './harness.js';
import { rssMiBOf, startServer, type HealthBody, type ServerProcess } from './server-process.js';
import { signalEvents } from './signal-events.js';

/**
 * Commands under load, the same commands two ways in one run (every HTTP round, then every in-process round):
 *   HTTP        the real app (compiled by tsc into the scratch space, BENCH_BUILD; its own process;
 *               SQLite at its default durability, synchronous=FULL unless BENCH_SYNCHRONOUS) under
 *               autocannon from this process over 127.0.0.1: POST /signals, then
 *               POST /signals/{id}/triage once per signal just submitted, then
 *               POST /signals/{id}/add-note round-robin over a set of those signals;
 *   in-process  AppModule as a Nest application context in this process on its own data directory,
 *               ExecuteSignalCommand through the CommandBus from as many concurrent loops as there
 *               are HTTP connections, for the same duration.
 * The ratio HTTP / in-process is the share of the command throughput the HTTP layer leaves.
 *
 * Environment: BENCH_DURATION (s, 20), BENCH_ROUNDS (3), BENCH_CONNECTIONS (32; also the in-process
 * concurrency), BENCH_NOTE_SIGNALS (2000), BENCH_WARMUP (s, 3), BENCH_BUILD (worktree | head | dist | rev:<git revision>),
 * BENCH_CPU_PROF=1 (profile the server with --cpu-prof; summary on stderr, file in bench-results/).
 */

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const SUBMIT_TARGET_PER_SECOND = 1500;
const SUBMIT_P99_TARGET_MS = 50;
const BODY_SEED = 20261201;
const BODY_POOL = 1000;

const GIVER: ActorClaims = {
  sub: 'bench-giver-1',
  tenant: 'gent',
  roles: ['signal-giver'],
  org: 'caw-oost-vlaanderen',
};
const LEAD: ActorClaims = { sub: 'bench-lead-1', tenant: 'gent', roles: ['lead-processor'] };
const TRIAGE_BODY: JsonObject = { motivation: 'Structureel: meerdere gezinnen in meerdere wijken.' };
const NOTE_BODY: JsonObject = { note: 'Besproken op het teamoverleg; opvolging volgende week.' };

type Transport = 'http' | 'in-process';
type CommandCase = 'submit' | 'triage' | 'add-note';
const CASES: readonly CommandCase[] = ['submit', 'triage', 'add-note'];
const TRANSPORTS: readonly Transport[] = ['http', 'in-process'];

// The in-process side runs the built code the server runs (tsc output with decorator metadata),
// typed by the sources it was built from.
type AppModuleExports = typeof import('../../src/app.module.js');
type CommandExports =
  typeof import('../../src/signals/execute-signal-command/execute-signal-command.command.js');
type StorePortExports = typeof import('../../src/platform/event-store/event-store.port.js');

async function importBuilt<T>(distDir: string, sourcePath: string): Promise<T> {
  const built = join(distDir, sourcePath.replace(/\.ts$/, '.js'));
  return (await import(pathToFileURL(built).href)) as T;
}

/** What one timed run of one case did. */
interface RunResult {
  transport: Transport;
  case: CommandCase | 'warm-up';
  round: number;
  seconds: number;
  /** Completed commands: 2xx responses, or resolved CommandBus calls. */
  ok: number;
  /** Non-2xx responses, or rejected CommandBus calls. */
  failed: number;
  /** Connection errors and timeouts (HTTP only). */
  errors: number;
  /** Status code (HTTP) or error code (in-process) → count, for the failures. */
  outcomes: Record<string, number>;
  latency: LatencySummary;
  /** autocannon's own figures, for comparison (its latency histogram has 1 ms resolution). */
  autocannon?: { requestsPerSecondMean: number; latencyP50: number; latencyP99: number; sent: number };
  /** Server RSS right after the run (HTTP only). */
  serverRssMiB?: number | null;
  /** Server CPU ms per completed command during the run: main thread, whole process (HTTP only). */
  serverCpuMsPerCommand?: { main: number; process: number } | null;
}

const rate = (r: RunResult): number => r.ok / r.seconds;
const measurement = (r: RunResult): Measurement => ({ count: r.ok, seconds: r.seconds });

function increment(map: Record<string, number>, key: string): void {
  map[key] = (map[key] ?? 0) + 1;
}

/** Submit bodies from the seeded demo generator, each checked as the controller checks it. */
function submitBodies(): JsonObject[] {
  const generator = signalEvents(BODY_SEED);
  const urgency: Record<string, string> = { laag: 'low', normaal: 'normal', hoog: 'high', dringend: 'high' };
  const bodies: JsonObject[] = [];
  for (let i = 0; i < BODY_POOL; i++) {
    const data = generator.next(i).data as JsonObject;
    const body: JsonObject = {
      title: data['title'] as string,
      description: data['description'] as string,
      themes: data['themes'] as JsonValue[],
      targetGroups: data['targetGroups'] as JsonValue[],
      area: data['area'] as string,
      urgency: urgency[data['urgency'] as string] ?? 'normal',
    };
    bodies.push(validateCommandBody(currentSignalWorkflow(), 'submit', body));
  }
  return bodies;
}

/** `rev:<git revision>` builds that commit (an A/B against an older one in the same conditions). */
type BuildSource = 'worktree' | 'head' | 'dist' | `rev:${string}`;

function buildSource(): BuildSource {
  const raw = process.env['BENCH_BUILD'] ?? 'worktree';
  if (raw === 'worktree' || raw === 'head' || raw === 'dist') return raw;
  if (/^rev:[\w./^~-]{1,100}$/.test(raw)) return raw as BuildSource;
  throw new Error(`BENCH_BUILD must be worktree, head, dist or rev:<git revision>, got "${raw}"`);
}

function runTool(command: string, args: readonly string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} failed (${result.status ?? result.signal}):\n${result.stdout}${result.stderr}`,
    );
  }
  return result.stdout;
}

/**
 * Compiles the app with the project's build config (tsc, as `nest build` does) into a private
 * directory of the scratch space, so that a `nest build` elsewhere (which empties dist/) cannot pull
 * the code from under the running server. `head` compiles the last commit instead of the working
 * tree; `dist` uses the dist/ already built. Returns the directory holding src/main.js.
 */
function buildApp(source: BuildSource, appDir: string, log: (message: string) => void): string {
  if (source === 'dist') {
    log('  BENCH_BUILD=dist: using the dist/ already built');
    return join(root, 'dist');
  }
  const started = Date.now();
  mkdirSync(appDir, { recursive: true });
  // ESM output needs "type": "module"; bare imports resolve through the linked node_modules.
  writeFileSync(join(appDir, 'package.json'), '{ "private": true, "type": "module" }\n');
  symlinkSync(join(root, 'node_modules'), join(appDir, 'node_modules'), 'dir');
  let projectDir = root;
  if (source !== 'worktree') {
    const revision = source === 'head' ? 'HEAD' : source.slice('rev:'.length);
    const wanted = ['src', 'workflows', 'projections', 'tsconfig.json', 'tsconfig.build.json'];
    const present = new Set(runTool('git', ['ls-tree', '--name-only', revision], root).split('\n'));
    const archive = join(appDir, 'head.tar');
    runTool(
      'git',
      ['archive', '--format=tar', '-o', archive, revision, ...wanted.filter((p) => present.has(p))],
      root,
    );
    runTool('tar', ['-xf', archive, '-C', appDir], root);
    projectDir = appDir;
  }
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const outDir = join(appDir, 'dist');
  runTool(process.execPath, [tsc, '-p', join(projectDir, 'tsconfig.build.json'), '--outDir', outDir], root);
  log(
    `  compiled ${source === 'worktree' ? 'the working tree' : source === 'head' ? 'the last commit' : source} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return outDir;
}

function gitDirty(): string[] | null {
  const result = spawnSync(
    'git',
    ['--no-optional-locks', 'status', '--porcelain', '--', 'src', 'workflows', 'projections'],
    {
      cwd: root,
      encoding: 'utf8',
    },
  );
  if (result.status !== 0) return null;
  return result.stdout.split('\n').filter((line) => line.trim() !== '');
}

// ---------------------------------------------------------------------------------------------
// HTTP side

interface HttpRunSpec {
  case: CommandCase | 'warm-up';
  round: number;
  token: string;
  connections: number;
  /** Seconds to run, or… */
  duration?: number;
  /** …exactly this many requests. */
  amount?: number;
  path: () => string;
  body: () => string;
  /** Called with the body of every 2xx response (makes autocannon collect bodies). */
  onOk?: (body: string) => void;
}

function httpRun(server: ServerProcess, spec: HttpRunSpec): Promise<RunResult> {
  const latencies = new Samples();
  const outcomes: Record<string, number> = {};
  const request: autocannon.Request = {
    method: 'POST',
    setupRequest: (req) => ({ ...req, path: spec.path(), body: spec.body() }),
  };
  if (spec.onOk) {
    const onOk = spec.onOk;
    request.onResponse = (status, body) => {
      if (status >= 200 && status < 300) onOk(body);
    };
  }
  const cpuBefore = server.cpuMs();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: server.baseUrl,
        connections: spec.connections,
        ...(spec.amount !== undefined ? { amount: spec.amount } : { duration: spec.duration ?? 10 }),
        timeout: 10,
        headers: { authorization: `Bearer ${spec.token}`, 'content-type': 'application/json' },
        requests: [request],
      },
      (error: unknown, result: autocannon.Result) => {
        if (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        resolve({
          transport: 'http',
          case: spec.case,
          round: spec.round,
          seconds: result.duration,
          ok: result['2xx'],
          failed: result.non2xx,
          errors: result.errors,
          outcomes,
          latency: summarizeLatencies(latencies.values()),
          autocannon: {
            requestsPerSecondMean: result.requests.mean,
            latencyP50: result.latency.p50,
            latencyP99: result.latency.p99,
            sent: result.requests.sent,
          },
          serverRssMiB: server.rssMiB(),
          serverCpuMsPerCommand: perCommand(cpuBefore, server.cpuMs(), result['2xx']),
        });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      latencies.push(responseTime);
      if (statusCode < 200 || statusCode >= 300) increment(outcomes, String(statusCode));
    });
    instance.on('reqError', (error: unknown) =>
      increment(outcomes, error instanceof Error ? `error ${error.message}` : 'error'),
    );
  });
}

/**
 * Waits until the server process and this process (the in-process app and its worker threads)
 * are both idle: under 5% of a core (25% under profiling) in two 250 ms windows in a row, at
 * most `maxSeconds`. A run
 * leaves work behind (the process runner's lag, the similar-signal index of the signals just
 * submitted); without this the next run, of either transport, shares the cores with it.
 */
async function settle(
  server: ServerProcess,
  maxSeconds = 60,
): Promise<{ seconds: number; settled: boolean }> {
  // Under --cpu-prof the profiler's own sampling keeps the server above 5% of a core.
  const idleShare = process.env['BENCH_CPU_PROF'] === '1' ? 0.25 : 0.05;
  const started = performance.now();
  const windowMs = 250;
  let quiet = 0;
  let server0 = server.cpuMs()?.process ?? 0;
  let self0 = process.cpuUsage();
  while ((performance.now() - started) / 1000 < maxSeconds) {
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    const server1 = server.cpuMs()?.process ?? 0;
    const self = process.cpuUsage(self0);
    const busiest = Math.max(server1 - server0, (self.user + self.system) / 1000);
    server0 = server1;
    self0 = process.cpuUsage();
    quiet = busiest < idleShare * windowMs ? quiet + 1 : 0;
    if (quiet >= 2) return { seconds: (performance.now() - started) / 1000, settled: true };
  }
  return { seconds: (performance.now() - started) / 1000, settled: false };
}

function perCommand(
  before: { main: number; process: number } | null,
  after: { main: number; process: number } | null,
  commands: number,
): { main: number; process: number } | null {
  if (before === null || after === null || commands === 0) return null;
  return {
    main: (after.main - before.main) / commands,
    process: (after.process - before.process) / commands,
  };
}

// ---------------------------------------------------------------------------------------------
// In-process side

interface InProcess {
  app: INestApplicationContext;
  bus: CommandBus;
  Command: CommandExports['ExecuteSignalCommand'];
  health(): Promise<EventStoreHealth>;
}

async function startInProcess(
  distDir: string,
  dataDir: string,
  secret: string,
  synchronous: string,
): Promise<InProcess> {
  const { AppModule } = await importBuilt<AppModuleExports>(distDir, 'src/app.module.ts');
  const { ExecuteSignalCommand } = await importBuilt<CommandExports>(
    distDir,
    'src/signals/execute-signal-command/execute-signal-command.command.ts',
  );
  const { EventStore } = await importBuilt<StorePortExports>(
    distDir,
    'src/platform/event-store/event-store.port.ts',
  );
  const names = [
    'DATA_DIR',
    'JWT_SECRET',
    'SQLITE_SYNCHRONOUS',
    'EVENTSTORE_CONNECTION_STRING',
    'JWKS_URL',
    'PROJECTIONS',
  ];
  const saved = Object.fromEntries(names.map((name) => [name, process.env[name]]));
  process.env['DATA_DIR'] = dataDir;
  process.env['JWT_SECRET'] = secret;
  process.env['SQLITE_SYNCHRONOUS'] = synchronous;
  // The in-process side measures the command path; its read models would only compete for the
  // cores with the HTTP server measured next.
  process.env['PROJECTIONS'] = 'off';
  delete process.env['EVENTSTORE_CONNECTION_STRING'];
  delete process.env['JWKS_URL'];
  let app: INestApplicationContext;
  try {
    app = await NestFactory.createApplicationContext(AppModule, { logger: ['error', 'warn'] });
  } finally {
    for (const name of names) {
      const value = saved[name];
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
  const store = app.get(EventStore);
  return { app, bus: app.get(CommandBus), Command: ExecuteSignalCommand, health: () => store.health() };
}

interface InProcessRunSpec {
  case: CommandCase | 'warm-up';
  round: number;
  concurrency: number;
  /** Seconds to run; without it the loops run until `next` returns null. */
  duration?: number;
  actor: AuthenticatedActor;
  /** The next command's name, signal and fields, or null when there is none left. */
  next: () => { name: string; signalId?: string; fields: JsonObject } | null;
  onOk?: (result: SignalCommandResult) => void;
}

async function inProcessRun(side: InProcess, spec: InProcessRunSpec): Promise<RunResult> {
  const latencies = new Samples();
  const outcomes: Record<string, number> = {};
  let ok = 0;
  let failed = 0;
  const start = performance.now();
  const deadline = spec.duration !== undefined ? start + spec.duration * 1000 : Number.POSITIVE_INFINITY;
  const loop = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const next = spec.next();
      if (next === null) return;
      const command = new side.Command({
        actor: spec.actor,
        name: next.name,
        ...(next.signalId ? { signalId: next.signalId } : {}),
        fields: next.fields,
        correlationId: uuidv7(),
      });
      const sent = performance.now();
      try {
        const { result } = await side.bus.execute(command);
        ok += 1;
        spec.onOk?.(result);
      } catch (error: unknown) {
        failed += 1;
        const code =
          error instanceof Error && 'code' in error && typeof error.code === 'string'
            ? error.code
            : error instanceof Error
              ? error.name
              : 'error';
        increment(outcomes, code);
      }
      latencies.push(performance.now() - sent);
    }
  };
  await Promise.all(Array.from({ length: spec.concurrency }, loop));
  return {
    transport: 'in-process',
    case: spec.case,
    round: spec.round,
    seconds: (performance.now() - start) / 1000,
    ok,
    failed,
    errors: 0,
    outcomes,
    latency: summarizeLatencies(latencies.values()),
  };
}

// ---------------------------------------------------------------------------------------------

function signalIdOf(body: string): string {
  return (JSON.parse(body) as SignalCommandResult).signalId;
}

function describe(r: RunResult): string {
  const failures = Object.entries(r.outcomes)
    .map(([code, count]) => `${code}×${count}`)
    .join(' ');
  return (
    `  round ${r.round + 1} ${r.transport.padEnd(10)} ${r.case.padEnd(8)} ` +
    `${formatRate(rate(r)).padStart(6)} cmds/s  p50 ${formatMs(r.latency.p50).padStart(5)} ms  ` +
    `p99 ${formatMs(r.latency.p99).padStart(5)} ms  max ${formatMs(r.latency.max).padStart(5)} ms  ` +
    `${r.ok} ok in ${r.seconds.toFixed(1)} s` +
    (r.serverCpuMsPerCommand
      ? `  server CPU ${r.serverCpuMsPerCommand.main.toFixed(2)} ms/cmd main thread, ` +
        `${r.serverCpuMsPerCommand.process.toFixed(2)} process`
      : '') +
    (r.failed + r.errors > 0 ? `  FAILED ${failures}` : '')
  );
}

/** Median server CPU ms per command over runs (main thread / whole process), '—' in process. */
function cpuPerCommand(rs: readonly RunResult[]): string {
  const figures = rs.flatMap((r) => (r.serverCpuMsPerCommand ? [r.serverCpuMsPerCommand] : []));
  if (figures.length === 0) return '—';
  return `${median(figures.map((f) => f.main)).toFixed(2)} / ${median(figures.map((f) => f.process)).toFixed(2)}`;
}

function groupCommit(detail: string | undefined): string {
  const match = /(\d+) appends in (\d+) commits/.exec(detail ?? '');
  if (!match) return '?';
  const appends = Number(match[1]);
  const commits = Number(match[2]);
  return commits > 0 ? `${(appends / commits).toFixed(1)} (${appends} in ${commits})` : '—';
}

/**
 * The process workflows' inputs in a store file and the decisions recorded on them (read after its
 * writer stopped): equal when the runner kept up, every input decided by the end.
 */
function processDecisionsIn(file: string): { inputs: number; decisions: number } {
  const workflows = [createSignalDeadlinesWorkflow(), dossierFanOutWorkflow];
  const types = [...new Set(workflows.flatMap((workflow) => workflow.inputs))];
  const db = new DatabaseConstructor(file, { readonly: true });
  try {
    let inputs = 0;
    const rows = db
      .prepare<string[], [string, string, string, number, string, string]>(
        `SELECT id, type, stream, position, data, metadata FROM events WHERE type IN (${types.map(() => '?').join(', ')})`,
      )
      .raw(true)
      .iterate(...types);
    // An input counts once per workflow that has an instance for it (as the runner decides).
    for (const [id, type, stream, position, data, metadata] of rows) {
      const input = {
        id,
        type,
        stream,
        position: String(position),
        data: JSON.parse(data) as JsonObject,
        metadata: JSON.parse(metadata) as ProcessInput['metadata'],
      };
      for (const workflow of workflows)
        if (workflow.inputs.includes(type) && workflow.instanceOf(input) !== null) inputs += 1;
    }
    const decisions = db
      .prepare<[], number>("SELECT count(*) FROM events WHERE type = 'ProcessInputHandled'")
      .pluck(true)
      .get()!;
    return { inputs, decisions };
  } finally {
    db.close();
  }
}

/** Signal events in a store file (read after its writer stopped). */
function signalEventsIn(file: string): number {
  const db = new DatabaseConstructor(file, { readonly: true });
  try {
    return db
      .prepare<[string], number>('SELECT count(*) FROM events WHERE category = ?')
      .pluck(true)
      .get(SIGNAL_CATEGORY)!;
  } finally {
    db.close();
  }
}

function mib(value: number | null): string {
  return value === null ? '?' : value.toFixed(0);
}

async function run({ synchronous, scratch, log }: BenchContext): Promise<BenchReport> {
  const duration = envInt('BENCH_DURATION', 20);
  const rounds = envInt('BENCH_ROUNDS', 3);
  const connections = envInt('BENCH_CONNECTIONS', 32);
  const noteSignals = envInt('BENCH_NOTE_SIGNALS', 2000);
  const warmUp = envInt('BENCH_WARMUP', 3);
  const profile = process.env['BENCH_CPU_PROF'] === '1';

  // Other work on a shared 2-core machine moves the absolute figures: keep the load beside them.
  const loadStart = os.loadavg()[0] ?? 0;
  const source = buildSource();
  const distDir = buildApp(source, scratch.file('app'), log);
  const dirty = source === 'worktree' ? gitDirty() : [];
  if (dirty && dirty.length > 0) log(`  note: uncommitted changes in src/ or workflows/ are measured too`);

  const secret = randomBytes(48).toString('base64url');
  const auth = testAuthConfig(secret);
  const giverToken = await mintToken(auth, GIVER, '8h');
  const leadToken = await mintToken(auth, LEAD, '8h');
  const giver = actorFromClaims({ ...GIVER });
  const lead = actorFromClaims({ ...LEAD });
  const bodies = submitBodies();
  const bodyStrings = bodies.map((body) => JSON.stringify(body));
  const triageString = JSON.stringify(TRIAGE_BODY);
  const noteString = JSON.stringify(NOTE_BODY);

  const cpuProfileDir = profile
    ? join(root, 'bench-results', `cpu-prof-${new Date().toISOString().replace(/:/g, '-')}`)
    : undefined;
  if (cpuProfileDir) mkdirSync(cpuProfileDir, { recursive: true });

  const server = await startServer({
    cwd: root,
    entry: join(distDir, 'src', 'main.js'),
    env: {
      DATA_DIR: scratch.file('server'),
      JWT_SECRET: secret,
      SQLITE_SYNCHRONOUS: synchronous,
      NODE_ENV: 'production',
      // The bench measures commands on an empty store, not the first start's demo seeding.
      DEMO_DATA: 'off',
    },
    ...(cpuProfileDir ? { cpuProfileDir } : {}),
    // A machine shared with other work can take long to start the app (tsc output, 2 cores).
    readyTimeoutMs: 120_000,
  });
  const results: RunResult[] = [];
  let side: InProcess | null = null;
  let serverRssStart: number | null;
  let serverRssEnd: number | null;
  let serverHealth: HealthBody;
  let inProcessHealth: EventStoreHealth;
  let benchRssStart: number | null;
  let benchRssEnd: number | null;
  let loadEnd: number;
  let profileSummary: ProfileSummary | null = null;
  let profileFile: string | null = null;
  try {
    serverRssStart = server.rssMiB();
    log(`  server pid ${server.pid} at ${server.baseUrl}, RSS ${mib(serverRssStart)} MiB`);
    side = await startInProcess(distDir, scratch.file('in-process'), secret, synchronous);
    benchRssStart = rssMiBOf(process.pid);

    let bodyIndex = 0;
    const nextBodyString = (): string => bodyStrings[bodyIndex++ % bodyStrings.length] as string;
    const nextBody = (): JsonObject => bodies[bodyIndex++ % bodies.length] as JsonObject;

    // Warm-up (JIT, page cache, connection pools), not recorded.
    log(`warm-up ${warmUp} s each`);
    const warmHttp = await httpRun(server, {
      case: 'warm-up',
      round: -1,
      token: giverToken,
      connections,
      duration: warmUp,
      path: () => '/signals',
      body: nextBodyString,
    });
    const warmInProcess = await inProcessRun(side, {
      case: 'warm-up',
      round: -1,
      concurrency: connections,
      duration: warmUp,
      actor: giver,
      next: () => ({ name: 'submit', fields: nextBody() }),
    });
    results.push(warmHttp, warmInProcess);

    log(
      `${rounds} rounds × (submit ${duration} s, triage of each signal submitted, add-note ${duration} s ` +
        `over ${noteSignals} signals) × (HTTP, in-process), ${connections} connections / loops`,
    );
    // Every HTTP round first, then every in-process round. The in-process app lives in this
    // process, beside autocannon: after its rounds its heap holds about a GB, and this process's
    // garbage collections then took CPU from the server during an HTTP round that followed (round
    // 2, after the in-process one, in two runs: 1,328 and 1,315 submits/s at 1.13–1.18 ms of server
    // CPU per submit, against 1,490–1,787 at 0.84–1.01 for the other rounds of the same runs).
    for (const transport of TRANSPORTS) {
      for (let round = 0; round < rounds; round++) {
        const ids: string[] = [];
        const idle = async (next: CommandCase): Promise<void> => {
          const settled = await settle(server);
          log(
            `  round ${round + 1} ${transport} ${next}: both processes idle after ${settled.seconds.toFixed(1)} s` +
              (settled.settled ? '' : ' (NOT idle: gave up waiting)'),
          );
        };
        await idle('submit');
        if (transport === 'http') {
          const submit = await httpRun(server, {
            case: 'submit',
            round,
            token: giverToken,
            connections,
            duration,
            path: () => '/signals',
            body: nextBodyString,
            onOk: (body) => ids.push(signalIdOf(body)),
          });
          log(describe(submit));
          // autocannon builds a connection's next request before it knows it will be sent: keep
          // a margin so that no signal is triaged twice.
          let t = 0;
          await idle('triage');
          const triage = await httpRun(server, {
            case: 'triage',
            round,
            token: leadToken,
            connections,
            amount: Math.max(connections, ids.length - 2 * connections),
            path: () => `/signals/${ids[t++ % ids.length]}/triage`,
            body: () => triageString,
          });
          log(describe(triage));
          const notes = ids.slice(0, noteSignals);
          let n = 0;
          await idle('add-note');
          const addNote = await httpRun(server, {
            case: 'add-note',
            round,
            token: leadToken,
            connections,
            duration,
            path: () => `/signals/${notes[n++ % notes.length]}/add-note`,
            body: () => noteString,
          });
          log(describe(addNote));
          results.push(submit, triage, addNote);
        } else {
          const current = side;
          const submit = await inProcessRun(current, {
            case: 'submit',
            round,
            concurrency: connections,
            duration,
            actor: giver,
            next: () => ({ name: 'submit', fields: nextBody() }),
            onOk: (result) => ids.push(result.signalId),
          });
          log(describe(submit));
          const triageIds = ids.slice(0, Math.max(connections, ids.length - 2 * connections));
          let t = 0;
          await idle('triage');
          const triage = await inProcessRun(current, {
            case: 'triage',
            round,
            concurrency: connections,
            actor: lead,
            next: () =>
              t < triageIds.length ? { name: 'triage', signalId: triageIds[t++], fields: TRIAGE_BODY } : null,
          });
          log(describe(triage));
          const notes = ids.slice(0, noteSignals);
          let n = 0;
          await idle('add-note');
          const addNote = await inProcessRun(current, {
            case: 'add-note',
            round,
            concurrency: connections,
            duration,
            actor: lead,
            next: () => ({
              name: 'add-note',
              signalId: notes[n++ % notes.length] as string,
              fields: NOTE_BODY,
            }),
          });
          log(describe(addNote));
          results.push(submit, triage, addNote);
        }
      }
    }

    // The work the last runs left (process decisions, the similar index) is done before the end.
    await settle(server);
    serverRssEnd = server.rssMiB();
    loadEnd = os.loadavg()[0] ?? 0;
    serverHealth = await server.health();
    inProcessHealth = await side.health();
    benchRssEnd = rssMiBOf(process.pid);
  } finally {
    await server.stop();
    if (side) await side.app.close();
  }

  if (cpuProfileDir) {
    const file = readdirSync(cpuProfileDir).find((name) => name.endsWith('.cpuprofile'));
    if (file) {
      profileFile = join(cpuProfileDir, file);
      profileSummary = summarizeCpuProfile(profileFile, root, 30);
      log(
        `CPU profile of the server: ${relative(process.cwd(), profileFile)}; busy ` +
          `${(profileSummary.busyMs / 1000).toFixed(1)} s of ${(profileSummary.totalMs / 1000).toFixed(1)} s, ` +
          'percentages of the busy time',
      );
      log(formatProfileEntries('self time by package / area', profileSummary.selfByArea));
      log(formatProfileEntries('self time by function', profileSummary.selfByFunction));
      log(formatProfileEntries('inclusive time by function', profileSummary.inclusiveByFunction));
    } else {
      log(`no CPU profile was written to ${cpuProfileDir}`);
    }
  }

  // ---- report
  const timed = results.filter((r) => r.round >= 0);
  const of = (transport: Transport, c: CommandCase): RunResult[] =>
    timed.filter((r) => r.transport === transport && r.case === c).sort((a, b) => a.round - b.round);
  const med = (rs: readonly RunResult[], pick: (r: RunResult) => number): number => median(rs.map(pick));

  const detailRows: string[][] = [];
  for (const c of CASES) {
    for (const transport of TRANSPORTS) {
      const rs = of(transport, c);
      if (rs.length === 0) continue;
      const rates = rs.map(rate);
      detailRows.push([
        c,
        transport === 'http' ? 'HTTP' : 'in-process',
        formatRate(median(rates)),
        `${formatRate(Math.min(...rates))}–${formatRate(Math.max(...rates))}`,
        formatMs(med(rs, (r) => r.latency.p50)),
        formatMs(med(rs, (r) => r.latency.p99)),
        formatMs(Math.max(...rs.map((r) => r.latency.max))),
        String(rs.reduce((sum, r) => sum + r.failed, 0)),
        String(rs.reduce((sum, r) => sum + r.errors, 0)),
        cpuPerCommand(rs),
        formatRate(med(rs, (r) => r.seconds * 1000) / 1000),
      ]);
    }
  }

  const httpOk = results.filter((r) => r.transport === 'http').reduce((sum, r) => sum + r.ok, 0);
  const inProcessOk = results.filter((r) => r.transport === 'in-process').reduce((sum, r) => sum + r.ok, 0);
  // Commands record signal events; the process workflows add their own in other streams.
  const serverAll = Number(serverHealth.eventStore.lastPosition ?? NaN);
  const inProcessAll = Number(inProcessHealth.lastPosition ?? NaN);
  const serverEvents = signalEventsIn(join(scratch.file('server'), 'events.sqlite'));
  const inProcessEvents = signalEventsIn(join(scratch.file('in-process'), 'events.sqlite'));
  const serverProcesses = processDecisionsIn(join(scratch.file('server'), 'events.sqlite'));
  const serverRows: string[][] = [
    [
      'machine load average (1 min) at start / end, 2 cores',
      `${loadStart.toFixed(2)} / ${loadEnd.toFixed(2)}`,
    ],
    ['server RSS at start / end (MiB)', `${mib(serverRssStart)} / ${mib(serverRssEnd)}`],
    ['server events stored, all / signal events', `${formatRate(serverAll)} / ${formatRate(serverEvents)}`],
    ['server 2xx responses, warm-up included', formatRate(httpOk)],
    [
      'server process workflow inputs / decisions recorded',
      `${formatRate(serverProcesses.inputs)} / ${formatRate(serverProcesses.decisions)}`,
    ],
    ['server group commit: appends per commit', groupCommit(serverHealth.eventStore.detail)],
    [
      'in-process events stored all, signal events / commands completed',
      `${formatRate(inProcessAll)}, ${formatRate(inProcessEvents)} / ${formatRate(inProcessOk)}`,
    ],
    ['in-process group commit: appends per commit', groupCommit(inProcessHealth.detail)],
    [
      'bench process RSS at start / end (MiB; in-process app + autocannon)',
      `${mib(benchRssStart)} / ${mib(benchRssEnd)}`,
    ],
  ];

  const httpSubmit = of('http', 'submit');
  const submitRate = median(httpSubmit.map(rate));
  const submitP99 = med(httpSubmit, (r) => r.latency.p99);
  const httpFailures = results
    .filter((r) => r.transport === 'http')
    .reduce((sum, r) => sum + r.failed + r.errors, 0);
  const inProcessFailures = results
    .filter((r) => r.transport === 'in-process')
    .reduce((sum, r) => sum + r.failed, 0);
  const inFlightAtStop =
    connections * results.filter((r) => r.transport === 'http' && r.case !== 'triage').length;
  const checks: BenchCheck[] = [
    {
      name: 'HTTP submits/s (median over rounds)',
      measured: formatRate(submitRate),
      target: `≥ ${formatRate(SUBMIT_TARGET_PER_SECOND)}`,
      pass: submitRate >= SUBMIT_TARGET_PER_SECOND,
    },
    {
      name: 'HTTP submit p99 latency (median over rounds)',
      measured: `${formatMs(submitP99)} ms`,
      target: `< ${SUBMIT_P99_TARGET_MS} ms`,
      pass: submitP99 < SUBMIT_P99_TARGET_MS,
    },
    {
      name: 'HTTP non-2xx + connection errors (all runs)',
      measured: String(httpFailures),
      target: '0',
      pass: httpFailures === 0,
    },
    {
      name: 'in-process failed commands (all runs)',
      measured: String(inProcessFailures),
      target: '0',
      pass: inProcessFailures === 0,
    },
    {
      // A run that stops at its duration leaves up to one request per connection in flight: the
      // server completes it, autocannon no longer counts it.
      name: 'server signal events stored − 2xx responses',
      measured: formatRate(serverEvents - httpOk),
      target: `0 … ${inFlightAtStop} (in flight at stops)`,
      pass: serverEvents >= httpOk && serverEvents - httpOk <= inFlightAtStop,
    },
    {
      // The process workflows kept up: every input the commands recorded was decided by the end.
      name: 'server process decisions = process inputs',
      measured: `${formatRate(serverProcesses.decisions)} / ${formatRate(serverProcesses.inputs)}`,
      target: 'equal',
      pass: serverProcesses.decisions === serverProcesses.inputs,
    },
    {
      name: 'in-process signal events stored = commands completed',
      measured: `${formatRate(inProcessEvents)} / ${formatRate(inProcessOk)}`,
      target: 'equal',
      pass: inProcessEvents === inProcessOk,
    },
  ];

  const samples: Record<string, Measurement[]> = {};
  for (const c of CASES)
    for (const transport of TRANSPORTS) samples[`${transport} ${c}`] = of(transport, c).map(measurement);

  const details: JsonValue = JSON.parse(
    JSON.stringify({
      runs: results,
      server: {
        rssMiBStart: serverRssStart,
        rssMiBEnd: serverRssEnd,
        health: serverHealth,
      },
      inProcess: { health: inProcessHealth, benchRssMiBStart: benchRssStart, benchRssMiBEnd: benchRssEnd },
      cpuProfile: profileFile ? { file: relative(root, profileFile), summary: profileSummary } : null,
      workingTreeChanges: dirty,
      loadAverage1m: { start: loadStart, end: loadEnd },
    }),
  ) as JsonValue;

  return {
    tables: [
      {
        title: `commands: median over ${rounds} rounds (latency in ms over every request of a run; max over all rounds)`,
        headers: [
          'case',
          'via',
          'cmds/s',
          'rounds min–max',
          'p50',
          'p99',
          'max',
          'non-2xx/failed',
          'conn errors',
          'server CPU ms/cmd (main / process)',
          'seconds',
        ],
        rows: detailRows,
      },
      { title: 'server and stores', headers: ['figure', 'value'], rows: serverRows },
    ],
    rows: CASES.map((c) =>
      row(
        `${c}: HTTP / in-process`,
        of('http', c).map(measurement),
        'in-process CommandBus',
        of('in-process', c).map(measurement),
      ),
    ),
    checks,
    parameters: {
      durationSeconds: duration,
      rounds,
      connections,
      inProcessConcurrency: connections,
      noteSignals,
      warmUpSeconds: warmUp,
      submitBodies: BODY_POOL,
      bodySeed: BODY_SEED,
      build: source,
      serverEntry: `${source === 'dist' ? 'dist' : '<scratch>/app/dist'}/src/main.js (NODE_ENV=production)`,
      host: '127.0.0.1',
      synchronous,
      cpuProfile: profile,
      targets: `HTTP submits ≥ ${SUBMIT_TARGET_PER_SECOND}/s, p99 < ${SUBMIT_P99_TARGET_MS} ms`,
      ratio: 'median over rounds of HTTP commands/s ÷ in-process commands/s, same round',
    },
    samples,
    details,
  };
}

export const commandsBench: Bench = {
  name: 'commands',
  description:
    'signal commands (submit, triage, add-note) over HTTP under autocannon against the built app in its own process, beside the same commands through the CommandBus in process',
  run,
};
