import DatabaseConstructor, { type Database, type Statement } from 'better-sqlite3';
import type { ExpectedRevision, NewEvent } from '../../src/platform/event-store/event-store.port.js';
import { SqliteEventStore } from '../../src/platform/event-store/sqlite/sqlite-event-store.js';
import {
  applyPragmas,
  EVENTS_DDL,
  SCHEMA_VERSION,
  type SynchronousMode,
} from '../../src/platform/event-store/sqlite/schema.js';
import { categoryOf } from '../../src/platform/event-store/stream-name.js';
import { uuidv7 } from '../../src/platform/ids.js';
import {
  alternate,
  envInt,
  now,
  rate,
  row,
  secondsSince,
  type Bench,
  type BenchContext,
  type BenchReport,
  type Measurement,
} from './harness.js';
import { signalEventList, signalEvents, signalStreams } from './signal-events.js';

/**
 * Our SqliteEventStore beside a raw better-sqlite3 loop doing the same durable inserts into the
 * same schema with the same pragmas, each run in a fresh file, alternating over several rounds.
 *   (a) one event per append, sequential        vs raw: one INSERT per transaction
 *   (b) 64 concurrent appenders, distinct streams vs our (a) and raw (a)
 *   (c) three events per append, sequential     vs raw: three INSERTs per transaction
 *   (d) readAll of a large file                 vs raw iterate, without and with JSON.parse
 */

const INSERT_SQL =
  'INSERT INTO events (id, stream, revision, category, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)';
const READ_SQL =
  'SELECT position, id, stream, revision, type, data, metadata, recorded_at FROM events ORDER BY position';
const BUSY_TIMEOUT_MS = 5000;
const STREAMS = 64;
const EVENT_SEED = 20261128;
const STREAM_SEED = 7;

interface ReadRow {
  position: number;
  id: string;
  stream: string;
  revision: number;
  type: string;
  data: string;
  metadata: string;
  recorded_at: number;
}

/** A raw connection with exactly the schema and pragmas of the store. */
function openRaw(file: string, synchronous: SynchronousMode): Database {
  const db = new DatabaseConstructor(file);
  applyPragmas(db, synchronous, BUSY_TIMEOUT_MS);
  db.exec(EVENTS_DDL);
  db.pragma(`user_version = ${SCHEMA_VERSION}`);
  return db;
}

function countRows(file: string): number {
  const db = new DatabaseConstructor(file, { readonly: true });
  try {
    return db.prepare<[], number>('SELECT count(*) FROM events').pluck(true).get() ?? 0;
  } finally {
    db.close();
  }
}

function expectCount(file: string, expected: number, who: string): void {
  const actual = countRows(file);
  if (actual !== expected) throw new Error(`${who}: ${expected} events appended but ${actual} stored`);
}

/** Splits events into appends of `size`, the k-th append going to stream k mod STREAMS. */
function batchesOf(events: readonly NewEvent[], size: number): NewEvent[][] {
  const batches: NewEvent[][] = [];
  for (let i = 0; i < events.length; i += size) batches.push(events.slice(i, i + size));
  return batches;
}

async function oursSequential(
  file: string,
  synchronous: SynchronousMode,
  streams: readonly string[],
  batches: readonly NewEvent[][],
): Promise<Measurement> {
  const store = new SqliteEventStore({ file, synchronous, busyTimeoutMs: BUSY_TIMEOUT_MS });
  let count = 0;
  let seconds: number;
  try {
    const expected: ExpectedRevision[] = streams.map(() => 'no-stream');
    const start = now();
    for (let k = 0; k < batches.length; k++) {
      const s = k % streams.length;
      const batch = batches[k] as NewEvent[];
      const result = await store.append(streams[s] as string, batch, {
        expectedRevision: expected[s] as ExpectedRevision,
      });
      expected[s] = result.nextRevision;
      count += batch.length;
    }
    seconds = secondsSince(start);
  } finally {
    await store.close();
  }
  expectCount(file, count, 'ours');
  return { count, seconds };
}

