import type { AuthenticatedActor } from '../auth/actor.js';
import { ConcurrencyError } from '../platform/event-store/errors.js';
import type {
  EventStore,
  ExpectedRevision,
  RecordedEvent,
} from '../platform/event-store/event-store.port.js';
import { uuidv7 } from '../platform/ids.js';
import type { JsonObject } from '../platform/json.js';
import { TenantDomainError } from './tenant.errors.js';

export interface LoadedStream<E> {
  events: E[];
  revision: ExpectedRevision;
  recorded: RecordedEvent[];
}

/** A stream's events as the decider's union (they are only ever written by these modules). */
export async function loadStream<E>(store: EventStore, stream: string): Promise<LoadedStream<E>> {
  const recorded: RecordedEvent[] = [];
  for await (const event of store.readStream(stream)) recorded.push(event);
  const last = recorded.at(-1);
  return {
    recorded,
    events: recorded.map((event) => ({ type: event.type, data: event.data }) as E),
    revision: last ? last.revision : 'no-stream',
  };
}

/** Who did it, as event metadata; the CLI acts as the platform administrator. */
export interface EventAuthor {
  id: string;
  role: string;
}

export function authorOf(actor: AuthenticatedActor, role: string): EventAuthor {
  return { id: actor.id, role };
}

export async function appendDecided(
  store: EventStore,
  stream: string,
  tenantId: string,
  author: EventAuthor,
  events: ReadonlyArray<{ type: string; data: JsonObject }>,
  expectedRevision: ExpectedRevision,
  now: Date,
  correlationId: string = uuidv7(),
): Promise<bigint | null> {
  if (events.length === 0) return null;
  try {
    const result = await store.append(
      stream,
      events.map((event) => ({
        type: event.type,
        data: event.data,
        metadata: {
          tenantId,
          actor: { id: author.id, role: author.role },
          correlationId,
          causationId: correlationId,
          occurredAt: now.toISOString(),
        },
      })),
      { expectedRevision },
    );
    return result.position;
  } catch (error: unknown) {
    if (error instanceof ConcurrencyError) {
      throw new TenantDomainError(
        'CONCURRENCY_CONFLICT',
        409,
        'Iemand anders wijzigde dit tegelijk. Probeer het opnieuw.',
      );
    }
    throw error;
  }
}
