import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { availableParallelism, uptime } from 'node:os';
import { dirname } from 'node:path';
import { threadId } from 'node:worker_threads';
import { PlatformLogger } from '../../logger.js';
import DatabaseConstructor, { type Database, type Statement, type Transaction } from 'better-sqlite3';
import { closedAfterFailedSetup } from '../../sqlite-setup.js';
import type { JsonObject, JsonValue } from '../../json.js';
import {
  assertCollectionSpec,
  assertDocumentId,
  decodePosition,
  encodePosition,
  validateListQuery,
} from '../query-validation.js';
import { servedBytes, StoredWords } from '../served-form.js';
import {
  ReadStore,
  ReadStoreQueryError,
  type CollectionSpec,
  type EnsureCollectionOptions,
  type Filter,
  type IndexDeclaration,
  type ListQuery,
  type ListResult,
  type ParkedEvent,
  type ProjectionBatch,
  type ProjectionStatus,
  type StoredDocument,
  type StoredServedForm,
} from '../read-store.port.js';

export interface SqliteReadStoreOptions {
  file: string;
  /** How long a write waits for another connection's write to end (ms); 5 s by default. */
  busyTimeoutMs?: number;
  /** Fault tests only: called inside the commit transaction, after the documents, before the checkpoints. */
  faultHook?: (point: 'after-documents') => void;
  /**
   * This connection's page cache in MiB: 32 by default (queries keep a big collection's index
   * pages in memory); PROJECTION_WRITER_CACHE_MIB for a projection runner's own connection.
   */
  cacheMiB?: number;
  /**
   * A catch-up with the app stopped (`npm run cli -- projections rebuild`): commits are not synced
   * to disk until `close` (synchronous=OFF), which saves the fsyncs of every WAL checkpoint (a 1M
   * rebuild: commits 14 against 21 s). A killed process loses nothing it committed: the writes are
   * in the operating system's cache, and the next open syncs them. Power loss or an OS crash can
   * leave the file damaged: a marker, written durably first, names this boot of the machine, and
   * an open after a reboot that finds it drops every read model, to be rebuilt from the events.
   */
  unsyncedUntilClose?: boolean;
}

/**
 * The page cache of a connection that only writes projections (the projection thread, a rebuild).
 * Measured on a 1M-event rebuild: 8 MiB against 32 gave a peak RSS of 367 against 410 MB (the
 * cache, and CREATE INDEX's sorter, which works within it) for +3% CPU (88.4 against 85.5 s).
 */
export const PROJECTION_WRITER_CACHE_MIB = 8;

/** The page cache (MiB) while query indexes are built: see SqliteReadStore.sortingInParallel. */
const SORT_CACHE_MIB = 2;

/**
 * Pages of 16 KiB rather than SQLite's 4: documents of one to a few KB upserted by the hundred
 * thousand touch fewer pages. A 1M-event rebuild, commits unsynced, one pair of runs after the
 * other: 53.9 and 60.8 s against 66.0 and 73.1 s (commits 9.7 and 10.9 against 14.0 and 14.9 s);
 * 8 KiB 60.8 s, 32 KiB 57.1 s. A file takes it when created, or at an open that finds it without
 * any collection (in WAL mode the page size cannot change otherwise).
 */
export const READ_STORE_PAGE_SIZE = 16_384;

interface Table {
  spec: CollectionSpec;
  table: string;
  /** The partition column (`f_<partitionKey>`), leading every query index; null without one. */
  partition: string | null;
  scalars: IndexDeclaration[];
  lists: IndexDeclaration[];
  upsert: Statement;
  deleteGuarded: Statement;
  listInserts: Map<string, { clear: Statement; insert: Statement }>;
  /** The table of served forms (`<table>_served`) and its writes; null for a collection without them. */
  served: { table: string; put: Statement; clear: Statement } | null;
}

const META_DDL = `
CREATE TABLE IF NOT EXISTS projection_checkpoints (
  name TEXT NOT NULL, version INTEGER NOT NULL, position TEXT, caught_up INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (name, version)
) STRICT;
CREATE TABLE IF NOT EXISTS projection_versions (name TEXT PRIMARY KEY, version INTEGER NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS projection_parked (
  name TEXT NOT NULL, version INTEGER NOT NULL, position TEXT NOT NULL, event_id TEXT NOT NULL,
  event_type TEXT NOT NULL, stream TEXT NOT NULL, reason TEXT NOT NULL, parked_at TEXT NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS projection_parked_by_version ON projection_parked (name, version, position);
CREATE UNIQUE INDEX IF NOT EXISTS projection_parked_once ON projection_parked (name, version, event_id);
CREATE TABLE IF NOT EXISTS read_store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
`;

