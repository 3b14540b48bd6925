import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import type { LeaseStore } from '../../src/platform/lease/lease-store.port.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * What every LeaseStore must do. Leases run out on the store's own clock (Redis's, the machine's
 * for SQLite), so the expiry tests wait a little past a short lease. Each test uses lease names
 * of its own, so the suite can run against a shared server.
 */
export function describeLeaseStoreContract(adapterName: string, create: () => Promise<LeaseStore>): void {
  describe(`LeaseStore contract: ${adapterName}`, () => {
    let store: LeaseStore;
    beforeAll(async () => {
      store = await create();
    });
    afterAll(async () => {
      await store.close();
    });
    const aName = () => `test-${randomBytes(6).toString('hex')}`;

    it('gives a free lease to the first holder that asks, and to nobody else while it runs', async () => {
      const name = aName();
      expect(await store.holder(name)).toBeNull();
      expect(await store.acquire(name, 'a', 10_000)).toBe(true);
      expect(await store.acquire(name, 'b', 10_000)).toBe(false);
      expect(await store.holder(name)).toBe('a');
    });

    it('extends the holder’s own lease', async () => {
      const name = aName();
      expect(await store.acquire(name, 'a', 1000)).toBe(true);
      await sleep(600);
      expect(await store.acquire(name, 'a', 1000)).toBe(true);
      await sleep(600);
      // At least 1,200 ms after the first take, so past its 1,000: still held, thanks to the
      // extension, which runs 400 ms longer. (With 300 ms leases and 200 ms waits, a full CI
      // machine once slept 100 ms too long, and the extension had run out before the check.)
      expect(await store.acquire(name, 'b', 1000)).toBe(false);
      expect(await store.holder(name)).toBe('a');
    });

    it('lets another holder take a lease that ran out', async () => {
      const name = aName();
      expect(await store.acquire(name, 'a', 100)).toBe(true);
      await sleep(250);
      expect(await store.holder(name)).toBeNull();
      expect(await store.acquire(name, 'b', 10_000)).toBe(true);
      expect(await store.holder(name)).toBe('b');
      expect(await store.acquire(name, 'a', 10_000)).toBe(false);
    });

    it('releases only the holder’s own lease', async () => {
      const name = aName();
      expect(await store.acquire(name, 'a', 10_000)).toBe(true);
      await store.release(name, 'b');
      expect(await store.holder(name)).toBe('a');
      await store.release(name, 'a');
      expect(await store.holder(name)).toBeNull();
      expect(await store.acquire(name, 'b', 10_000)).toBe(true);
      await store.release(aName(), 'a'); // a lease nobody holds: nothing happens
    });

    it('keeps leases of different names apart', async () => {
      const [one, two] = [aName(), aName()];
      expect(await store.acquire(one, 'a', 10_000)).toBe(true);
      expect(await store.acquire(two, 'b', 10_000)).toBe(true);
      expect([await store.holder(one), await store.holder(two)]).toEqual(['a', 'b']);
    });

    it('gives a lease to exactly one of many holders asking at once', async () => {
      const name = aName();
      const holders = Array.from({ length: 20 }, (_, i) => `h${i}`);
      const answers = await Promise.all(holders.map((holder) => store.acquire(name, holder, 10_000)));
      expect(answers.filter(Boolean)).toHaveLength(1);
      expect(await store.holder(name)).toBe(holders[answers.indexOf(true)]);
    });

    it('refuses an empty name or holder and a time that is no whole number of ms above 0', async () => {
      for (const [name, holder, ttl] of [
        ['', 'a', 1000],
        [aName(), '', 1000],
        [aName(), 'a', 0],
        [aName(), 'a', 1.5],
        [aName(), 'a', Number.NaN],
      ] as const) {
        await expect(store.acquire(name, holder, ttl)).rejects.toMatchObject({
          code: 'INVALID_LEASE_ARGUMENT',
        });
      }
    });
  });
}
