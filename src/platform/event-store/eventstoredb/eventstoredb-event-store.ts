import {
  ANY,
  EventStoreDBClient,
  MaxAppendSizeExceededError,
  NO_STREAM,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
  eventTypeFilter,
  excludeSystemEvents,
  jsonEvent,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type AppendExpectedRevision,
  type CurrentRevision as EsdbCurrentRevision,
  type Filter,
  type Position,
  type ReadPosition,
  type ReadRevision,
  type ResolvedEvent,
  type StreamingRead,
} from '@eventstore/db-client';
import { uuidv7 } from '../../ids.js';
import type { JsonObject } from '../../json.js';
import {
  ConcurrencyError,
  EventStoreClosedError,
  EventStoreError,
  EventTooLargeError,
  InvalidEventError,
  InvalidReadOptionsError,
} from '../errors.js';
import {
  assertExpectedRevision,
  assertFilter,
  assertLimit,
  assertTenantSelection,
  serializeEvent,
  type PreparedEvent,
  type SerializedEvent,
} from '../event-validation.js';
import {
  EventStore,
  type AllFilter,
  type AllSubscription,
  type AppendOptions,
  type AppendResult,
  type CurrentRevision,
  type Direction,
  type EventMetadata,
  type EventStoreHealth,
  type ExpectedRevision,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeToAllOptions,
  type TenantSelection,
} from '../event-store.port.js';
import { chainHash, GENESIS_HASH, recordedLink, type ChainLink } from '../hash-chain.js';
import { assertValidStreamName, categoryOf } from '../stream-name.js';

const UINT64_MASK = (1n << 64n) - 1n;
// EventStoreDB stores revisions as signed 64-bit numbers.
const MAX_REVISION = (1n << 63n) - 1n;
/** Tries of an `any`/`exists` append that keeps losing the race for its stream's head. */
export const MAX_CHAIN_ATTEMPTS = 5;

/** Where an append joins its stream's chain: after `revision`, whose hash is `previousHash`. */
export interface ChainBase {
  revision: bigint | 'no-stream';
  previousHash: string;
}

/**
 * The events as EventStoreDB receives them, sealed into the chain after `base`. Data and metadata
 * are parsed back from the text the hash was computed over, so a caller changing its objects
 * after `append` cannot make the stored event differ from its hash.
 */
export function sealForEsdb(stream: string, events: readonly PreparedEvent[], base: ChainBase) {
  let previousHash = base.previousHash;
  let revision = base.revision === 'no-stream' ? 0n : base.revision + 1n;
  return events.map((event) => {
    const hash = chainHash(stream, revision, event.type, event.parts, previousHash);
    const link: ChainLink = { previousHash, hash };
    previousHash = hash;
    revision += 1n;
    return jsonEvent({
      id: event.id,
      type: event.type,
      data: JSON.parse(event.data) as JsonObject,
      metadata: { ...(JSON.parse(event.metadata) as JsonObject), ...link },
    });
  });
}

/** An event in the store that this adapter cannot turn into a RecordedEvent (foreign writer, old server). */
export class UndecodableEventError extends EventStoreError {
  readonly code = 'UNDECODABLE_EVENT';

  constructor(message: string) {
    super(message);
    this.name = 'UndecodableEventError';
  }
}

/**
 * One bigint for an ESDB `{commit, prepare}` position: commit in the high 64 bits, prepare in the
 * low 64. Comparing the bigints compares (commit, prepare) lexicographically, which is log order.
 */
export function encodePosition({ commit, prepare }: Position): bigint {
  if (commit < 0n || prepare < 0n || prepare > UINT64_MASK) {
    throw new RangeError(`Position {commit: ${commit}, prepare: ${prepare}} cannot be encoded`);
  }
  return (commit << 64n) | prepare;
}

export function decodePosition(position: bigint): Position {
  if (position < 0n) throw new RangeError(`Position ${position} is negative`);
  return { commit: position >> 64n, prepare: position & UINT64_MASK };
}

