import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SqliteEventStore } from '../../src/platform/event-store/sqlite/sqlite-event-store.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

const PACKAGES = {
  mongodb: 'mongodb',
  bson: 'bson',
  eventstore: '@eventstore/db-client',
  bullmq: 'bullmq',
  ioredis: 'ioredis',
  // Nest 12 is ES modules, which no cache lists; what it loads of CommonJS shows it.
  nestRxjs: 'rxjs',
  nestReflectMetadata: 'reflect-metadata',
} as const;

/**
 * A module for `--import` that prints, as the process exits, which of PACKAGES it had loaded. They
 * are CommonJS, so Node's CommonJS cache shows them (an ES module importing one still goes through
 * it). Run in a child process: Jest's own module registry would not show what Node loaded.
 */
const PROBE = `data:text/javascript,${encodeURIComponent(`
  import { createRequire } from 'node:module';
  import { writeSync } from 'node:fs';
  const require = createRequire(process.cwd() + '/');
  const packages = ${JSON.stringify(PACKAGES)};
  process.on('exit', () => {
    const cache = Object.keys(require.cache);
    const loaded = Object.fromEntries(Object.entries(packages).map(([key, name]) => [key, cache.some((file) => file.includes('/node_modules/' + name + '/'))]));
    writeSync(1, '\\nLOADED ' + JSON.stringify(loaded) + '\\n');
  });
`)}`;

/** Runs node with the probe and `args` (after tsx); what the probe printed. */
function packagesLoadedBy(args: readonly string[], env: NodeJS.ProcessEnv = {}): Record<string, boolean> {
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--import', PROBE, ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, ...env },
  });
  const line = result.stdout
    .split('\n')
    .reverse()
    .find((text) => text.startsWith('LOADED '));
  if (result.status !== 0 || line === undefined)
    throw new Error(`the probe failed (${result.status}): ${result.stderr}${result.stdout}`);
  return JSON.parse(line.slice('LOADED '.length)) as Record<string, boolean>;
}

const nothingLoaded = Object.fromEntries(Object.keys(PACKAGES).map((key) => [key, false]));

describe('an application on the embedded stores', () => {
  it('loads neither the MongoDB, the EventStoreDB nor the Redis clients: each is imported only when configured', () => {
    // The identity store's MongoDB adapter was imported by the tenants module up front, and with it
    // the driver and bson (about 20 MB per process); the brief queue's BullMQ and the lease
    // store's Redis client were imported by the reporting runtime and createLeaseStore.
    const app = new URL('../../src/app.module.ts', import.meta.url).href;
    expect(
      packagesLoadedBy(['--input-type=module', '-e', `await import(${JSON.stringify(app)});`]),
    ).toMatchObject({ mongodb: false, bson: false, eventstore: false, bullmq: false, ioredis: false });
  });
});

describe('a rebuild by the CLI on the embedded stores', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'lse-cli-modules-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  // The CLI refuses a DATA_DIR without an event store (a mistyped one); an empty store will do.
  beforeAll(async () => {
    await new SqliteEventStore({ file: join(dataDir, 'events.sqlite') }).close();
  });

  it('loads neither Nest nor any client: its lane in the main thread ran a quarter slower with them', () => {
    // The CLI imported the signal migration for its usage text, and with it @nestjs/common (and its
    // rxjs, 226 modules): a 100k
    // rebuild's lane in the CLI's own thread then applied events 25–30% slower than the lane in the
    // worker thread (more to collect; test/bench/PROJECTIONS.md, thirtieth session).
    expect(
      packagesLoadedBy(['src/cli/cli.ts', 'projections', 'rebuild', 'all'], {
        DATA_DIR: dataDir,
        EVENTSTORE_CONNECTION_STRING: '',
        MONGODB_URI: '',
        REDIS_URL: '',
      }),
    ).toEqual(nothingLoaded);
  });
});

describe('the process workflows thread', () => {
  it('loads neither Nest nor any client: its entry module and what that imports', () => {
    // The thread imported Nest's Logger (the process runner's, the thread's own and its JSON log
    // setting) and the tenant deadline policy's decorators: @nestjs/common with rxjs's 226
    // modules, as the CLI's rebuild lane did before it ran a quarter faster without them.
    const entry = new URL('../../src/processes/process-worker.ts', import.meta.url).href;
    expect(
      packagesLoadedBy(['--input-type=module', '-e', `await import(${JSON.stringify(entry)});`]),
    ).toEqual(nothingLoaded);
  });
});