/**
 * How collections are laid out in the file. A file of another layout is emptied on open: read
 * models are rebuilt from the event store.
 */
const LAYOUT = '2';

/**
 * Read models in one SQLite file (WAL, synchronous=NORMAL: a read model can always be rebuilt, and
 * WAL keeps every commit atomic). A collection is a table of JSON documents with one column per
 * declared scalar index and a side table per list index; documents, parked events and
 * checkpoints of a runner batch are written in one transaction, so a crash leaves the read model
 * exactly at its checkpoint.
 */
export class SqliteReadStore extends ReadStore {
  private readonly db: Database;
  /**
   * The commit's transaction, made once per connection. A function made anew at every commit (as
   * `db.transaction(() => …)` inside commit() was) started cold each time: its loop over a window's
   * documents ran interpreted until V8 compiled it again, about twice per commit in a 1M rebuild
   * (test/bench/PROJECTIONS.md, eighteenth session).
   */
  private readonly commitTransaction: Transaction<
    (batches: readonly ProjectionBatch[], tables: readonly Table[]) => void
  >;
  private readonly tables = new Map<string, Table>();
  private readonly statements = new Map<string, Statement>();
  /** The marker of this connection's unsynced writes (`read_store_meta`), while it has one. */
  private unsyncedMarker: string | null = null;

  constructor(private readonly options: SqliteReadStoreOptions) {
    super();
    if (options.file !== ':memory:') mkdirSync(dirname(options.file), { recursive: true });
    this.db = new DatabaseConstructor(options.file);
    try {
      // Taken by a new file only (before its first write, before WAL); see applyPageSize.
      this.db.pragma(`page_size = ${READ_STORE_PAGE_SIZE}`);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
      // Freed content (an overwritten document's old bytes, freed overflow pages) is zeroed in the
      // file, so that erased text does not linger there (scrub() then empties the WAL). Measured: +2%
      // CPU on rewriting 30k documents of 1-3 KB four times.
      this.db.pragma('secure_delete = ON');
      // Documents are upserted in id order of nobody's choosing: a page cache beyond SQLite's 2 MiB
      // default keeps a big collection's index pages in memory while a window is committed.
      this.db.pragma(`cache_size = -${Math.max(1, Math.floor(options.cacheMiB ?? 32)) * 1024}`);
      // Planner statistics from a sample: ANALYZE stays quick on big tables.
      this.db.pragma('analysis_limit = 1000');
      this.db.transaction(() => this.migrateLayout()).immediate();
      this.recoverUnsyncedWrites();
      this.applyPageSize();
      if (options.unsyncedUntilClose) this.beginUnsynced();
      this.commitTransaction = this.db.transaction(
        (batches: readonly ProjectionBatch[], tables: readonly Table[]) => {
          for (let i = 0; i < batches.length; i++)
            this.writeBatch(batches[i]!, tables[i]!, i === batches.length - 1);
        },
      );
    } catch (error) {
      throw closedAfterFailedSetup(this.db, error);
    }
  }

  /**
   * Gives a file of another page size READ_STORE_PAGE_SIZE when it holds no collection (emptied by
   * a rebuild of all read models, or by a layout change): out of WAL mode, VACUUM, back. Left for
   * a later open when another connection has the file open (the change needs it alone).
   */
  private applyPageSize(): void {
    if (this.options.file === ':memory:') return;
    if (this.db.pragma('page_size', { simple: true }) === READ_STORE_PAGE_SIZE) return;
    if (this.collectionTables().length > 0) return;
    try {
      if (this.db.pragma('journal_mode = DELETE', { simple: true }) !== 'delete') return;
      this.db.pragma(`page_size = ${READ_STORE_PAGE_SIZE}`);
      this.db.exec('VACUUM');
    } catch {
      // Busy: another connection came along; the next open tries again.
    } finally {
      this.db.pragma('journal_mode = WAL');
    }
  }

  /**
   * Markers of unsynced writers (unsyncedUntilClose) that ended without closing: after a reboot,
   * their writes may be lost or torn, so every read model is dropped (rebuilt from the events);
   * in the same boot the writes are in the system's cache, and are synced to disk here. A marker
   * of a writer still running is left alone.
   */
  private recoverUnsyncedWrites(): void {
    const markers = this.db
      .prepare<[], { key: string; value: string }>(
        "SELECT key, value FROM read_store_meta WHERE key LIKE 'unsynced:%'",
      )
      .all()
      .map((row) => ({ key: row.key, ...parseMarker(row.value) }));
    if (markers.length === 0) return;
    const boot = bootMark();
    const ended = markers.filter((marker) => marker.boot !== boot || !isRunning(marker.pid));
    if (ended.length === 0) return;
    if (ended.some((marker) => marker.boot !== boot)) {
      new PlatformLogger('ReadStore').warn(
        'a rebuild with unsynced writes did not end before the machine restarted: every read model is dropped and rebuilt from the events',
      );
      this.db
        .transaction(() => {
          this.dropReadModels();
          for (const marker of markers) this.deleteMeta(marker.key);
        })
        .immediate();
      this.syncToDisk();
      return;
    }
    this.syncToDisk();
    this.db.transaction(() => ended.forEach((marker) => this.deleteMeta(marker.key))).immediate();
    this.syncToDisk();
  }

