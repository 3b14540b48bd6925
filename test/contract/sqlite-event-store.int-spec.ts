import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import DatabaseConstructor from 'better-sqlite3';
import { afterAll, describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '../../src/platform/event-store/event-store.port.js';
import { SqliteEventStore } from '../../src/platform/event-store/sqlite/sqlite-event-store.js';
import { streamName } from '../../src/platform/event-store/stream-name.js';
import { uuidv7 } from '../../src/platform/ids.js';
import { anEvent, collect, uniqueCategory } from '../support/events.js';

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

  it('opens the file in WAL mode', async () => {
    const file = newFile();
    const store = new SqliteEventStore({ file, synchronous: 'NORMAL' });
    const raw = new DatabaseConstructor(file, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
    await store.close();
  });
});
