import type { RecordedEvent } from '../src/platform/event-store/event-store.port.js';
import type { JsonObject } from '../src/platform/json.js';
import type {
  CollectionSpec,
  IndexDeclaration,
  ServedForm,
} from '../src/platform/read-store/read-store.port.js';

/**
 * A read model as pure code: which events it handles, which document an event changes, and how.
 * `evolve` gets a document no one else holds (the runner's working copy) and may change it in
 * place or return a new one; null deletes the document. It throws only on events it cannot
 * handle, and checks an event fully before changing anything: the runner parks a refused event
 * with the error's message, keeps the document as it was and goes on.
 */
export interface Projection<Doc extends JsonObject = JsonObject> {
  name: string;
  schemaVersion: number;
  handles: readonly string[];
  indexes: readonly IndexDeclaration[];
  /** The declared string index nearly every query filters on by equality (see CollectionSpec). */
  partitionKey?: string;
  documentId(event: RecordedEvent): string | null;
  /**
   * For a read model where one event changes several documents (a dossier created with its member
   * signals changes each signal's document): every id the event changes, evolved one by one.
   * When present it is used instead of `documentId`.
   */
  documentIds?(event: RecordedEvent): readonly string[];
  evolve(document: Doc | null, event: RecordedEvent): Doc | null;
  /**
   * Whether events seldom change a document any more (a closed signal's). Catching up with less
   * memory than the changed documents need, the runner writes settled documents first and drops
   * them from memory first, so that documents still changing stay in memory (written once rather
   * than written, read back and written again). Optional: without it, the least recently used go
   * first.
   */
  settled?(document: Doc): boolean;
  /**
   * The document's answer as its query serves it, computed whenever the runner writes the document
   * and stored beside it (`ReadStore.getServed`), so that the query parses and walks nothing that
   * grows with history. Pure: the same document gives the same form. Adding one to a read model
   * calls for a new schema version, which builds every document's form.
   */
  serve?(document: Doc): ServedForm;
}

/** The documents an event changes: `documentIds` when the projection has it, else `documentId`. */
export function documentIdsOf(projection: Projection, event: RecordedEvent): readonly string[] {
  if (projection.documentIds) return projection.documentIds(event);
  const id = projection.documentId(event);
  return id === null ? [] : [id];
}

/** The store collection of a projection at a schema version (its own by default). */
export function collectionOf(projection: Projection, version = projection.schemaVersion): CollectionSpec {
  return {
    name: projection.name,
    version,
    indexes: projection.indexes,
    ...(projection.partitionKey === undefined ? {} : { partitionKey: projection.partitionKey }),
    // Only the current version's documents have the shape `serve` reads.
    ...(projection.serve !== undefined && version === projection.schemaVersion ? { served: true } : {}),
  };
}