function rawSequential(
  file: string,
  synchronous: SynchronousMode,
  streams: readonly string[],
  batches: readonly NewEvent[][],
): Measurement {
  const db = openRaw(file, synchronous);
  let count = 0;
  let seconds: number;
  try {
    const insert = db.prepare(INSERT_SQL);
    const begin = db.prepare('BEGIN IMMEDIATE');
    const commit = db.prepare('COMMIT');
    const revisions = streams.map(() => 0);
    const categories = streams.map(categoryOf);
    const start = now();
    for (let k = 0; k < batches.length; k++) {
      const s = k % streams.length;
      const stream = streams[s] as string;
      const category = categories[s] as string;
      const recordedAt = Date.now();
      let revision = revisions[s] as number;
      begin.run();
      for (const event of batches[k] as NewEvent[]) {
        insert.run(
          uuidv7(),
          stream,
          revision,
          category,
          event.type,
          JSON.stringify(event.data),
          JSON.stringify(event.metadata),
          recordedAt,
        );
        revision += 1;
        count += 1;
      }
      commit.run();
      revisions[s] = revision;
    }
    seconds = secondsSince(start);
  } finally {
    db.close();
  }
  expectCount(file, count, 'raw');
  return { count, seconds };
}

/** Each of the streams has its own appender awaiting its appends in turn; all run at once. */
async function oursConcurrent(
  file: string,
  synchronous: SynchronousMode,
  perStream: readonly NewEvent[][],
  streams: readonly string[],
): Promise<Measurement> {
  const store = new SqliteEventStore({ file, synchronous, busyTimeoutMs: BUSY_TIMEOUT_MS });
  let count = 0;
  let seconds: number;
  try {
    const start = now();
    await Promise.all(
      streams.map(async (stream, s) => {
        let expectedRevision: ExpectedRevision = 'no-stream';
        for (const event of perStream[s] as NewEvent[]) {
          expectedRevision = (await store.append(stream, [event], { expectedRevision })).nextRevision;
          count += 1;
        }
      }),
    );
    seconds = secondsSince(start);
  } finally {
    await store.close();
  }
  expectCount(file, count, 'ours (concurrent)');
  return { count, seconds };
}

/** Setup, not timed: `total` events, 10 per stream, big transactions at synchronous=OFF. */
function buildReadFile(file: string, total: number, log: (message: string) => void): void {
  const db = openRaw(file, 'OFF');
  try {
    const insert = db.prepare(INSERT_SQL);
    const generator = signalEvents(EVENT_SEED + 1);
    const streams = signalStreams(STREAM_SEED + 1, Math.ceil(total / 10));
    const chunk = 20_000;
    const insertChunk = db.transaction((from: number, to: number) => {
      const recordedAt = Date.now();
      for (let i = from; i < to; i++) {
        const event = generator.next(i);
        const stream = streams[Math.floor(i / 10)] as string;
        insert.run(
          uuidv7(),
          stream,
          i % 10,
          categoryOf(stream),
          event.type,
          JSON.stringify(event.data),
          JSON.stringify(event.metadata),
          recordedAt,
        );
      }
    });
    const start = now();
    for (let from = 0; from < total; from += chunk) {
      insertChunk(from, Math.min(total, from + chunk));
      if ((from + chunk) % 200_000 === 0) log(`  built ${(from + chunk).toLocaleString('en-US')} events`);
    }
    db.pragma('wal_checkpoint(TRUNCATE)');
    log(`  built ${total.toLocaleString('en-US')} events in ${secondsSince(start).toFixed(1)} s`);
  } finally {
    db.close();
  }
}

async function oursReadAll(file: string, synchronous: SynchronousMode): Promise<Measurement> {
  const store = new SqliteEventStore({ file, synchronous, busyTimeoutMs: BUSY_TIMEOUT_MS });
  let count = 0;
  let seconds: number;
  try {
    const start = now();
    for await (const _event of store.readAll()) count += 1;
    seconds = secondsSince(start);
  } finally {
    await store.close();
  }
  return { count, seconds };
}

function rawRead(file: string, synchronous: SynchronousMode, parse: boolean): Measurement {
  const db = new DatabaseConstructor(file);
  let count = 0;
  let seconds: number;
  try {
    applyPragmas(db, synchronous, BUSY_TIMEOUT_MS);
    const statement: Statement<[], ReadRow> = db.prepare<[], ReadRow>(READ_SQL);
    const start = now();
    if (parse) {
      let fields = 0;
      for (const r of statement.iterate()) {
        const data = JSON.parse(r.data) as Record<string, unknown>;
        const metadata = JSON.parse(r.metadata) as Record<string, unknown>;
        if (data !== null && metadata !== null) fields += 1;
        count += 1;
      }
      if (fields !== count) throw new Error('a row did not parse to an object');
    } else {
      for (const _r of statement.iterate()) count += 1;
    }
    seconds = secondsSince(start);
  } finally {
    db.close();
  }
  return { count, seconds };
}

