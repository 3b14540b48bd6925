import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import DatabaseConstructor from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PROJECTIONS } from '../../projections/index.js';
import { seedDemoData } from '../../src/demo/seed-demo-data.js';
import { SqliteEventStore } from '../../src/platform/event-store/sqlite/sqlite-event-store.js';
import { ProjectionRunner } from '../../src/platform/projections/projection-runner.js';
import { SqliteReadStore } from '../../src/platform/read-store/sqlite/sqlite-read-store.js';
import { EncryptingEventStore } from '../../src/privacy/encrypting-event-store.js';
import { SqliteKeyStore } from '../../src/privacy/key-store/sqlite-key-store.js';
import { catchUpInLanes } from '../../src/read-models/rebuild-lanes.js';
import { readModelHash } from '../support/read-model-hash.js';

const dir = mkdtempSync(join(tmpdir(), 'ls-encrypted-rebuild-'));
const eventsFile = join(dir, 'events.sqlite');
const keysFile = join(dir, 'keys.sqlite');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a rebuild of encrypted events (as the app writes them)', () => {
  beforeAll(async () => {
    // The demo data as the app writes it: each signal's free text under the signal's key.
    const keys = new SqliteKeyStore({ file: keysFile });
    const store = new EncryptingEventStore(
      new SqliteEventStore({ file: eventsFile, synchronous: 'NORMAL' }),
      keys,
    );
    const summary = await seedDemoData(store, { tenants: 3, signals: 300, seed: 11 });
    expect(summary.failureCount).toBe(0);
    await store.close();
    await keys.close();
  }, 120_000);

  it('in lanes (the CLI: each lane opens the text with the key store) gives the read models of one runner, with the text', async () => {
    const single = join(dir, 'single.sqlite');
    const keys = new SqliteKeyStore({ file: keysFile, readOnly: true });
    const store = new EncryptingEventStore(new SqliteEventStore({ file: eventsFile }), keys);
    const reads = new SqliteReadStore({ file: single });
    const runner = new ProjectionRunner(store, reads, PROJECTIONS, { batchSize: 200 });
    await runner.start();
    await runner.whenCaughtUp();
    await runner.stop();
    await reads.close();
    await store.close();
    await keys.close();

    const laned = join(dir, 'laned.sqlite');
    const { lanes } = await catchUpInLanes(
      {
        eventStore: { kind: 'sqlite', file: eventsFile, synchronous: 'NORMAL' },
        readStore: { kind: 'sqlite', file: laned },
        keyStore: { kind: 'sqlite', file: keysFile, synchronous: 'NORMAL' },
      },
      PROJECTIONS,
      { lanes: 2, batchSize: 200 },
    );
    expect(lanes).toHaveLength(2);
    expect(readModelHash(laned)).toBe(readModelHash(single));
    // The titles and descriptions are plaintext in the read models; no ciphertext anywhere.
    const db = new DatabaseConstructor(laned, { readonly: true });
    const tables = db
      .prepare<[], string>(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'rm\\_%' ESCAPE '\\' AND name GLOB '*_v[0-9]*' AND name NOT GLOB '*[^0-9]'",
      )
      .pluck(true)
      .all();
    const count = (sql: string) => db.prepare<[], number>(sql).pluck(true).get()!;
    const ciphertext = tables.reduce(
      (sum, table) => sum + count(`SELECT count(*) FROM ${table} WHERE doc LIKE '%$enc:%'`),
      0,
    );
    const detail = tables.find((table) => table.startsWith('rm_signal_detail_'))!;
    const described = count(
      `SELECT count(*) FROM ${detail} WHERE json_extract(doc, '$.description') LIKE '% %'`,
    );
    db.close();
    expect(ciphertext).toBe(0);
    expect(described).toBeGreaterThan(100);
  }, 120_000);
});
