import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from '@jest/globals';
import { SqliteIdentityStore } from '../../src/people/sqlite-identity-store.js';
import { describeIdentityStoreContract } from './identity-store.contract.js';

const dir = mkdtempSync(join(tmpdir(), 'ls-identity-contract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeIdentityStoreContract('sqlite', async () => new SqliteIdentityStore(join(dir, 'identity.sqlite')));