/** 0 is before every event, as on the embedded store, so it reads like `start`. */
export function toReadPosition(from: 'start' | 'end' | bigint): ReadPosition {
  if (from === 'start' || from === 0n) return 'start';
  if (from === 'end') return 'end';
  return decodePosition(from);
}

/**
 * Where ESDB should start reading a stream, or null when the embedded store would return nothing
 * (backwards from the start, forwards from the end or past the largest revision ESDB can hold).
 */
export function streamReadStart(from: unknown, direction: Direction): ReadRevision | null {
  if (from === 'start') return direction === 'forwards' ? 'start' : null;
  if (from === 'end') return direction === 'forwards' ? null : 'end';
  if (typeof from === 'bigint' && from >= 0n) {
    if (from <= MAX_REVISION) return from;
    return direction === 'forwards' ? null : 'end';
  }
  throw new InvalidReadOptionsError("from must be 'start', 'end' or a revision (bigint ≥ 0)");
}

export function toEsdbExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'no-stream':
      return NO_STREAM;
    case 'exists':
      return STREAM_EXISTS;
    case 'any':
      return ANY;
    default:
      return expected;
  }
}

export function toCurrentRevision(actual: EsdbCurrentRevision): CurrentRevision {
  return typeof actual === 'bigint' ? actual : 'no-stream';
}

/** The port's error for a failed append, or the client's error unchanged when it has no equivalent. */
export function mapAppendError(
  error: unknown,
  stream: string,
  expected: ExpectedRevision,
  events: readonly SerializedEvent[],
): unknown {
  if (error instanceof WrongExpectedVersionError) {
    return new ConcurrencyError(stream, expected, toCurrentRevision(error.actualVersion));
  }
  if (error instanceof MaxAppendSizeExceededError) {
    // The server limits a whole append; one oversized event is the usual cause.
    const size = events.reduce(
      (sum, e) => sum + Buffer.byteLength(e.data) + Buffer.byteLength(e.metadata),
      0,
    );
    const type = events.length === 1 ? events[0]!.type : `${events.length} events of one append`;
    return new EventTooLargeError(type, size, error.maxAppendSize);
  }
  return error;
}

export function isSystemEvent(stream: string, type: string): boolean {
  return stream.startsWith('$') || type.startsWith('$');
}

export function matchesFilter(filter: AllFilter | undefined, stream: string, type: string): boolean {
  if (filter === undefined) return true;
  return 'categories' in filter
    ? filter.categories.includes(categoryOf(stream))
    : filter.eventTypes.includes(type);
}

