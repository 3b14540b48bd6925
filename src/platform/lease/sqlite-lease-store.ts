import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import DatabaseConstructor, { type Database, type Statement } from 'better-sqlite3';
import { closedAfterFailedSetup } from '../sqlite-setup.js';
import { assertLeaseArguments, LeaseStore } from './lease-store.port.js';

export interface SqliteLeaseStoreOptions {
  file: string;
  /** The clock (ms since the epoch); every process sharing the file reads the same machine's. */
  now?: () => number;
  busyTimeoutMs?: number;
}

/**
 * Leases in a SQLite file of their own (DATA_DIR/leases.sqlite): the instances that share a data
 * folder share its leases. A lease is one row, taken or extended by one conditional upsert, so
 * two processes asking at once cannot both get it (SQLite's write lock orders them).
 */
export class SqliteLeaseStore extends LeaseStore {
  private readonly db: Database;
  private readonly now: () => number;
  private readonly take: Statement<[string, string, number, number]>;
  private readonly drop: Statement<[string, string]>;
  private readonly current: Statement<[string, number], string>;

  constructor(options: SqliteLeaseStoreOptions) {
    super();
    if (options.file !== ':memory:') mkdirSync(dirname(options.file), { recursive: true });
    this.now = options.now ?? Date.now;
    this.db = new DatabaseConstructor(options.file);
    try {
      this.db.pragma('journal_mode = WAL');
      // A lease lost to a power cut has run out by the time the machine is back: no fsync needed.
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
      this.db.exec(
        'CREATE TABLE IF NOT EXISTS leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at INTEGER NOT NULL) STRICT',
      );
      this.take = this.db.prepare(
        `INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
         WHERE leases.holder = excluded.holder OR leases.expires_at <= ?`,
      );
      this.drop = this.db.prepare('DELETE FROM leases WHERE name = ? AND holder = ?');
      this.current = this.db
        .prepare<[string, number], string>('SELECT holder FROM leases WHERE name = ? AND expires_at > ?')
        .pluck(true);
    } catch (error) {
      throw closedAfterFailedSetup(this.db, error);
    }
  }

  async acquire(name: string, holder: string, ttlMs: number): Promise<boolean> {
    assertLeaseArguments(name, holder, ttlMs);
    const now = this.now();
    return this.take.run(name, holder, now + ttlMs, now).changes === 1;
  }

  async release(name: string, holder: string): Promise<void> {
    assertLeaseArguments(name, holder);
    this.drop.run(name, holder);
  }

  async holder(name: string): Promise<string | null> {
    assertLeaseArguments(name, '-');
    return this.current.get(name, this.now()) ?? null;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
