import type { JsonObject } from '../json.js';

/** The kinds of top-level document fields a read model may declare for querying. */
export type IndexType = 'string' | 'number' | 'boolean' | 'string[]';

export interface IndexDeclaration {
  field: string;
  type: IndexType;
  /**
   * false: queryable (filters, sorts) without an index of its own, for fields that only narrow
   * what another index found (few distinct values, such as a flag or an urgency). Every index
   * costs on each write and in every rebuild. Default true.
   */
  indexed?: boolean;
  /**
   * Further indexes of this field, each behind one equality field (after the partition key), for
   * a list that filters on a flag and sorts on this field: `updatedAt` behind `open` reads the page
   * of open documents in `updatedAt` order without passing the closed ones. Scalar fields only.
   */
  behind?: readonly string[];
}

/** A read model's physical collection: one per projection name and schema version. */
export interface CollectionSpec {
  /** e.g. `signal-inbox` */
  name: string;
  version: number;
  indexes: readonly IndexDeclaration[];
  /**
   * A declared `string` index that nearly every query filters on by equality (a tenant): stores
   * lead each index with it, so that a query's cost follows the partition's size, not the total.
   */
  partitionKey?: string;
  /**
   * Documents carry a served form (`ServedForm`), stored beside each document and read by
   * `getServed`: the read model's answer as a query sends it, computed when the document is written.
   */
  served?: boolean;
}

export type Scalar = string | number | boolean;

/**
 * Typed filters, built by the server from validated parameters; never a request object. On a
 * `string[]` field, `eq` and `in` match documents whose array holds the value(s).
 */
export type Filter =
  | { field: string; op: 'eq'; value: Scalar | null }
  | { field: string; op: 'in'; values: readonly Scalar[] }
  | {
      field: string;
      op: 'range';
      gte?: string | number;
      gt?: string | number;
      lte?: string | number;
      lt?: string | number;
    };

export interface ListQuery {
  filters?: readonly Filter[];
  sort?: { field: string; direction: 'asc' | 'desc' };
  limit: number;
  offset?: number;
  /**
   * Whether to count every match (default true). A count costs with the number of matches, so it
   * grows with history where a page does not: lists that must stay fast leave it out and page
   * on `hasMore`.
   */
  count?: boolean;
  /**
   * Top-level fields to leave out of each document: the bulk a list does not show (a store that
   * can cut it out before the document reaches JavaScript does).
   */
  omit?: readonly string[];
}

export interface ListResult<D> {
  items: D[];
  /** Number of matches over all pages; null when the query asked for no count. */
  total: number | null;
  /** Whether matches follow this page. */
  hasMore: boolean;
}

export interface StoredDocument<D extends JsonObject = JsonObject> {
  id: string;
  doc: D;
  /** Global position of the last event applied to this document. */
  position: bigint;
}

/**
 * A document's answer as queries serve it, computed from the document when it is written (the
 * read model stores what it answers, so a query parses and walks nothing that grows with history):
 * `json`, a fragment of JSON text sent as it is; `ints`, integers the query reads at fixed places
 * for what depends on the moment of asking (prefix sums over days, say), without parsing them.
 */
export interface ServedForm {
  json: string;
  ints: Int32Array;
}

/**
 * A served form's integers as a query reads them: an Int32Array, or a store's view of the words
 * it keeps, read one at a time (the SQLite store's; see StoredWords).
 */
export interface ServedInts extends Iterable<number> {
  readonly length: number;
  /** The integer at `index`, as Int32Array's `at` (a negative index counts from the end). */
  at(index: number): number | undefined;
}

export interface StoredServedForm {
  json: string;
  ints: ServedInts;
  /** Global position of the last event applied to the document it was computed from. */
  position: bigint;
}

/**
 * A document a projection runner writes. `storedLists` is what the runner knows of the stored copy
 * (it is the collection's only writer): 'absent', there is none; 'same', it has the same values in
 * every list index (and the same partition value). A store that keeps list indexes apart may then
 * leave them as they are; without it the store rewrites them.
 */
