import type { RecordedEvent } from '../../src/platform/event-store/event-store.port.js';
import { plainJsonViolation, type JsonObject } from '../../src/platform/json.js';
import { documentIdsOf, type Projection } from '../projection.js';

/**
 * given(events).then(documents): folds events through a projection as the runner does (handled
 * types only, positions increasing, each evolve on a private copy) into its documents by id, and
 * checks every document is plain JSON a read store can hold.
 */
export function given<D extends JsonObject>(
  projection: Projection<D>,
  events: readonly RecordedEvent[],
): Map<string, D> {
  const documents = new Map<string, D>();
  let last: bigint | null = null;
  for (const event of events) {
    if (last !== null && event.position <= last) {
      throw new Error(`positions must increase: ${event.position} after ${last}`);
    }
    last = event.position;
    apply(projection, documents, event, { copy: true });
  }
  return documents;
}

/**
 * Applies one event to the documents. Without `copy`, evolve gets the stored document itself, as
 * a runner's cache hands it over: a spec can check a refused event leaves it untouched.
 */
export function apply<D extends JsonObject>(
  projection: Projection<D>,
  documents: Map<string, D>,
  event: RecordedEvent,
  { copy }: { copy: boolean },
): void {
  if (!projection.handles.includes(event.type)) return;
  for (const id of documentIdsOf(projection, event)) {
    const current = documents.get(id) ?? null;
    const next = projection.evolve(current !== null && copy ? jsonCopy(current) : current, event);
    if (next === null) {
      documents.delete(id);
      continue;
    }
    const violation = plainJsonViolation(next);
    if (violation) throw new Error(`${projection.name} document ${id} is not plain JSON: ${violation}`);
    documents.set(id, next);
  }
}

/**
 * A copy as a read store would hand it back. Not structuredClone: under Jest's VM it makes objects
 * of another realm, which plainJsonViolation rightly calls no plain objects.
 */
export function jsonCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** The document with this id; fails the spec when there is none. */
export function documentOf<D>(documents: ReadonlyMap<string, D>, id: string): D {
  const document = documents.get(id);
  if (document === undefined) {
    throw new Error(`no document ${id} (have: ${[...documents.keys()].join(', ') || 'none'})`);
  }
  return document;
}
