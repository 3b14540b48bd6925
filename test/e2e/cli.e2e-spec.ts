import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { seedDemoData } from '../../src/demo/seed-demo-data.js';
import { SqliteEventStore } from '../../src/platform/event-store/sqlite/sqlite-event-store.js';
import { SqliteLeaseStore } from '../../src/platform/lease/sqlite-lease-store.js';
import { PROJECTIONS_LEASE } from '../../src/read-models/projections-lease.js';
import { startChild } from '../support/processes.js';
import { readModelHash } from '../support/read-model-hash.js';

const dataDir = mkdtempSync(join(tmpdir(), 'ls-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** As an operator runs it: `npm run cli`, which compiles the server into dist/ and runs that. */
async function cli(...args: string[]) {
  const child = startChild('npm', ['run', '-s', 'cli', '--', ...args], {
    DATA_DIR: dataDir,
    JWT_SECRET: 'x'.repeat(32),
  });
  const { code } = await child.exited;
  return { code, output: child.lines.join('\n') };
}

describe('npm run cli -- projections', () => {
  let events = 0;
  beforeAll(async () => {
    const store = new SqliteEventStore({ file: join(dataDir, 'events.sqlite'), synchronous: 'NORMAL' });
    events = (await seedDemoData(store, { tenants: 2, signals: 40, seed: 3 })).eventsWritten;
    await store.close();
  }, 60_000);

  it('rebuilds every read model from the event store, then reports them caught up', async () => {
    const rebuild = await cli('projections', 'rebuild', 'all');
    expect(rebuild.code).toBe(0);
    expect(rebuild.output).toContain(
      `rebuilt signal-inbox, signal-detail, tenant-dashboard, processor-workload, supralocal-cells, dossier-list, dossier-detail: ${events} events`,
    );
    // With 2 cores or more, in two lanes that split the two tenants.
    if (availableParallelism() >= 2) {
      const lanes = rebuild.output.match(/^lane \d: (\d+) events in [\d.]+ s, tenants .+$/gm) ?? [];
      expect(lanes).toHaveLength(2);
      expect(lanes.reduce((sum, line) => sum + Number(/: (\d+) events/.exec(line)![1]), 0)).toBe(events);
      expect(rebuild.output).toMatch(/^sealed \(checkpoints, query indexes\) in [\d.]+ s$/m);
      // Lanes that take every core run with the collector in their own threads, the allocator's
      // freed memory kept, and this short log without TurboFan's inlining (rebuild-flags.ts): the
      // CLI runs the rebuild again in a process with those flags and that environment.
      const laneGc = "V8's garbage collector ran in each lane's own thread (--single-threaded-gc)";
      const malloc = 'the C allocator kept the memory it freed for reuse (MALLOC_*_ of rebuild-flags.ts)';
      const short = 'a short log: TurboFan compiled without inlining (--no-turbo-inlining)';
      for (const line of [laneGc, malloc, short]) {
        if (availableParallelism() === 2) expect(rebuild.output).toContain(line);
        else expect(rebuild.output).not.toContain(line);
      }
    }
    const status = await cli('projections', 'status');
    expect(status.code).toBe(0);
    for (const name of [
      'signal-inbox',
      'signal-detail',
      'tenant-dashboard',
      'processor-workload',
      'supralocal-cells',
      'dossier-list',
      'dossier-detail',
    ]) {
      expect(status.output).toMatch(new RegExp(`'${name} v\\d+'\\s*│\\s*'${events}'\\s*│\\s*0\\s*│\\s*true`));
    }
  }, 60_000);

  it('refuses a rebuild while another holder (the app’s runner) has the projections lease, and leaves the read models as they were', async () => {
    const readModels = join(dataDir, 'read-models.sqlite');
    expect(existsSync(readModels)).toBe(true);
    const before = readModelHash(readModels);
    const leases = new SqliteLeaseStore({ file: join(dataDir, 'leases.sqlite') });
    try {
      expect(await leases.acquire(PROJECTIONS_LEASE, 'app-host:4242:0a1b2c3d', 60_000)).toBe(true);
      // As an operator runs it, with stderr: the refusal is written there.
      const refused = spawnSync('npm', ['run', '-s', 'cli', '--', 'projections', 'rebuild', 'all'], {
        cwd: fileURLToPath(new URL('../..', import.meta.url)),
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, DATA_DIR: dataDir, JWT_SECRET: 'x'.repeat(32) },
      });
      expect(refused.status).toBe(1);
      expect(refused.stderr).toContain(
        "refused: the app's projection runner holds the projections lease (holder app-host:4242:0a1b2c3d)",
      );
      expect(refused.stderr).toContain('Stop the app first');
      expect(refused.stdout).not.toContain('rebuilt');
      expect(readModelHash(readModels)).toBe(before);
      expect(await leases.holder(PROJECTIONS_LEASE)).toBe('app-host:4242:0a1b2c3d');

      // The lease of an app killed without releasing it runs out: then the rebuild runs, and gives its lease back.
      await leases.release(PROJECTIONS_LEASE, 'app-host:4242:0a1b2c3d');
      expect(await leases.acquire(PROJECTIONS_LEASE, 'app-host:4242:0a1b2c3d', 1)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 20));
      const rebuild = await cli('projections', 'rebuild', 'all');
      expect(rebuild.code).toBe(0);
      expect(rebuild.output).toContain(`dossier-detail: ${events} events`);
      expect(await leases.holder(PROJECTIONS_LEASE)).toBeNull();
      expect(readModelHash(readModels)).toBe(before);
    } finally {
      await leases.close();
    }
  }, 120_000);

  it('answers a wrong command with the usage and exit code 2', async () => {
    expect((await cli('projections', 'rebuild', 'nonsense')).code).toBe(2);
    expect((await cli('dossiers')).code).toBe(2);
  }, 60_000);
});
