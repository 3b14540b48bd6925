import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from '@jest/globals';
import { SqliteEventStore } from '../../src/platform/event-store/sqlite/sqlite-event-store.js';
import { describeEventStoreContract } from './event-store.contract.js';

const dir = mkdtempSync(join(tmpdir(), 'ls-contract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeEventStoreContract(
  'sqlite (file, synchronous=FULL)',
  async () => new SqliteEventStore({ file: join(dir, 'events.sqlite') }),
);
describeEventStoreContract('sqlite (in memory)', async () => new SqliteEventStore({ file: ':memory:' }));
