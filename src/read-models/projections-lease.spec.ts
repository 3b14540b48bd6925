import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { SqliteLeaseStore } from '../platform/lease/sqlite-lease-store.js';
import { PROJECTIONS_LEASE, takeRebuildLease } from './projections-lease.js';

const dataDir = mkdtempSync(join(tmpdir(), 'ls-rebuild-lease-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('takeRebuildLease', () => {
  let file: string;
  let leases: SqliteLeaseStore;
  let config: { store: { kind: 'sqlite'; file: string }; ttlMs: number };
  let count = 0;
  beforeEach(() => {
    file = join(dataDir, `leases-${++count}.sqlite`);
    leases = new SqliteLeaseStore({ file });
    config = { store: { kind: 'sqlite', file }, ttlMs: 15_000 };
  });
  afterEach(() => leases.close());

  it('refuses while the app’s projection runner holds the lease, saying to stop the app first', async () => {
    await leases.acquire(PROJECTIONS_LEASE, 'app-host:4242:0a1b2c3d', 60_000);
    const taken = await takeRebuildLease(config);
    expect(taken).toEqual({ refused: expect.stringContaining("the app's projection runner holds") });
    const { refused } = taken as { refused: string };
    expect(refused).toContain('app-host:4242:0a1b2c3d');
    expect(refused).toContain(file);
    expect(refused).toContain('Stop the app first');
    expect(await leases.holder(PROJECTIONS_LEASE)).toBe('app-host:4242:0a1b2c3d');
  });

  it('holds the lease while the rebuild runs, so the app’s runner stands by, and releases it', async () => {
    const taken = await takeRebuildLease(config);
    if (!('lease' in taken)) throw new Error(taken.refused);
    expect(await leases.holder(PROJECTIONS_LEASE)).toMatch(/^cli-rebuild@/);
    expect(await leases.acquire(PROJECTIONS_LEASE, 'app-host:4242:0a1b2c3d', 15_000)).toBe(false);
    await taken.lease.release();
    await taken.lease.release();
    expect(await leases.holder(PROJECTIONS_LEASE)).toBeNull();
  });

  it('refuses while another rebuild holds the lease, naming it', async () => {
    await leases.acquire(PROJECTIONS_LEASE, 'cli-rebuild@ops-host:77:0a1b2c3d', 60_000);
    expect(await takeRebuildLease(config)).toEqual({
      refused: expect.stringMatching(
        /^refused: another rebuild \(ops-host:77:0a1b2c3d\) holds the projections lease .*wait for it to end$/,
      ),
    });
  });

  it('takes a lease that ran out (an app killed without releasing it)', async () => {
    await leases.acquire(PROJECTIONS_LEASE, 'app-host:4242:0a1b2c3d', 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const taken = await takeRebuildLease(config);
    expect('lease' in taken).toBe(true);
    if ('lease' in taken) await taken.lease.release();
  });
});