export interface DocumentPut<D extends JsonObject = JsonObject> extends StoredDocument<D> {
  storedLists?: 'absent' | 'same';
  /** The document's served form, in a collection with `served` (without it, none is stored). */
  served?: ServedForm;
}

/** What one batch of a projection runner writes, atomically with the checkpoint where the store can. */
export interface ProjectionBatch {
  collection: CollectionSpec;
  puts: ReadonlyArray<DocumentPut>;
  deletes: ReadonlyArray<{ id: string; position: bigint }>;
  parked: ReadonlyArray<ParkedEvent>;
  /**
   * The checkpoint after this batch: the last global position the projection has seen; null leaves
   * the stored checkpoint as it is (a runner with a share of the tenants: sealShares sets it).
   */
  checkpoint: bigint | null;
  /** Whether the projection has caught up with the store (marks a rebuilt version as ready). */
  caughtUp: boolean;
}

export interface ParkedEvent {
  position: bigint;
  eventId: string;
  eventType: string;
  stream: string;
  reason: string;
  parkedAt: string;
}

export interface ProjectionStatus {
  name: string;
  version: number;
  checkpoint: bigint | null;
  /** The version queries are served from; a newer one rebuilds beside it until caught up. */
  active: boolean;
  caughtUp: boolean;
  parked: number;
}

export class ReadStoreQueryError extends Error {
  readonly code = 'INVALID_READ_QUERY';
}

export interface EnsureCollectionOptions {
  /**
   * Create the collection without its query indexes (a build from scratch writes faster without
   * them); `ensureIndexes` adds them. Queries are answered either way.
   */
  deferIndexes?: boolean;
}

export abstract class ReadStore {
  /** Creates the collection, and its indexes unless deferred, when missing. */
  abstract ensureCollection(spec: CollectionSpec, options?: EnsureCollectionOptions): Promise<void>;

  /**
   * Makes the collection's query indexes those its spec declares: builds the missing ones, drops
   * one it no longer declares (or declares otherwise, which is then built as declared), and
   * refreshes the query planner's statistics.
   */
  abstract ensureIndexes(spec: CollectionSpec): Promise<void>;

  abstract get<D extends JsonObject>(spec: CollectionSpec, id: string): Promise<StoredDocument<D> | null>;

  /**
   * The served form stored with a document of a collection with `served`; null when there is no
   * such document or no form was stored with it (the query then reads the document itself).
   */
  abstract getServed(spec: CollectionSpec, id: string): Promise<StoredServedForm | null>;

  abstract getMany<D extends JsonObject>(
    spec: CollectionSpec,
    ids: readonly string[],
  ): Promise<Map<string, StoredDocument<D>>>;

  abstract list<D extends JsonObject>(spec: CollectionSpec, query: ListQuery): Promise<ListResult<D>>;

  /** Writes documents, parked events and checkpoints of several projections together. */
  abstract commit(batches: readonly ProjectionBatch[]): Promise<void>;

  abstract checkpoint(spec: CollectionSpec): Promise<bigint | null>;

  abstract status(spec: CollectionSpec): Promise<ProjectionStatus>;

  abstract parked(spec: CollectionSpec, limit?: number): Promise<ParkedEvent[]>;

  /** The version of a read model that queries use; null before any version finished a build. */
  abstract activeVersion(name: string): Promise<number | null>;

  abstract activate(spec: CollectionSpec): Promise<void>;

  /** Removes a collection with its checkpoint and parked events (old versions, rebuilds). */
  abstract drop(spec: CollectionSpec): Promise<void>;

  /**
   * Makes content that documents no longer hold unrecoverable from the store's own files, as far
   * as the store can: after an erasure has been applied, the erased text must not linger in free
   * pages or a write-ahead log.
   */
  abstract scrub(): Promise<void>;

  abstract close(): Promise<void>;
}
