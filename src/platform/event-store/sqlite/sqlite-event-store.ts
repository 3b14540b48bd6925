import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import DatabaseConstructor, { type Database, type Statement, type Transaction } from 'better-sqlite3';
import { closedAfterFailedSetup } from '../../sqlite-setup.js';
import { uuidv7 } from '../../ids.js';
import type { JsonObject } from '../../json.js';
import {
  ConcurrencyError,
  DuplicateEventIdError,
  EventStoreClosedError,
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
} from '../event-validation.js';
import {
  EventStore,
  type AllFilter,
  type AllSubscription,
  type AppendOptions,
  type AppendResult,
  type CurrentRevision,
  type EventMetadata,
  type EventStoreHealth,
  type ExpectedRevision,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type RecordedEventWithText,
  type StoredTextReader,
  type SubscribeToAllOptions,
  type TenantSampler,
  type TenantSelection,
} from '../event-store.port.js';
import { chainHash, GENESIS_HASH, sealedMetadataJson } from '../hash-chain.js';
import { assertValidStreamName, categoryOf } from '../stream-name.js';
import { applyPragmas, migrate, TENANT_OF_ROW, type SynchronousMode } from './schema.js';
import { type CommitFeed, SqliteAllSubscription } from './sqlite-subscription.js';
import { WalSync } from './wal-sync.js';

export interface SqliteEventStoreOptions {
  /** Path of the database file, or `:memory:`. */
  file: string;
  synchronous?: SynchronousMode;
  /** How often idle live subscriptions look for commits made by other processes. */
  pollIntervalMs?: number;
  busyTimeoutMs?: number;
  /** Rows fetched per query by reads (1,000 by default). */
  pageSize?: number;
  /**
   * Rows a subscription fetches per query (250 by default): a projection runner catching up
   * applies them before the next page, and a page that stays small is garbage by the next
   * young-generation collection (test/bench/PROJECTIONS.md, tenth session).
   */
  subscriptionPageSize?: number;
  /**
   * The connection's page cache (MiB); SQLite's default of this build (16) when absent. A rebuild's
   * lane reads `$all` once, in order, and keeps 2 (READ_ONCE_CACHE_MIB).
   */
  cacheMiB?: number;
  now?: () => number;
}

interface PendingAppend {
  stream: string;
  events: PreparedEvent[];
  expected: ExpectedRevision;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

type Row = [
  position: number,
  id: string,
  stream: string,
  revision: number,
  type: string,
  data: string,
  metadata: string,
  recordedAt: number,
];

const COLUMNS = 'position, id, stream, revision, type, data, metadata, recorded_at';

/**
 * Page cache of a connection that reads the log once, in order (a rebuild's lane): a page is not
 * read again, so SQLite's 16 MiB only add to the process's memory (a 1M rebuild of encrypted
 * events in two lanes, the key stores' connections also at 2 MiB: peak RSS 347–368 against
 * 405–421 MiB).
 */
export const READ_ONCE_CACHE_MIB = 2;

/**
 * The embedded event store. Appends queue up and are committed together, one transaction per
 * turn of the event loop (group commit), each append in its own savepoint so that one failing
 * append leaves its neighbours untouched. At `synchronous = FULL` (the default) the commit's fsync
 * runs off the event loop (see WalSync): an append resolves only once its events are on disk,
 * while the next batch is already being written.
 */
export class SqliteEventStore extends EventStore implements StoredTextReader, TenantSampler {
  private readonly db: Database;
  private readonly now: () => number;
  private readonly synchronous: SynchronousMode;
  private readonly pollIntervalMs: number;
  private readonly pageSize: number;
  private readonly subscriptionPageSize: number;
  private readonly statements: ReturnType<typeof prepareStatements>;
  private readonly filteredReads = new Map<string, Statement<unknown[], Row>>();
  private readonly commitListeners = new Set<() => void>();
  private readonly subscriptions = new Set<AllSubscription>();
  private readonly appendOne: (append: PendingAppend) => AppendResult;
  private readonly commitBatch: Transaction<
    (batch: PendingAppend[]) => Array<AppendResult | { error: unknown }>
  >;
  /** Null when SQLite syncs inside the commit itself (any mode but FULL, `:memory:`). */
  private readonly walSync: WalSync | null;
  /** Committed batches waiting for their sync. */
  private readonly syncing = new Set<Promise<void>>();
  private queue: PendingAppend[] = [];
  private flushScheduled = false;
  private closed = false;
  private commits = 0;
  private committedAppends = 0;

