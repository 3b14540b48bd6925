import { describe, expect, it } from '@jest/globals';
import {
  EventStoreDBClient,
  MaxAppendSizeExceededError,
  NO_STREAM,
  STREAM_EXISTS,
  UnavailableError,
  WrongExpectedVersionError,
  StreamNotFoundError,
  type AllStreamResolvedEvent,
  type AppendResult as EsdbAppendResult,
  type EventData,
  type Position,
  type ResolvedEvent,
} from '@eventstore/db-client';
import fc from 'fast-check';
import { PassThrough } from 'node:stream';
import { aMetadata, anEvent, collect } from '../../../../test/support/events.js';
import type { JsonObject } from '../../json.js';
import { ConcurrencyError, EventTooLargeError } from '../errors.js';
import type { SerializedEvent } from '../event-validation.js';
import { GENESIS_HASH, recomputeHash, recordedLink } from '../hash-chain.js';
import {
  EventStoreDbEventStore,
  MAX_CHAIN_ATTEMPTS,
  UndecodableEventError,
  decodePosition,
  encodePosition,
  exactTypesRegex,
  isSystemEvent,
  mapAppendError,
  matchesFilter,
  streamReadStart,
  subscriptionFilter,
  toCurrentRevision,
  toEsdbExpectedRevision,
  toReadPosition,
  toRecordedEvent,
} from './eventstoredb-event-store.js';

const MAX_INT64 = (1n << 63n) - 1n;
const positionArbitrary = fc.record({
  commit: fc.bigInt({ min: 0n, max: MAX_INT64 }),
  prepare: fc.bigInt({ min: 0n, max: MAX_INT64 }),
});

function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

