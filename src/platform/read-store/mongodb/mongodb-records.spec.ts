import { describe, expect, it } from '@jest/globals';
import { Binary, BSON, MongoBulkWriteError, MongoServerError } from 'mongodb';
import type { JsonObject } from '../../json.js';
import type { CollectionSpec, ParkedEvent } from '../read-store.port.js';
import { servedInts } from '../served-form.js';
import { isDuplicateKey } from './mongodb-read-store.js';
import {
  fromParkedRecord,
  fromRecord,
  indexedCopies,
  planDocumentWrites,
  toParkedRecord,
  toRecord,
} from './mongodb-records.js';
import { encodePosition } from './position-codec.js';

const spec: CollectionSpec = {
  name: 'signal-inbox',
  version: 1,
  indexes: [
    { field: 'status', type: 'string' },
    { field: 'priority', type: 'number' },
    { field: 'urgent', type: 'boolean' },
    { field: 'tags', type: 'string[]' },
    { field: 'constructor', type: 'string' },
  ],
};

describe('indexed copies', () => {
  it('copies the declared fields of the declared types, null included', () => {
    const doc: JsonObject = {
      status: 'open',
      priority: 2.5,
      urgent: false,
      tags: ['a', 'b'],
      title: 'not declared',
    };
    expect(indexedCopies(spec, doc)).toEqual({
      status: 'open',
      priority: 2.5,
      urgent: false,
      tags: ['a', 'b'],
    });
    expect(indexedCopies(spec, { status: null, tags: null })).toEqual({ status: null, tags: null });
  });

  it('leaves out values of another type (they then read as missing) and inherited properties', () => {
    const doc: JsonObject = { status: 3, priority: '2', urgent: 'yes', tags: ['a', 1] };
    expect(indexedCopies(spec, doc)).toEqual({});
    expect(indexedCopies(spec, {})).toEqual({});
    expect(indexedCopies(spec, { status: { $gt: '' }, tags: 'a' })).toEqual({});
  });

  it('copies lists, not the document’s own array', () => {
    const tags = ['a'];
    const copies = indexedCopies(spec, { tags });
    expect(copies['tags']).toEqual(['a']);
    expect(copies['tags']).not.toBe(tags);
  });
});

describe('records', () => {
  it('stores the document as JSON text with an encoded position, and reads it back exactly', () => {
    const doc: JsonObject = { status: 'open', 'a.b': 1, $x: { $gt: '' }, nul: 'a\u0000b', lone: '\ud800' };
    const record = toRecord(spec, { id: 'd1', doc, position: 1n << 70n });
    expect(record).toEqual({
      _id: 'd1',
      d: JSON.stringify(doc),
      p: encodePosition(1n << 70n),
      i: { status: 'open' },
    });
    expect(fromRecord(record)).toEqual({ id: 'd1', doc, position: 1n << 70n });
  });

  it('refuses a document that is not a JSON object and an id that is not a string', () => {
    expect(() => toRecord(spec, { id: 'd1', doc: [] as unknown as JsonObject, position: 1n })).toThrow(
      expect.objectContaining({ code: 'INVALID_DOCUMENT' }),
    );
    expect(() => toRecord(spec, { id: { $ne: null } as unknown as string, doc: {}, position: 1n })).toThrow(
      expect.objectContaining({ code: 'INVALID_READ_QUERY' }),
    );
    expect(() => toRecord(spec, { id: 'd1', doc: {}, position: -1n })).toThrow(
      expect.objectContaining({ code: 'INVALID_POSITION' }),
    );
  });
});

describe('planDocumentWrites', () => {
  const put = (id: string, position: bigint) => ({ id, doc: { id, at: Number(position) }, position });

  it('keeps one write per document: the highest position, a put winning a tie', () => {
    const plan = planDocumentWrites(
      spec,
      [put('a', 20n), put('a', 10n), put('b', 10n), put('c', 30n), put('d', 5n)],
      [
        { id: 'b', position: 20n },
        { id: 'c', position: 20n },
        { id: 'd', position: 5n },
        { id: 'e', position: 1n },
      ],
    );
    expect(plan.map(({ kind, id, p }) => ({ kind, id, p }))).toEqual([
      { kind: 'put', id: 'a', p: encodePosition(20n) },
      { kind: 'delete', id: 'b', p: encodePosition(20n) },
      { kind: 'put', id: 'c', p: encodePosition(30n) },
      { kind: 'put', id: 'd', p: encodePosition(5n) },
      { kind: 'delete', id: 'e', p: encodePosition(1n) },
    ]);
    const a = plan[0]!;
    expect(a.kind === 'put' && JSON.parse(a.record.d)).toEqual({ id: 'a', at: 20 });
  });

  it('compares positions numerically', () => {
    const [write] = planDocumentWrites(spec, [put('a', 9n), put('a', 10n), put('a', 2n)], []);
    expect(write?.p).toBe(encodePosition(10n));
  });
});

