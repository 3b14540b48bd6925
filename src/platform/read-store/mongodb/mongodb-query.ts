import type { Document } from 'mongodb';
import {
  ReadStoreQueryError,
  type CollectionSpec,
  type IndexDeclaration,
  type IndexType,
  type Scalar,
} from '../read-store.port.js';
import { InvalidCollectionSpecError } from './errors.js';

export const MAX_LIST_LIMIT = 1000;
export const MAX_IN_VALUES = 100;

/** Read-model names become part of a collection name: no `.`, `$`, `/` or NUL can reach it. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;
/** Declared fields become `i.<field>` paths: no dots, no `$`, no `__proto__`. */
const FIELD = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const INDEX_TYPES: ReadonlySet<string> = new Set<IndexType>(['string', 'number', 'boolean', 'string[]']);
const RANGE_BOUNDS = ['gte', 'gt', 'lte', 'lt'] as const;

export type SortSpec = Record<string, 1 | -1>;

export function validateName(name: unknown): string {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new InvalidCollectionSpecError('A read-model name must match [A-Za-z0-9][A-Za-z0-9_-]{0,99}');
  }
  return name;
}

export function validateSpec(spec: CollectionSpec): void {
  if (typeof spec !== 'object' || spec === null)
    throw new InvalidCollectionSpecError('A collection spec is required');
  validateName(spec.name);
  if (!Number.isSafeInteger(spec.version) || spec.version < 0) {
    throw new InvalidCollectionSpecError(`Version of ${spec.name} must be a non-negative integer`);
  }
  if (!Array.isArray(spec.indexes))
    throw new InvalidCollectionSpecError(`Indexes of ${spec.name} must be an array`);
  const seen = new Set<string>();
  for (const index of spec.indexes as readonly unknown[]) {
    const { field, type } = (index ?? {}) as Partial<Record<keyof IndexDeclaration, unknown>>;
    if (typeof field !== 'string' || !FIELD.test(field)) {
      throw new InvalidCollectionSpecError(
        `An index field of ${spec.name} must match [A-Za-z][A-Za-z0-9_]{0,63}`,
      );
    }
    if (typeof type !== 'string' || !INDEX_TYPES.has(type)) {
      throw new InvalidCollectionSpecError(`Index ${field} of ${spec.name} has an unknown type`);
    }
    if (seen.has(field))
      throw new InvalidCollectionSpecError(`Index ${field} of ${spec.name} is declared twice`);
    seen.add(field);
  }
  const { partitionKey } = spec;
  if (
    partitionKey !== undefined &&
    !spec.indexes.some((index) => index.field === partitionKey && index.type === 'string')
  ) {
    throw new InvalidCollectionSpecError(`Partition key of ${spec.name} is no declared string index`);
  }
  for (const index of spec.indexes) {
    for (const first of index.behind ?? []) {
      const declared = spec.indexes.find((other) => other.field === first);
      if (!declared || declared.type === 'string[]' || index.type === 'string[]')
        throw new InvalidCollectionSpecError(
          `Index ${index.field} of ${spec.name} can only be kept behind a declared scalar field`,
        );
    }
  }
}

/** `rm_<name>_v<version>`: the trailing `_v<digits>` is unambiguous, so no two specs share a name. */
export function collectionName(spec: CollectionSpec): string {
  return `rm_${spec.name}_v${spec.version}`;
}

export function indexPath(field: string): string {
  return `i.${field}`;
}

/**
 * The compound key behind each declared field, led by the partition key when there is one; `_id`
 * last serves the tie-break of sorts.
 */
export function indexKeys(spec: CollectionSpec): Array<{ name: string; key: Record<string, 1> }> {
  const partition = spec.partitionKey;
  const lead = (field: string): Record<string, 1> =>
    partition === undefined || partition === field ? {} : { [indexPath(partition)]: 1 };
  const single = spec.indexes
    .filter((index) => index.indexed !== false)
    .map((index) => ({
      name: `i_${index.field}`,
      key: { ...lead(index.field), [indexPath(index.field)]: 1, _id: 1 } as Record<string, 1>,
    }));
  const behind = spec.indexes.flatMap((index) =>
    (index.behind ?? []).map((first) => ({
      name: `i_${index.field}_behind_${first}`,
      key: {
        ...lead(first),
        [indexPath(first)]: 1,
        [indexPath(index.field)]: 1,
        _id: 1,
      } as Record<string, 1>,
    })),
  );
  return [...single, ...behind];
}

function refuse(message: string): never {
  throw new ReadStoreQueryError(message);
}

