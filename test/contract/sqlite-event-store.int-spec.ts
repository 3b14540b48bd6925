import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import DatabaseConstructor from 'better-sqlite3';
import { afterAll, describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '../../src/platform/event-store/event-store.port.js';
import { GENESIS_HASH, recomputeHash, recordedLink } from '../../src/platform/event-store/hash-chain.js';
import { verifyStore } from '../../src/audit/verify-store.js';
import { sealUnsealedEvents } from '../../src/platform/event-store/sqlite/schema.js';
import { SqliteEventStore } from '../../src/platform/event-store/sqlite/sqlite-event-store.js';
import { WalSync } from '../../src/platform/event-store/sqlite/wal-sync.js';
import { streamName } from '../../src/platform/event-store/stream-name.js';
import { uuidv7 } from '../../src/platform/ids.js';
import { aMetadata, anEvent, collect, uniqueCategory } from '../support/events.js';

/** The events table of schema version 1, before the hash chain. */
const V1_DDL = `
CREATE TABLE events (
  position INTEGER PRIMARY KEY, id TEXT NOT NULL, stream TEXT NOT NULL, revision INTEGER NOT NULL,
  category TEXT NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL,
  recorded_at INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX events_by_id ON events (id);
CREATE UNIQUE INDEX events_by_stream ON events (stream, revision);
CREATE INDEX events_by_category ON events (category, position);
CREATE INDEX events_by_type ON events (type, position);
PRAGMA user_version = 1;
`;

/** SQLite's plan for a query, one step a line. */
function queryPlan(db: InstanceType<typeof DatabaseConstructor>, sql: string): string {
  return db
    .prepare<[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
    .all()
    .map((row) => row.detail)
    .join('\n');
}

function expectIntactChain(events: readonly RecordedEvent[]): void {
  let previous = GENESIS_HASH;
  for (const event of events) {
    const link = recordedLink(event.metadata)!;
    expect(link.previousHash).toBe(previous);
    expect(recomputeHash(event, previous)).toBe(link.hash);
    previous = link.hash;
  }
}

const dir = mkdtempSync(join(tmpdir(), 'ls-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileNumber = 0;
const newFile = () => join(dir, `events-${++fileNumber}.sqlite`);

describe('SqliteEventStore specifics', () => {
  it('commits appends that arrive together in one transaction (group commit)', async () => {
    const store = new SqliteEventStore({ file: newFile() });
    const category = uniqueCategory();
    const before = store.stats();
    await Promise.all(
      Array.from({ length: 64 }, () =>
        store.append(streamName(category, uuidv7()), [anEvent()], { expectedRevision: 'no-stream' }),
      ),
    );
    const after = store.stats();
    expect(after.appends - before.appends).toBe(64);
    expect(after.commits - before.commits).toBe(1);
    await store.close();
  });

  it('keeps per-stream revision checks inside one group commit', async () => {
    const store = new SqliteEventStore({ file: newFile() });
    const stream = streamName(uniqueCategory(), uuidv7());
    const outcomes = await Promise.allSettled([
      store.append(stream, [anEvent('A')], { expectedRevision: 'no-stream' }),
      store.append(stream, [anEvent('B')], { expectedRevision: 'no-stream' }),
      store.append(stream, [anEvent('C')], { expectedRevision: 0n }),
      store.append(stream, [anEvent('D')], { expectedRevision: 0n }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected']);
    expect((await collect(store.readStream(stream))).map((e) => e.type)).toEqual(['A', 'C']);
    expect(store.stats().commits).toBe(1);
    await store.close();
  });

  it('lets a subscriber follow commits made by another connection to the same file', async () => {
    const file = newFile();
    const reader = new SqliteEventStore({ file, pollIntervalMs: 10 });
    const writer = new SqliteEventStore({ file });
    const category = uniqueCategory();
    const subscription = reader.subscribeToAll({ fromPosition: 'start', filter: { categories: [category] } });
    const seen: RecordedEvent[] = [];
    const done = (async () => {
      for await (const event of subscription) {
        seen.push(event);
        if (seen.length === 3) break;
      }
    })();
    const stream = streamName(category, uuidv7());
    await writer.append(stream, [anEvent('A')], { expectedRevision: 'no-stream' });
    await new Promise((resolve) => setTimeout(resolve, 30));
    await writer.append(stream, [anEvent('B'), anEvent('C')], { expectedRevision: 0n });
    await done;
    expect(seen.map((e) => e.type)).toEqual(['A', 'B', 'C']);
    await reader.close();
    await writer.close();
  });

  it('hands out the events of a page it has read at once (takeReady), in order with its iterator', async () => {
    const store = new SqliteEventStore({ file: newFile(), subscriptionPageSize: 4, pollIntervalMs: 10 });
    const category = uniqueCategory();
    const stream = streamName(category, uuidv7());
    const types = ['A', 'B', 'C', 'D', 'E', 'F', 'G'];
    await store.append(
      stream,
      types.map((type) => anEvent(type)),
      { expectedRevision: 'no-stream' },
    );
    const subscription = store.subscribeToAll({ fromPosition: 'start', filter: { categories: [category] } });
    const iterator = subscription[Symbol.asyncIterator]();
    const seen: string[] = [];
    const take = (max: number) => seen.push(...subscription.takeReady!(max).map((event) => event.type));
    // The first page is A–D: A from the iterator, then two of the rest, then the rest of the page.
    seen.push((await iterator.next()).value.type);
    take(2);
    take(10);
    expect(seen).toEqual(['A', 'B', 'C', 'D']);
    // Nothing read beyond the page yet: the iterator reads the next one (E–G).
    take(10);
    seen.push((await iterator.next()).value.type);
    take(1);
    seen.push((await iterator.next()).value.type);
    take(10);
    expect(seen).toEqual(types);
    // Live: a later append comes through the iterator, and nothing is waiting after it.
    const later = iterator.next();
    await store.append(stream, [anEvent('H')], { expectedRevision: 6n });
    expect((await later).value.type).toBe('H');
    expect(subscription.takeReady!(10)).toEqual([]);
    await subscription.stop();
    expect(subscription.takeReady!(10)).toEqual([]);
    await store.close();
  });

  it('commits queued appends on close and keeps them across a reopen', async () => {
    const file = newFile();
    const store = new SqliteEventStore({ file });
    const stream = streamName(uniqueCategory(), uuidv7());
    const pending = store.append(stream, [anEvent('A'), anEvent('B')], { expectedRevision: 'no-stream' });
    await store.close();
    await expect(pending).resolves.toMatchObject({ nextRevision: 1n });
    await expect(store.append(stream, [anEvent()], { expectedRevision: 'any' })).rejects.toMatchObject({
      code: 'EVENT_STORE_CLOSED',
    });

    const reopened = new SqliteEventStore({ file });
    expect((await collect(reopened.readStream(stream))).map((e) => e.type)).toEqual(['A', 'B']);
    expect((await reopened.health()).ok).toBe(true);
    await reopened.close();
    expect((await reopened.health()).ok).toBe(false);
  });

  it('ends live subscriptions when the store closes', async () => {
    const store = new SqliteEventStore({ file: newFile() });
    const subscription = store.subscribeToAll({ fromPosition: 'end' });
    const done = collect(subscription);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await store.close();
    await expect(done).resolves.toEqual([]);
  });

  it('refuses a file written by a newer schema version', async () => {
    const file = newFile();
    const raw = new DatabaseConstructor(file);
    raw.pragma('user_version = 99');
    raw.close();
    expect(() => new SqliteEventStore({ file })).toThrow(/schema version 99/);
  });

  it('seals the events of a schema 1 file when it opens it, stream by stream, and goes on from there', async () => {
    const file = newFile();
    const raw = new DatabaseConstructor(file);
    raw.exec(V1_DDL);
    const insert = raw.prepare(
      'INSERT INTO events (id, stream, revision, category, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    // Interleaved streams: sealing follows each stream in revision order, not the global order.
    for (let i = 0; i < 12; i++) {
      const stream = `legacy-${i % 3}`;
      insert.run(
        uuidv7(),
        stream,
        Math.floor(i / 3),
        'legacy',
        'Old',
        JSON.stringify({ i }),
        JSON.stringify(aMetadata()),
        1,
      );
    }
    raw.close();

    const store = new SqliteEventStore({ file });
    for (let s = 0; s < 3; s++) {
      const events = await collect(store.readStream(`legacy-${s}`));
      expect(events.map((e) => e.data['i'])).toEqual([s, s + 3, s + 6, s + 9]);
      expectIntactChain(events);
    }
    await store.append('legacy-0', [anEvent('New')], { expectedRevision: 3n });
    expectIntactChain(await collect(store.readStream('legacy-0')));
    await store.close();

    const check = new DatabaseConstructor(file, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(3);
    const rows = check
      .prepare<[], { hash: string | null; metadata: string }>('SELECT hash, metadata FROM events')
      .all();
    expect(rows).toHaveLength(13);
    for (const row of rows) expect(row.hash).toBe(JSON.parse(row.metadata).hash);
    check.close();
  });

  it('indexes the tenants of a schema 2 file when it opens it, in position order for a tenant selection', async () => {
    const file = newFile();
    const first = new SqliteEventStore({ file });
    const tenants = ['gent', 'berlaar', 'gent', 'kortrijk', 'berlaar'];
    for (const [i, tenantId] of tenants.entries())
      await first.append(`legacy-${i}`, [{ ...anEvent('Old', { i }), metadata: aMetadata({ tenantId }) }], {
        expectedRevision: 'no-stream',
      });
    await first.close();
    const raw = new DatabaseConstructor(file);
    raw.exec('DROP INDEX events_by_tenant');
    raw.pragma('user_version = 2');
    raw.close();

    const store = new SqliteEventStore({ file });
    const take = async (count: number) => {
      const subscription = store.subscribeToAll({ tenants: { tenants: ['berlaar', 'kortrijk'] } });
      const seen: unknown[] = [];
      for await (const event of subscription) {
        seen.push(event.data['i']);
        if (seen.length === count) break;
      }
      await subscription.stop();
      return seen;
    };
    expect(await take(3)).toEqual([1, 3, 4]);
    await store.close();

    const check = new DatabaseConstructor(file, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(3);
    const plan = queryPlan(
      check,
      "SELECT * FROM events INDEXED BY events_by_tenant WHERE position > 0 AND json_extract(metadata, '$.tenantId') IN ('gent') ORDER BY position",
    );
    // The selection walks the index in position order: no sort of what it found.
    expect(plan).toMatch(/USING INDEX events_by_tenant/);
    expect(plan).not.toMatch(/TEMP B-TREE/);
    check.close();
  });

  it('tells the tenant at or after each position from the tenant index alone, as readAll would', async () => {
    const file = newFile();
    const first = new SqliteEventStore({ file });
    for (const [i, tenantId] of ['gent', 'berlaar', 'eeklo', 'kortrijk'].entries())
      await first.append(
        `sample-${i}`,
        [{ ...anEvent('Sampled', { i }), metadata: aMetadata({ tenantId }) }],
        {
          expectedRevision: 'no-stream',
        },
      );
    await first.close();
    // An event of no tenant (a log from before tenants): only by hand now.
    const raw = new DatabaseConstructor(file);
    raw.exec("UPDATE events SET metadata = json_remove(metadata, '$.tenantId') WHERE position = 3");
    raw.close();
    const store = new SqliteEventStore({ file });
    const positions = [0n, 1n, 2n, 3n, 4n, 5n, 99n];
    const viaReadAll: Array<string | null> = [];
    for (const position of positions) {
      const [event] = await collect(store.readAll({ fromPosition: position, limit: 1 }));
      viaReadAll.push(typeof event?.metadata.tenantId === 'string' ? event.metadata.tenantId : null);
    }
    expect(await store.tenantsFrom(positions)).toEqual([
      'gent',
      'gent',
      'berlaar',
      null,
      'kortrijk',
      null,
      null,
    ]);
    expect(await store.tenantsFrom(positions)).toEqual(viaReadAll);
    await expect(store.tenantsFrom([-1n])).rejects.toThrow('a position is a bigint');
    // The look-up reads the index only: no row of the table.
    const check = new DatabaseConstructor(file, { readonly: true });
    expect(
      queryPlan(
        check,
        "SELECT json_extract(metadata, '$.tenantId') FROM events INDEXED BY events_by_tenant WHERE position >= 1 ORDER BY position LIMIT 1",
      ),
    ).toMatch(/COVERING INDEX events_by_tenant/);
    check.close();
    await store.close();
    await expect(store.tenantsFrom([1n])).rejects.toThrow();
  });

  it('seals the same chain whatever the page size', () => {
    const hashes = [5000, 2, 1].map((pageSize) => {
      const db = new DatabaseConstructor(':memory:');
      db.exec(V1_DDL.replace('PRAGMA user_version = 1;', ''));
      db.exec('ALTER TABLE events ADD COLUMN hash TEXT');
      for (let i = 0; i < 7; i++) {
        db.prepare(
          "INSERT INTO events (id, stream, revision, category, type, data, metadata, recorded_at) VALUES (?, ?, ?, 'x', 'Old', '{}', ?, 1)",
        ).run(`id-${i}`, `x-${i % 2}`, Math.floor(i / 2), JSON.stringify(aMetadata()));
      }
      expect(sealUnsealedEvents(db, pageSize)).toBe(7);
      const rows = db.prepare<[], string>('SELECT hash FROM events ORDER BY position').pluck(true).all();
      db.close();
      return rows;
    });
    expect(new Set(hashes[0]).size).toBe(7);
    expect(hashes[1]).toEqual(hashes[0]);
    expect(hashes[2]).toEqual(hashes[0]);
  });

  it('starts a new chain after a last event that was written around the store, unsealed', async () => {
    const file = newFile();
    const store = new SqliteEventStore({ file });
    const stream = streamName(uniqueCategory(), uuidv7());
    await store.append(stream, [anEvent('A')], { expectedRevision: 'no-stream' });
    const raw = new DatabaseConstructor(file);
    raw
      .prepare(
        "INSERT INTO events (id, stream, revision, category, type, data, metadata, recorded_at) VALUES (?, ?, 1, 'x', 'Raw', '{}', ?, 0)",
      )
      .run(uuidv7(), stream, JSON.stringify(aMetadata()));
    raw.close();
    await store.append(stream, [anEvent('B')], { expectedRevision: 1n });
    const [, unsealed, after] = await collect(store.readStream(stream));
    expect(recordedLink(unsealed!.metadata)).toBeNull();
    expect(recordedLink(after!.metadata)?.previousHash).toBe(GENESIS_HASH);
    await store.close();
  });

  it('hands out the stored text, and the verifier finds the same with it as without it', async () => {
    const file = newFile();
    const store = new SqliteEventStore({ file });
    const category = uniqueCategory();
    const streams = [streamName(category, uuidv7()), streamName(category, uuidv7())];
    for (const stream of streams) {
      await store.append(stream, [anEvent('A', { b: 1, a: [2, { y: 'é', x: null }] }), anEvent('B')], {
        expectedRevision: 'no-stream',
      });
    }
    const raw = new DatabaseConstructor(file);
    // Equal content in another form (spaces): no violation; another value: a hash mismatch.
    raw
      .prepare(
        'UPDATE events SET data = \' { "a" : [2, {"x":null,"y":"é"}], "b": 1 }\' WHERE stream = ? AND revision = 0',
      )
      .run(streams[0]);
    raw
      .prepare("UPDATE events SET data = json_set(data, '$.b', 2) WHERE stream = ? AND revision = 0")
      .run(streams[1]);
    raw.close();

    const withText = await collect(store.readAllWithText({ filter: { categories: [category] } }));
    const plain = await collect(store.readAll({ filter: { categories: [category] } }));
    expect(withText.map(({ text: _text, ...event }) => ({ ...event, data: event.data }))).toEqual(plain);
    for (const event of withText) {
      expect(JSON.parse(event.text.metadata)).toEqual(event.metadata);
      expect(event.text.metadata.endsWith(`"hash":"${recordedLink(event.metadata)!.hash}"}`)).toBe(true);
    }
    const reports = await Promise.all([true, false].map((storedText) => verifyStore(store, { storedText })));
    expect(reports[0]!.violations).toEqual([
      {
        stream: streams[1],
        revision: 0,
        position: expect.any(String),
        kind: 'hash-mismatch',
        detail: expect.any(String),
      },
    ]);
    expect(reports[1]!.violations).toEqual(reports[0]!.violations);
    await store.close();
  });

  it('at FULL acknowledges an append only after an fdatasync of the log that started after its commit', async () => {
    const file = newFile();
    const store = new SqliteEventStore({ file });
    const walSync = (store as unknown as { walSync: WalSync }).walSync;
    expect(walSync).toBeInstanceOf(WalSync);
    // Hold the syncs: the commit is in the file, the append still waits.
    const release: Array<() => void> = [];
    const realDatasync = (walSync as unknown as { datasync: () => Promise<void> }).datasync.bind(walSync);
    (walSync as unknown as { datasync: () => Promise<void> }).datasync = () =>
      new Promise<void>((resolve, reject) => release.push(() => realDatasync().then(resolve, reject)));
    const stream = streamName(uniqueCategory(), uuidv7());
    let acknowledged = false;
    const appended = store
      .append(stream, [anEvent('A')], { expectedRevision: 'no-stream' })
      .then(() => (acknowledged = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const raw = new DatabaseConstructor(file, { readonly: true });
    expect(raw.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 1 });
    raw.close();
    expect(acknowledged).toBe(false);
    expect(release).toHaveLength(1);
    release.shift()!();
    await appended;
    expect(acknowledged).toBe(true);
    expect(store.stats().syncs).toBe(1);
    expect((await store.health()).detail).toContain('1 fsyncs off the event loop');
    await store.close();
  });

  it('keeps SQLite syncing by itself at other levels', async () => {
    const store = new SqliteEventStore({ file: newFile(), synchronous: 'NORMAL' });
    await store.append(streamName(uniqueCategory(), uuidv7()), [anEvent()], {
      expectedRevision: 'no-stream',
    });
    expect(store.stats().syncs).toBeNull();
    await store.close();
  });

  it('opens the file in WAL mode', async () => {
    const file = newFile();
    const store = new SqliteEventStore({ file, synchronous: 'NORMAL' });
    const raw = new DatabaseConstructor(file, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
    await store.close();
  });
});