  constructor(private readonly options: SqliteEventStoreOptions) {
    super();
    if (options.file !== ':memory:') mkdirSync(dirname(options.file), { recursive: true });
    this.db = new DatabaseConstructor(options.file);
    try {
      this.synchronous = options.synchronous ?? 'FULL';
      applyPragmas(this.db, this.synchronous, options.busyTimeoutMs ?? 5000);
      if (options.cacheMiB !== undefined)
        this.db.pragma(`cache_size = ${-Math.max(1, Math.floor(options.cacheMiB * 1024))}`);
      migrate(this.db);
      this.walSync = WalSync.forConnection(this.db, options.file, this.synchronous);
      this.now = options.now ?? Date.now;
      this.pollIntervalMs = options.pollIntervalMs ?? 50;
      this.pageSize = options.pageSize ?? 1000;
      this.subscriptionPageSize = options.subscriptionPageSize ?? 250;
      this.statements = prepareStatements(this.db);
      // Nested better-sqlite3 transactions are savepoints: a throwing append rolls back alone.
      this.appendOne = this.db.transaction((append: PendingAppend) => this.write(append));
      this.commitBatch = this.db.transaction((batch: PendingAppend[]) =>
        batch.map((append) => {
          try {
            return this.appendOne(append);
          } catch (error) {
            return { error };
          }
        }),
      );
    } catch (error) {
      throw closedAfterFailedSetup(this.db, error);
    }
  }

  get file(): string {
    return this.options.file;
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
      return new Promise((resolve, reject) => {
        this.queue.push({ stream, events: serialized, expected: options.expectedRevision, resolve, reject });
        if (!this.flushScheduled) {
          this.flushScheduled = true;
          setImmediate(() => this.flush());
        }
      });
    } catch (error) {
      return Promise.reject(error);
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    let outcomes: Array<AppendResult | { error: unknown }>;
    try {
      outcomes = this.commitBatch.immediate(batch);
    } catch (error) {
      // The commit itself failed (disk full, lock timeout): nothing of the batch is stored.
      for (const append of batch) append.reject(error);
      return;
    }
    this.commits += 1;
    this.committedAppends += batch.length;
    const settle = (): void => {
      for (let i = 0; i < batch.length; i++) {
        const outcome = outcomes[i]!;
        if ('error' in outcome) batch[i]!.reject(outcome.error);
        else batch[i]!.resolve(outcome);
      }
      for (const listener of this.commitListeners) listener();
    };
    if (this.walSync === null) {
      settle();
      return;
    }
    // Acknowledged only once on disk; the next batch commits meanwhile and shares the next sync.
    const synced = this.walSync.sync().then(settle, (error: unknown) => {
      // Committed, but not known to be durable: the callers hear of it (a retry is idempotent).
      for (const append of batch) append.reject(error);
      for (const listener of this.commitListeners) listener();
    });
    this.syncing.add(synced);
    void synced.then(() => this.syncing.delete(synced));
  }

  /** Group-commit figures since start: transactions committed and the appends they carried. */
  stats(): { commits: number; appends: number; syncs: number | null } {
    return { commits: this.commits, appends: this.committedAppends, syncs: this.walSync?.count ?? null };
  }

