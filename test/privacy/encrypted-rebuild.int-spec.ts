import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import DatabaseConstructor from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  PROJECTIONS,
  signalDetailOf,
  type SignalDetailDocument,
  type SignalInboxDocument,
} from '../../projections/index.js';
import { ERASED_TEXT } from '../../workflows/signal-lifecycle/fields.js';
import { seedDemoData } from '../../src/demo/seed-demo-data.js';
import { SqliteEventStore } from '../../src/platform/event-store/sqlite/sqlite-event-store.js';
import { ProjectionRunner } from '../../src/platform/projections/projection-runner.js';
import { SqliteReadStore } from '../../src/platform/read-store/sqlite/sqlite-read-store.js';
import { EncryptingEventStore } from '../../src/privacy/encrypting-event-store.js';
import { isEncrypted } from '../../src/privacy/field-cipher.js';
import { openSignalText } from '../../src/privacy/sealed-text.js';
import { signalStream } from '../../src/signals/signal.events.js';
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

  it('in lanes, without the keys, gives the read models of one runner; they keep the text sealed, and a query opens it', async () => {
    const single = join(dir, 'single.sqlite');
    const stored = new SqliteEventStore({ file: eventsFile });
    const reads = new SqliteReadStore({ file: single });
    const runner = new ProjectionRunner(stored, reads, PROJECTIONS, { batchSize: 200 });
    await runner.start();
    await runner.whenCaughtUp();
    await runner.stop();
    await reads.close();
    await stored.close();

    const laned = join(dir, 'laned.sqlite');
    const { lanes } = await catchUpInLanes(
      {
        eventStore: { kind: 'sqlite', file: eventsFile, synchronous: 'NORMAL' },
        readStore: { kind: 'sqlite', file: laned },
      },
      PROJECTIONS,
      { lanes: 2, batchSize: 200 },
    );
    expect(lanes).toHaveLength(2);
    expect(readModelHash(laned)).toBe(readModelHash(single));

    // Every title and description the read models keep is ciphertext (or "[gewist]").
    const db = new DatabaseConstructor(laned, { readonly: true });
    const documentsOf = <D>(readModel: string): D[] => {
      const table = db
        .prepare<[], string>(
          `SELECT name FROM sqlite_master WHERE type = 'table' AND name GLOB 'rm_${readModel}_v[0-9]*' AND name NOT GLOB '*[^0-9]'`,
        )
        .pluck(true)
        .get()!;
      return db
        .prepare<[], string>(`SELECT doc FROM ${table}`)
        .pluck(true)
        .all()
        .map((doc) => JSON.parse(doc) as D);
    };
    // A signal's page: its inbox document and its signal-detail document together.
    const details = new Map(
      documentsOf<SignalDetailDocument>('signal_detail').map((doc) => [doc.signalId, doc]),
    );
    expect(details.size).toBe(300);
    const docs = documentsOf<SignalInboxDocument>('signal_inbox').map((summary) =>
      signalDetailOf(summary, details.get(summary.signalId) ?? null),
    );
    db.close();
    expect(docs.length).toBe(300);
    const isSealed = (text: string | null) => text === null || text === ERASED_TEXT || isEncrypted(text);
    expect(docs.filter((doc) => !isSealed(doc.title) || !isSealed(doc.description))).toEqual([]);
    expect(docs.filter((doc) => isEncrypted(doc.description)).length).toBeGreaterThan(250);

    // Opened with the keys, each is the text its signal's events carry now.
    const keys = new SqliteKeyStore({ file: keysFile });
    const store = new EncryptingEventStore(new SqliteEventStore({ file: eventsFile }), keys);
    try {
      for (const doc of docs) {
        const opened = await openSignalText(store, doc);
        const current: Record<string, string> = {};
        for await (const event of store.readStream(signalStream(doc.tenantId, doc.signalId))) {
          for (const field of ['title', 'description'])
            if (typeof event.data[field] === 'string') current[field] = event.data[field];
        }
        const expected = doc.erased ? ERASED_TEXT : current['title'];
        expect({ id: doc.signalId, title: opened.title }).toEqual({ id: doc.signalId, title: expected });
        if (!doc.erased) expect(opened.description).toBe(current['description']);
      }
      // A destroyed key erases at once, before any projection has applied the erasure.
      const live = docs.find((doc) => !doc.erased && isEncrypted(doc.title))!;
      const [key] = await keys.keysOf({ tenantId: live.tenantId, signalId: live.signalId });
      await keys.destroy([key!.keyId]);
      store.forget([key!.keyId]);
      expect((await openSignalText(store, live)).title).toBe(ERASED_TEXT);
    } finally {
      await store.close();
      await keys.close();
    }
  }, 120_000);
});