function declared(spec: CollectionSpec, field: unknown): IndexDeclaration {
  if (typeof field !== 'string') refuse('A filter or sort field must be a string');
  const index = spec.indexes.find((candidate) => candidate.field === field);
  if (!index) refuse(`Field "${field.slice(0, 64)}" is not declared as an index of ${spec.name}`);
  return index;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value for `eq`/`in` on a declared field; values are never echoed into messages (they may be personal). */
function scalarFor(index: IndexDeclaration, value: unknown): Scalar {
  switch (index.type) {
    case 'string':
    case 'string[]':
      if (typeof value === 'string') return value;
      return refuse(`Field "${index.field}" takes string values`);
    case 'number':
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      return refuse(`Field "${index.field}" takes finite number values`);
    case 'boolean':
      if (typeof value === 'boolean') return value;
      return refuse(`Field "${index.field}" takes boolean values`);
  }
}

function boundFor(index: IndexDeclaration, value: unknown): string | number {
  if (index.type === 'boolean') refuse(`Field "${index.field}" (boolean) cannot be filtered by range`);
  return scalarFor(index, value) as string | number;
}

function clause(spec: CollectionSpec, filter: unknown): Document {
  if (!isRecord(filter)) refuse('A filter must be an object');
  const index = declared(spec, filter['field']);
  const path = indexPath(index.field);
  switch (filter['op']) {
    case 'eq': {
      const value = filter['value'];
      if (value !== null) return { [path]: { $eq: scalarFor(index, value) } };
      // null matches a missing field too; on a list, "no value" includes the empty list.
      if (index.type === 'string[]') return { $or: [{ [path]: { $eq: null } }, { [path]: { $size: 0 } }] };
      return { [path]: { $eq: null } };
    }
    case 'in': {
      const values = filter['values'];
      if (!Array.isArray(values) || values.length === 0 || values.length > MAX_IN_VALUES) {
        refuse(`Filter "in" on "${index.field}" needs 1 to ${MAX_IN_VALUES} values`);
      }
      return { [path]: { $in: (values as readonly unknown[]).map((value) => scalarFor(index, value)) } };
    }
    case 'range': {
      const condition: Record<string, string | number> = {};
      for (const bound of RANGE_BOUNDS) {
        const value = filter[bound];
        if (value !== undefined) condition[`$${bound}`] = boundFor(index, value);
      }
      if (Object.keys(condition).length === 0) refuse(`Filter "range" on "${index.field}" needs a bound`);
      // On a list, one element must satisfy every bound (not one element each).
      return { [path]: index.type === 'string[]' ? { $elemMatch: condition } : condition };
    }
    default:
      return refuse(`Unknown filter operator on "${index.field}"`);
  }
}

/**
 * Builds the query from typed filters only: every operator and path comes from this function and
 * the declaration, and every value is a checked scalar, so a request object cannot smuggle an
 * operator (`{ $gt: '' }`) through to the server.
 */
export function toMongoFilter(spec: CollectionSpec, filters: unknown): Document {
  if (filters === undefined) return {};
  if (!Array.isArray(filters)) refuse('Filters must be an array');
  const clauses = (filters as readonly unknown[]).map((filter) => clause(spec, filter));
  return clauses.length === 0 ? {} : { $and: clauses };
}

/** Sorts on a declared scalar field, ties (and unsorted lists) ordered by document id ascending. */
export function toMongoSort(spec: CollectionSpec, sort: unknown): SortSpec {
  if (sort === undefined) return { _id: 1 };
  if (!isRecord(sort)) refuse('A sort must be an object');
  const index = declared(spec, sort['field']);
  if (index.type === 'string[]') refuse(`Field "${index.field}" holds a list and cannot be sorted on`);
  const direction = sort['direction'];
  if (direction !== 'asc' && direction !== 'desc') refuse('A sort direction must be "asc" or "desc"');
  return { [indexPath(index.field)]: direction === 'asc' ? 1 : -1, _id: 1 };
}

export function checkLimit(limit: unknown): number {
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0 || limit > MAX_LIST_LIMIT) {
    refuse(`A limit must be an integer from 0 to ${MAX_LIST_LIMIT}`);
  }
  return limit;
}

export function checkPage(query: unknown): { limit: number; offset: number } {
  if (!isRecord(query)) refuse('A list query must be an object');
  const limit = checkLimit(query['limit']);
  const offset = query['offset'] ?? 0;
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) {
    refuse('An offset must be a non-negative integer');
  }
  if (query['count'] !== undefined && typeof query['count'] !== 'boolean')
    refuse('count must be true or false');
  return { limit, offset };
}

export function checkId(id: unknown): string {
  if (typeof id !== 'string') refuse('A document id must be a string');
  return id;
}