  /**
   * Runs inside the batch transaction: idempotency, revision check, then the inserts. The stream's
   * last hash is read in the same transaction (and savepoint order), so the chain cannot fork.
   */
  private write(append: PendingAppend): AppendResult {
    const { stream, events, expected } = append;
    const s = this.statements;
    const replay = this.replayResult(append);
    if (replay) return replay;

    const head = s.streamHead.get(stream);
    const current: CurrentRevision = head === undefined ? 'no-stream' : BigInt(head[0]);
    if (!revisionMatches(expected, current)) throw new ConcurrencyError(stream, expected, current);

    const category = categoryOf(stream);
    const recordedAt = this.now();
    let revision = head === undefined ? 0 : head[0] + 1;
    // An unsealed last event (written before the chain, or by a raw loop) starts a new chain.
    let previousHash = head?.[1] ?? GENESIS_HASH;
    let position = 0;
    for (const event of events) {
      const hash = chainHash(stream, revision, event.type, event.parts, previousHash);
      try {
        const info = s.insert.run(
          event.id,
          stream,
          revision,
          category,
          event.type,
          event.data,
          sealedMetadataJson(event.metadata, { hash, previousHash }),
          recordedAt,
          hash,
        );
        position = Number(info.lastInsertRowid);
      } catch (error) {
        if (isUniqueViolation(error, 'events.id')) throw new DuplicateEventIdError(event.id);
        throw error;
      }
      previousHash = hash;
      revision += 1;
    }
    return { nextRevision: BigInt(revision - 1), position: BigInt(position) };
  }

  /** The original result when this append repeats a stored one (same ids, same place). */
  private replayResult({ stream, events, expected }: PendingAppend): AppendResult | null {
    const first = this.statements.eventById.get(events[0]!.id);
    if (!first) return null;
    const startRevision = first.revision;
    const expectedFits =
      expected === 'any' ||
      (expected === 'no-stream' && startRevision === 0) ||
      (expected === 'exists' && startRevision > 0) ||
      (typeof expected === 'bigint' && expected === BigInt(startRevision - 1));
    if (first.stream === stream && expectedFits) {
      const stored = this.statements.idsFrom.all(stream, startRevision, events.length);
      if (stored.length === events.length && stored.every((row, i) => row.id === events[i]!.id)) {
        const lastRow = stored[stored.length - 1]!;
        return { nextRevision: BigInt(lastRow.revision), position: BigInt(lastRow.position) };
      }
    }
    // Not a replay: a conflicting revision says more than the duplicate id does.
    const head = this.statements.streamHead.get(stream);
    const current: CurrentRevision = head === undefined ? 'no-stream' : BigInt(head[0]);
    if (!revisionMatches(expected, current)) throw new ConcurrencyError(stream, expected, current);
    throw new DuplicateEventIdError(events[0]!.id);
  }

  async *readStream(stream: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    assertValidStreamName(stream);
    assertLimit(options.limit);
    const direction = options.direction ?? 'forwards';
    if (direction !== 'forwards' && direction !== 'backwards') {
      throw new InvalidReadOptionsError("direction must be 'forwards' or 'backwards'");
    }
    const from = options.from ?? (direction === 'forwards' ? 'start' : 'end');
    let remaining = options.limit ?? Number.POSITIVE_INFINITY;
    let cursor: number;
    // Backwards from the start, like forwards from the end, reads nothing.
    if (from === 'start') cursor = direction === 'forwards' ? 0 : -1;
    else if (from === 'end') cursor = Number.MAX_SAFE_INTEGER;
    else if (typeof from === 'bigint' && from >= 0n) cursor = Number(from);
    else throw new InvalidReadOptionsError("from must be 'start', 'end' or a revision (bigint ≥ 0)");

    const query = direction === 'forwards' ? this.statements.streamForwards : this.statements.streamBackwards;
    while (remaining > 0 && !this.closed) {
      const rows = query.all(stream, cursor, Math.min(this.pageSize, remaining));
      for (const row of rows) yield decode(row);
      if (rows.length < Math.min(this.pageSize, remaining)) return;
      remaining -= rows.length;
      const lastRevision = rows[rows.length - 1]![3];
      cursor = direction === 'forwards' ? lastRevision + 1 : lastRevision - 1;
    }
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    const pages = this.allPages(options);
    for (let rows = pages.next(); rows !== null; rows = pages.next()) {
      for (const row of rows) yield decode(row);
    }
  }

  /** `$all` with each event's stored text (StoredTextReader); data is parsed when first read. */
  async *readAllWithText(options: ReadAllOptions = {}): AsyncIterable<RecordedEventWithText> {
    const pages = this.allPages(options);
    for (let rows = pages.next(); rows !== null; rows = pages.next()) {
      for (const row of rows) yield decodeWithText(row);
    }
  }