  /** Writes the marker durably, then stops syncing commits (unsyncedUntilClose). */
  private beginUnsynced(): void {
    const key = `unsynced:${process.pid}:${threadId}`;
    this.setMeta(
      key,
      JSON.stringify({ boot: bootMark(), pid: process.pid, since: new Date().toISOString() }),
    );
    this.syncToDisk();
    this.unsyncedMarker = key;
    this.db.pragma('synchronous = OFF');
  }

  /**
   * Everything committed, on disk: the WAL copied into the file and emptied, and the file synced
   * (a checkpoint alone would not sync pages an unsynced checkpoint wrote before).
   */
  private syncToDisk(): void {
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    if (this.options.file === ':memory:') return;
    // The WAL too: a reader of another connection can keep frames from being copied.
    for (const file of [this.options.file, `${this.options.file}-wal`]) {
      if (!existsSync(file)) continue;
      const fd = openSync(file, 'r');
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
  }

  private setMeta(key: string, value: string): void {
    this.statement(
      'INSERT INTO read_store_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    ).run(key, value);
  }

  private deleteMeta(key: string): void {
    this.statement('DELETE FROM read_store_meta WHERE key = ?').run(key);
  }

  /** The tables of collections (a table per collection, per list index, of served forms). */
  private collectionTables(): string[] {
    return this.db
      .prepare<[], string>(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'rm\\_%' ESCAPE '\\'",
      )
      .pluck(true)
      .all();
  }

  private migrateLayout(): void {
    this.db.exec(META_DDL);
    const layout = this.db
      .prepare<[], string>("SELECT value FROM read_store_meta WHERE key = 'layout'")
      .pluck(true)
      .get();
    if (layout === LAYOUT) return;
    this.dropReadModels();
    this.setMeta('layout', LAYOUT);
  }

  /** Drops every collection with its checkpoints, versions and parked events (within a transaction). */
  private dropReadModels(): void {
    for (const table of this.collectionTables()) this.db.exec(`DROP TABLE IF EXISTS "${table}"`);
    this.db.exec(
      'DELETE FROM projection_checkpoints; DELETE FROM projection_versions; DELETE FROM projection_parked;',
    );
  }

  /** Prepared once per SQL text: queries and commits run often with the same shapes. */
  private statement<P extends unknown[] = unknown[], R = unknown>(sql: string): Statement<P, R> {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement as unknown as Statement<P, R>;
  }

  async ensureCollection(spec: CollectionSpec, options: EnsureCollectionOptions = {}): Promise<void> {
    this.table(spec);
    if (options.deferIndexes !== true) await this.ensureIndexes(spec);
  }

  async ensureIndexes(spec: CollectionSpec): Promise<void> {
    // The declarations as this spec makes them: the table may be known from an earlier one.
    const { table, partition } = this.table(spec);
    const scalars = spec.indexes.filter((index) => index.type !== 'string[]');
    const lists = spec.indexes.filter((index) => index.type === 'string[]');
    const lead = partition === null ? '' : `${partition}, `;
    const indexes: Array<{ name: string; on: string }> = [];
    for (const index of scalars) {
      for (const first of index.behind ?? []) {
        indexes.push({
          name: `${table}_${index.field}_behind_${first}`,
          on: `${table} (${first === spec.partitionKey ? '' : lead}f_${first}, f_${index.field}, id)`,
        });
      }
      if (index.indexed === false) continue;
      const column = `f_${index.field}`;
      indexes.push({
        name: `${table}_${index.field}`,
        on: column === partition ? `${table} (${column}, id)` : `${table} (${lead}${column}, id)`,
      });
    }
    for (const index of lists) {
      if (index.indexed === false) continue;
      const side = `${table}__${index.field}`;
      indexes.push({
        name: `${side}_by_value`,
        on: `${side} (${partition === null ? '' : 'part, '}value, id)`,
      });
    }
    // The collection's own indexes as they are (not the primary keys' automatic ones, which have
    // no SQL): one the spec no longer declares, or declares otherwise, is dropped, so that writes
    // stop keeping it up and the planner stops choosing it. Planned again under the write lock:
    // another connection may have changed them in between.
    const declared = new Map(indexes.map(({ name, on }) => [name, `CREATE INDEX ${name} ON ${on}`]));
    const tables = [table, ...lists.map((index) => `${table}__${index.field}`)];
    const present = this.db.prepare<string[], { name: string; sql: string }>(
      `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${tables.map(() => '?').join(', ')})`,
    );
    const plan = () => {
      const found = new Map(present.all(...tables).map(({ name, sql }) => [name, sql]));
      const stale = [...found].filter(([name, sql]) => declared.get(name) !== sql).map(([name]) => name);
      const missing = indexes.filter(({ name }) => declared.get(name) !== found.get(name));
      return { stale, missing };
    };
    const build = () =>
      this.db
        .transaction(() => {
          const { stale, missing } = plan();
          for (const name of stale) this.db.exec(`DROP INDEX ${name}`);
          for (const { name, on } of missing) this.db.exec(`CREATE INDEX ${name} ON ${on}`);
          this.db.exec(`ANALYZE ${table}`);
          for (const index of lists) this.db.exec(`ANALYZE ${table}__${index.field}`);
        })
        .immediate();
    // Nothing to sort when every index is there: the statistics alone.
    if (plan().missing.length > 0) this.sortingInParallel(build);
    else build();
    // Plans chosen before the statistics existed are prepared again.
    this.statements.clear();
  }

  /**
   * Runs `build` (index builds) with SQLite's sorter on the spare cores: PRAGMA threads, and a page
   * cache of SORT_CACHE_MIB, since the sorter hands sorted runs to its threads only once they
   * outgrow the cache. The ten inbox indexes of a 1M rebuild's seal (145k documents): 1.21–1.41 s
   * against 1.43–1.72 s in seven rebuilds each (test/bench/PROJECTIONS.md, seventeenth session).
   * Cache and threads are set back afterwards. With one core, `build` runs as it is.
   */
  private sortingInParallel(build: () => void): void {
    const helpers = Math.min(4, availableParallelism() - 1);
    if (helpers < 1) {
      build();
      return;
    }
    const cache = this.db.pragma('cache_size', { simple: true }) as number;
    const threads = this.db.pragma('threads', { simple: true }) as number;
    this.db.pragma(`threads = ${helpers}`);
    this.db.pragma(`cache_size = -${SORT_CACHE_MIB * 1024}`);
    try {
      build();
    } finally {
      this.db.pragma(`cache_size = ${cache}`);
      this.db.pragma(`threads = ${threads}`);
    }
  }

  /**
   * The collection's tables, created when missing: documents with a column per scalar index, and
   * a side table per list index keyed by (document, value), so that rewriting a document's list
   * is a range delete. Query indexes come from `ensureIndexes`.
   */
  private table(spec: CollectionSpec): Table {
    // A spec with served forms may add their table to a collection first met without it.
    const key = `${spec.name}@${spec.version}${spec.served === true ? '+served' : ''}`;
    const known = this.tables.get(key);
    if (known) return known;
    assertCollectionSpec(spec);
    const table = `rm_${spec.name.replace(/-/g, '_')}_v${spec.version}`;
    const partition = spec.partitionKey === undefined ? null : `f_${spec.partitionKey}`;
    const scalars = spec.indexes.filter((index) => index.type !== 'string[]');
    const lists = spec.indexes.filter((index) => index.type === 'string[]');
    const columns = scalars.map(
      (index) =>
        `f_${index.field} ${index.type === 'string' ? 'TEXT' : index.type === 'number' ? 'REAL' : 'INTEGER'}`,
    );
    this.db
      .transaction(() => {
        this.db.exec(
          `CREATE TABLE IF NOT EXISTS ${table} (id TEXT PRIMARY KEY, doc TEXT NOT NULL, position TEXT NOT NULL${columns.map((c) => `, ${c}`).join('')}) STRICT`,
        );
        for (const index of lists) {
          this.db.exec(
            `CREATE TABLE IF NOT EXISTS ${table}__${index.field} (id TEXT NOT NULL, value TEXT NOT NULL${partition === null ? '' : ', part TEXT'}, PRIMARY KEY (id, value)) STRICT, WITHOUT ROWID`,
          );
        }
        // Served forms in a table of their own (no list's side table ends so: theirs have two
        // underscores, and no collection's table does: it ends with its version), so that reading
        // one never passes a document that spills onto overflow pages. Its position is the
        // document's, written with it.
        if (spec.served === true)
          this.db.exec(
            `CREATE TABLE IF NOT EXISTS ${table}_served (id TEXT PRIMARY KEY, position TEXT NOT NULL, json TEXT NOT NULL, ints BLOB NOT NULL) STRICT`,
          );
        this.db
          .prepare(
            'INSERT INTO projection_checkpoints (name, version, position) VALUES (?, ?, NULL) ON CONFLICT DO NOTHING',
          )
          .run(spec.name, spec.version);
      })
      .immediate();
    const names = ['id', 'doc', 'position', ...scalars.map((index) => `f_${index.field}`)];
    const upsert = this.db.prepare(
      `INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})
       ON CONFLICT (id) DO UPDATE SET ${names
         .slice(1)
         .map((n) => `${n} = excluded.${n}`)
         .join(', ')}
       WHERE ${table}.position < excluded.position`,
    );
    const deleteGuarded = this.db.prepare(`DELETE FROM ${table} WHERE id = ? AND position < ?`);
    const listInserts = new Map(
      lists.map((index) => [
        index.field,
        {
          clear: this.db.prepare(`DELETE FROM ${table}__${index.field} WHERE id = ?`),
          // All of a document's values in one statement: the JSON array of its strings.
          insert: this.db.prepare(
            partition === null
              ? `INSERT OR IGNORE INTO ${table}__${index.field} (id, value) SELECT ?, value FROM json_each(?)`
              : `INSERT OR IGNORE INTO ${table}__${index.field} (id, value, part) SELECT ?, value, ? FROM json_each(?)`,
          ),
        },
      ]),
    );
    // A collection with served forms keeps them in step with its documents whatever the spec says:
    // a document written without one loses the one it had.
    const servedTable = `${table}_served`;
    const hasServed =
      spec.served === true ||
      this.db
        .prepare<[string], number>("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?")
        .pluck(true)
        .get(servedTable) === 1;
    const served = hasServed
      ? {
          table: servedTable,
          put: this.db.prepare(
            `INSERT INTO ${servedTable} (id, position, json, ints) VALUES (?, ?, ?, ?)
             ON CONFLICT (id) DO UPDATE SET position = excluded.position, json = excluded.json, ints = excluded.ints`,
          ),
          clear: this.db.prepare(`DELETE FROM ${servedTable} WHERE id = ?`),
        }
      : null;
    // A spec without served forms, met before their table was made, would not keep them in step.
    if (spec.served === true) this.tables.delete(`${spec.name}@${spec.version}`);
    const created: Table = {
      spec,
      table,
      partition,
      scalars,
      lists,
      upsert,
      deleteGuarded,
      listInserts,
      served,
    };
    this.tables.set(key, created);
    return created;
  }

  async get<D extends JsonObject>(spec: CollectionSpec, id: string): Promise<StoredDocument<D> | null> {
    assertDocumentId(id);
    const { table } = this.table(spec);
    const row = this.statement<[string], { doc: string; position: string }>(
      `SELECT doc, position FROM ${table} WHERE id = ?`,
    ).get(id);
    return row ? { id, doc: JSON.parse(row.doc) as D, position: decodePosition(row.position) } : null;
  }

  async getServed(spec: CollectionSpec, id: string): Promise<StoredServedForm | null> {
    assertDocumentId(id);
    const { served } = this.table(spec);
    if (served === null) return null;
    // The integers as text, read where they are needed (StoredWords): a blob would be a Buffer.
    const row = this.statement<[string], { json: string; ints: string; position: string }>(
      `SELECT json, hex(ints) AS ints, position FROM ${served.table} WHERE id = ?`,
    ).get(id);
    return row
      ? { json: row.json, ints: new StoredWords(row.ints), position: decodePosition(row.position) }
      : null;
  }

  async getMany<D extends JsonObject>(
    spec: CollectionSpec,
    ids: readonly string[],
  ): Promise<Map<string, StoredDocument<D>>> {
    const { table } = this.table(spec);
    for (const id of ids) assertDocumentId(id);
    const found = new Map<string, StoredDocument<D>>();
    for (let start = 0; start < ids.length; start += 500) {
      const chunk = ids.slice(start, start + 500);
      const rows = this.statement<string[], { id: string; doc: string; position: string }>(
        `SELECT id, doc, position FROM ${table} WHERE id IN (${chunk.map(() => '?').join(', ')})`,
      ).all(...chunk);
      for (const row of rows)
        found.set(row.id, {
          id: row.id,
          doc: JSON.parse(row.doc) as D,
          position: decodePosition(row.position),
        });
    }
    return found;
  }

  async list<D extends JsonObject>(spec: CollectionSpec, query: ListQuery): Promise<ListResult<D>> {
    const indexes = validateListQuery(spec, query);
    const { table } = this.table(spec);
    const where: string[] = [];
    const params: Array<string | number | null> = [];
    // Side tables carry the partition too: a list filter then stays within it.
    const partitionFilter = (query.filters ?? []).find(
      (filter) =>
        filter.field === spec.partitionKey && filter.op === 'eq' && typeof filter.value === 'string',
    );
    const part = partitionFilter?.op === 'eq' ? (partitionFilter.value as string) : null;
    const offset = query.offset ?? 0;
    for (const filter of query.filters ?? []) {
      const index = indexes.get(filter.field)!;
      if (index.type !== 'string[]') {
        where.push(scalarClause(index, filter, params));
        continue;
      }
      // A list filter that matches many documents is checked per document while the page is read
      // in sort order (a few probes per row, stopping at the page's end); one that matches few
      // gives the candidate ids up front. Both answer the same; the cost stays with the page.
      const many =
        query.sort !== undefined &&
        this.matchesAtLeast(table, filter, part, 10 * (offset + query.limit) + 10);
      where.push(listClause(table, filter, part, params, many ? 'probe' : 'drive'));
    }
    const whereSql = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const total =
      query.count === false
        ? null
        : (this.statement<unknown[], number>(`SELECT count(*) FROM ${table} ${whereSql}`)
            .pluck(true)
            .get(...params) ?? 0);
    const order = query.sort
      ? `ORDER BY f_${query.sort.field} ${query.sort.direction === 'desc' ? 'DESC' : 'ASC'}, id ASC`
      : 'ORDER BY id ASC';
    // One row past the page tells whether another page follows.
    // Omitted fields are cut out by SQLite's JSON functions, before JSON.parse sees the document.
    // (Field names are checked by validateListQuery: letters, digits and _.)
    const selected =
      query.omit === undefined
        ? 'doc'
        : `json_remove(doc, ${query.omit.map((field) => `'$.${field}'`).join(', ')})`;
    const rows = this.statement<unknown[], string>(
      `SELECT ${selected} FROM ${table} ${whereSql} ${order} LIMIT ? OFFSET ?`,
    )
      .pluck(true)
      .all(...params, query.limit + 1, offset);
    const hasMore = rows.length > query.limit;
    if (hasMore) rows.pop();
    return { items: rows.map((doc) => JSON.parse(doc) as D), total, hasMore };
  }

  /** Whether a list filter matches at least `threshold` values (an index-only count that stops there). */
  private matchesAtLeast(table: string, filter: Filter, part: string | null, threshold: number): boolean {
    const params: Array<string | number | null> = [];
    const clause = sideCondition(filter, part, params);
    if (clause === null) return true;
    const found =
      this.statement<unknown[], number>(
        `SELECT count(*) FROM (SELECT 1 FROM ${table}__${filter.field} WHERE ${clause} LIMIT ?)`,
      )
        .pluck(true)
        .get(...params, threshold) ?? 0;
    return found >= threshold;
  }

  async commit(batches: readonly ProjectionBatch[]): Promise<void> {
    const tables = batches.map((batch) => this.table(batch.collection));
    this.commitTransaction.immediate(batches, tables);
  }

  /** One read model's documents, deletions, parked events and checkpoint (inside commitTransaction). */
  private writeBatch(batch: ProjectionBatch, table: Table, last: boolean): void {
    const { scalars, lists, served } = table;
    const row: Array<string | number | null> = new Array<string | number | null>(3 + scalars.length);
    const puts = batch.puts;
    for (let p = 0; p < puts.length; p++) {
      const { id, doc, position, storedLists, served: form } = puts[p]!;
      row[0] = id;
      row[1] = JSON.stringify(doc);
      row[2] = encodePosition(position);
      for (let k = 0; k < scalars.length; k++) row[3 + k] = columnValue(doc[scalars[k]!.field]);
      const changed = table.upsert.run(row).changes;
      // The form goes (or stays away) with the document it was made from, under its guard.
      if (served !== null && changed > 0) {
        if (form === undefined) served.clear.run(id);
        else served.put.run(id, row[2], form.json, servedBytes(form.ints));
      }
      // The list indexes already hold these values (or there is nothing to clear).
      if (changed === 0 || lists.length === 0 || storedLists === 'same') continue;
      const part = table.partition === null ? undefined : columnValue(doc[batch.collection.partitionKey!]);
      for (const index of lists) {
        const statements = table.listInserts.get(index.field)!;
        if (storedLists !== 'absent') statements.clear.run(id);
        const values_ = doc[index.field];
        if (!Array.isArray(values_) || values_.length === 0) continue;
        const strings = values_.every((value) => typeof value === 'string')
          ? values_
          : values_.filter((value) => typeof value === 'string');
        if (strings.length === 0) continue;
        const json = JSON.stringify(strings);
        if (part === undefined) statements.insert.run(id, json);
        else statements.insert.run(id, part, json);
      }
    }
    for (const { id, position } of batch.deletes) {
      if (table.deleteGuarded.run(id, encodePosition(position)).changes === 0) continue;
      for (const index of table.lists) table.listInserts.get(index.field)!.clear.run(id);
      table.served?.clear.run(id);
    }
    const { name, version } = batch.collection;
    if (last) this.options.faultHook?.('after-documents');
    if (batch.parked.length > 0) {
      const park = this.statement(
        'INSERT INTO projection_parked (name, version, position, event_id, event_type, stream, reason, parked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
      );
      for (const p of batch.parked) {
        park.run(
          name,
          version,
          encodePosition(p.position),
          p.eventId,
          p.eventType,
          p.stream,
          p.reason,
          p.parkedAt,
        );
      }
    }
    if (batch.checkpoint !== null)
      this.statement(
        `INSERT INTO projection_checkpoints (name, version, position, caught_up) VALUES (?, ?, ?, ?)
       ON CONFLICT (name, version) DO UPDATE SET position = excluded.position, caught_up = max(caught_up, excluded.caught_up)
       WHERE projection_checkpoints.position IS NULL OR projection_checkpoints.position <= excluded.position`,
      ).run(name, version, encodePosition(batch.checkpoint), batch.caughtUp ? 1 : 0);
  }

  async checkpoint(spec: CollectionSpec): Promise<bigint | null> {
    this.table(spec);
    const position = this.statement<[string, number], string | null>(
      'SELECT position FROM projection_checkpoints WHERE name = ? AND version = ?',
    )
      .pluck(true)
      .get(spec.name, spec.version);
    return position ? decodePosition(position) : null;
  }

  async status(spec: CollectionSpec): Promise<ProjectionStatus> {
    this.table(spec);
    const row = this.statement<[string, number], { position: string | null; caught_up: number }>(
      'SELECT position, caught_up FROM projection_checkpoints WHERE name = ? AND version = ?',
    ).get(spec.name, spec.version);
    const parked = this.statement<[string, number], number>(
      'SELECT count(*) FROM projection_parked WHERE name = ? AND version = ?',
    )
      .pluck(true)
      .get(spec.name, spec.version);
    return {
      name: spec.name,
      version: spec.version,
      checkpoint: row?.position ? decodePosition(row.position) : null,
      active: (await this.activeVersion(spec.name)) === spec.version,
      caughtUp: row?.caught_up === 1,
      parked: parked ?? 0,
    };
  }

  async parked(spec: CollectionSpec, limit = 100): Promise<ParkedEvent[]> {
    if (!Number.isInteger(limit) || limit < 0 || limit > 1000)
      throw new ReadStoreQueryError('limit must be 0 to 1000');
    const rows = this.statement<
      [string, number, number],
      {
        position: string;
        event_id: string;
        event_type: string;
        stream: string;
        reason: string;
        parked_at: string;
      }
    >('SELECT * FROM projection_parked WHERE name = ? AND version = ? ORDER BY position DESC LIMIT ?').all(
      spec.name,
      spec.version,
      limit,
    );
    return rows.map((row) => ({
      position: decodePosition(row.position),
      eventId: row.event_id,
      eventType: row.event_type,
      stream: row.stream,
      reason: row.reason,
      parkedAt: row.parked_at,
    }));
  }

  async activeVersion(name: string): Promise<number | null> {
    return (
      this.statement<[string], number>('SELECT version FROM projection_versions WHERE name = ?')
        .pluck(true)
        .get(name) ?? null
    );
  }

  async activate(spec: CollectionSpec): Promise<void> {
    this.table(spec);
    this.db
      .prepare(
        'INSERT INTO projection_versions (name, version) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET version = excluded.version',
      )
      .run(spec.name, spec.version);
  }

  async drop(spec: CollectionSpec): Promise<void> {
    const { table, lists } = this.table(spec);
    this.db
      .transaction(() => {
        this.db.exec(`DROP TABLE IF EXISTS ${table}`);
        for (const index of lists) this.db.exec(`DROP TABLE IF EXISTS ${table}__${index.field}`);
        this.db.exec(`DROP TABLE IF EXISTS ${table}_served`);
        this.db
          .prepare('DELETE FROM projection_checkpoints WHERE name = ? AND version = ?')
          .run(spec.name, spec.version);
        this.db
          .prepare('DELETE FROM projection_parked WHERE name = ? AND version = ?')
          .run(spec.name, spec.version);
        this.db
          .prepare('DELETE FROM projection_versions WHERE name = ? AND version = ?')
          .run(spec.name, spec.version);
      })
      .immediate();
    this.tables.delete(`${spec.name}@${spec.version}`);
    this.tables.delete(`${spec.name}@${spec.version}+served`);
    // Statements on a dropped table cannot run again.
    this.statements.clear();
  }

  /** Copies the WAL into the database file (where secure_delete zeroed freed content) and truncates it. */
  async scrub(): Promise<void> {
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    if (this.unsyncedMarker !== null) {
      // On disk first, then the marker goes, durably.
      this.syncToDisk();
      this.db.pragma('synchronous = NORMAL');
      this.deleteMeta(this.unsyncedMarker);
      this.syncToDisk();
      this.unsyncedMarker = null;
    }
    this.db.close();
  }
}

/**
 * This boot of the machine: Linux's boot id, else the boot time to the minute (a reboot within
 * the same minute is not told apart; a boot time read a minute off only costs a rebuild).
 */
function bootMark(): string {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return `booted-${Math.round((Date.now() - uptime() * 1000) / 60_000)}`;
  }
}

function isRunning(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A marker's boot and process; one that cannot be read counts as of another boot. */
function parseMarker(value: string): { boot: string | null; pid: number } {
  try {
    const parsed = JSON.parse(value) as { boot?: unknown; pid?: unknown };
    return {
      boot: typeof parsed.boot === 'string' ? parsed.boot : null,
      pid: typeof parsed.pid === 'number' ? parsed.pid : -1,
    };
  } catch {
    return { boot: null, pid: -1 };
  }
}

function columnValue(value: JsonValue | undefined): string | number | null {
  if (typeof value === 'string' || typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return null;
}

function sqlValue(value: string | number | boolean | null): string | number | null {
  return typeof value === 'boolean' ? (value ? 1 : 0) : value;
}

function scalarClause(
  index: IndexDeclaration,
  filter: Filter,
  params: Array<string | number | null>,
): string {
  const column = `f_${index.field}`;
  switch (filter.op) {
    case 'eq':
      if (filter.value === null) return `${column} IS NULL`;
      params.push(sqlValue(filter.value));
      return `${column} = ?`;
    case 'in':
      params.push(...filter.values.map(sqlValue));
      return `${column} IN (${filter.values.map(() => '?').join(', ')})`;
    case 'range': {
      const parts: string[] = [];
      const add = (op: string, value: string | number | undefined) => {
        if (value === undefined) return;
        params.push(value);
        parts.push(`${column} ${op} ?`);
      };
      add('>=', filter.gte);
      add('>', filter.gt);
      add('<=', filter.lte);
      add('<', filter.lt);
      return parts.length > 0 ? parts.join(' AND ') : '1 = 1';
    }
  }
}

/**
 * The side-table condition of a list filter (null for `eq null`, which asks for documents with no
 * value at all). Within a partition when the query names one.
 */
function sideCondition(
  filter: Filter,
  part: string | null,
  params: Array<string | number | null>,
): string | null {
  const parts: string[] = [];
  if (part !== null) {
    params.push(part);
    parts.push('part = ?');
  }
  switch (filter.op) {
    case 'eq':
      if (filter.value === null) return null;
      params.push(String(filter.value));
      parts.push('value = ?');
      break;
    case 'in':
      params.push(...filter.values.map(String));
      parts.push(`value IN (${filter.values.map(() => '?').join(', ')})`);
      break;
    case 'range':
      for (const [op, value] of [
        ['>=', filter.gte],
        ['>', filter.gt],
        ['<=', filter.lte],
        ['<', filter.lt],
      ] as const) {
        if (value === undefined) continue;
        params.push(String(value));
        parts.push(`value ${op} ?`);
      }
      break;
  }
  return parts.length > 0 ? parts.join(' AND ') : '1 = 1';
}

/**
 * A list filter on the documents table: `drive` names the matching ids from the side table's
 * value index; `probe` checks each candidate row through the side table's (id, value) key.
 */
function listClause(
  table: string,
  filter: Filter,
  part: string | null,
  params: Array<string | number | null>,
  mode: 'drive' | 'probe',
): string {
  const side = `${table}__${filter.field}`;
  if (mode === 'probe') {
    const probe: Array<string | number | null> = [];
    const condition = sideCondition(filter, null, probe);
    params.push(...probe);
    return condition === null
      ? `NOT EXISTS (SELECT 1 FROM ${side} s WHERE s.id = ${table}.id)`
      : `EXISTS (SELECT 1 FROM ${side} s WHERE s.id = ${table}.id AND ${condition})`;
  }
  const condition = sideCondition(filter, part, params);
  return condition === null
    ? `id NOT IN (SELECT id FROM ${side})`
    : `id IN (SELECT id FROM ${side} WHERE ${condition})`;
}