/** A regex that matches exactly the given event types (the server evaluates it with .NET). */
export function exactTypesRegex(types: readonly string[]): string {
  const escaped = types.map((type) => type.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return `^(?:${escaped.join('|')})$`;
}

/**
 * Whether an event is of a tenant selection (SubscribeToAllOptions.tenants). The server cannot
 * filter on metadata: the events of other tenants are read and passed over here.
 */
export function tenantTest(selection: TenantSelection | undefined): (event: RecordedEvent) => boolean {
  if (selection === undefined) return () => true;
  const tenants = new Set(selection.tenants);
  const except = selection.except === true;
  return (event) => {
    const tenant = event.metadata.tenantId;
    return (typeof tenant === 'string' && tenants.has(tenant)) !== except;
  };
}

/** Server-side filter for a subscription; events it lets through are checked again by matchesFilter. */
export function subscriptionFilter(filter: AllFilter | undefined): Filter {
  if (filter === undefined) return excludeSystemEvents();
  if ('categories' in filter) {
    return streamNameFilter({ prefixes: filter.categories.map((category) => `${category}-`) });
  }
  return eventTypeFilter({ regex: exactTypesRegex(filter.eventTypes) });
}

/** Our event, or null for a link, a system event or one the filter excludes. */
export function toRecordedEvent(
  resolved: ResolvedEvent | AllStreamResolvedEvent,
  filter?: AllFilter,
): RecordedEvent | null {
  const event = resolved.event;
  if (event === undefined) return null;
  if (isSystemEvent(event.streamId, event.type) || !matchesFilter(filter, event.streamId, event.type)) {
    return null;
  }
  if (event.position === undefined) {
    throw new UndecodableEventError(
      `Event ${event.id} came without a position; EventStoreDB 22.6 or later is required`,
    );
  }
  return {
    id: event.id,
    type: event.type,
    data: jsonObjectOf(event.data, 'data', event.id),
    metadata: jsonObjectOf(event.metadata, 'metadata', event.id) as EventMetadata,
    stream: event.streamId,
    revision: event.revision,
    position: encodePosition(event.position),
    recordedAt: event.created,
  };
}

function jsonObjectOf(value: unknown, what: string, id: string): JsonObject {
  let parsed = value;
  if (value instanceof Uint8Array) {
    try {
      parsed = JSON.parse(Buffer.from(value).toString('utf8'));
    } catch {
      parsed = undefined;
    }
  }
  // The client already parsed JSON content; only the outer shape is left to check.
  if (
    typeof parsed === 'object' &&
    parsed !== null &&
    !Array.isArray(parsed) &&
    !(parsed instanceof Uint8Array)
  ) {
    return parsed as JsonObject;
  }
  throw new UndecodableEventError(`The ${what} of event ${id} is not a JSON object`);
}

/** Yields a read's items, and cancels the gRPC call when the consumer leaves early. */
async function* drain<E>(read: StreamingRead<E>): AsyncGenerator<E> {
  let finished = false;
  try {
    for await (const item of read) yield item;
    finished = true;
  } finally {
    if (!finished) await read.cancel().catch(() => undefined);
  }
}

export interface EventStoreDbEventStoreOptions {
  /** How long `health()` waits for the server. */
  healthTimeoutMs?: number;
  /** Shown in health details; must not hold credentials. */
  label?: string;
}

/** The production event store: EventStoreDB over gRPC, behaving like the embedded SQLite store. */
export class EventStoreDbEventStore extends EventStore {
  private readonly healthTimeoutMs: number;
  private readonly label: string;
  private readonly subscriptions = new Set<() => Promise<void>>();
  private readonly pendingAppends = new Set<Promise<unknown>>();
  private closed = false;

  constructor(
    private readonly client: EventStoreDBClient,
    options: EventStoreDbEventStoreOptions = {},
  ) {
    super();
    this.healthTimeoutMs = options.healthTimeoutMs ?? 5000;
    this.label = options.label ?? 'eventstoredb';
  }

  static fromConnectionString(connectionString: string): EventStoreDbEventStore {
    return new EventStoreDbEventStore(EventStoreDBClient.connectionString(connectionString), {
      label: connectionString.replace(/\/\/[^@/]*@/, '//'),
    });
  }

  append(stream: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult> {
    try {
      if (this.closed) throw new EventStoreClosedError();
      assertValidStreamName(stream);
      assertExpectedRevision(options?.expectedRevision);
      if (!Array.isArray(events) || events.length === 0) {
        throw new InvalidEventError('INVALID_EVENT_DATA', 'An append needs at least one event');
      }
      const serialized = events.map((event) => serializeEvent(event, uuidv7));
      if (new Set(serialized.map((e) => e.id)).size !== serialized.length) {
        throw new InvalidEventError('INVALID_EVENT_ID', 'An append holds the same event id twice');
      }
      const pending = this.write(stream, serialized, options.expectedRevision);
      this.pendingAppends.add(pending);
      const forget = (): void => void this.pendingAppends.delete(pending);
      pending.then(forget, forget);
      return pending;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Reads where the append joins the chain, seals the events after it, and appends at that exact
   * revision, so that a concurrent writer can never fork the chain: it makes this append fail
   * instead. `any` and `exists` then read the new head and try again (they accept any revision);
   * an exact revision or `no-stream` fails with a ConcurrencyError, as without the chain.
   */
  private async write(
    stream: string,
    prepared: readonly PreparedEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    for (let attempt = 1; ; attempt++) {
      const base = await this.chainBase(stream, expected, prepared);
      if ('replayed' in base) return base.replayed;
      let result;
      try {
        result = await this.client.appendToStream(stream, sealForEsdb(stream, prepared, base), {
          expectedRevision: base.revision === 'no-stream' ? NO_STREAM : base.revision,
        });
      } catch (error) {
        const retry =
          error instanceof WrongExpectedVersionError &&
          (expected === 'any' || expected === 'exists') &&
          attempt < MAX_CHAIN_ATTEMPTS;
        if (retry) continue;
        throw mapAppendError(error, stream, expected, prepared);
      }
      const nextRevision = result.nextExpectedRevision;
      // An idempotent replay may come back without a position: look the last event up.
      const position = result.position
        ? encodePosition(result.position)
        : await this.positionOf(stream, nextRevision);
      return { nextRevision, position };
    }
  }

  /**
   * The head an append at `expected` joins. An exact revision joins the event at that revision
   * (when the stream is elsewhere the append fails, or is recognised by the server as a replay of
   * the same ids); `any` and `exists` join the current last event, and a retried append whose
   * last event is already that last event is answered as the replay it is.
   */
  private async chainBase(
    stream: string,
    expected: ExpectedRevision,
    prepared: readonly PreparedEvent[],
  ): Promise<ChainBase | { replayed: AppendResult }> {
    if (expected === 'no-stream') return { revision: 'no-stream', previousHash: GENESIS_HASH };
    if (typeof expected === 'bigint') {
      const at = await this.eventAt(stream, { from: expected, limit: 1 });
      const hash = at?.revision === expected ? recordedLink(at.metadata)?.hash : undefined;
      return { revision: expected, previousHash: hash ?? GENESIS_HASH };
    }
    const last = await this.eventAt(stream, { direction: 'backwards', from: 'end', limit: 1 });
    if (!last) {
      if (expected === 'exists') throw new ConcurrencyError(stream, expected, 'no-stream');
      return { revision: 'no-stream', previousHash: GENESIS_HASH };
    }
    if (last.id === prepared[prepared.length - 1]!.id) {
      return { replayed: { nextRevision: last.revision, position: last.position } };
    }
    return { revision: last.revision, previousHash: recordedLink(last.metadata)?.hash ?? GENESIS_HASH };
  }

  private async eventAt(stream: string, options: ReadStreamOptions): Promise<RecordedEvent | undefined> {
    for await (const event of this.readStream(stream, options)) return event;
    return undefined;
  }

  private async positionOf(stream: string, revision: bigint): Promise<bigint> {
    for await (const event of this.readStream(stream, { from: revision, limit: 1 })) return event.position;
    throw new UndecodableEventError(
      `Stream ${stream} has no event at revision ${revision} after appending it`,
    );
  }

  async *readStream(stream: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    assertValidStreamName(stream);
    assertLimit(options.limit);
    const direction = options.direction ?? 'forwards';
    if (direction !== 'forwards' && direction !== 'backwards') {
      throw new InvalidReadOptionsError("direction must be 'forwards' or 'backwards'");
    }
    const fromRevision = streamReadStart(
      options.from ?? (direction === 'forwards' ? 'start' : 'end'),
      direction,
    );
    if (fromRevision === null || options.limit === 0 || this.closed) return;

    const read = this.client.readStream(stream, { fromRevision, direction, maxCount: options.limit });
    try {
      for await (const resolved of drain(read)) {
        const event = toRecordedEvent(resolved);
        if (event) yield event;
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return;
      throw error;
    }
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    assertLimit(options.limit);
    assertFilter(options.filter);
    const from = options.fromPosition ?? 'start';
    if (from !== 'start' && !(typeof from === 'bigint' && from >= 0n)) {
      throw new InvalidReadOptionsError("fromPosition must be 'start' or a position (bigint ≥ 0)");
    }
    if (options.limit === 0 || this.closed) return;

    // Client v6 cannot filter reads of $all on the server, and system events count towards a
    // server-side maxCount: so the read is unbounded, filtered here, and cancelled at the limit.
    let remaining = options.limit ?? Number.POSITIVE_INFINITY;
    for await (const resolved of drain(this.client.readAll({ fromPosition: toReadPosition(from) }))) {
      const event = toRecordedEvent(resolved, options.filter);
      if (!event) continue;
      yield event;
      remaining -= 1;
      if (remaining === 0) return;
    }
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): AllSubscription {
    if (this.closed) throw new EventStoreClosedError();
    assertFilter(options.filter);
    assertTenantSelection(options.tenants);
    const ofTenants = tenantTest(options.tenants);
    const from = options.fromPosition ?? 'start';
    if (from !== 'start' && from !== 'end' && !(typeof from === 'bigint' && from >= 0n)) {
      throw new InvalidReadOptionsError("fromPosition must be 'start', 'end' or a position (bigint ≥ 0)");
    }
    const filter = options.filter;
    // ESDB subscriptions start after the given position, which is the port's exclusive checkpoint.
    const source = this.client.subscribeToAll({
      fromPosition: toReadPosition(from),
      filter: subscriptionFilter(filter),
    });

    let stopped = false;
    const stop = async (): Promise<void> => {
      if (stopped) return;
      stopped = true;
      this.subscriptions.delete(stop);
      await source.unsubscribe().catch(() => undefined);
      // Ends a pending read of the iterator, which a cancelled gRPC call does not always do.
      source.destroy();
    };

    async function* follow(): AsyncGenerator<RecordedEvent> {
      try {
        if (stopped) return;
        for await (const resolved of source) {
          if (stopped) return;
          const event = toRecordedEvent(resolved, filter);
          if (event && ofTenants(event)) yield event;
        }
      } catch (error) {
        // Destroying the source in stop() surfaces as a premature close: that is the requested end.
        if (!stopped) throw error;
      } finally {
        await stop();
      }
    }

    const iterator = follow();
    this.subscriptions.add(stop);
    return { [Symbol.asyncIterator]: () => iterator, stop };
  }

  async health(): Promise<EventStoreHealth> {
    if (this.closed) return { adapter: 'eventstoredb', ok: false, detail: `${this.label}: closed` };
    try {
      const last = await this.lastPosition();
      return {
        adapter: 'eventstoredb',
        ok: true,
        ...(last === undefined ? {} : { lastPosition: String(last) }),
        detail: this.label,
      };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { adapter: 'eventstoredb', ok: false, detail: `${this.label}: ${message}` };
    }
  }

  /** Reads the last record of $all; the client gives reads no deadline, so this one gets a timer. */
  private async lastPosition(): Promise<bigint | undefined> {
    const read = this.client.readAll({ direction: 'backwards', fromPosition: 'end', maxCount: 1 });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${this.healthTimeoutMs} ms`)),
        this.healthTimeoutMs,
      );
    });
    const first = async (): Promise<AllStreamResolvedEvent | undefined> => {
      for await (const resolved of drain(read)) return resolved;
      return undefined;
    };
    try {
      const resolved = await Promise.race([first(), timeout]);
      const position = resolved?.event?.position;
      return position ? encodePosition(position) : undefined;
    } finally {
      clearTimeout(timer);
      await read.cancel().catch(() => undefined);
    }
  }

  /** Lets running appends finish, ends every subscription, then releases the connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.pendingAppends]);
    await Promise.all([...this.subscriptions].map((stop) => stop()));
    await this.client.dispose();
  }
}
