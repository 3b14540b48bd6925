import { Binary } from 'mongodb';
import type { JsonObject } from '../../json.js';
import type { CollectionSpec, DocumentPut, ParkedEvent, StoredDocument } from '../read-store.port.js';
import { servedBytes } from '../served-form.js';
import { InvalidDocumentError } from './errors.js';
import { checkId, collectionName } from './mongodb-query.js';
import { decodePosition, encodePosition } from './position-codec.js';

export type IndexValue = string | number | boolean | null | string[];

/**
 * One read-model document. `d` is the document as JSON text: lossless for any plain JSON (keys
 * with `.`, `$` or NUL, lone surrogates), which BSON field names are not; queries never look
 * inside it, they use the copies of the declared fields under `i`.
 */
export interface ReadModelRecord {
  _id: string;
  d: string;
  p: string;
  i: Record<string, IndexValue>;
  /** The served form (collections with `served`): its JSON text and its integers as little-endian words. */
  s?: string;
  n?: Binary;
}

export interface CheckpointRecord {
  _id: string;
  n: string;
  v: number;
  c: string;
  caughtUp: boolean;
}

export interface VersionRecord {
  _id: string;
  v: number;
}

export interface ParkedRecord {
  _id: string;
  n: string;
  v: number;
  p: string;
  eventId: string;
  eventType: string;
  stream: string;
  reason: string;
  parkedAt: string;
}

/** The value stored for querying, or undefined (left out, so it reads as null) when the type differs. */
function indexValue(type: string, value: unknown): IndexValue | undefined {
  if (value === null) return null;
  switch (type) {
    case 'string':
      return typeof value === 'string' ? value : undefined;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
    case 'boolean':
      return typeof value === 'boolean' ? value : undefined;
    case 'string[]':
      return Array.isArray(value) && value.every((item) => typeof item === 'string') ? [...value] : undefined;
    default:
      return undefined;
  }
}

export function indexedCopies(spec: CollectionSpec, doc: JsonObject): Record<string, IndexValue> {
  const copies: Record<string, IndexValue> = {};
  for (const { field, type } of spec.indexes) {
    const value = Object.hasOwn(doc, field) ? indexValue(type, doc[field]) : undefined;
    if (value !== undefined) copies[field] = value;
  }
  return copies;
}

export function toRecord(spec: CollectionSpec, stored: DocumentPut): ReadModelRecord {
  const { doc, served } = stored;
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new InvalidDocumentError(`Document ${stored.id} of ${spec.name} is not a JSON object`);
  }
  const record: ReadModelRecord = {
    _id: checkId(stored.id),
    d: JSON.stringify(doc),
    p: encodePosition(stored.position),
    i: indexedCopies(spec, doc),
  };
  if (spec.served === true && served !== undefined) {
    if (typeof served.json !== 'string') throw new InvalidDocumentError('A served form needs JSON text');
    record.s = served.json;
    record.n = new Binary(servedBytes(served.ints));
  }
  return record;
}

export function fromRecord<D extends JsonObject>(record: ReadModelRecord): StoredDocument<D> {
  return { id: record._id, doc: JSON.parse(record.d) as D, position: decodePosition(record.p) };
}

export type DocumentWrite =
  { kind: 'put'; id: string; p: string; record: ReadModelRecord } | { kind: 'delete'; id: string; p: string };

/**
 * One write per document id: the one with the highest position (a put wins a tie, as it would
 * applied before the delete). The store then applies writes in any order, guarded by position.
 */
export function planDocumentWrites(
  spec: CollectionSpec,
  puts: ReadonlyArray<DocumentPut>,
  deletes: ReadonlyArray<{ id: string; position: bigint }>,
): DocumentWrite[] {
  const plan = new Map<string, DocumentWrite>();
  for (const put of puts) {
    const record = toRecord(spec, put);
    const current = plan.get(record._id);
    if (!current || current.p < record.p)
      plan.set(record._id, { kind: 'put', id: record._id, p: record.p, record });
  }
  for (const del of deletes) {
    const id = checkId(del.id);
    const p = encodePosition(del.position);
    const current = plan.get(id);
    if (!current || current.p < p) plan.set(id, { kind: 'delete', id, p });
  }
  return [...plan.values()];
}

export function toParkedRecord(spec: CollectionSpec, event: ParkedEvent): ParkedRecord {
  const text = (value: unknown, what: string): string => {
    if (typeof value !== 'string')
      throw new InvalidDocumentError(`A parked event's ${what} must be a string`);
    return value;
  };
  const eventId = text(event.eventId, 'eventId');
  return {
    _id: `${collectionName(spec)}/${eventId}`,
    n: spec.name,
    v: spec.version,
    p: encodePosition(event.position),
    eventId,
    eventType: text(event.eventType, 'eventType'),
    stream: text(event.stream, 'stream'),
    reason: text(event.reason, 'reason'),
    parkedAt: text(event.parkedAt, 'parkedAt'),
  };
}

export function fromParkedRecord(record: ParkedRecord): ParkedEvent {
  return {
    position: decodePosition(record.p),
    eventId: record.eventId,
    eventType: record.eventType,
    stream: record.stream,
    reason: record.reason,
    parkedAt: record.parkedAt,
  };
}
