import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { loadConfig } from './app-config.js';

const dataDir = mkdtempSync(join(tmpdir(), 'ls-config-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const env = (extra: Record<string, string> = {}) => ({
  DATA_DIR: dataDir,
  JWT_SECRET: 'x'.repeat(32),
  ...extra,
});

describe('loadConfig', () => {
  it('defaults to the embedded stores, projections in a worker thread and 2,000 demo signals', () => {
    const config = loadConfig(env());
    expect(config.eventStore).toEqual({
      kind: 'sqlite',
      file: join(dataDir, 'events.sqlite'),
      synchronous: 'FULL',
    });
    expect(config.readStore).toEqual({ kind: 'sqlite', file: join(dataDir, 'read-models.sqlite') });
    expect(config.projections).toBe('thread');
    expect(config.demoData).toEqual({ signals: 2000 });
    expect(config.leases).toEqual({
      store: { kind: 'sqlite', file: join(dataDir, 'leases.sqlite') },
      ttlMs: 15_000,
    });
  });

  it('keeps the leases in Redis under the deployment’s prefix when REDIS_URL is set', () => {
    const config = loadConfig(
      env({ REDIS_URL: 'redis://cache:6379', BRIEF_QUEUE_PREFIX: 'gent-prod', LEASE_TTL_MS: '30000' }),
    );
    expect(config.leases).toEqual({
      store: { kind: 'redis', url: 'redis://cache:6379', prefix: 'gent-prod' },
      ttlMs: 30_000,
    });
  });

  it.each([
    [{ LEASE_TTL_MS: '100' }, /LEASE_TTL_MS must be a whole number of ms from 300 to 600000/],
    [{ LEASE_TTL_MS: 'long' }, /LEASE_TTL_MS/],
    [{ REDIS_URL: 'cache:6379' }, /REDIS_URL must start with redis:\/\//],
  ])('refuses lease settings %j', (extra, message) => {
    expect(() => loadConfig(env(extra))).toThrow(message);
  });

  it('gives the requests in flight 10 s on SIGTERM unless SHUTDOWN_GRACE_MS says otherwise (0 to 600000 ms)', () => {
    expect(loadConfig(env()).shutdownGraceMs).toBe(10_000);
    expect(loadConfig(env({ SHUTDOWN_GRACE_MS: '' })).shutdownGraceMs).toBe(10_000);
    expect(loadConfig(env({ SHUTDOWN_GRACE_MS: '25000' })).shutdownGraceMs).toBe(25_000);
    expect(loadConfig(env({ SHUTDOWN_GRACE_MS: '0' })).shutdownGraceMs).toBe(0);
    for (const value of ['600001', '-1', '10s', '1e4', ' '])
      expect(() => loadConfig(env({ SHUTDOWN_GRACE_MS: value }))).toThrow(
        /SHUTDOWN_GRACE_MS must be a whole number of ms from 0 to 600000/,
      );
  });

  it('picks the production adapters from their variables, without demo data on EventStoreDB', () => {
    const config = loadConfig(
      env({
        EVENTSTORE_CONNECTION_STRING: 'esdb://localhost:2113?tls=false',
        MONGODB_URI: 'mongodb://localhost/ls',
      }),
    );
    expect(config.eventStore).toEqual({
      kind: 'eventstoredb',
      connectionString: 'esdb://localhost:2113?tls=false',
    });
    expect(config.readStore).toEqual({ kind: 'mongodb', uri: 'mongodb://localhost/ls' });
    expect(config.demoData).toBeNull();
  });

  it.each([
    [{ PROJECTIONS: 'inline' }, 'projections', 'inline'],
    [{ PROJECTIONS: 'off' }, 'projections', 'off'],
    [{ DEMO_DATA: 'off' }, 'demoData', null],
    [{ DEMO_DATA: '50' }, 'demoData', { signals: 50 }],
    [{}, 'supralocal', { minSignals: 5, minGivers: 3 }],
    [{}, 'healthDetails', false],
    [{ HEALTH_DETAILS: 'on' }, 'healthDetails', true],
    [{ LOG_FORMAT: 'json' }, 'logFormat', 'json'],
    [{ LOG_FORMAT: 'pretty' }, 'logFormat', 'pretty'],
    [
      { SUPRALOCAL_MIN_SIGNALS: '10', SUPRALOCAL_MIN_GIVERS: '4' },
      'supralocal',
      { minSignals: 10, minGivers: 4 },
    ],
  ] as const)('reads %j', (extra, key, expected) => {
    expect(loadConfig(env(extra))[key]).toEqual(expected);
  });

  it.each<Record<string, string>>([
    { PROJECTIONS: 'sometimes' },
    { DEMO_DATA: '-1' },
    { SQLITE_SYNCHRONOUS: 'FAST' },
    { PORT: 'abc' },
    { SUPRALOCAL_MIN_SIGNALS: '3' },
    { SUPRALOCAL_MIN_GIVERS: '2' },
    { SUPRALOCAL_MIN_SIGNALS: 'vijf' },
    { HEALTH_DETAILS: 'everything' },
    { LOG_FORMAT: 'xml' },
  ])('refuses %j with a message naming the variable', (extra) => {
    const name = Object.keys(extra)[0]!;
    expect(() => loadConfig(env(extra))).toThrow(new RegExp(name));
  });

  it.each<Record<string, string>>([
    // Number() took all of these: PORT=0x10 listened on port 16, PORT=1e3 on 1000, a blank on 0.
    { PORT: '0x10' },
    { PORT: '1e3' },
    { PORT: ' 8080' },
    { PORT: '8080 ' },
    { PORT: ' ' },
    { PORT: '80.0' },
    { PORT: '+80' },
    { PORT: '65536' },
    { LEASE_TTL_MS: '0x3e8' },
    { LEASE_TTL_MS: '2e4' },
    { DEMO_DATA: '1e2' },
    { DEMO_DATA: ' ' },
    { SUPRALOCAL_MIN_SIGNALS: '0x10' },
    { SUPRALOCAL_MIN_GIVERS: '1e1' },
    { BRIEF_ATTEMPTS: '0x3' },
    { BRIEF_RECONCILE_MS: '6e4' },
    { BRIEF_CONCURRENCY: ' ' },
  ])('refuses %j: numbers are plain decimal digits, and the message names the variable', (extra) => {
    const name = Object.keys(extra)[0]!;
    expect(() => loadConfig(env(extra))).toThrow(new RegExp(name));
  });

  it('reads PORT in decimal digits, 0 to 65535; empty is the default', () => {
    expect(loadConfig(env({ PORT: '8080' })).port).toBe(8080);
    expect(loadConfig(env({ PORT: '0' })).port).toBe(0);
    expect(loadConfig(env({ PORT: '65535' })).port).toBe(65535);
    expect(loadConfig(env({ PORT: '' })).port).toBe(3000);
    expect(loadConfig(env({ LEASE_TTL_MS: '20000' })).leases.ttlMs).toBe(20_000);
  });

  it('refuses a DATA_DIR that is a file, naming it, instead of a raw EEXIST from mkdir', () => {
    const file = join(dataDir, 'a-file');
    writeFileSync(file, '');
    // Without JWT_SECRET the development secret would be made in it (mkdir: EEXIST).
    expect(() => loadConfig({ DATA_DIR: file })).toThrow(
      new RegExp(`DATA_DIR must be a folder, but ${file} is a file`),
    );
    expect(() => loadConfig(env({ DATA_DIR: file }))).toThrow(/DATA_DIR must be a folder/);
  });

  describe('for a command on an existing store (existingStore)', () => {
    it('refuses a DATA_DIR without events.sqlite, naming it, and creates nothing there', () => {
      const missing = join(dataDir, 'typo');
      const noSecret = { DATA_DIR: missing };
      expect(() => loadConfig(noSecret, { existingStore: true })).toThrow(
        new RegExp(`DATA_DIR ${missing} holds no event store`),
      );
      expect(existsSync(missing)).toBe(false);
      const empty = mkdtempSync(join(dataDir, 'empty-'));
      expect(() => loadConfig({ DATA_DIR: empty }, { existingStore: true })).toThrow(/DATA_DIR/);
      expect(readdirSync(empty)).toEqual([]);
    });

    it('takes a DATA_DIR holding the store, and a remote store without looking at DATA_DIR', () => {
      const withStore = mkdtempSync(join(dataDir, 'store-'));
      writeFileSync(join(withStore, 'events.sqlite'), '');
      expect(loadConfig(env({ DATA_DIR: withStore }), { existingStore: true }).dataDir).toBe(withStore);
      const remote = env({
        DATA_DIR: join(dataDir, 'not-here'),
        EVENTSTORE_CONNECTION_STRING: 'esdb://localhost:2113?tls=false',
      });
      expect(loadConfig(remote, { existingStore: true }).eventStore.kind).toBe('eventstoredb');
    });
  });
});
