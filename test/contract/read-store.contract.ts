import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import type { JsonObject } from '../../src/platform/json.js';
import {
  ReadStoreQueryError,
  type CollectionSpec,
  type Filter,
  type ListQuery,
  type ParkedEvent,
  type ProjectionBatch,
  type ReadStore,
  type StoredDocument,
} from '../../src/platform/read-store/read-store.port.js';

const BIG = 1n << 70n;

const INDEXES: CollectionSpec['indexes'] = [
  { field: 'status', type: 'string' },
  { field: 'priority', type: 'number' },
  { field: 'urgent', type: 'boolean' },
  { field: 'tags', type: 'string[]' },
  { field: 'createdAt', type: 'string' },
];

/** A read-model name no other test (or run against a shared server) uses. */
function uniqueName(): string {
  return `t${randomBytes(6).toString('hex')}`;
}

function aSpec(overrides: Partial<CollectionSpec> = {}): CollectionSpec {
  return { name: uniqueName(), version: 1, indexes: INDEXES, ...overrides };
}

function aBatch(
  collection: CollectionSpec,
  parts: Partial<Omit<ProjectionBatch, 'collection'>>,
): ProjectionBatch {
  return { collection, puts: [], deletes: [], parked: [], checkpoint: 0n, caughtUp: false, ...parts };
}

function aPut(id: string, position: bigint, doc: JsonObject = { id }): StoredDocument {
  return { id, doc, position };
}

function aParkedEvent(position: bigint, overrides: Partial<ParkedEvent> = {}): ParkedEvent {
  return {
    position,
    eventId: `0198c0de-0000-7000-8000-${position.toString(16).padStart(12, '0').slice(-12)}`,
    eventType: 'SignalSubmitted',
    stream: 'signal-0198c0de-0000-7000-8000-000000000001',
    reason: `Cannot handle event at ${position}: missing field "title" — “ongeldig” ✗`,
    parkedAt: '2026-11-28T10:00:00.000Z',
    ...overrides,
  };
}

/** Runs the call inside a promise, so an adapter that throws synchronously is caught too. */
async function expectRefused(call: () => Promise<unknown>): Promise<void> {
  const outcome = (async () => call())();
  await expect(outcome).rejects.toBeInstanceOf(ReadStoreQueryError);
  await expect(outcome).rejects.toMatchObject({ code: 'INVALID_READ_QUERY' });
}

const ids = (items: readonly JsonObject[]): unknown[] => items.map((item) => item['id']);

/** Ten signals with ties, nulls, a missing field and negative numbers, to pin down filter and sort semantics. */
const SIGNALS: readonly JsonObject[] = [
  {
    id: 's01',
    status: 'open',
    priority: 3,
    urgent: true,
    tags: ['wegen', 'verlichting'],
    createdAt: '2026-01-05',
  },
  { id: 's02', status: 'closed', priority: 1, urgent: false, tags: ['afval'], createdAt: '2026-01-01' },
  { id: 's03', status: 'open', priority: 2, urgent: false, tags: [], createdAt: '2026-02-10' },
  { id: 's04', status: 'in-progress', priority: 3, urgent: true, tags: ['wegen'], createdAt: '2026-01-20' },
  {
    id: 's05',
    status: 'open',
    priority: 5,
    urgent: false,
    tags: ['afval', 'wegen'],
    createdAt: '2026-03-01',
  },
  { id: 's06', status: 'closed', priority: 2, urgent: true, tags: ['groen'], createdAt: '2025-12-31' },
  { id: 's07', status: null, priority: 4, urgent: false, tags: ['groen', 'afval'], createdAt: '2026-02-28' },
  { id: 's08', priority: 1, urgent: false, createdAt: '2026-01-15' },
  { id: 's09', status: 'open', priority: 3, urgent: false, tags: ['verlichting'], createdAt: '2026-01-05' },
  { id: 's10', status: 'open', priority: -1.5, urgent: true, tags: ['wegen'], createdAt: '2026-04-01' },
];

/**
 * The behaviour every ReadStore adapter must show. `create` must return a new store instance over
 * the same storage each time it is called (a second process, or a restart). Each test uses
 * collections of its own name, so the suite can run against a shared, non-empty server.
 * `queryIndexesOf` reads, from the storage itself, the names of the query indexes a collection
 * has (not its primary key's).
 */
