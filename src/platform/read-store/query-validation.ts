import type { JsonObject } from '../json.js';
import {
  ReadStoreQueryError,
  type CollectionSpec,
  type IndexDeclaration,
  type ListQuery,
  type Scalar,
} from './read-store.port.js';

export const MAX_LIMIT = 1000;
const NAME = /^[a-z][a-z0-9-]{0,40}$/;
const FIELD = /^[a-zA-Z][a-zA-Z0-9]{0,40}$/;

/** Collection and field names end up in SQL identifiers and Mongo paths: only safe shapes pass. */
export function assertCollectionSpec(spec: CollectionSpec): void {
  if (!NAME.test(spec.name)) throw new ReadStoreQueryError(`Read model name "${spec.name}" is not a slug`);
  if (!Number.isInteger(spec.version) || spec.version < 1) {
    throw new ReadStoreQueryError(`Read model ${spec.name} has an invalid version`);
  }
  for (const index of spec.indexes) {
    if (!FIELD.test(index.field))
      throw new ReadStoreQueryError(`Index field "${index.field}" is not a plain name`);
    for (const lead of index.behind ?? []) {
      const declared = spec.indexes.find((other) => other.field === lead);
      if (!declared || declared.type === 'string[]' || index.type === 'string[]')
        throw new ReadStoreQueryError(
          `Index ${index.field} can only be kept behind a declared scalar field, not "${lead}"`,
        );
    }
  }
  if (
    spec.partitionKey !== undefined &&
    !spec.indexes.some((index) => index.field === spec.partitionKey && index.type === 'string')
  ) {
    throw new ReadStoreQueryError(`Partition key "${spec.partitionKey}" is no declared string index`);
  }
}

/** A filter value must have the declared field's type; values are never echoed (they may be personal). */
function valueFor(index: IndexDeclaration, value: unknown): Scalar {
  const ok =
    index.type === 'string' || index.type === 'string[]'
      ? typeof value === 'string'
      : index.type === 'number'
        ? typeof value === 'number' && Number.isFinite(value)
        : typeof value === 'boolean';
  if (!ok)
    throw new ReadStoreQueryError(
      `Field ${index.field} takes ${index.type === 'string[]' ? 'string' : index.type} values`,
    );
  return value as Scalar;
}

export function assertDocumentId(id: unknown): asserts id is string {
  if (typeof id !== 'string') throw new ReadStoreQueryError('A document id must be a string');
}

/** Checks a query against the declared indexes; returns the index of each filtered/sorted field. */
const MAX_FIELDS = 32;
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** Checks `ListQuery.omit`: 1 to 32 top-level field names of letters, digits and _. */
export function checkOmit(fields: unknown): void {
  if (fields === undefined) return;
  if (!Array.isArray(fields) || fields.length === 0 || fields.length > MAX_FIELDS)
    throw new ReadStoreQueryError(`omit needs 1 to ${MAX_FIELDS} field names`);
  for (const field of fields as unknown[])
    if (typeof field !== 'string' || !FIELD_NAME.test(field))
      throw new ReadStoreQueryError(`"${String(field)}" is not a top-level field name`);
}

/** A document without the named top-level fields (for stores that read it whole). */
export function omitFields(doc: JsonObject, fields: readonly string[]): JsonObject {
  for (const field of fields) delete doc[field];
  return doc;
}

export function validateListQuery(spec: CollectionSpec, query: ListQuery): Map<string, IndexDeclaration> {
  const indexes = new Map(spec.indexes.map((index) => [index.field, index]));
  const declared = (field: string): IndexDeclaration => {
    const index = indexes.get(field);
    if (!index) throw new ReadStoreQueryError(`Field "${field}" of ${spec.name} is not indexed`);
    return index;
  };
  if (!Number.isInteger(query.limit) || query.limit < 0 || query.limit > MAX_LIMIT) {
    throw new ReadStoreQueryError(`limit must be a whole number from 0 to ${MAX_LIMIT}`);
  }
  if (query.offset !== undefined && (!Number.isInteger(query.offset) || query.offset < 0)) {
    throw new ReadStoreQueryError('offset must be a whole number ≥ 0');
  }
  if (query.count !== undefined && typeof query.count !== 'boolean')
    throw new ReadStoreQueryError('count must be true or false');
  checkOmit(query.omit);
  if (query.filters !== undefined && !Array.isArray(query.filters))
    throw new ReadStoreQueryError('Filters must be an array');
  for (const filter of query.filters ?? []) {
    if (typeof filter !== 'object' || filter === null)
      throw new ReadStoreQueryError('A filter must be an object');
    const index = declared(filter.field);
    switch (filter.op) {
      case 'eq':
        if (filter.value !== null) valueFor(index, filter.value);
        break;
      case 'in':
        if (!Array.isArray(filter.values) || filter.values.length === 0 || filter.values.length > 100) {
          throw new ReadStoreQueryError(`Filter "in" on ${filter.field} needs 1 to 100 values`);
        }
        for (const value of filter.values) valueFor(index, value);
        break;
      case 'range': {
        if (index.type === 'boolean')
          throw new ReadStoreQueryError(`Field ${filter.field} (boolean) cannot be filtered by range`);
        const bounds = [filter.gte, filter.gt, filter.lte, filter.lt].filter((b) => b !== undefined);
        if (bounds.length === 0)
          throw new ReadStoreQueryError(`Filter "range" on ${filter.field} needs a bound`);
        for (const value of bounds) valueFor(index, value);
        break;
      }
      default:
        throw new ReadStoreQueryError('Unknown filter operator');
    }
  }
  if (query.sort) {
    const index = declared(query.sort.field);
    if (index.type === 'string[]')
      throw new ReadStoreQueryError(`Cannot sort on the list field ${query.sort.field}`);
    if (query.sort.direction !== 'asc' && query.sort.direction !== 'desc') {
      throw new ReadStoreQueryError('sort direction must be asc or desc');
    }
  }
  return indexes;
}

/** Positions as fixed-width decimal text: ordered as strings, lossless beyond 2^64 (EventStoreDB). */
export function encodePosition(position: bigint): string {
  if (position < 0n) throw new RangeError('A position is never negative');
  return position.toString().padStart(40, '0');
}

export function decodePosition(text: string): bigint {
  return BigInt(text);
}
