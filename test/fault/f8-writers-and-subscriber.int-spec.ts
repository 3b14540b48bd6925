import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import DatabaseConstructor from 'better-sqlite3';
import { afterAll, describe, expect, it } from '@jest/globals';
import { SqliteEventStore } from '../../src/platform/event-store/sqlite/sqlite-event-store.js';
import { startTsChild } from '../support/processes.js';

const WRITERS = 4;
const APPENDS_PER_WRITER = 600;
const dir = mkdtempSync(join(tmpdir(), 'ls-f8-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('F8: several writer processes while a subscriber follows $all', () => {
  it('shows the subscriber every position exactly once, in order', async () => {
    const file = join(dir, 'events.sqlite');
    const store = new SqliteEventStore({ file, pollIntervalMs: 5 });
    const seen: bigint[] = [];
    const writersDone = { value: false };
    let total = 0;
    const subscription = store.subscribeToAll({ fromPosition: 'start' });
    const following = (async () => {
      for await (const event of subscription) {
        seen.push(event.position);
        if (writersDone.value && seen.length >= total) break;
      }
    })();

    const writers = Array.from({ length: WRITERS }, (_, i) =>
      startTsChild('test/fault/children/writer.ts', [file, `w${i}`, '4', String(APPENDS_PER_WRITER), '8']),
    );
    for (const writer of writers) await writer.waitForLine((line) => line === 'done', 120_000);
    const liveBeforeEnd = seen.length;

    const raw = new DatabaseConstructor(file, { readonly: true });
    const stored = raw.prepare<[], number>('SELECT position FROM events ORDER BY position').pluck(true).all();
    raw.close();
    total = stored.length;
    writersDone.value = true;
    // Caught up already: no event is coming to let the loop see that it is done.
    if (seen.length >= total) await subscription.stop();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      following,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`saw ${seen.length} of ${total}`)), 30_000);
      }),
    ]).finally(() => clearTimeout(timer));
    await subscription.stop();
    await store.close();

    const duplicates = seen.length - new Set(seen).size;
    const outOfOrder = seen.filter((position, i) => i > 0 && position <= seen[i - 1]!).length;
    const missing = stored.filter((position) => !seen.includes(BigInt(position))).length;
    console.info(
      `F8: ${WRITERS} writer processes, ${total} events; subscriber saw ${seen.length} ` +
        `(${liveBeforeEnd} while writers ran), ${missing} missing, ${duplicates} twice, ${outOfOrder} out of order`,
    );
    expect(seen.map(Number)).toEqual(stored);
    expect(liveBeforeEnd).toBeGreaterThan(0);
  }, 300_000);
});