export function describeReadStoreContract(
  adapterName: string,
  create: () => Promise<ReadStore>,
  queryIndexesOf: (spec: CollectionSpec) => Promise<string[]>,
): void {
  describe(`ReadStore contract: ${adapterName}`, () => {
    let store: ReadStore;
    beforeAll(async () => {
      store = await create();
    }, 30_000);
    afterAll(async () => {
      await store.close();
    });

    async function aCollection(overrides: Partial<CollectionSpec> = {}): Promise<CollectionSpec> {
      const spec = aSpec(overrides);
      await store.ensureCollection(spec);
      return spec;
    }

    describe('ensureCollection', () => {
      it('is idempotent, also when called concurrently, and keeps what is stored', async () => {
        const spec = await aCollection();
        await store.ensureCollection(spec);
        await Promise.all([
          store.ensureCollection(spec),
          store.ensureCollection(spec),
          store.ensureCollection(spec),
        ]);
        await store.commit([
          aBatch(spec, { puts: [aPut('a', 1n, { id: 'a', status: 'open' })], checkpoint: 1n }),
        ]);
        await store.ensureCollection(spec);
        expect(await store.get(spec, 'a')).toEqual({
          id: 'a',
          doc: { id: 'a', status: 'open' },
          position: 1n,
        });
        expect(
          await store.list(spec, { filters: [{ field: 'status', op: 'eq', value: 'open' }], limit: 10 }),
        ).toEqual({
          items: [{ id: 'a', status: 'open' }],
          total: 1,
          hasMore: false,
        });
      });

      it('refuses a partition key that is no declared string index', async () => {
        for (const partitionKey of ['priority', 'tags', 'missing']) {
          await expect(store.ensureCollection(aSpec({ partitionKey }))).rejects.toMatchObject({
            code: expect.stringMatching(/^INVALID_(READ_QUERY|COLLECTION_SPEC)$/),
          });
        }
      });

      it('refuses an index kept behind an undeclared field or a list field', async () => {
        for (const behind of [['missing'], ['tags']]) {
          const indexes = INDEXES.map((index) =>
            index.field === 'createdAt' ? { ...index, behind } : index,
          );
          await expect(store.ensureCollection(aSpec({ indexes }))).rejects.toMatchObject({
            code: expect.stringMatching(/^INVALID_(READ_QUERY|COLLECTION_SPEC)$/),
          });
        }
      });

      it('pages a flag filter sorted on a field kept behind the flag, within a partition', async () => {
        const indexes = INDEXES.map((index) =>
          index.field === 'createdAt' ? { ...index, behind: ['urgent'] } : index,
        );
        const spec = aSpec({
          indexes: [...indexes, { field: 'tenant', type: 'string' }],
          partitionKey: 'tenant',
        });
        await store.ensureCollection(spec);
        const puts = SIGNALS.flatMap((doc, i) => [
          aPut(String(doc['id']), BigInt(i + 1), { ...doc, tenant: 'a' }),
          aPut(`other-${String(doc['id'])}`, BigInt(i + 100), {
            ...doc,
            id: `other-${String(doc['id'])}`,
            tenant: 'b',
          }),
        ]);
        await store.commit([aBatch(spec, { puts, checkpoint: 200n })]);
        const page = (offset: number) =>
          store.list(spec, {
            filters: [
              { field: 'tenant', op: 'eq', value: 'a' },
              { field: 'urgent', op: 'eq', value: true },
            ],
            sort: { field: 'createdAt', direction: 'desc' },
            limit: 2,
            offset,
            count: false,
          });
        const first = await page(0);
        expect(ids(first.items)).toEqual(['s10', 's04']);
        expect(first.hasMore).toBe(true);
        const second = await page(2);
        expect(ids(second.items)).toEqual(['s01', 's06']);
        expect(second.hasMore).toBe(false);
      });

      it('builds deferred indexes on request, idempotently, keeping what is stored', async () => {
        const spec = aSpec();
        await store.ensureCollection(spec, { deferIndexes: true });
        await store.commit([
          aBatch(spec, { puts: [aPut('a', 1n, { id: 'a', status: 'open' })], checkpoint: 1n }),
        ]);
        await store.ensureIndexes(spec);
        await store.ensureIndexes(spec);
        const found = await store.list(spec, {
          filters: [{ field: 'status', op: 'eq', value: 'open' }],
          limit: 10,
        });
        expect(found).toEqual({ items: [{ id: 'a', status: 'open' }], total: 1, hasMore: false });
      });

      it('drops a query index the spec no longer declares and builds one it now declares', async () => {
        const spec = aSpec();
        await store.ensureCollection(spec);
        await store.commit([
          aBatch(spec, { puts: SIGNALS.map((doc, i) => aPut(doc['id'] as string, BigInt(i + 1), doc)) }),
        ]);
        const before = await queryIndexesOf(spec);
        expect(before.filter((name) => name.endsWith('_status'))).toHaveLength(1);
        // The same collection, declared again: status no longer indexed, createdAt kept behind urgent.
        const narrowed: CollectionSpec = {
          ...spec,
          indexes: INDEXES.map((index) =>
            index.field === 'status'
              ? { ...index, indexed: false }
              : index.field === 'createdAt'
                ? { ...index, behind: ['urgent'] }
                : index,
          ),
        };
        await store.ensureIndexes(narrowed);
        await store.ensureIndexes(narrowed);
        const after = await queryIndexesOf(spec);
        expect(after.filter((name) => name.endsWith('_status'))).toEqual([]);
        expect(after.filter((name) => name.endsWith('_createdAt_behind_urgent'))).toHaveLength(1);
        expect(after).toHaveLength(before.length);
        // Answers as before, with or without an index to find them by.
        const open = await store.list(narrowed, {
          filters: [{ field: 'status', op: 'eq', value: 'open' }],
          sort: { field: 'createdAt', direction: 'asc' },
          limit: 10,
        });
        expect(ids(open.items)).toEqual(['s01', 's09', 's03', 's05', 's10']);
        const urgent = await store.list(narrowed, {
          filters: [{ field: 'urgent', op: 'eq', value: true }],
          sort: { field: 'createdAt', direction: 'desc' },
          limit: 10,
        });
        expect(ids(urgent.items)).toEqual(['s10', 's04', 's01', 's06']);
        // Declared as before again: the index is back, the other gone.
        await store.ensureIndexes(spec);
        expect([...(await queryIndexesOf(spec))].sort()).toEqual([...before].sort());
      });

      it('accepts a collection without declared indexes', async () => {
        const spec = await aCollection({ indexes: [] });
        await store.commit([aBatch(spec, { puts: [aPut('b', 2n), aPut('a', 1n)], checkpoint: 2n })]);
        expect(await store.list(spec, { limit: 10 })).toEqual({
          items: [{ id: 'a' }, { id: 'b' }],
          total: 2,
          hasMore: false,
        });
      });
    });

    describe('commit, get and getMany', () => {
      it('returns null for a document that was never written', async () => {
        const spec = await aCollection();
        expect(await store.get(spec, 'nope')).toBeNull();
      });

      it('stores puts with their positions and removes deletes', async () => {
        const spec = await aCollection();
        await store.commit([
          aBatch(spec, {
            puts: [aPut('a', 10n, { id: 'a', n: 1 }), aPut('b', 11n, { id: 'b', n: 2 })],
            checkpoint: 11n,
          }),
        ]);
        expect(await store.get(spec, 'a')).toEqual({ id: 'a', doc: { id: 'a', n: 1 }, position: 10n });
        await store.commit([aBatch(spec, { deletes: [{ id: 'a', position: 12n }], checkpoint: 12n })]);
        expect(await store.get(spec, 'a')).toBeNull();
        expect(await store.get(spec, 'b')).toEqual({ id: 'b', doc: { id: 'b', n: 2 }, position: 11n });
        expect((await store.list(spec, { limit: 10 })).total).toBe(1);
      });

      it('keeps list filters equal to the documents whatever a put says of the stored lists', async () => {
        const spec = aSpec();
        await store.ensureCollection(spec);
        const tagged = async (tag: string) =>
          ids(
            (await store.list(spec, { filters: [{ field: 'tags', op: 'eq', value: tag }], limit: 10 })).items,
          );
        const put = (position: bigint, tags: string[], storedLists?: 'absent' | 'same') => ({
          ...aPut('a', position, { id: 'a', tags }),
          ...(storedLists === undefined ? {} : { storedLists }),
        });
        await store.commit([aBatch(spec, { puts: [put(1n, ['x'], 'absent')], checkpoint: 1n })]);
        expect(await tagged('x')).toEqual(['a']);
        await store.commit([aBatch(spec, { puts: [put(2n, ['x'], 'same')], checkpoint: 2n })]);
        expect(await tagged('x')).toEqual(['a']);
        await store.commit([aBatch(spec, { puts: [put(3n, ['y'])], checkpoint: 3n })]);
        expect(await tagged('x')).toEqual([]);
        expect(await tagged('y')).toEqual(['a']);
        expect((await store.get(spec, 'a'))?.doc).toEqual({ id: 'a', tags: ['y'] });
      });

      it('replaces the whole document, indexed copies included', async () => {
        const spec = await aCollection();
        await store.commit([
          aBatch(spec, { puts: [aPut('a', 1n, { id: 'a', status: 'open', tags: ['x'], note: 'old' })] }),
        ]);
        await store.commit([aBatch(spec, { puts: [aPut('a', 2n, { id: 'a', priority: 7 })] })]);
        expect(await store.get(spec, 'a')).toEqual({ id: 'a', doc: { id: 'a', priority: 7 }, position: 2n });
        const byOld = await store.list(spec, {
          filters: [{ field: 'status', op: 'eq', value: 'open' }],
          limit: 10,
        });
        expect(byOld).toEqual({ items: [], total: 0, hasMore: false });
        const byTag = await store.list(spec, {
          filters: [{ field: 'tags', op: 'eq', value: 'x' }],
          limit: 10,
        });
        expect(byTag.total).toBe(0);
        const byNew = await store.list(spec, {
          filters: [{ field: 'priority', op: 'eq', value: 7 }],
          limit: 10,
        });
        expect(ids(byNew.items)).toEqual(['a']);
      });

      it('getMany returns the stored documents by id, skipping missing and repeated ids', async () => {
        const spec = await aCollection();
        await store.commit([
          aBatch(spec, { puts: [aPut('a', 1n), aPut('b', 2n), aPut('c', BIG)], checkpoint: BIG }),
        ]);
        const found = await store.getMany(spec, ['c', 'missing', 'a', 'a']);
        expect([...found.keys()].sort()).toEqual(['a', 'c']);
        expect(found.get('a')).toEqual({ id: 'a', doc: { id: 'a' }, position: 1n });
        expect(found.get('c')).toEqual({ id: 'c', doc: { id: 'c' }, position: BIG });
        expect((await store.getMany(spec, [])).size).toBe(0);
      });

      it('commits several batches of different collections together', async () => {
        const inbox = await aCollection();
        const dashboard = await aCollection({ indexes: [{ field: 'tenant', type: 'string' }] });
        await store.commit([
          aBatch(inbox, {
            puts: [aPut('s1', 5n, { id: 's1', status: 'open' })],
            parked: [aParkedEvent(4n)],
            checkpoint: 5n,
            caughtUp: true,
          }),
          aBatch(dashboard, {
            puts: [aPut('gent', 5n, { id: 'gent', tenant: 'gent', open: 1 })],
            checkpoint: 6n,
          }),
        ]);
        expect((await store.get(inbox, 's1'))?.doc).toEqual({ id: 's1', status: 'open' });
        expect((await store.get(dashboard, 'gent'))?.doc).toEqual({ id: 'gent', tenant: 'gent', open: 1 });
        expect(await store.checkpoint(inbox)).toBe(5n);
        expect(await store.checkpoint(dashboard)).toBe(6n);
        expect(await store.parked(inbox)).toEqual([aParkedEvent(4n)]);
        expect(await store.parked(dashboard)).toEqual([]);
        expect((await store.status(inbox)).caughtUp).toBe(true);
        expect((await store.status(dashboard)).caughtUp).toBe(false);
      });

      it('accepts an empty commit and a batch that only moves the checkpoint', async () => {
        const spec = await aCollection();
        await store.commit([]);
        expect(await store.checkpoint(spec)).toBeNull();
        await store.commit([aBatch(spec, { checkpoint: 42n })]);
        expect(await store.checkpoint(spec)).toBe(42n);
        expect((await store.list(spec, { limit: 10 })).total).toBe(0);
      });

      it('stores documents and parked events of a batch without a checkpoint, leaving the checkpoint as it is', async () => {
        // A runner with a share of the tenants commits so: the checkpoint is set once all shares are in.
        const spec = await aCollection();
        const parked = {
          position: 3n,
          eventId: 'e-3',
          eventType: 'SignalTriaged',
          stream: 'signal-gent-x',
          reason: 'kapot',
          parkedAt: '2026-11-30T08:00:00.000Z',
        };
        await store.commit([aBatch(spec, { puts: [aPut('a', 2n)], parked: [parked], checkpoint: null })]);
        expect(await store.checkpoint(spec)).toBeNull();
        await store.commit([aBatch(spec, { checkpoint: 5n })]);
        await store.commit([aBatch(spec, { puts: [aPut('b', 9n)], checkpoint: null, caughtUp: true })]);
        expect(await store.status(spec)).toMatchObject({ checkpoint: 5n, caughtUp: false, parked: 1 });
        expect((await store.getMany(spec, ['a', 'b'])).size).toBe(2);
      });

      it('keeps what was committed for a new instance over the same storage', async () => {
        const spec = await aCollection();
        await store.commit([
          aBatch(spec, {
            puts: [aPut('a', 3n, { id: 'a', status: 'open' })],
            parked: [aParkedEvent(2n)],
            checkpoint: 3n,
          }),
        ]);
        await store.activate(spec);
        const other = await create();
        try {
          expect(await other.get(spec, 'a')).toEqual({
            id: 'a',
            doc: { id: 'a', status: 'open' },
            position: 3n,
          });
          expect(await other.status(spec)).toEqual({
            name: spec.name,
            version: 1,
            checkpoint: 3n,
            active: true,
            caughtUp: false,
            parked: 1,
          });
        } finally {
          await other.close();
        }
      }, 30_000);
    });

    describe('served forms', () => {
      const form = (json: string, ...ints: number[]) => ({ json, ints: Int32Array.from(ints) });
      const read = async (spec: CollectionSpec, id: string) => {
        const stored = await store.getServed(spec, id);
        return stored && { json: stored.json, ints: [...stored.ints], position: stored.position };
      };

      it('stores a served form with its document and gives it back, integers as written', async () => {
        const spec = await aCollection({ served: true });
        const extremes = [0, -1, 2 ** 31 - 1, -(2 ** 31), 20_000, 7];
        await store.commit([
          aBatch(spec, {
            puts: [
              { ...aPut('a', 5n, { id: 'a', status: 'open' }), served: form('"n":1,"t":"€ ✗"', ...extremes) },
            ],
            checkpoint: 5n,
          }),
        ]);
        expect(await read(spec, 'a')).toEqual({ json: '"n":1,"t":"€ ✗"', ints: extremes, position: 5n });
        expect((await store.get(spec, 'a'))?.doc).toEqual({ id: 'a', status: 'open' });
        expect(
          (await store.list(spec, { filters: [{ field: 'status', op: 'eq', value: 'open' }], limit: 5 }))
            .items,
        ).toEqual([{ id: 'a', status: 'open' }]);
      });

      it('replaces the form with the document, under the same position guard, and removes it with it', async () => {
        const spec = await aCollection({ served: true });
        await store.commit([aBatch(spec, { puts: [{ ...aPut('a', 5n), served: form('"v":5', 5) }] })]);
        await store.commit([aBatch(spec, { puts: [{ ...aPut('a', 4n), served: form('"v":4', 4) }] })]);
        expect(await read(spec, 'a')).toEqual({ json: '"v":5', ints: [5], position: 5n });
        await store.commit([aBatch(spec, { puts: [{ ...aPut('a', 6n), served: form('"v":6') }] })]);
        expect(await read(spec, 'a')).toEqual({ json: '"v":6', ints: [], position: 6n });
        // A document written without a form has none: the query reads the document instead.
        await store.commit([aBatch(spec, { puts: [aPut('a', 7n)] })]);
        expect(await store.getServed(spec, 'a')).toBeNull();
        await store.commit([aBatch(spec, { puts: [{ ...aPut('a', 8n), served: form('"v":8', 8) }] })]);
        await store.commit([aBatch(spec, { deletes: [{ id: 'a', position: 9n }] })]);
        expect(await store.getServed(spec, 'a')).toBeNull();
      });

      it('gives null for a missing document and in a collection without served forms', async () => {
        const served = await aCollection({ served: true });
        expect(await store.getServed(served, 'nothing')).toBeNull();
        const plain = await aCollection();
        await store.commit([aBatch(plain, { puts: [{ ...aPut('a', 1n), served: form('"v":1', 1) }] })]);
        expect(await store.getServed(plain, 'a')).toBeNull();
        expect((await store.get(plain, 'a'))?.doc).toEqual({ id: 'a' });
      });

      it('adds served forms to a collection made without them, keeping its documents', async () => {
        const name = uniqueName();
        const before: CollectionSpec = { name, version: 1, indexes: INDEXES };
        await store.ensureCollection(before);
        await store.commit([aBatch(before, { puts: [aPut('old', 1n, { id: 'old', status: 'open' })] })]);
        const after = await aCollection({ name, served: true });
        expect(await store.getServed(after, 'old')).toBeNull();
        await store.commit([aBatch(after, { puts: [{ ...aPut('new', 2n), served: form('"v":2', 2) }] })]);
        expect(await read(after, 'new')).toEqual({ json: '"v":2', ints: [2], position: 2n });
        expect((await store.get(after, 'old'))?.doc).toEqual({ id: 'old', status: 'open' });
        // A writer that knows no forms leaves none behind that its document no longer matches.
        await store.commit([aBatch(before, { puts: [aPut('new', 3n, { id: 'new', v: 3 })] })]);
        expect(await store.getServed(after, 'new')).toBeNull();
        // Dropped and made again, the collection starts empty, forms included.
        await store.drop(after);
        await store.ensureCollection(after);
        expect(await store.get(after, 'new')).toBeNull();
        await store.commit([aBatch(after, { puts: [{ ...aPut('new', 4n), served: form('"v":4', 4) }] })]);
        expect(await read(after, 'new')).toEqual({ json: '"v":4', ints: [4], position: 4n });
      });

      it('refuses an id that is not a document id', async () => {
        const spec = await aCollection({ served: true });
        await expectRefused(() => store.getServed(spec, 42 as unknown as string));
        await expectRefused(() => store.getServed(spec, { $gt: '' } as unknown as string));
      });
    });

    describe('position guard', () => {
      it('ignores a put whose position is at or below the stored one', async () => {
        const spec = await aCollection();
        await store.commit([
          aBatch(spec, { puts: [aPut('a', 20n, { id: 'a', v: 'twenty', status: 'open' })] }),
        ]);
        await store.commit([
          aBatch(spec, { puts: [aPut('a', 19n, { id: 'a', v: 'nineteen', status: 'closed' })] }),
        ]);
        await store.commit([
          aBatch(spec, { puts: [aPut('a', 20n, { id: 'a', v: 'again', status: 'closed' })] }),
        ]);
        expect(await store.get(spec, 'a')).toEqual({
          id: 'a',
          doc: { id: 'a', v: 'twenty', status: 'open' },
          position: 20n,
        });
        const closed = await store.list(spec, {
          filters: [{ field: 'status', op: 'eq', value: 'closed' }],
          limit: 10,
        });
        expect(closed.total).toBe(0);
        await store.commit([aBatch(spec, { puts: [aPut('a', 21n, { id: 'a', v: 'twenty-one' })] })]);
        expect(await store.get(spec, 'a')).toEqual({
          id: 'a',
          doc: { id: 'a', v: 'twenty-one' },
          position: 21n,
        });
      });

      it('ignores a delete whose position is at or below the stored one', async () => {
        const spec = await aCollection();
        await store.commit([aBatch(spec, { puts: [aPut('a', 20n)] })]);
        await store.commit([aBatch(spec, { deletes: [{ id: 'a', position: 19n }] })]);
        await store.commit([aBatch(spec, { deletes: [{ id: 'a', position: 20n }] })]);
        expect((await store.get(spec, 'a'))?.position).toBe(20n);
        await store.commit([
          aBatch(spec, {
            deletes: [
              { id: 'a', position: 21n },
              { id: 'never-stored', position: 21n },
            ],
          }),
        ]);
        expect(await store.get(spec, 'a')).toBeNull();
        expect(await store.get(spec, 'never-stored')).toBeNull();
      });

      it('compares positions as numbers, beyond 2^64 too', async () => {
        const spec = await aCollection();
        await store.commit([aBatch(spec, { puts: [aPut('a', 9n, { id: 'a', at: 9 })] })]);
        await store.commit([aBatch(spec, { puts: [aPut('a', 10n, { id: 'a', at: 10 })] })]);
        expect(await store.get(spec, 'a')).toEqual({ id: 'a', doc: { id: 'a', at: 10 }, position: 10n });
        await store.commit([aBatch(spec, { puts: [aPut('a', 9n, { id: 'a', at: 9 })] })]);
        expect((await store.get(spec, 'a'))?.position).toBe(10n);

        await store.commit([
          aBatch(spec, { puts: [aPut('b', BIG, { id: 'b', at: 'big' })], checkpoint: BIG }),
        ]);
        await store.commit([aBatch(spec, { puts: [aPut('b', BIG - 1n, { id: 'b', at: 'smaller' })] })]);
        expect(await store.get(spec, 'b')).toEqual({ id: 'b', doc: { id: 'b', at: 'big' }, position: BIG });
        await store.commit([
          aBatch(spec, { puts: [aPut('b', BIG + 1n, { id: 'b', at: 'bigger' })], checkpoint: BIG + 1n }),
        ]);
        expect(await store.get(spec, 'b')).toEqual({
          id: 'b',
          doc: { id: 'b', at: 'bigger' },
          position: BIG + 1n,
        });
        expect(await store.checkpoint(spec)).toBe(BIG + 1n);
        await store.commit([aBatch(spec, { puts: [aPut('c', 0n)] })]);
        expect((await store.get(spec, 'c'))?.position).toBe(0n);
      });

      it('makes replaying a batch (redelivery after a crash) change nothing', async () => {
        const spec = await aCollection();
        await store.commit([aBatch(spec, { puts: [aPut('gone', 1n), aPut('kept', 2n)], checkpoint: 2n })]);
        const batch = aBatch(spec, {
          puts: [aPut('a', 5n, { id: 'a', status: 'open' }), aPut('kept', 6n, { id: 'kept', n: 6 })],
          deletes: [{ id: 'gone', position: 7n }],
          parked: [aParkedEvent(3n), aParkedEvent(4n)],
          checkpoint: 7n,
          caughtUp: true,
        });
        // As if the runner died after the documents and parked events but before the checkpoint.
        await store.commit([{ ...batch, checkpoint: 2n, caughtUp: false }]);
        await store.commit([batch]);
        await store.commit([batch]);

        expect(await store.get(spec, 'a')).toEqual({
          id: 'a',
          doc: { id: 'a', status: 'open' },
          position: 5n,
        });
        expect(await store.get(spec, 'kept')).toEqual({
          id: 'kept',
          doc: { id: 'kept', n: 6 },
          position: 6n,
        });
        expect(await store.get(spec, 'gone')).toBeNull();
        expect(await store.checkpoint(spec)).toBe(7n);
        expect(await store.parked(spec)).toEqual([aParkedEvent(4n), aParkedEvent(3n)]);
        expect((await store.status(spec)).parked).toBe(2);
        expect((await store.list(spec, { limit: 10 })).total).toBe(2);
      });

      it('makes a late redelivery of an older batch leave newer documents alone', async () => {
        const spec = await aCollection();
        const older = aBatch(spec, {
          puts: [aPut('a', 5n, { id: 'a', status: 'open' })],
          deletes: [{ id: 'b', position: 6n }],
          checkpoint: 6n,
        });
        await store.commit([aBatch(spec, { puts: [aPut('b', 1n)], checkpoint: 1n })]);
        await store.commit([older]);
        await store.commit([
          aBatch(spec, {
            puts: [aPut('a', 8n, { id: 'a', status: 'closed' }), aPut('b', 9n)],
            checkpoint: 9n,
          }),
        ]);
        await store.commit([older]);
        expect(await store.get(spec, 'a')).toEqual({
          id: 'a',
          doc: { id: 'a', status: 'closed' },
          position: 8n,
        });
        expect(await store.get(spec, 'b')).toEqual({ id: 'b', doc: { id: 'b' }, position: 9n });
        const open = await store.list(spec, {
          filters: [{ field: 'status', op: 'eq', value: 'open' }],
          limit: 10,
        });
        expect(open.total).toBe(0);
      });

      it('keeps the write with the highest position when one batch holds several for a document', async () => {
        const spec = await aCollection();
        await store.commit([
          aBatch(spec, {
            puts: [
              aPut('a', 20n, { id: 'a', at: 20 }),
              aPut('a', 10n, { id: 'a', at: 10 }),
              aPut('b', 10n),
              aPut('c', 30n),
            ],
            deletes: [
              { id: 'b', position: 20n },
              { id: 'c', position: 20n },
            ],
          }),
        ]);
        expect(await store.get(spec, 'a')).toEqual({ id: 'a', doc: { id: 'a', at: 20 }, position: 20n });
        expect(await store.get(spec, 'b')).toBeNull();
        expect((await store.get(spec, 'c'))?.position).toBe(30n);
      });

      it('keeps the highest positions when two instances commit the same documents concurrently', async () => {
        const spec = await aCollection();
        const other = await create();
        try {
          const docIds = ['x1', 'x2', 'x3', 'x4', 'x5'];
          const commits: Array<() => Promise<void>> = [];
          for (let round = 1; round <= 20; round++) {
            for (const [writer, offset] of [
              [store, 0n],
              [other, 1n],
            ] as const) {
              const position = BigInt(round) * 2n + offset;
              const puts = docIds.map((id) => aPut(id, position, { id, at: Number(position) }));
              commits.push(() => writer.commit([aBatch(spec, { puts, checkpoint: position })]));
            }
          }
          // Out of position order, so a store that lets the last write win shows it.
          const scrambled = commits.map((commit, i) => ({ commit, key: (i * 17) % commits.length }));
          scrambled.sort((a, b) => a.key - b.key);
          await Promise.all(scrambled.map(({ commit }) => commit()));

          const found = await store.getMany(spec, docIds);
          for (const id of docIds) expect(found.get(id)).toEqual({ id, doc: { id, at: 41 }, position: 41n });
          expect(await store.checkpoint(spec)).toBe(41n);
        } finally {
          await other.close();
        }
      }, 60_000);
    });

    // Every query answers the same with or without a partition key, and before, without or after
    // the query indexes (a build from scratch creates them once it has caught up).
    describe.each([
      ['indexes up front', {}, 'up-front'],
      ['partitioned by status', { partitionKey: 'status' }, 'up-front'],
      ['indexes deferred, never built', { partitionKey: 'status' }, 'never'],
      ['indexes built after the documents', {}, 'after-documents'],
      [
        'flag and list fields without an index of their own',
        {
          partitionKey: 'status',
          indexes: INDEXES.map((index) =>
            index.field === 'urgent' || index.field === 'tags' ? { ...index, indexed: false } : index,
          ),
        },
        'up-front',
      ],
    ] as const)('list (%s)', (_layout, overrides, indexes) => {
      let spec: CollectionSpec;
      beforeAll(async () => {
        spec = aSpec(overrides);
        await store.ensureCollection(spec, { deferIndexes: indexes !== 'up-front' });
        // Written in reverse id order, so an unsorted list cannot pass by insertion order.
        const puts = [...SIGNALS].reverse().map((doc, i) => aPut(String(doc['id']), BigInt(i + 1), doc));
        await store.commit([aBatch(spec, { puts, checkpoint: BigInt(puts.length) })]);
        if (indexes === 'after-documents') await store.ensureIndexes(spec);
      }, 30_000);

      const list = (query: Omit<ListQuery, 'limit'> & { limit?: number }) =>
        store.list(spec, { limit: 100, ...query });
      const filtered = async (...filters: Filter[]) => {
        const result = await list({ filters });
        expect(result.total).toBe(result.items.length);
        return ids(result.items);
      };

      it('returns every document in id order without filter or sort', async () => {
        const result = await list({});
        expect(ids(result.items)).toEqual(SIGNALS.map((doc) => doc['id']));
        expect(result.total).toBe(10);
        expect(result.items[6]).toEqual(SIGNALS[6]);
      });

      it('filters eq on string, number and boolean fields', async () => {
        expect(await filtered({ field: 'status', op: 'eq', value: 'open' })).toEqual([
          's01',
          's03',
          's05',
          's09',
          's10',
        ]);
        expect(await filtered({ field: 'priority', op: 'eq', value: 3 })).toEqual(['s01', 's04', 's09']);
        expect(await filtered({ field: 'priority', op: 'eq', value: -1.5 })).toEqual(['s10']);
        expect(await filtered({ field: 'urgent', op: 'eq', value: true })).toEqual([
          's01',
          's04',
          's06',
          's10',
        ]);
        expect(await filtered({ field: 'urgent', op: 'eq', value: false })).toEqual([
          's02',
          's03',
          's05',
          's07',
          's08',
          's09',
        ]);
        expect(await filtered({ field: 'status', op: 'eq', value: 'Open' })).toEqual([]);
      });

      it('filters eq null on documents whose field is null or missing', async () => {
        expect(await filtered({ field: 'status', op: 'eq', value: null })).toEqual(['s07', 's08']);
      });

      it('filters eq and in on string[] fields by membership', async () => {
        expect(await filtered({ field: 'tags', op: 'eq', value: 'wegen' })).toEqual([
          's01',
          's04',
          's05',
          's10',
        ]);
        expect(await filtered({ field: 'tags', op: 'in', values: ['afval', 'groen'] })).toEqual([
          's02',
          's05',
          's06',
          's07',
        ]);
        expect(await filtered({ field: 'tags', op: 'eq', value: 'weg' })).toEqual([]);
      });

      it('filters eq null on string[] fields: missing, null or empty lists', async () => {
        expect(await filtered({ field: 'tags', op: 'eq', value: null })).toEqual(['s03', 's08']);
      });

      it('filters ranges on string[] fields: one element within all bounds', async () => {
        expect(await filtered({ field: 'tags', op: 'range', gte: 'g', lt: 'h' })).toEqual(['s06', 's07']);
        // 'afval' satisfies lt and 'wegen' gt, but no single element satisfies both.
        expect(await filtered({ field: 'tags', op: 'range', gt: 'b', lt: 'c' })).toEqual([]);
      });

      it('filters in on string, number and boolean fields', async () => {
        expect(await filtered({ field: 'status', op: 'in', values: ['closed', 'in-progress'] })).toEqual([
          's02',
          's04',
          's06',
        ]);
        expect(await filtered({ field: 'priority', op: 'in', values: [1, 5] })).toEqual([
          's02',
          's05',
          's08',
        ]);
        expect(await filtered({ field: 'urgent', op: 'in', values: [true] })).toEqual([
          's01',
          's04',
          's06',
          's10',
        ]);
      });

      it('filters ranges on numbers: gte/lte inclusive, gt/lt exclusive', async () => {
        expect(await filtered({ field: 'priority', op: 'range', gte: 2, lte: 3 })).toEqual([
          's01',
          's03',
          's04',
          's06',
          's09',
        ]);
        expect(await filtered({ field: 'priority', op: 'range', gt: 2, lt: 5 })).toEqual([
          's01',
          's04',
          's07',
          's09',
        ]);
        expect(await filtered({ field: 'priority', op: 'range', lt: 0 })).toEqual(['s10']);
        expect(await filtered({ field: 'priority', op: 'range', gte: 5 })).toEqual(['s05']);
      });

      it('filters ranges on strings', async () => {
        expect(
          await filtered({ field: 'createdAt', op: 'range', gte: '2026-01-01', lt: '2026-02-01' }),
        ).toEqual(['s01', 's02', 's04', 's08', 's09']);
        expect(await filtered({ field: 'createdAt', op: 'range', gt: '2026-02-28' })).toEqual(['s05', 's10']);
        expect(await filtered({ field: 'createdAt', op: 'range', lte: '2025-12-31' })).toEqual(['s06']);
      });

      it('combines filters with AND, several on one field too', async () => {
        expect(
          await filtered(
            { field: 'status', op: 'eq', value: 'open' },
            { field: 'urgent', op: 'eq', value: false },
            { field: 'priority', op: 'range', gte: 3 },
          ),
        ).toEqual(['s05', 's09']);
        expect(
          await filtered(
            { field: 'tags', op: 'eq', value: 'wegen' },
            { field: 'status', op: 'in', values: ['open'] },
          ),
        ).toEqual(['s01', 's05', 's10']);
        expect(
          await filtered(
            { field: 'priority', op: 'range', gte: 2 },
            { field: 'priority', op: 'range', lte: 2 },
          ),
        ).toEqual(['s03', 's06']);
        expect(
          await filtered(
            { field: 'status', op: 'eq', value: 'open' },
            { field: 'status', op: 'eq', value: 'closed' },
          ),
        ).toEqual([]);
      });

      it('sorts on a number field both ways, ties by id ascending', async () => {
        const asc = await list({ sort: { field: 'priority', direction: 'asc' } });
        expect(ids(asc.items)).toEqual([
          's10',
          's02',
          's08',
          's03',
          's06',
          's01',
          's04',
          's09',
          's07',
          's05',
        ]);
        const desc = await list({ sort: { field: 'priority', direction: 'desc' } });
        expect(ids(desc.items)).toEqual([
          's05',
          's07',
          's01',
          's04',
          's09',
          's03',
          's06',
          's02',
          's08',
          's10',
        ]);
      });

      it('sorts on a string field both ways, ties by id ascending, null and missing lowest', async () => {
        const asc = await list({ sort: { field: 'createdAt', direction: 'asc' } });
        expect(ids(asc.items)).toEqual([
          's06',
          's02',
          's01',
          's09',
          's08',
          's04',
          's03',
          's07',
          's05',
          's10',
        ]);
        const desc = await list({ sort: { field: 'createdAt', direction: 'desc' } });
        expect(ids(desc.items)).toEqual([
          's10',
          's05',
          's07',
          's03',
          's04',
          's08',
          's01',
          's09',
          's02',
          's06',
        ]);
        const byStatus = await list({ sort: { field: 'status', direction: 'asc' } });
        expect(ids(byStatus.items)).toEqual([
          's07',
          's08',
          's02',
          's06',
          's04',
          's01',
          's03',
          's05',
          's09',
          's10',
        ]);
        const byStatusDesc = await list({ sort: { field: 'status', direction: 'desc' } });
        expect(ids(byStatusDesc.items)).toEqual([
          's01',
          's03',
          's05',
          's09',
          's10',
          's04',
          's02',
          's06',
          's07',
          's08',
        ]);
      });

      it('sorts on a boolean field, false first', async () => {
        const asc = await list({ sort: { field: 'urgent', direction: 'asc' } });
        expect(ids(asc.items)).toEqual([
          's02',
          's03',
          's05',
          's07',
          's08',
          's09',
          's01',
          's04',
          's06',
          's10',
        ]);
      });

      it('sorts a filtered list', async () => {
        const result = await list({
          filters: [{ field: 'status', op: 'eq', value: 'open' }],
          sort: { field: 'priority', direction: 'desc' },
        });
        expect(ids(result.items)).toEqual(['s05', 's01', 's09', 's03', 's10']);
      });

      it('pages with limit and offset, the total independent of paging', async () => {
        const sort = { field: 'priority', direction: 'asc' } as const;
        const pages = [];
        for (let offset = 0; offset < 12; offset += 3) {
          const page = await list({ sort, limit: 3, offset });
          expect(page.total).toBe(10);
          expect(page.items.length).toBeLessThanOrEqual(3);
          pages.push(...ids(page.items));
        }
        expect(pages).toEqual(['s10', 's02', 's08', 's03', 's06', 's01', 's04', 's09', 's07', 's05']);
        expect(await list({ sort, limit: 5, offset: 20 })).toEqual({ items: [], total: 10, hasMore: false });
        expect(await list({ limit: 0 })).toEqual({ items: [], total: 10, hasMore: true });
        const filteredPage = await list({
          filters: [{ field: 'status', op: 'eq', value: 'open' }],
          limit: 2,
          offset: 1,
        });
        expect(filteredPage).toEqual({ items: [SIGNALS[2], SIGNALS[4]], total: 5, hasMore: true });
      });

      it('counts only when asked, and tells whether another page follows', async () => {
        const sort = { field: 'priority', direction: 'asc' } as const;
        const uncounted = await list({ sort, limit: 4, count: false });
        expect(uncounted).toEqual({
          items: await list({ sort, limit: 4 }).then((r) => r.items),
          total: null,
          hasMore: true,
        });
        expect((await list({ sort, limit: 4, offset: 6, count: false })).hasMore).toBe(false);
        expect((await list({ sort, limit: 3, offset: 6, count: false })).hasMore).toBe(true);
        expect((await list({ sort, limit: 10, count: false })).hasMore).toBe(false);
      });

      it('leaves out the fields a query omits, and nothing else', async () => {
        const sort = { field: 'priority', direction: 'asc' } as const;
        const whole = await list({ sort, limit: 3 });
        const cut = await list({ sort, limit: 3, omit: ['tags', 'missing'] });
        expect(cut.hasMore).toBe(whole.hasMore);
        expect(cut.items).toEqual(
          whole.items.map((doc) => Object.fromEntries(Object.entries(doc).filter(([key]) => key !== 'tags'))),
        );
        for (const omit of [
          [],
          ['a.b'],
          ['$where'],
          ['__proto__ x'],
          Array.from({ length: 33 }, (_, i) => `f${i}`),
        ]) {
          await expectRefused(() => store.list(spec, { limit: 3, omit }));
        }
      });

      describe('refuses, as INVALID_READ_QUERY', () => {
        const filters: Array<[string, unknown]> = [
          ['an undeclared filter field', { field: 'title', op: 'eq', value: 'x' }],
          ['the document id as a field', { field: 'id', op: 'eq', value: 's01' }],
          ['an operator as a field', { field: '$where', op: 'eq', value: 'sleep(1000)' }],
          ['a dotted field', { field: 'status.$ne', op: 'eq', value: 'x' }],
          ['__proto__ as a field', { field: '__proto__', op: 'eq', value: 'x' }],
          ['constructor as a field', { field: 'constructor', op: 'eq', value: 'x' }],
          ['an object as a field', { field: { $gt: '' }, op: 'eq', value: 'x' }],
          ['an operator object in eq', { field: 'status', op: 'eq', value: { $gt: '' } }],
          ['an operator object in eq on a number field', { field: 'priority', op: 'eq', value: { $gte: 0 } }],
          ['an array in eq', { field: 'status', op: 'eq', value: ['open'] }],
          ['an array in eq on a string[] field', { field: 'tags', op: 'eq', value: ['wegen'] }],
          ['a missing eq value', { field: 'status', op: 'eq' }],
          ['an operator object inside in', { field: 'status', op: 'in', values: [{ $ne: null }] }],
          ['null inside in', { field: 'status', op: 'in', values: [null] }],
          ['a nested array inside in', { field: 'tags', op: 'in', values: [['wegen']] }],
          ['in values that are not an array', { field: 'status', op: 'in', values: 'open' }],
          ['in values as an operator object', { field: 'status', op: 'in', values: { $exists: true } }],
          ['an empty in', { field: 'status', op: 'in', values: [] }],
          [
            'more than 100 in values',
            { field: 'priority', op: 'in', values: Array.from({ length: 101 }, (_, i) => i) },
          ],
          ['an operator object as a range bound', { field: 'createdAt', op: 'range', gte: { $gt: '' } }],
          ['a range without bounds', { field: 'priority', op: 'range' }],
          ['a range on a boolean field', { field: 'urgent', op: 'range', gte: 0 }],
          ['a string for a number field', { field: 'priority', op: 'eq', value: '3' }],
          ['a number for a string field', { field: 'status', op: 'eq', value: 3 }],
          ['a string for a boolean field', { field: 'urgent', op: 'eq', value: 'true' }],
          ['a number inside in on a string[] field', { field: 'tags', op: 'in', values: [1] }],
          ['a number bound on a string field', { field: 'createdAt', op: 'range', gte: 5 }],
          ['a string bound on a number field', { field: 'priority', op: 'range', lt: '5' }],
          ['NaN', { field: 'priority', op: 'eq', value: Number.NaN }],
          ['Infinity as a bound', { field: 'priority', op: 'range', lt: Number.POSITIVE_INFINITY }],
          ['an unknown operator', { field: 'status', op: 'regex', value: '.*' }],
          ['a filter that is not an object', 'status=open'],
          ['null as a filter', null],
        ];
        it.each(filters)('%s', async (_label, filter) => {
          const valid: Filter = { field: 'urgent', op: 'eq', value: true };
          await expectRefused(() => store.list(spec, { filters: [filter as Filter], limit: 10 }));
          await expectRefused(() => store.list(spec, { filters: [valid, filter as Filter], limit: 10 }));
        });

        it('filters that are not an array', async () => {
          const filter = { field: 'status', op: 'eq', value: 'open' };
          await expectRefused(() => store.list(spec, { filters: filter as unknown as Filter[], limit: 10 }));
        });

        const sorts: Array<[string, unknown]> = [
          ['a sort on an undeclared field', { field: 'title', direction: 'asc' }],
          ['a sort on an operator', { field: '$natural', direction: 'asc' }],
          ['a sort on an object', { field: { $meta: 'textScore' }, direction: 'asc' }],
          ['a sort on a string[] field', { field: 'tags', direction: 'asc' }],
          ['an unknown sort direction', { field: 'priority', direction: 'up' }],
          ['a numeric sort direction', { field: 'priority', direction: -1 }],
        ];
        it.each(sorts)('%s', async (_label, sort) => {
          await expectRefused(() => store.list(spec, { sort: sort as ListQuery['sort'], limit: 10 }));
        });

        const pages: Array<[string, unknown, unknown]> = [
          ['a limit over 1000', 1001, undefined],
          ['a negative limit', -1, undefined],
          ['a fractional limit', 1.5, undefined],
          ['a NaN limit', Number.NaN, undefined],
          ['a string limit', '10', undefined],
          ['a missing limit', undefined, undefined],
          ['a negative offset', 10, -1],
          ['a fractional offset', 10, 0.5],
          ['a string offset', 10, '1'],
        ];
        it.each(pages)('%s', async (_label, limit, offset) => {
          const query = { limit, ...(offset === undefined ? {} : { offset }) } as ListQuery;
          await expectRefused(() => store.list(spec, query));
        });

        it('ids that are not strings in get and getMany', async () => {
          await expectRefused(() => store.get(spec, { $gt: '' } as unknown as string));
          await expectRefused(() => store.get(spec, ['s01'] as unknown as string));
          await expectRefused(() => store.getMany(spec, ['s01', { $ne: null } as unknown as string]));
        });
      });

      it('accepts the maximum limit of 1000', async () => {
        expect((await store.list(spec, { limit: 1000 })).total).toBe(10);
      });
    });

    it('answers list filters alike whether they match few or many documents, page by page', async () => {
      // Tags common to most documents and tags of a few: a store may plan the two differently.
      const spec = aSpec({ partitionKey: 'status' });
      await store.ensureCollection(spec);
      const docs = Array.from({ length: 600 }, (_, i) => {
        const id = `d${String(i).padStart(4, '0')}`;
        const tags = ['common', ...(i % 3 === 0 ? ['third'] : []), ...(i % 97 === 0 ? ['rare'] : [])];
        return { id, status: i % 2 === 0 ? 'open' : 'closed', priority: (i * 37) % 101, tags };
      });
      await store.commit([
        aBatch(spec, { puts: docs.map((doc, i) => aPut(doc.id, BigInt(i + 1), doc)), checkpoint: 600n }),
      ]);
      const expected = (status: string, tags: string[]) =>
        docs
          .filter((doc) => doc.status === status && doc.tags.some((tag) => tags.includes(tag)))
          .sort((a, b) => b.priority - a.priority || (a.id < b.id ? -1 : 1))
          .map((doc) => doc.id);
      for (const tags of [['common'], ['third'], ['rare'], ['rare', 'third']]) {
        const all = expected('open', tags);
        for (const [limit, offset] of [
          [5, 0],
          [5, 40],
          [100, 0],
          [1000, 0],
        ] as const) {
          const page = await store.list(spec, {
            filters: [
              { field: 'status', op: 'eq', value: 'open' },
              { field: 'tags', op: 'in', values: tags },
            ],
            sort: { field: 'priority', direction: 'desc' },
            limit,
            offset,
          });
          expect(ids(page.items)).toEqual(all.slice(offset, offset + limit));
          expect(page.total).toBe(all.length);
          expect(page.hasMore).toBe(all.length > offset + limit);
        }
      }
    }, 60_000);

    it('pages through 1500 documents with the maximum limit', async () => {
      const spec = await aCollection();
      const puts = Array.from({ length: 1500 }, (_, i) => {
        const id = `d${String(i).padStart(4, '0')}`;
        return aPut(id, BigInt(i + 1), { id, priority: i % 7 });
      });
      await store.commit([aBatch(spec, { puts, checkpoint: 1500n })]);
      const first = await store.list(spec, { sort: { field: 'priority', direction: 'desc' }, limit: 1000 });
      const rest = await store.list(spec, {
        sort: { field: 'priority', direction: 'desc' },
        limit: 1000,
        offset: 1000,
      });
      expect(first.total).toBe(1500);
      expect(first.items).toHaveLength(1000);
      expect(rest.items).toHaveLength(500);
      const seen = [...ids(first.items), ...ids(rest.items)];
      expect(new Set(seen).size).toBe(1500);
      expect(first.items[0]).toEqual({ id: 'd0006', priority: 6 });
      expect(rest.items.at(-1)).toEqual({ id: 'd1498', priority: 0 });
    }, 60_000);

    describe('checkpoint and status', () => {
      it('has no checkpoint before the first commit, then the last committed one', async () => {
        const spec = await aCollection();
        expect(await store.checkpoint(spec)).toBeNull();
        await store.commit([aBatch(spec, { puts: [aPut('a', 5n)], checkpoint: 5n })]);
        expect(await store.checkpoint(spec)).toBe(5n);
        await store.commit([aBatch(spec, { checkpoint: 9n })]);
        expect(await store.checkpoint(spec)).toBe(9n);
        await store.commit([aBatch(spec, { checkpoint: BIG + 123n })]);
        expect(await store.checkpoint(spec)).toBe(BIG + 123n);
      });

      it('never moves a checkpoint back (a stale runner committing late)', async () => {
        const spec = await aCollection();
        await store.commit([aBatch(spec, { checkpoint: 100n, caughtUp: true })]);
        await store.commit([aBatch(spec, { checkpoint: 99n, caughtUp: false })]);
        expect(await store.checkpoint(spec)).toBe(100n);
        expect((await store.status(spec)).caughtUp).toBe(true);
      });

      it('keeps a version caught up once it was', async () => {
        const spec = await aCollection();
        await store.commit([aBatch(spec, { checkpoint: 10n, caughtUp: false })]);
        expect((await store.status(spec)).caughtUp).toBe(false);
        await store.commit([aBatch(spec, { checkpoint: 20n, caughtUp: true })]);
        await store.commit([aBatch(spec, { checkpoint: 30n, caughtUp: false })]);
        expect(await store.status(spec)).toMatchObject({ checkpoint: 30n, caughtUp: true });
      });

      it('keeps checkpoints per name and version', async () => {
        const v1 = await aCollection();
        const v2 = await aCollection({ name: v1.name, version: 2 });
        const other = await aCollection();
        await store.commit([aBatch(v1, { checkpoint: 7n })]);
        expect(await store.checkpoint(v1)).toBe(7n);
        expect(await store.checkpoint(v2)).toBeNull();
        expect(await store.checkpoint(other)).toBeNull();
      });

      it('reports checkpoint, active, caughtUp and parked', async () => {
        const spec = await aCollection();
        expect(await store.status(spec)).toEqual({
          name: spec.name,
          version: 1,
          checkpoint: null,
          active: false,
          caughtUp: false,
          parked: 0,
        });
        await store.commit([aBatch(spec, { parked: [aParkedEvent(3n)], checkpoint: 4n, caughtUp: false })]);
        expect(await store.status(spec)).toEqual({
          name: spec.name,
          version: 1,
          checkpoint: 4n,
          active: false,
          caughtUp: false,
          parked: 1,
        });
        await store.commit([aBatch(spec, { parked: [aParkedEvent(6n)], checkpoint: 8n, caughtUp: true })]);
        await store.activate(spec);
        expect(await store.status(spec)).toEqual({
          name: spec.name,
          version: 1,
          checkpoint: 8n,
          active: true,
          caughtUp: true,
          parked: 2,
        });
        const v2 = await aCollection({ name: spec.name, version: 2 });
        expect(await store.status(v2)).toEqual({
          name: spec.name,
          version: 2,
          checkpoint: null,
          active: false,
          caughtUp: false,
          parked: 0,
        });
      });
    });

    describe('parked events', () => {
      it('stores them exactly and lists the most recent first, limited', async () => {
        const spec = await aCollection();
        const at = (position: bigint) =>
          aParkedEvent(position, position === BIG ? { reason: 'Ünïcødé 𝔘 ✓ <script>alert(1)</script>' } : {});
        await store.commit([aBatch(spec, { parked: [at(10n), at(30n), at(20n)], checkpoint: 30n })]);
        await store.commit([aBatch(spec, { parked: [at(BIG), at(40n)], checkpoint: BIG })]);
        expect(await store.parked(spec)).toEqual([at(BIG), at(40n), at(30n), at(20n), at(10n)]);
        expect(await store.parked(spec, 2)).toEqual([at(BIG), at(40n)]);
        expect(await store.parked(spec, 0)).toEqual([]);
        expect((await store.status(spec)).parked).toBe(5);
      });

      it('keeps parked events per name and version', async () => {
        const v1 = await aCollection();
        const v2 = await aCollection({ name: v1.name, version: 2 });
        await store.commit([aBatch(v1, { parked: [aParkedEvent(1n)], checkpoint: 1n })]);
        expect(await store.parked(v2)).toEqual([]);
        expect((await store.status(v2)).parked).toBe(0);
      });

      it('refuses a limit over 1000 or below 0', async () => {
        const spec = await aCollection();
        await expectRefused(() => store.parked(spec, 1001));
        await expectRefused(() => store.parked(spec, -1));
      });
    });

    describe('versions', () => {
      it('has no active version until one is activated, then the last activated', async () => {
        const v1 = await aCollection();
        const v2 = await aCollection({ name: v1.name, version: 2 });
        expect(await store.activeVersion(v1.name)).toBeNull();
        await store.activate(v1);
        expect(await store.activeVersion(v1.name)).toBe(1);
        expect((await store.status(v1)).active).toBe(true);
        await store.activate(v2);
        expect(await store.activeVersion(v1.name)).toBe(2);
        expect((await store.status(v1)).active).toBe(false);
        expect((await store.status(v2)).active).toBe(true);
        await store.activate(v1);
        expect(await store.activeVersion(v1.name)).toBe(1);
        expect(await store.activeVersion(uniqueName())).toBeNull();
      });

      it('drop removes the documents, checkpoint and parked events of that version only', async () => {
        const v1 = await aCollection();
        const v2 = await aCollection({ name: v1.name, version: 2 });
        const fill = (spec: CollectionSpec) =>
          aBatch(spec, {
            puts: [
              aPut('a', 100n, { id: 'a', status: 'open' }),
              aPut('b', 101n, { id: 'b', status: 'open' }),
            ],
            parked: [aParkedEvent(99n)],
            checkpoint: 101n,
            caughtUp: true,
          });
        await store.commit([fill(v1), fill(v2)]);
        await store.activate(v2);

        await store.drop(v1);
        await store.ensureCollection(v1);
        expect(await store.get(v1, 'a')).toBeNull();
        expect(
          await store.list(v1, { filters: [{ field: 'status', op: 'eq', value: 'open' }], limit: 10 }),
        ).toEqual({
          items: [],
          total: 0,
          hasMore: false,
        });
        expect(await store.checkpoint(v1)).toBeNull();
        expect(await store.parked(v1)).toEqual([]);
        expect(await store.status(v1)).toEqual({
          name: v1.name,
          version: 1,
          checkpoint: null,
          active: false,
          caughtUp: false,
          parked: 0,
        });

        expect((await store.get(v2, 'a'))?.position).toBe(100n);
        expect((await store.list(v2, { limit: 10 })).total).toBe(2);
        expect(await store.status(v2)).toEqual({
          name: v1.name,
          version: 2,
          checkpoint: 101n,
          active: true,
          caughtUp: true,
          parked: 1,
        });

        // A rebuild after a drop starts from scratch: lower positions and checkpoints apply again.
        await store.commit([
          aBatch(v1, { puts: [aPut('a', 5n, { id: 'a', rebuilt: true })], checkpoint: 5n }),
        ]);
        expect(await store.get(v1, 'a')).toEqual({ id: 'a', doc: { id: 'a', rebuilt: true }, position: 5n });
        expect(await store.checkpoint(v1)).toBe(5n);
      });

      it('drop of the active version leaves no active version', async () => {
        const spec = await aCollection();
        await store.activate(spec);
        await store.drop(spec);
        expect(await store.activeVersion(spec.name)).toBeNull();
      });

      it('drops a collection that was never created without error', async () => {
        await store.drop(aSpec());
      });
    });

    describe('data fidelity', () => {
      it('round-trips unicode, awkward keys and JSON values exactly', async () => {
        const spec = await aCollection();
        const doc: JsonObject = {
          id: 'u1',
          status: 'Wachtlijsten jeugdhulp in Sint-Niklaas — “dringend” ✓ 𝔘 日本語 עברית é',
          title: 'NUL \u0000 inside, tab \t, newline \n, quote " and backslash \\',
          'key.with.dots': 1,
          $dollar: { $gt: '' },
          '': 'empty key',
          'ключ 🔑': ['🙂', '👩‍👩‍👧'],
          numbers: [0, 1, -1, 2.5, -3e-7, 9007199254740991, 1e308, 5e-324],
          flags: [true, false, null],
          nested: { deeper: { deepest: [[], {}, [[1]]] } },
          script: '<script>alert(1)</script>',
        };
        await store.commit([aBatch(spec, { puts: [aPut('ü/ñ 1', 1n, doc)], checkpoint: 1n })]);
        expect(await store.get(spec, 'ü/ñ 1')).toEqual({ id: 'ü/ñ 1', doc, position: 1n });
        expect((await store.getMany(spec, ['ü/ñ 1'])).get('ü/ñ 1')?.doc).toEqual(doc);
        const byStatus = await store.list(spec, {
          filters: [{ field: 'status', op: 'eq', value: doc['status'] as string }],
          limit: 10,
        });
        expect(byStatus.items).toEqual([doc]);
      });

      it('round-trips a document of about 100 kB', async () => {
        const spec = await aCollection();
        const rows = Array.from({ length: 600 }, (_, i) => ({
          n: i,
          text: `Rij ${i}: gemeente Gent — “melding” ✓ 𝔘 ${'x'.repeat(100)}`,
          ok: i % 2 === 0,
        }));
        const doc: JsonObject = { id: 'large', status: 'open', rows };
        expect(JSON.stringify(doc).length).toBeGreaterThan(100_000);
        await store.commit([aBatch(spec, { puts: [aPut('large', 1n, doc)], checkpoint: 1n })]);
        expect((await store.get(spec, 'large'))?.doc).toEqual(doc);
        expect((await store.list(spec, { limit: 1 })).items).toEqual([doc]);
      }, 30_000);
    });
  });
}
