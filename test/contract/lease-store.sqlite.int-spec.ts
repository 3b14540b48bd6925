import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteLeaseStore } from '../../src/platform/lease/sqlite-lease-store.js';
import { describeLeaseStoreContract } from './lease-store.contract.js';

const dir = mkdtempSync(join(tmpdir(), 'leases-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeLeaseStoreContract(
  'SQLite',
  async () => new SqliteLeaseStore({ file: join(dir, 'contract.sqlite') }),
);

describe('SqliteLeaseStore across connections (as across processes sharing DATA_DIR)', () => {
  it('gives the lease to one connection of several asking at once, and to another once it is released', async () => {
    const file = join(dir, 'shared.sqlite');
    const stores = Array.from({ length: 4 }, () => new SqliteLeaseStore({ file }));
    try {
      const answers = await Promise.all(
        stores.map((store, i) => store.acquire('processes', `i${i}`, 10_000)),
      );
      expect(answers.filter(Boolean)).toHaveLength(1);
      const winner = answers.indexOf(true);
      await stores[winner]!.release('processes', `i${winner}`);
      const next = (winner + 1) % stores.length;
      expect(await stores[next]!.acquire('processes', `i${next}`, 10_000)).toBe(true);
      expect(await stores[winner]!.holder('processes')).toBe(`i${next}`);
    } finally {
      for (const store of stores) await store.close();
    }
  });
});
