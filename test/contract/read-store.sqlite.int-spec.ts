import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from '@jest/globals';
import Database from 'better-sqlite3';
import { SqliteReadStore } from '../../src/platform/read-store/sqlite/sqlite-read-store.js';
import { describeReadStoreContract } from './read-store.contract.js';

const dir = mkdtempSync(join(tmpdir(), 'ls-read-contract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeReadStoreContract(
  'sqlite',
  async () => new SqliteReadStore({ file: join(dir, 'read-models.sqlite') }),
  async (spec) => {
    // The collection's table and its lists' side tables; the primary keys' indexes have no SQL.
    const table = `rm_${spec.name.replace(/-/g, '_')}_v${spec.version}`;
    const db = new Database(join(dir, 'read-models.sqlite'), { readonly: true });
    try {
      return db
        .prepare<[string, string], string>(
          "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND (tbl_name = ? OR tbl_name LIKE ? ESCAPE '!')",
        )
        .pluck(true)
        .all(table, `${table.replace(/_/g, '!_')}!_!_%`);
    } finally {
      db.close();
    }
  },
);