function compare(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

describe('position encoding', () => {
  it('round-trips the edges', () => {
    for (const position of [
      { commit: 0n, prepare: 0n },
      { commit: 1n, prepare: 0n },
      { commit: 0n, prepare: 1n },
      { commit: 4096n, prepare: 4096n },
      { commit: MAX_INT64, prepare: MAX_INT64 },
      { commit: 1n, prepare: (1n << 64n) - 1n },
    ]) {
      expect(decodePosition(encodePosition(position))).toEqual(position);
    }
  });

  it('round-trips any position', () => {
    fc.assert(fc.property(positionArbitrary, (p) => compare(decodePosition(encodePosition(p)), p) === 0));
  });

  it('orders like the log: commit first, then prepare', () => {
    fc.assert(
      fc.property(positionArbitrary, positionArbitrary, (a, b) => {
        const ea = encodePosition(a);
        const eb = encodePosition(b);
        return Math.sign(compare(a, b)) === (ea === eb ? 0 : ea < eb ? -1 : 1);
      }),
    );
    expect(
      encodePosition({ commit: 2n, prepare: 0n }) > encodePosition({ commit: 1n, prepare: MAX_INT64 }),
    ).toBe(true);
  });

  it('refuses what it cannot represent', () => {
    expect(() => encodePosition({ commit: -1n, prepare: 0n })).toThrow(RangeError);
    expect(() => encodePosition({ commit: 0n, prepare: 1n << 64n })).toThrow(RangeError);
    expect(() => decodePosition(-1n)).toThrow(RangeError);
  });

  it('reads 0 and start as the start of $all, end as the end', () => {
    expect(toReadPosition('start')).toBe('start');
    expect(toReadPosition(0n)).toBe('start');
    expect(toReadPosition('end')).toBe('end');
    const position = { commit: 7n, prepare: 5n };
    expect(toReadPosition(encodePosition(position))).toEqual(position);
  });
});

describe('stream read start', () => {
  it.each([
    ['start', 'forwards', 'start'],
    ['start', 'backwards', null],
    ['end', 'forwards', null],
    ['end', 'backwards', 'end'],
    [3n, 'forwards', 3n],
    [3n, 'backwards', 3n],
    [1n << 63n, 'forwards', null],
    [1n << 63n, 'backwards', 'end'],
  ] as const)('from %p %s starts at %p', (from, direction, expected) => {
    expect(streamReadStart(from, direction)).toBe(expected);
  });

  it('refuses a negative or non-bigint revision like the embedded store', () => {
    for (const from of [-1n, 3, 'middle', null]) {
      expect(thrown(() => streamReadStart(from, 'forwards'))).toMatchObject({
        code: 'INVALID_READ_OPTIONS',
        message: "from must be 'start', 'end' or a revision (bigint ≥ 0)",
      });
    }
  });
});

describe('expected and current revisions', () => {
  it('maps the port expectations to the client constants', () => {
    expect(toEsdbExpectedRevision('no-stream')).toBe(NO_STREAM);
    expect(toEsdbExpectedRevision('exists')).toBe(STREAM_EXISTS);
    expect(toEsdbExpectedRevision('any')).toBe('any');
    expect(toEsdbExpectedRevision(0n)).toBe(0n);
    expect(toEsdbExpectedRevision(41n)).toBe(41n);
  });

  it('maps the current revision back', () => {
    expect(toCurrentRevision(NO_STREAM)).toBe('no-stream');
    expect(toCurrentRevision(3n)).toBe(3n);
  });
});

describe('append error mapping', () => {
  const serialized: SerializedEvent[] = [
    { id: 'a', type: 'SignalSubmitted', data: '{"x":1}', metadata: '{"m":"é"}' },
  ];

  it('turns a wrong expected version into a ConcurrencyError with our revisions', () => {
    const error = new WrongExpectedVersionError(undefined, {
      streamName: 'signal-1',
      expected: NO_STREAM,
      current: 4n,
    });
    const mapped = mapAppendError(error, 'signal-1', 'no-stream', serialized);
    expect(mapped).toBeInstanceOf(ConcurrencyError);
    expect(mapped).toMatchObject({
      code: 'CONCURRENCY_CONFLICT',
      stream: 'signal-1',
      expectedRevision: 'no-stream',
      actualRevision: 4n,
    });
  });

  it("reports a missing stream as 'no-stream'", () => {
    const error = new WrongExpectedVersionError(undefined, {
      streamName: 'signal-1',
      expected: STREAM_EXISTS,
      current: NO_STREAM,
    });
    expect(mapAppendError(error, 'signal-1', 'exists', serialized)).toMatchObject({
      expectedRevision: 'exists',
      actualRevision: 'no-stream',
    });
  });

  it('turns the server append size limit into EVENT_TOO_LARGE', () => {
    const mapped = mapAppendError(new MaxAppendSizeExceededError(undefined, 1024), 's-1', 'any', serialized);
    expect(mapped).toBeInstanceOf(EventTooLargeError);
    expect(mapped).toMatchObject({
      code: 'EVENT_TOO_LARGE',
      eventType: 'SignalSubmitted',
      size: 17,
      limit: 1024,
    });
  });

  it('passes any other error through unchanged', () => {
    const error = new UnavailableError();
    expect(mapAppendError(error, 's-1', 'any', serialized)).toBe(error);
  });
});

describe('filters', () => {
  it('excludes system event types when there is no filter', () => {
    const filter = subscriptionFilter(undefined);
    expect(filter.filterOn).toBe('eventType');
    expect('regex' in filter && new RegExp(filter.regex).test('$statsCollected')).toBe(false);
    expect('regex' in filter && new RegExp(filter.regex).test('SignalSubmitted')).toBe(true);
  });

  it('filters categories by stream-name prefix, dash included', () => {
    expect(subscriptionFilter({ categories: ['signal', 'dossier'] })).toMatchObject({
      filterOn: 'streamName',
      prefixes: ['signal-', 'dossier-'],
    });
  });

  it('filters event types by an anchored regex of escaped names', () => {
    const filter = subscriptionFilter({ eventTypes: ['Signal.Submitted', 'Assigned'] });
    expect(filter).toMatchObject({ filterOn: 'eventType', regex: '^(?:Signal\\.Submitted|Assigned)$' });
    const regex = new RegExp(exactTypesRegex(['Signal.Submitted', 'Assigned']));
    expect(['Signal.Submitted', 'Assigned'].every((t) => regex.test(t))).toBe(true);
    expect(
      ['SignalXSubmitted', 'Assigned2', 'ReAssigned', 'Signal.Submitted.v2'].some((t) => regex.test(t)),
    ).toBe(false);
  });

  it('checks the same rules on each event the server lets through', () => {
    expect(matchesFilter(undefined, 'signal-1', 'A')).toBe(true);
    expect(matchesFilter({ categories: ['signal'] }, 'signal-gent-1', 'A')).toBe(true);
    expect(matchesFilter({ categories: ['signal'] }, 'signalx-1', 'A')).toBe(false);
    expect(matchesFilter({ categories: ['a-b'] }, 'a-b-c', 'A')).toBe(false);
    expect(matchesFilter({ eventTypes: ['A'] }, 'signal-1', 'A')).toBe(true);
    expect(matchesFilter({ eventTypes: ['A'] }, 'signal-1', 'AB')).toBe(false);
  });

  it('treats $ streams and $ types as system events', () => {
    expect(isSystemEvent('$settings', 'Settings')).toBe(true);
    expect(isSystemEvent('signal-1', '$>')).toBe(true);
    expect(isSystemEvent('signal-1', 'SignalSubmitted')).toBe(false);
  });
});

describe('decoding', () => {
  const created = new Date('2026-11-28T10:00:00.000Z');
  const position = { commit: 300n, prepare: 300n };

  function resolved(overrides: Record<string, unknown> = {}): AllStreamResolvedEvent {
    return {
      event: {
        streamId: 'signal-gent-1',
        id: '01900000-0000-7000-8000-000000000001',
        isJson: true,
        revision: 2n,
        type: 'SignalSubmitted',
        created,
        data: { title: 'x' },
        metadata: aMetadata(),
        position,
        ...overrides,
      },
    } as AllStreamResolvedEvent;
  }

  it('turns a JSON event into a RecordedEvent with the encoded position', () => {
    expect(toRecordedEvent(resolved())).toEqual({
      id: '01900000-0000-7000-8000-000000000001',
      type: 'SignalSubmitted',
      data: { title: 'x' },
      metadata: aMetadata(),
      stream: 'signal-gent-1',
      revision: 2n,
      position: encodePosition(position),
      recordedAt: created,
    });
  });

  it('parses JSON that arrives as bytes', () => {
    const event = toRecordedEvent(
      resolved({
        isJson: false,
        data: new TextEncoder().encode('{"a":[1]}'),
        metadata: new TextEncoder().encode(JSON.stringify(aMetadata())),
      }),
    );
    expect(event?.data).toEqual({ a: [1] });
    expect(event?.metadata).toEqual(aMetadata());
  });

  it('skips links, system events and what the filter excludes', () => {
    expect(toRecordedEvent({} as ResolvedEvent)).toBeNull();
    expect(toRecordedEvent(resolved({ type: '$statsCollected' }))).toBeNull();
    expect(toRecordedEvent(resolved({ streamId: '$settings' }))).toBeNull();
    expect(toRecordedEvent(resolved(), { categories: ['dossier'] })).toBeNull();
    expect(toRecordedEvent(resolved(), { eventTypes: ['SignalSubmitted'] })).not.toBeNull();
  });

  it('refuses events it cannot represent instead of guessing', () => {
    expect(() => toRecordedEvent(resolved({ position: undefined }))).toThrow(UndecodableEventError);
    expect(() => toRecordedEvent(resolved({ data: [1, 2] }))).toThrow(UndecodableEventError);
    expect(() => toRecordedEvent(resolved({ metadata: undefined }))).toThrow(UndecodableEventError);
    expect(() => toRecordedEvent(resolved({ data: new TextEncoder().encode('not json') }))).toThrow(
      UndecodableEventError,
    );
  });
});

describe('EventStoreDbEventStore without a server', () => {
  // The client connects lazily, so these prove the checks run before any network call.
  const unreachable = () => EventStoreDbEventStore.fromConnectionString('esdb://127.0.0.1:1?tls=false');

  it('validates appends like the embedded store', async () => {
    const store = unreachable();
    await expect(store.append('$all', [anEvent()], { expectedRevision: 'any' })).rejects.toMatchObject({
      code: 'INVALID_STREAM_NAME',
    });
    await expect(store.append('signal-1', [], { expectedRevision: 'any' })).rejects.toMatchObject({
      code: 'INVALID_EVENT_DATA',
    });
    const id = '01900000-0000-7000-8000-000000000002';
    await expect(
      store.append('signal-1', [anEvent('A', {}, id), anEvent('B', {}, id)], { expectedRevision: 'any' }),
    ).rejects.toMatchObject({ code: 'INVALID_EVENT_ID' });
    await expect(store.append('signal-1', [anEvent()], { expectedRevision: -1n })).rejects.toMatchObject({
      code: 'INVALID_READ_OPTIONS',
    });
    await store.close();
  });

  it('validates reads and subscriptions', async () => {
    const store = unreachable();
    await expect(collect(store.readStream('signal-1', { limit: -1 }))).rejects.toMatchObject({
      code: 'INVALID_READ_OPTIONS',
    });
    await expect(
      collect(store.readStream('signal-1', { direction: 'sideways' as 'forwards' })),
    ).rejects.toMatchObject({ message: "direction must be 'forwards' or 'backwards'" });
    await expect(collect(store.readAll({ fromPosition: -1n }))).rejects.toMatchObject({
      message: "fromPosition must be 'start' or a position (bigint ≥ 0)",
    });
    await expect(collect(store.readAll({ filter: { categories: [] } }))).rejects.toMatchObject({
      code: 'INVALID_READ_OPTIONS',
    });
    expect(() => store.subscribeToAll({ fromPosition: -1n })).toThrow(
      "fromPosition must be 'start', 'end' or a position (bigint ≥ 0)",
    );
    expect(await collect(store.readStream('signal-1', { limit: 0 }))).toEqual([]);
    expect(await collect(store.readStream('signal-1', { direction: 'backwards', from: 'start' }))).toEqual(
      [],
    );
    await store.close();
  });

  it('refuses work once closed', async () => {
    const store = unreachable();
    await store.close();
    await expect(store.append('signal-1', [anEvent()], { expectedRevision: 'any' })).rejects.toMatchObject({
      code: 'EVENT_STORE_CLOSED',
    });
    expect(thrown(() => store.subscribeToAll())).toMatchObject({ code: 'EVENT_STORE_CLOSED' });
    expect(await store.health()).toMatchObject({ adapter: 'eventstoredb', ok: false });
    await store.close();
  });

  it('keeps credentials out of the health detail', async () => {
    const store = EventStoreDbEventStore.fromConnectionString('esdb://admin:secret@127.0.0.1:1?tls=false');
    await store.close();
    const health = await store.health();
    expect(health.detail).toContain('esdb://127.0.0.1:1');
    expect(health.detail).not.toContain('secret');
  });

  it('builds on a client it is given', async () => {
    const client = EventStoreDBClient.connectionString('esdb://127.0.0.1:1?tls=false');
    const store = new EventStoreDbEventStore(client, { label: 'test' });
    await store.close();
    expect(await store.health()).toEqual({ adapter: 'eventstoredb', ok: false, detail: 'test: closed' });
  });
});

describe('EventStoreDbEventStore over a fake client', () => {
  // Streams shaped like the client's: object-mode Readables with cancel()/unsubscribe().
  function fakeRead(items: unknown[], error?: Error) {
    const stream = new PassThrough({ objectMode: true });
    const read = Object.assign(stream, {
      cancelled: false,
      cancel: async () => {
        read.cancelled = true;
      },
    });
    for (const item of items) stream.write(item);
    if (error) setImmediate(() => stream.destroy(error));
    else stream.end();
    return read;
  }

  function fakeSubscription() {
    const stream = new PassThrough({ objectMode: true });
    // Like a cancelled gRPC call that never ends the stream: stop() must still end the iteration.
    return Object.assign(stream, { unsubscribe: async () => undefined });
  }

  function resolvedAt(n: bigint, overrides: Record<string, unknown> = {}): AllStreamResolvedEvent {
    return {
      event: {
        streamId: 'signal-1',
        id: `01900000-0000-7000-8000-00000000000${n}`,
        isJson: true,
        revision: n,
        type: 'E',
        created: new Date(),
        data: { n: Number(n) },
        metadata: aMetadata(),
        position: { commit: 100n * n, prepare: 100n * n },
        ...overrides,
      },
    } as AllStreamResolvedEvent;
  }

  function storeWith(client: Record<string, unknown>): EventStoreDbEventStore {
    return new EventStoreDbEventStore({
      dispose: async () => undefined,
      ...client,
    } as unknown as EventStoreDBClient);
  }

  it('appends with the given ids and mapped revision, and encodes the returned position', async () => {
    let sent: { events: EventData[]; options: unknown } | undefined;
    const store = storeWith({
      appendToStream: async (
        _stream: string,
        events: EventData[],
        options: unknown,
      ): Promise<EsdbAppendResult> => {
        sent = { events, options };
        return { success: true, nextExpectedRevision: 1n, position: { commit: 900n, prepare: 900n } };
      },
    });
    const id = '01900000-0000-7000-8000-0000000000aa';
    const result = await store.append('signal-1', [anEvent('A', { a: 1 }, id), anEvent('B')], {
      expectedRevision: 'no-stream',
    });
    expect(result).toEqual({ nextRevision: 1n, position: encodePosition({ commit: 900n, prepare: 900n }) });
    expect(sent?.options).toEqual({ expectedRevision: NO_STREAM });
    expect(sent?.events[0]).toMatchObject({
      id,
      type: 'A',
      contentType: 'application/json',
      data: { a: 1 },
      metadata: aMetadata(),
    });
    expect(sent?.events[1]?.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    await store.close();
  });

  it('seals a new stream into a chain from the genesis hash, without reading it first', async () => {
    let sent: EventData[] = [];
    const store = storeWith({
      readStream: () => {
        throw new Error('a no-stream append needs no read');
      },
      appendToStream: async (_stream: string, events: EventData[]): Promise<EsdbAppendResult> => {
        sent = events;
        return { success: true, nextExpectedRevision: 1n, position: { commit: 9n, prepare: 9n } };
      },
    });
    await store.append('signal-1', [anEvent('A', { a: 1 }), anEvent('B', { b: 2 })], {
      expectedRevision: 'no-stream',
    });
    const links = sent.map((event) => recordedLink(event.metadata as JsonObject));
    expect(links[0]?.previousHash).toBe(GENESIS_HASH);
    expect(links[1]?.previousHash).toBe(links[0]?.hash);
    sent.forEach((event, revision) => {
      const recorded = {
        stream: 'signal-1',
        revision: BigInt(revision),
        type: event.type,
        data: event.data as JsonObject,
        metadata: event.metadata as JsonObject,
      };
      expect(recomputeHash(recorded, links[revision]!.previousHash)).toBe(links[revision]!.hash);
    });
    await store.close();
  });

  it('chains an exact-revision append onto the hash of the event at that revision', async () => {
    const head = resolvedAt(4n, {
      metadata: { ...aMetadata(), previousHash: 'a'.repeat(64), hash: 'b'.repeat(64) },
    });
    let options: unknown;
    let sent: EventData[] = [];
    const store = storeWith({
      readStream: (_stream: string, read: { fromRevision: bigint }) => {
        expect(read.fromRevision).toBe(4n);
        return fakeRead([head]);
      },
      appendToStream: async (_s: string, events: EventData[], given: unknown): Promise<EsdbAppendResult> => {
        sent = events;
        options = given;
        return { success: true, nextExpectedRevision: 5n, position: { commit: 9n, prepare: 9n } };
      },
    });
    await store.append('signal-1', [anEvent()], { expectedRevision: 4n });
    expect(options).toEqual({ expectedRevision: 4n });
    expect(recordedLink(sent[0]!.metadata as JsonObject)?.previousHash).toBe('b'.repeat(64));
    await store.close();
  });

  it("appends 'any' at the exact revision of the last event, re-reading the head after a lost race", async () => {
    const heads = [resolvedAt(2n), resolvedAt(3n)];
    const appendedAt: unknown[] = [];
    const store = storeWith({
      readStream: (_stream: string, read: { direction: string; fromRevision: unknown }) => {
        expect(read).toMatchObject({ direction: 'backwards', fromRevision: 'end' });
        return fakeRead([heads.shift()!]);
      },
      appendToStream: async (_s: string, _e: EventData[], given: { expectedRevision: bigint }) => {
        appendedAt.push(given.expectedRevision);
        if (given.expectedRevision === 2n) {
          throw new WrongExpectedVersionError(undefined, {
            streamName: 'signal-1',
            expected: 2n,
            current: 3n,
          });
        }
        return { success: true, nextExpectedRevision: 4n, position: { commit: 9n, prepare: 9n } };
      },
    });
    const result = await store.append('signal-1', [anEvent()], { expectedRevision: 'any' });
    expect(appendedAt).toEqual([2n, 3n]);
    expect(result.nextRevision).toBe(4n);
    await store.close();
  });

  it(`gives up on 'exists' after ${MAX_CHAIN_ATTEMPTS} lost races with a ConcurrencyError`, async () => {
    let appends = 0;
    const store = storeWith({
      readStream: () => fakeRead([resolvedAt(2n)]),
      appendToStream: async () => {
        appends += 1;
        throw new WrongExpectedVersionError(undefined, { streamName: 'signal-1', expected: 2n, current: 3n });
      },
    });
    await expect(store.append('signal-1', [anEvent()], { expectedRevision: 'exists' })).rejects.toMatchObject(
      {
        code: 'CONCURRENCY_CONFLICT',
        expectedRevision: 'exists',
        actualRevision: 3n,
      },
    );
    expect(appends).toBe(MAX_CHAIN_ATTEMPTS);
    await store.close();
  });

  it("refuses 'exists' on a missing stream without appending, and answers a repeated 'any' as a replay", async () => {
    const id = '01900000-0000-7000-8000-000000000003';
    const store = storeWith({
      readStream: (stream: string) =>
        stream === 'signal-1'
          ? fakeRead([], new StreamNotFoundError(undefined, stream))
          : fakeRead([resolvedAt(3n)]),
      appendToStream: async () => {
        throw new Error('nothing may be appended');
      },
    });
    await expect(store.append('signal-1', [anEvent()], { expectedRevision: 'exists' })).rejects.toMatchObject(
      {
        code: 'CONCURRENCY_CONFLICT',
        actualRevision: 'no-stream',
      },
    );
    expect(await store.append('signal-2', [anEvent('E', {}, id)], { expectedRevision: 'any' })).toEqual({
      nextRevision: 3n,
      position: encodePosition({ commit: 300n, prepare: 300n }),
    });
    await store.close();
  });

  it('looks the position up when the server returns none (idempotent replay)', async () => {
    const store = storeWith({
      appendToStream: async (): Promise<EsdbAppendResult> => ({ success: true, nextExpectedRevision: 3n }),
      readStream: (_stream: string, options: { fromRevision: bigint }) =>
        fakeRead([resolvedAt(options.fromRevision)]),
    });
    const result = await store.append('signal-1', [anEvent()], { expectedRevision: 2n });
    expect(result).toEqual({ nextRevision: 3n, position: encodePosition({ commit: 300n, prepare: 300n }) });
    await store.close();
  });

  it('rejects a conflicting append with a ConcurrencyError', async () => {
    const store = storeWith({
      readStream: (_stream: string, options: { fromRevision: bigint }) =>
        fakeRead([resolvedAt(options.fromRevision)]),
      appendToStream: async () => {
        throw new WrongExpectedVersionError(undefined, { streamName: 'signal-1', expected: 0n, current: 1n });
      },
    });
    await expect(store.append('signal-1', [anEvent()], { expectedRevision: 0n })).rejects.toMatchObject({
      code: 'CONCURRENCY_CONFLICT',
      expectedRevision: 0n,
      actualRevision: 1n,
    });
    await store.close();
  });

  it('reads a missing stream as empty', async () => {
    const store = storeWith({
      readStream: () => fakeRead([], new StreamNotFoundError(undefined, 'signal-1')),
    });
    expect(await collect(store.readStream('signal-1'))).toEqual([]);
    await store.close();
  });

  it('filters $all on the client, counts the limit in matching events and cancels the rest', async () => {
    const read = fakeRead([
      resolvedAt(1n, { type: '$statsCollected', streamId: '$stats-1' }),
      resolvedAt(2n),
      resolvedAt(3n, { streamId: 'dossier-1' }),
      resolvedAt(4n),
      resolvedAt(5n),
    ]);
    let options: unknown;
    const store = storeWith({
      readAll: (given: unknown) => {
        options = given;
        return read;
      },
    });
    const events = await collect(
      store.readAll({
        fromPosition: encodePosition({ commit: 100n, prepare: 100n }),
        limit: 2,
        filter: { categories: ['signal'] },
      }),
    );
    expect(events.map((e) => e.data['n'])).toEqual([2, 4]);
    expect(options).toEqual({ fromPosition: { commit: 100n, prepare: 100n } });
    expect(read.cancelled).toBe(true);
    await store.close();
  });

  it('ends a waiting subscription on stop(), and skips system events', async () => {
    const source = fakeSubscription();
    let options: { fromPosition: unknown; filter: unknown } | undefined;
    const store = storeWith({
      subscribeToAll: (given: { fromPosition: unknown; filter: unknown }) => {
        options = given;
        return source;
      },
    });
    const subscription = store.subscribeToAll({ fromPosition: encodePosition({ commit: 5n, prepare: 4n }) });
    expect(options?.fromPosition).toEqual({ commit: 5n, prepare: 4n });
    source.write(resolvedAt(1n, { type: '$metadata' }));
    source.write(resolvedAt(2n));
    const iterator = subscription[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.done).toBe(false);
    expect((first.value as { revision: bigint }).revision).toBe(2n);
    const waiting = iterator.next();
    await subscription.stop();
    await expect(waiting).resolves.toEqual({ done: true, value: undefined });
    await store.close();
  });

  it('stops open subscriptions on close', async () => {
    const source = fakeSubscription();
    const store = storeWith({ subscribeToAll: () => source });
    const subscription = store.subscribeToAll({ fromPosition: 'end' });
    const waiting = subscription[Symbol.asyncIterator]().next();
    await store.close();
    await expect(waiting).resolves.toMatchObject({ done: true });
    expect(source.destroyed).toBe(true);
  });

  it('reports health from the last position of $all', async () => {
    const store = storeWith({ readAll: () => fakeRead([resolvedAt(7n)]) });
    expect(await store.health()).toEqual({
      adapter: 'eventstoredb',
      ok: true,
      lastPosition: String(encodePosition({ commit: 700n, prepare: 700n })),
      detail: 'eventstoredb',
    });
    await store.close();
  });

  it('reports an unreachable server as not ok, within the timeout', async () => {
    const never = new PassThrough({ objectMode: true });
    const client = {
      dispose: async () => undefined,
      readAll: () => Object.assign(never, { cancel: async () => undefined }),
    };
    const store = new EventStoreDbEventStore(client as unknown as EventStoreDBClient, {
      healthTimeoutMs: 20,
    });
    expect(await store.health()).toMatchObject({ ok: false, detail: 'eventstoredb: no answer within 20 ms' });
    await store.close();
  });
});
