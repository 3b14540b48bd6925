import type { JsonObject, JsonValue } from '../json.js';

export type Actor = {
  id: string;
  role: string;
  [key: string]: JsonValue;
};

/** Metadata every stored event carries; adapters add nothing to it. */
export interface EventMetadata {
  tenantId: string;
  actor: Actor;
  correlationId: string;
  causationId: string;
  /** ISO-8601 time at which the fact happened in the domain (the decider's `now`). */
  occurredAt: string;
  [key: string]: JsonValue;
}

export interface NewEvent<Type extends string = string, Data extends JsonObject = JsonObject> {
  /** UUID; a time-ordered v7 id is generated when absent. Give it to make retries idempotent. */
  id?: string;
  type: Type;
  data: Data;
  metadata: EventMetadata;
}

export interface RecordedEvent<Type extends string = string, Data extends JsonObject = JsonObject> {
  id: string;
  type: Type;
  data: Data;
  metadata: EventMetadata;
  stream: string;
  /** 0-based position of the event in its stream. */
  revision: bigint;
  /** Position in the global log (`$all`): strictly increasing, with gaps on some stores. */
  position: bigint;
  recordedAt: Date;
}

/**
 * `no-stream`: the stream must not exist; `exists`: it must have at least one event;
 * `any`: no check; a bigint: the revision of the stream's last event.
 */
export type ExpectedRevision = 'no-stream' | 'exists' | 'any' | bigint;

/** The revision a stream has now, `no-stream` when it has no event. */
export type CurrentRevision = 'no-stream' | bigint;

export interface AppendOptions {
  expectedRevision: ExpectedRevision;
}

export interface AppendResult {
  /** Revision of the last event written (the value to pass as the next expected revision). */
  nextRevision: bigint;
  /** Global position of the last event written. */
  position: bigint;
}

export type Direction = 'forwards' | 'backwards';

export interface ReadStreamOptions {
  /** Inclusive revision to start at; `start` (forwards default) or `end` (backwards default). */
  from?: 'start' | 'end' | bigint;
  direction?: Direction;
  limit?: number;
}

/** Restricts `$all` to categories (`signal` of `signal-…`) or to event types. */
export type AllFilter = { categories: readonly string[] } | { eventTypes: readonly string[] };

export interface ReadAllOptions {
  /** Inclusive global position to start at. */
  fromPosition?: 'start' | bigint;
  limit?: number;
  filter?: AllFilter;
}

export interface SubscribeToAllOptions {
  /**
   * Exclusive: the last position the subscriber has processed (its checkpoint); `start` delivers
   * everything, `end` only what is committed after the subscription starts.
   */
  fromPosition?: 'start' | 'end' | bigint;
  filter?: AllFilter;
  /** Only the events of some tenants (a rebuild split over threads by tenant). */
  tenants?: TenantSelection;
}

/**
 * Events by their tenant (`metadata.tenantId`): those of the listed tenants or, with `except`,
 * every other event (other tenants' and those without a tenant). The selections `{ tenants: L }`
 * and `{ tenants: L, except: true }` split `$all` in two without a gap or an overlap.
 */
export interface TenantSelection {
  tenants: readonly string[];
  except?: boolean;
}

/** Catch-up then live, in global order; iterate it, and `stop()` (or break) to end it. */
export interface AllSubscription extends AsyncIterable<RecordedEvent> {
  stop(): Promise<void>;
  /**
   * Optional: up to `max` events the subscription has read already and not yet handed out, taken
   * at once instead of one turn of the iterator each ([] when none is waiting). Call it only while
   * no `next()` of the iterator is outstanding; what it returns comes before the next `next()`.
   */
  takeReady?(max: number): RecordedEvent[];
}

export interface EventStoreHealth {
  adapter: 'sqlite' | 'eventstoredb';
  ok: boolean;
  /** Last global position known to the store, when it can tell cheaply. */
  lastPosition?: string;
  detail?: string;
}

/** An event with the JSON text its store keeps for it (data, and metadata with its chain link). */
export interface RecordedEventWithText extends RecordedEvent {
  text: { data: string; metadata: string };
}

/**
 * Optional capability of a store that keeps each event's JSON text: `$all` with that text, so
 * that a verifier can hash what is stored instead of serialising the parsed event again. `data`
 * may be parsed only when it is first read.
 */
export interface StoredTextReader {
  readAllWithText(options?: ReadAllOptions): AsyncIterable<RecordedEventWithText>;
}

export function readsStoredText(store: EventStore): store is EventStore & StoredTextReader {
  return typeof (store as Partial<StoredTextReader>).readAllWithText === 'function';
}

/**
 * Optional capability of a store that indexes each event's tenant (SQLite): the tenant of the
 * first event at or after each position, read from that index alone, without reading the events
 * (null for an event without a tenant or past the last event). What a split of the tenants
 * between rebuild lanes samples.
 */
export interface TenantSampler {
  tenantsFrom(positions: readonly bigint[]): Promise<Array<string | null>>;
}

export function samplesTenants(store: EventStore): store is EventStore & TenantSampler {
  return typeof (store as Partial<TenantSampler>).tenantsFrom === 'function';
}

export abstract class EventStore {
  abstract append(stream: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult>;

  abstract readStream(stream: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent>;

  abstract readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent>;

  abstract subscribeToAll(options?: SubscribeToAllOptions): AllSubscription;

  abstract health(): Promise<EventStoreHealth>;

  abstract close(): Promise<void>;
}