async function run({ synchronous, scratch, log }: BenchContext): Promise<BenchReport> {
  const durable = synchronous === 'FULL' || synchronous === 'EXTRA';
  const appendEvents = envInt('BENCH_APPEND_EVENTS', durable ? 4_000 : 20_000);
  const appendRounds = envInt('BENCH_ROUNDS', 5);
  const readEvents = envInt('BENCH_EVENTS', 1_000_000);
  const readRounds = envInt('BENCH_READ_ROUNDS', 3);

  const streams = signalStreams(STREAM_SEED, STREAMS);
  const events = signalEventList(EVENT_SEED, appendEvents);
  const single = batchesOf(events, 1);
  const triple = batchesOf(events, 3);
  const perStream = streams.map((_, s) => events.filter((_e, i) => i % STREAMS === s));
  let fileNo = 0;
  const fresh = (label: string): string => scratch.file(`${label}-${fileNo++}.sqlite`);
  const once = async <T>(label: string, work: (file: string) => T | Promise<T>): Promise<T> => {
    const file = fresh(label);
    try {
      return await work(file);
    } finally {
      scratch.remove(file);
    }
  };
  const report = (name: string, round: number, m: Measurement): void =>
    log(
      `  round ${round + 1} ${name.padEnd(16)} ${Math.round(rate(m)).toLocaleString('en-US').padStart(9)} events/s`,
    );

  // Warm-up (JIT, file system), not recorded.
  const warm = events.slice(0, Math.min(200, events.length));
  await once('warm-ours', (f) => oursSequential(f, synchronous, streams, batchesOf(warm, 1)));
  await once('warm-raw', (f) => rawSequential(f, synchronous, streams, batchesOf(warm, 1)));

  log(`(a)+(b) ${appendEvents} events, ${appendRounds} rounds`);
  const ab = await alternate(
    appendRounds,
    {
      oursA: () => once('ours-a', (f) => oursSequential(f, synchronous, streams, single)),
      rawA: () => once('raw-a', (f) => rawSequential(f, synchronous, streams, single)),
      oursB: () => once('ours-b', (f) => oursConcurrent(f, synchronous, perStream, streams)),
    },
    report,
  );

  log(`(c) ${appendEvents} events, 3 per append, ${appendRounds} rounds`);
  const c = await alternate(
    appendRounds,
    {
      oursC: () => once('ours-c', (f) => oursSequential(f, synchronous, streams, triple)),
      rawC: () => once('raw-c', (f) => rawSequential(f, synchronous, streams, triple)),
    },
    report,
  );

  log(`(d) building a file of ${readEvents.toLocaleString('en-US')} events (setup, not timed)`);
  const readFile = fresh('read');
  let d: Record<'oursD' | 'rawD' | 'rawParseD', Measurement[]>;
  try {
    buildReadFile(readFile, readEvents, log);
    // Warm the page cache and the JIT for every contestant, not recorded.
    rawRead(readFile, synchronous, false);
    log(`(d) readAll, ${readRounds} rounds`);
    d = await alternate(
      readRounds,
      {
        oursD: () => oursReadAll(readFile, synchronous),
        rawD: async () => rawRead(readFile, synchronous, false),
        rawParseD: async () => rawRead(readFile, synchronous, true),
      },
      report,
    );
  } finally {
    scratch.remove(readFile);
  }
  for (const [name, ms] of Object.entries(d)) {
    for (const m of ms)
      if (m.count !== readEvents) throw new Error(`${name} read ${m.count} of ${readEvents} events`);
  }

  return {
    rows: [
      row('(a) 1 event/append, sequential', ab.oursA, 'raw: 1 insert/commit', ab.rawA, 0.7),
      row('(b) 64 concurrent appenders', ab.oursB, 'ours (a)', ab.oursA, 3),
      row('(b) 64 concurrent appenders', ab.oursB, 'raw: 1 insert/commit', ab.rawA),
      row('(c) 3 events/append, sequential', c.oursC, 'raw: 3 inserts/commit', c.rawC),
      row('(d) readAll', d.oursD, 'raw iterate, no parse', d.rawD, 0.5),
      row('(d) readAll', d.oursD, 'raw iterate + JSON.parse', d.rawParseD),
    ],
    parameters: {
      appendEvents,
      appendRounds,
      streams: STREAMS,
      concurrentAppenders: STREAMS,
      readEvents,
      readRounds,
      eventSeed: EVENT_SEED,
      eventType: 'SignalSubmitted',
      ratio: 'median over rounds of ours/reference measured in the same round',
    },
    samples: { ...ab, ...c, ...d },
  };
}

export const eventStoreBench: Bench = {
  name: 'event-store',
  description: 'SqliteEventStore append and readAll against raw better-sqlite3 on the same schema',
  run,
};
