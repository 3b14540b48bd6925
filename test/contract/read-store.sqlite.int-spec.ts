import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from '@jest/globals';
import { SqliteReadStore } from '../../src/platform/read-store/sqlite/sqlite-read-store.js';
import { describeReadStoreContract } from './read-store.contract.js';

const dir = mkdtempSync(join(tmpdir(), 'ls-read-contract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeReadStoreContract(
  'sqlite',
  async () => new SqliteReadStore({ file: join(dir, 'read-models.sqlite') }),
);