  /** Pages of `$all` in position order; `next()` is null once the read is done. */
  private allPages(options: ReadAllOptions): { next(): Row[] | null } {
    assertLimit(options.limit);
    assertFilter(options.filter);
    const from = options.fromPosition ?? 'start';
    if (from !== 'start' && !(typeof from === 'bigint' && from >= 0n)) {
      throw new InvalidReadOptionsError("fromPosition must be 'start' or a position (bigint ≥ 0)");
    }
    let after = from === 'start' ? 0 : Number(from) - 1;
    let remaining = options.limit ?? Number.POSITIVE_INFINITY;
    let done = false;
    const query = this.allQuery(options.filter);
    const values = filterValues(options.filter);
    return {
      next: () => {
        if (done || remaining <= 0 || this.closed) return null;
        const pageLimit = Math.min(this.pageSize, remaining);
        const rows = query.all(after, ...values, pageLimit);
        if (rows.length < pageLimit) done = true;
        remaining -= rows.length;
        if (rows.length > 0) after = rows[rows.length - 1]![0];
        return rows;
      },
    };
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): AllSubscription {
    if (this.closed) throw new EventStoreClosedError();
    assertFilter(options.filter);
    assertTenantSelection(options.tenants);
    const from = options.fromPosition ?? 'start';
    let after: number;
    if (from === 'start') after = 0;
    else if (from === 'end') after = this.statements.lastPosition.get() ?? 0;
    else if (typeof from === 'bigint' && from >= 0n) after = Number(from);
    else throw new InvalidReadOptionsError("fromPosition must be 'start', 'end' or a position (bigint ≥ 0)");

    const query = this.allQuery(options.filter, options.tenants);
    const values = [...filterValues(options.filter), ...(options.tenants?.tenants ?? [])];
    const feed: CommitFeed<Row> = {
      readAfter: (position) => query.all(position, ...values, this.subscriptionPageSize),
      decode,
      positionOf: (row) => row[0],
      onCommit: (listener) => {
        this.commitListeners.add(listener);
        return () => this.commitListeners.delete(listener);
      },
      isClosed: () => this.closed,
    };
    const subscription = new SqliteAllSubscription(feed, after, this.pollIntervalMs, (ended) =>
      this.subscriptions.delete(ended),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  /**
   * TenantSampler from the tenant index (a covering look-up: no event row is read). The 1,543
   * samples of the 100k bench file: 12 ms, against 85–270 ms through readAll, which reads and
   * decodes each event.
   */
  async tenantsFrom(positions: readonly bigint[]): Promise<Array<string | null>> {
    if (this.closed) throw new EventStoreClosedError();
    const query = this.statements.tenantFrom;
    return positions.map((position) => {
      if (typeof position !== 'bigint' || position < 0n)
        throw new InvalidReadOptionsError('a position is a bigint ≥ 0');
      const tenant = query.get(Number(position));
      return typeof tenant === 'string' ? tenant : null;
    });
  }

  async health(): Promise<EventStoreHealth> {
    try {
      const last = this.statements.lastPosition.get() ?? 0;
      const { commits, appends, syncs } = this.stats();
      const fsyncs = syncs === null ? '' : ` (${syncs} fsyncs off the event loop)`;
      return {
        adapter: 'sqlite',
        ok: !this.closed,
        lastPosition: String(last),
        detail: `synchronous=${this.synchronous}, ${appends} appends in ${commits} commits since start${fsyncs}`,
      };
    } catch (error) {
      return { adapter: 'sqlite', ok: false, detail: (error as Error).message };
    }
  }

  /** Waits for queued appends to commit, ends every subscription, closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    await Promise.all(this.syncing);
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    for (const listener of this.commitListeners) listener();
    await this.walSync?.close();
    this.db.close();
  }

  /**
   * The statement reading a page of `$all` after a position: (position, filter values, tenants,
   * limit). A tenant selection is tested by SQLite itself on the tenant index: rows of other
   * tenants are neither read nor made JavaScript values.
   */
  private allQuery(filter: AllFilter | undefined, tenants?: TenantSelection): Statement<unknown[], Row> {
    const filterKey = filter ? `${'categories' in filter ? 'c' : 't'}${filterValues(filter).length}` : '-';
    const key = tenants
      ? `${filterKey}/${tenants.except === true ? '!' : ''}${tenants.tenants.length}`
      : filterKey;
    let statement = this.filteredReads.get(key);
    if (!statement) {
      let where = 'position > ?';
      if (filter) {
        const column = 'categories' in filter ? 'category' : 'type';
        where += ` AND ${column} IN (${filterValues(filter)
          .map(() => '?')
          .join(', ')})`;
      }
      // A tenant selection walks the tenant index: the rows of other tenants are never read.
      let from = 'events';
      if (tenants && (tenants.except !== true || tenants.tenants.length > 0)) {
        const tenant = TENANT_OF_ROW;
        const list = tenants.tenants.map(() => '?').join(', ');
        where +=
          tenants.except === true
            ? ` AND (${tenant} IS NULL OR ${tenant} NOT IN (${list}))`
            : ` AND ${tenant} IN (${list})`;
        from = 'events INDEXED BY events_by_tenant';
      }
      statement = this.db
        .prepare<unknown[], Row>(`SELECT ${COLUMNS} FROM ${from} WHERE ${where} ORDER BY position LIMIT ?`)
        .raw(true);
      this.filteredReads.set(key, statement);
    }
    return statement;
  }
}

function prepareStatements(db: Database) {
  return {
    insert: db.prepare(
      'INSERT INTO events (id, stream, revision, category, type, data, metadata, recorded_at, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    streamHead: db
      .prepare<[string], [revision: number, hash: string | null]>(
        'SELECT revision, hash FROM events WHERE stream = ? ORDER BY revision DESC LIMIT 1',
      )
      .raw(true),
    eventById: db.prepare<[string], { stream: string; revision: number; position: number }>(
      'SELECT stream, revision, position FROM events WHERE id = ?',
    ),
    idsFrom: db.prepare<[string, number, number], { id: string; revision: number; position: number }>(
      'SELECT id, revision, position FROM events WHERE stream = ? AND revision >= ? ORDER BY revision LIMIT ?',
    ),
    streamForwards: db
      .prepare<[string, number, number], Row>(
        `SELECT ${COLUMNS} FROM events WHERE stream = ? AND revision >= ? ORDER BY revision LIMIT ?`,
      )
      .raw(true),
    streamBackwards: db
      .prepare<[string, number, number], Row>(
        `SELECT ${COLUMNS} FROM events WHERE stream = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`,
      )
      .raw(true),
    lastPosition: db.prepare<[], number | null>('SELECT max(position) FROM events').pluck(true),
    tenantFrom: db
      .prepare<[number], unknown>(
        `SELECT ${TENANT_OF_ROW} FROM events INDEXED BY events_by_tenant WHERE position >= ? ORDER BY position LIMIT 1`,
      )
      .pluck(true),
  };
}

function filterValues(filter: AllFilter | undefined): readonly string[] {
  if (!filter) return [];
  return 'categories' in filter ? filter.categories : filter.eventTypes;
}

function revisionMatches(expected: ExpectedRevision, current: CurrentRevision): boolean {
  if (expected === 'any') return true;
  if (expected === 'no-stream') return current === 'no-stream';
  if (expected === 'exists') return current !== 'no-stream';
  return current === expected;
}

function isUniqueViolation(error: unknown, column: string): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE' &&
    String((error as Error).message).includes(column)
  );
}

function decode(row: Row): RecordedEvent {
  return {
    id: row[1],
    type: row[4],
    data: JSON.parse(row[5]) as JsonObject,
    metadata: JSON.parse(row[6]) as EventMetadata,
    stream: row[2],
    revision: BigInt(row[3]),
    position: BigInt(row[0]),
    recordedAt: new Date(row[7]),
  };
}

function decodeWithText(row: Row): RecordedEventWithText {
  const dataText = row[5];
  const recordedAt = row[7];
  let data: JsonObject | undefined;
  let recorded: Date | undefined;
  // A verifier reads the text, the metadata and the place: the rest is made only when read.
  return {
    id: row[1],
    type: row[4],
    get data(): JsonObject {
      return (data ??= JSON.parse(dataText) as JsonObject);
    },
    metadata: JSON.parse(row[6]) as EventMetadata,
    stream: row[2],
    revision: BigInt(row[3]),
    position: BigInt(row[0]),
    get recordedAt(): Date {
      return (recorded ??= new Date(recordedAt));
    },
    text: { data: dataText, metadata: row[6] },
  };
}
