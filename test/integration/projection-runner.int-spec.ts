import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { collectionOf, type Projection } from '../../projections/projection.js';
import type { RecordedEvent } from '../../src/platform/event-store/event-store.port.js';
import { SqliteEventStore } from '../../src/platform/event-store/sqlite/sqlite-event-store.js';
import { streamName } from '../../src/platform/event-store/stream-name.js';
import type { JsonObject } from '../../src/platform/json.js';
import { ProjectionRunner } from '../../src/platform/projections/projection-runner.js';
import type { CollectionSpec, ProjectionBatch } from '../../src/platform/read-store/read-store.port.js';
import { SqliteReadStore } from '../../src/platform/read-store/sqlite/sqlite-read-store.js';
import { anEvent } from '../support/events.js';

const dir = mkdtempSync(join(tmpdir(), 'ls-runner-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const files = () => ({ events: join(dir, `events-${++n}.sqlite`), reads: join(dir, `reads-${n}.sqlite`) });

type Counter = { stream: string; count: number; total: number };
function counter(version = 1, poison = false): Projection<Counter> {
  return {
    name: 'counter',
    schemaVersion: version,
    handles: ['Counted', 'Poison'],
    indexes: [{ field: 'count', type: 'number' }],
    documentId: (event: RecordedEvent) => event.stream,
    evolve(doc, event) {
      if (event.type === 'Poison' && poison) throw new Error(`cannot count ${event.type}`);
      const n_ = (event.data['n'] as number) * version;
      return { stream: event.stream, count: (doc?.count ?? 0) + 1, total: (doc?.total ?? 0) + n_ };
    },
  };
}

async function until(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Fresh stores: stream count-a with two Counted events (n 1 and 2), and an empty read store. */
async function twoCounted() {
  const f = files();
  const store = new SqliteEventStore({ file: f.events, pollIntervalMs: 10 });
  const reads = new SqliteReadStore({ file: f.reads });
  const a = streamName('count', 'a');
  await store.append(a, [anEvent('Counted', { n: 1 }), anEvent('Counted', { n: 2 })], {
    expectedRevision: 'no-stream',
  });
  return { store, reads, a };
}

describe('ProjectionRunner on SQLite', () => {
  it('reports a failure to follow to its host, which then decides (the worker thread exits)', async () => {
    const f = files();
    const store = new SqliteEventStore({ file: f.events, pollIntervalMs: 10 });
    const reads = new SqliteReadStore({ file: f.reads });
    await store.append(streamName('count', 'a'), [anEvent('Counted', { n: 1 })], {
      expectedRevision: 'no-stream',
    });
    // The read store goes away under the runner: its next commit throws.
    const failures: unknown[] = [];
    const runner = new ProjectionRunner(store, reads, [counter()], {
      onFailure: (error) => failures.push(error),
      faultHook: (point) => {
        if (point === 'before-commit') void reads.close();
      },
    });
    await runner.start();
    await until(async () => failures.length > 0);
    expect(String(failures[0])).toMatch(/database connection is not open|closed/i);
    await runner.stop();
    await store.close();
  });

  it('catches up, follows live appends, and answers waitForPosition', async () => {
    const f = files();
    const store = new SqliteEventStore({ file: f.events, pollIntervalMs: 10 });
    const reads = new SqliteReadStore({ file: f.reads });
    const a = streamName('count', 'a');
    await store.append(
      a,
      [anEvent('Counted', { n: 1 }), anEvent('Other', {}), anEvent('Counted', { n: 2 })],
      { expectedRevision: 'no-stream' },
    );
    const runner = new ProjectionRunner(store, reads, [counter()], { batchSize: 2 });
    await runner.start();
    const spec = collectionOf(counter());
    await until(async () => (await reads.get<Counter>(spec, a))?.doc.count === 2);
    const { position } = await store.append(a, [anEvent('Counted', { n: 3 })], { expectedRevision: 2n });
    expect(await runner.waitForPosition(position, 2000)).toBe(true);
    expect((await reads.get<Counter>(spec, a))?.doc).toEqual({ stream: a, count: 3, total: 6 });
    expect(await reads.checkpoint(spec)).toBe(position);
    const [status] = await runner.status();
    expect(status).toMatchObject({ name: 'counter', caughtUp: true, lagEvents: 0, parked: 0 });
    expect(await runner.waitForPosition(position + 100n, 50)).toBe(false);
    await runner.stop();
    await reads.close();
    await store.close();
  });

  it('catching up, commits its last batch at the log end without waiting out the live window', async () => {
    const { store, reads, a } = await twoCounted();
    // A window far longer than a catch-up of two events takes: waiting it out would show.
    const runner = new ProjectionRunner(store, reads, [counter()], { liveWindowMs: 4_000 });
    try {
      const started = Date.now();
      await runner.start();
      await runner.whenCaughtUp();
      expect(Date.now() - started).toBeLessThan(2_000);
      const spec = collectionOf(counter());
      expect((await reads.get<Counter>(spec, a))?.doc).toEqual({ stream: a, count: 2, total: 3 });
      // Following live, a batch still collects for the window before it is committed.
      const { position } = await store.append(a, [anEvent('Counted', { n: 3 })], { expectedRevision: 1n });
      expect(await runner.waitForPosition(position, 1_500)).toBe(false);
      expect(await runner.waitForPosition(position, 10_000)).toBe(true);
    } finally {
      await runner.stop();
      await reads.close();
      await store.close();
    }
  });

  it('keeps list indexes equal to the documents when lists change, stay or come back between commits', async () => {
    type Tagged = { stream: string; group: string; tags: string[] };
    const tagged: Projection<Tagged> = {
      name: 'tagged',
      schemaVersion: 1,
      handles: ['Tagged'],
      indexes: [
        { field: 'group', type: 'string' },
        { field: 'tags', type: 'string[]' },
      ],
      partitionKey: 'group',
      documentId: (event: RecordedEvent) => event.stream,
      evolve: (_doc, event) => ({
        stream: event.stream,
        group: event.data['group'] as string,
        tags: event.data['tags'] as string[],
      }),
    };
    const spec = { name: 'tagged', version: 1, indexes: tagged.indexes, partitionKey: 'group' };
    const f = files();
    const store = new SqliteEventStore({ file: f.events, pollIntervalMs: 10 });
    const tag = (stream: string, group: string, tags: string[], revision: bigint | 'no-stream') =>
      store.append(streamName('tag', stream), [anEvent('Tagged', { group, tags })], {
        expectedRevision: revision,
      });
    const tagsOf = async (reads: SqliteReadStore, group: string, value: string) =>
      (
        await reads.list<Tagged>(spec, {
          filters: [
            { field: 'group', op: 'eq', value: group },
            { field: 'tags', op: 'eq', value },
          ],
          limit: 100,
        })
      ).items
        .map((doc) => doc.stream)
        .sort();
    // Every append its own commit (batch size 1): a list written, kept, changed, moved to another
    // partition and changed back, each over a commit boundary.
    await tag('a', 'g1', ['x', 'y'], 'no-stream');
    await tag('b', 'g1', ['x'], 'no-stream');
    await tag('a', 'g1', ['x', 'y'], 0n);
    await tag('b', 'g1', ['z'], 0n);
    await tag('a', 'g2', ['x', 'y'], 1n);
    await tag('b', 'g1', ['x'], 1n);
    const reads = new SqliteReadStore({ file: f.reads });
    const runner = new ProjectionRunner(store, reads, [tagged], { batchSize: 1, flushEvents: 1 });
    await runner.start();
    await runner.whenCaughtUp();
    await runner.stop();
    expect(await tagsOf(reads, 'g1', 'x')).toEqual(['tag-b']);
    expect(await tagsOf(reads, 'g1', 'y')).toEqual([]);
    expect(await tagsOf(reads, 'g1', 'z')).toEqual([]);
    expect(await tagsOf(reads, 'g2', 'x')).toEqual(['tag-a']);
    expect(await tagsOf(reads, 'g2', 'y')).toEqual(['tag-a']);
    // A new runner knows the stored lists only from the store: same list kept, then changed.
    await tag('a', 'g2', ['x', 'y'], 2n);
    await tag('a', 'g2', ['y'], 3n);
    const again = new ProjectionRunner(store, reads, [tagged], { batchSize: 1, flushEvents: 1 });
    await again.start();
    await again.whenCaughtUp();
    await again.stop();
    expect(await tagsOf(reads, 'g2', 'x')).toEqual([]);
    expect(await tagsOf(reads, 'g2', 'y')).toEqual(['tag-a']);
    await reads.close();
    await store.close();
  });

  it('short of memory, writes settled documents first and keeps those still changing in memory', async () => {
    // Short-lived streams (three events, then settled) beside long-lived ones that get an event
    // every fourth round: least recently used first writes the long-lived ones between their
    // events and reads them back; settled first keeps them in memory.
    const f = files();
    const store = new SqliteEventStore({ file: f.events, pollIntervalMs: 10 });
    const revisions = new Map<string, bigint>();
    const count = async (stream: string, k: number) => {
      const name = streamName('count', stream);
      const revision = revisions.get(name);
      const { position } = await store.append(name, [anEvent('Counted', { n: k })], {
        expectedRevision: revision ?? 'no-stream',
      });
      revisions.set(name, (revision ?? -1n) + 1n);
      return position;
    };
    for (let round = 0; round < 40; round++) {
      if (round % 4 === 0) for (let h = 0; h < 6; h++) await count(`long-${h}`, round);
      for (let step = 0; step < 3; step++)
        for (let c = 0; c < 4; c++) await count(`short-${round}-${c}`, step);
    }
    const settledCounter: Projection<Counter> = { ...counter(), settled: (doc) => doc.count >= 3 };
    const run = async (projection: Projection<Counter>) => {
      const puts = new Map<string, number>();
      let loaded = 0;
      const reads = new (class extends SqliteReadStore {
        override async getMany<D extends JsonObject>(spec: CollectionSpec, ids: readonly string[]) {
          const found = await super.getMany<D>(spec, ids);
          loaded += found.size;
          return found;
        }
        override async commit(batches: readonly ProjectionBatch[]) {
          for (const batch of batches) for (const { id } of batch.puts) puts.set(id, (puts.get(id) ?? 0) + 1);
          return super.commit(batches);
        }
      })({ file: files().reads });
      const runner = new ProjectionRunner(store, reads, [projection], {
        batchSize: 8,
        maxDirtyDocuments: 16,
        cacheSize: 4,
      });
      await runner.start();
      await runner.whenCaughtUp();
      await runner.stop();
      const spec = collectionOf(counter());
      const docs = await reads.list<Counter>(spec, {
        sort: { field: 'count', direction: 'asc' },
        limit: 500,
      });
      await reads.close();
      const writes = [...puts.values()].reduce((sum, n) => sum + n, 0);
      const shortWrittenOnce = [...puts].every(([id, n]) => !id.includes('short') || n === 1);
      return { docs: docs.items.map((doc) => JSON.stringify(doc)).sort(), writes, loaded, shortWrittenOnce };
    };
    const leastUsed = await run(counter());
    const settledFirst = await run(settledCounter);
    expect(settledFirst.docs).toEqual(leastUsed.docs);
    expect(settledFirst.docs).toHaveLength(6 + 40 * 4);
    expect(settledFirst.shortWrittenOnce).toBe(true);
    expect(settledFirst.writes).toBeLessThan(leastUsed.writes);
    expect(settledFirst.loaded).toBeLessThan(leastUsed.loaded);
    await store.close();
  });

  it("stores each written document's served form with it; one it cannot make is left out and logged", async () => {
    const f = files();
    const store = new SqliteEventStore({ file: f.events, pollIntervalMs: 10 });
    const reads = new SqliteReadStore({ file: f.reads });
    const served: Projection<Counter> = {
      ...counter(),
      serve(doc) {
        if (doc.total > 100) throw new Error('too much to serve');
        return { json: `"count":${doc.count}`, ints: Int32Array.of(doc.count, doc.total) };
      },
    };
    const spec = collectionOf(served);
    expect(spec.served).toBe(true);
    const a = streamName('count', 'a');
    const b = streamName('count', 'b');
    await store.append(a, [anEvent('Counted', { n: 1 }), anEvent('Counted', { n: 2 })], {
      expectedRevision: 'no-stream',
    });
    await store.append(b, [anEvent('Counted', { n: 500 })], { expectedRevision: 'no-stream' });
    const errors: string[] = [];
    const runner = new ProjectionRunner(store, reads, [served], { batchSize: 1 });
    (runner as unknown as { logger: { error(message: string): void } }).logger.error = (message) =>
      void errors.push(message);
    await runner.start();
    await runner.whenCaughtUp();
    const formOf = async (id: string) => {
      const form = await reads.getServed(spec, id);
      return form && { json: form.json, ints: [...form.ints] };
    };
    expect(await formOf(a)).toEqual({ json: '"count":2', ints: [2, 3] });
    // The document is there; its form is not, so a query reads the document instead.
    expect((await reads.get<Counter>(spec, b))?.doc.total).toBe(500);
    expect(await formOf(b)).toBeNull();
    expect(errors).toEqual([expect.stringContaining(`no served form for document ${b}: too much to serve`)]);
    // Following live, the form moves with the document.
    const { position } = await store.append(a, [anEvent('Counted', { n: 4 })], { expectedRevision: 1n });
    expect(await runner.waitForPosition(position, 2000)).toBe(true);
    expect(await formOf(a)).toEqual({ json: '"count":3', ints: [3, 7] });
    // An older version has no served form (its documents may not have the shape `serve` reads).
    expect(collectionOf({ ...served, schemaVersion: 2 }, 1).served).toBeUndefined();
    await runner.stop();
    await reads.close();
    await store.close();
  });

  it('parks an event the projection throws on and goes on (F6)', async () => {
    const f = files();
    const store = new SqliteEventStore({ file: f.events, pollIntervalMs: 10 });
    const reads = new SqliteReadStore({ file: f.reads });
    const a = streamName('count', 'a');
    await store.append(
      a,
      [anEvent('Counted', { n: 1 }), anEvent('Poison', {}), anEvent('Counted', { n: 1 })],
      { expectedRevision: 'no-stream' },
    );
    const runner = new ProjectionRunner(store, reads, [counter(1, true)]);
    await runner.start();
    const spec = collectionOf(counter());
    await until(async () => (await reads.get<Counter>(spec, a))?.doc.count === 2);
    const parked = await reads.parked(spec);
    expect(parked).toEqual([
      expect.objectContaining({ eventType: 'Poison', stream: a, reason: 'cannot count Poison' }),
    ]);
    expect((await runner.status())[0]).toMatchObject({ parked: 1 });
    await runner.stop();
    await reads.close();
    await store.close();
  });

  it('rebuilds a new schema version beside the old one and swaps when caught up', async () => {
    const { store, reads, a } = await twoCounted();
    const v1 = new ProjectionRunner(store, reads, [counter(1)]);
    await v1.start();
    const spec1 = collectionOf(counter());
    await until(async () => (await reads.status(spec1)).caughtUp);
    await v1.stop();
    expect(await reads.activeVersion('counter')).toBe(1);

    const v2 = new ProjectionRunner(store, reads, [counter(2)]);
    await v2.start();
    const spec2 = { name: 'counter', version: 2, indexes: counter().indexes };
    await until(async () => (await reads.activeVersion('counter')) === 2);
    expect((await reads.get<Counter>(spec2, a))?.doc).toEqual({ stream: a, count: 2, total: 6 });
    await v2.stop();
    await reads.close();
    await store.close();
  });
});