describe('parked records', () => {
  const event: ParkedEvent = {
    position: 1n << 70n,
    eventId: '0198c0de-0000-7000-8000-000000000001',
    eventType: 'SignalSubmitted',
    stream: 'signal-0198c0de',
    reason: 'missing “title” ✗',
    parkedAt: '2026-11-28T10:00:00.000Z',
  };

  it('keys a parked event by version and event id, so a replay overwrites it', () => {
    const record = toParkedRecord(spec, event);
    expect(record).toEqual({
      _id: 'rm_signal-inbox_v1/0198c0de-0000-7000-8000-000000000001',
      n: 'signal-inbox',
      v: 1,
      p: encodePosition(1n << 70n),
      eventId: event.eventId,
      eventType: event.eventType,
      stream: event.stream,
      reason: event.reason,
      parkedAt: event.parkedAt,
    });
    expect(fromParkedRecord(record)).toEqual(event);
  });

  it('refuses fields that are not strings', () => {
    expect(() => toParkedRecord(spec, { ...event, reason: { $set: 1 } as unknown as string })).toThrow(
      expect.objectContaining({ code: 'INVALID_DOCUMENT' }),
    );
  });
});

describe('isDuplicateKey', () => {
  const bulkError = (codes: number[], writeConcernError?: object): MongoBulkWriteError =>
    Object.assign(Object.create(MongoBulkWriteError.prototype) as MongoBulkWriteError, {
      writeErrors: codes.map((code) => ({ code })),
      result: { getWriteConcernError: () => writeConcernError },
    });

  it('accepts a bulk failure made only of duplicate keys (guarded upserts that lost to newer writes)', () => {
    expect(isDuplicateKey(bulkError([11000]))).toBe(true);
    expect(isDuplicateKey(bulkError([11000, 11000]))).toBe(true);
    expect(isDuplicateKey(new MongoServerError({ message: 'E11000 duplicate key', code: 11000 }))).toBe(true);
  });

  it('rejects anything else', () => {
    expect(isDuplicateKey(bulkError([11000, 121]))).toBe(false);
    expect(isDuplicateKey(bulkError([]))).toBe(false);
    expect(isDuplicateKey(bulkError([11000], { code: 64 }))).toBe(false);
    expect(isDuplicateKey(new MongoServerError({ message: 'WriteConflict', code: 112 }))).toBe(false);
    expect(isDuplicateKey(new Error('E11000'))).toBe(false);
    expect(isDuplicateKey({ code: 11000 })).toBe(false);
  });
});

describe('served forms in records', () => {
  const form = { json: '"total":3,"t":"€"', ints: Int32Array.of(20_000, -1, 2 ** 31 - 1) };

  it('keeps a served form beside the document in a collection with served forms, through BSON', () => {
    const record = toRecord(
      { ...spec, served: true },
      { id: 'a', doc: { id: 'a' }, position: 7n, served: form },
    );
    const read = BSON.deserialize(BSON.serialize(record));
    expect(read['s']).toBe(form.json);
    expect(read['n']).toBeInstanceOf(Binary);
    expect([...servedInts((read['n'] as Binary).value())]).toEqual([20_000, -1, 2 ** 31 - 1]);
    expect(fromRecord(read as typeof record)).toEqual({ id: 'a', doc: { id: 'a' }, position: 7n });
  });

  it('leaves it out in a collection without served forms, and when the put has none', () => {
    const plain = toRecord(spec, { id: 'a', doc: { id: 'a' }, position: 7n, served: form });
    expect(plain).not.toHaveProperty('s');
    expect(plain).not.toHaveProperty('n');
    const none = toRecord({ ...spec, served: true }, { id: 'a', doc: { id: 'a' }, position: 7n });
    expect(none).not.toHaveProperty('s');
  });
});
