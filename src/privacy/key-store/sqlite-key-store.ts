import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import DatabaseConstructor, { type Database, type Statement } from 'better-sqlite3';
import { closedAfterFailedSetup } from '../../platform/sqlite-setup.js';
import { uuidv7 } from '../../platform/ids.js';
import type { SynchronousMode } from '../../platform/event-store/sqlite/schema.js';
import { READ_ONCE_CACHE_MIB } from '../../platform/event-store/sqlite/sqlite-event-store.js';
import { WalSync } from '../../platform/event-store/sqlite/wal-sync.js';
import {
  DATA_KEY_BYTES,
  KeyStore,
  KeyStoreError,
  type DataKey,
  type KeyInfo,
  type KeyOwner,
} from './key-store.port.js';

export interface SqliteKeyStoreOptions {
  file: string;
  /** A read-only handle (the projection worker's): it reads keys, never makes or destroys one. */
  readOnly?: boolean;
  /** Durability of a new key; a key lost after its events were written loses their text. */
  synchronous?: SynchronousMode;
}

interface KeyRow {
  key_id: string;
  tenant_id: string;
  signal_id: string;
  key: Buffer | null;
  created_at: string;
  destroyed_at: string | null;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS data_keys (
  key_id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  signal_id TEXT NOT NULL,
  key BLOB,
  created_at TEXT NOT NULL,
  destroyed_at TEXT
) STRICT;
CREATE UNIQUE INDEX IF NOT EXISTS data_keys_live ON data_keys (tenant_id, signal_id) WHERE destroyed_at IS NULL;
CREATE INDEX IF NOT EXISTS data_keys_owner ON data_keys (tenant_id, signal_id, created_at);
`;

/**
 * Data keys in a SQLite file of their own (DATA_DIR/keys.sqlite), never in the event store's.
 * `secure_delete` overwrites a destroyed key's bytes in the file, and a WAL checkpoint after each
 * destruction empties the log that held the old page, so the key is gone from disk, not only
 * from the table.
 */
export class SqliteKeyStore extends KeyStore {
  private readonly db: Database;
  private readonly readOnly: boolean;
  /** FULL durability with the fsync off the event loop (see WalSync); null: SQLite syncs itself. */
  private readonly walSync: WalSync | null = null;
  /** Owners whose new key is committed but not yet synced: handed out only after the sync. */
  private readonly syncingOwners = new Map<string, Promise<void>>();
  private readonly pending: Array<{
    owner: KeyOwner;
    resolve: (key: DataKey) => void;
    reject: (error: unknown) => void;
  }> = [];
  private readonly statements: {
    live: Statement<[string, string], KeyRow>;
    insert: Statement<[string, string, string, Buffer, string]>;
    /** The key alone (null once destroyed): a rebuild asks for one per signal. */
    keyById: Statement<[string], Buffer | null>;
    ofOwner: Statement<[string, string], KeyRow>;
    destroy: Statement<[string, string]>;
  };

  constructor(options: SqliteKeyStoreOptions) {
    super();
    this.readOnly = options.readOnly === true;
    if (this.readOnly && !hasSchema(options.file)) {
      // A worker may start before the app made the file, or while the app is still making it
      // (the file exists, the table not yet): make the schema (idempotent), then read only.
      new SqliteKeyStore({ file: options.file }).closeNow();
    }
    if (!this.readOnly) mkdirSync(dirname(options.file), { recursive: true });
    this.db = new DatabaseConstructor(options.file, { readonly: this.readOnly });
    try {
      this.db.pragma('busy_timeout = 5000');
      // A reader asks for one key at a time, in about the order the keys were made (a rebuild, the
      // projection thread): a small cache rather than SQLite's 16 MiB per connection.
      if (this.readOnly) this.db.pragma(`cache_size = ${-READ_ONCE_CACHE_MIB * 1024}`);
      if (!this.readOnly) {
        this.db.pragma('journal_mode = WAL');
        this.db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
        this.db.pragma('secure_delete = ON');
        this.db.exec(SCHEMA);
        this.walSync = WalSync.forConnection(this.db, options.file, options.synchronous ?? 'FULL');
      }
      this.statements = {
        live: this.db.prepare(
          'SELECT * FROM data_keys WHERE tenant_id = ? AND signal_id = ? AND destroyed_at IS NULL',
        ),
        insert: this.db.prepare(
          'INSERT OR IGNORE INTO data_keys (key_id, tenant_id, signal_id, key, created_at) VALUES (?, ?, ?, ?, ?)',
        ),
        keyById: this.db
          .prepare<[string], Buffer | null>('SELECT key FROM data_keys WHERE key_id = ?')
          .pluck(true),
        ofOwner: this.db.prepare(
          'SELECT * FROM data_keys WHERE tenant_id = ? AND signal_id = ? ORDER BY created_at, key_id',
        ),
        destroy: this.db.prepare(
          'UPDATE data_keys SET key = NULL, destroyed_at = ? WHERE key_id = ? AND destroyed_at IS NULL',
        ),
      };
    } catch (error) {
      throw closedAfterFailedSetup(this.db, error);
    }
  }

  activeKey(owner: KeyOwner): Promise<DataKey> {
    if (this.readOnly) return Promise.reject(readOnlyError());
    const live = this.statements.live.get(owner.tenantId, owner.signalId);
    if (live?.key) {
      const found: DataKey = { keyId: live.key_id, key: live.key };
      const syncing = this.syncingOwners.get(ownerKey(owner));
      return syncing ? syncing.then(() => found) : Promise.resolve(found);
    }
    // Group commit: the keys asked for in one turn of the event loop are made in one transaction
    // (one fsync, off the event loop), as the event store batches appends. A key is handed out
    // only once it is on disk: events encrypted under it are never durable before it is.
    return new Promise((resolve, reject) => {
      this.pending.push({ owner, resolve, reject });
      if (this.pending.length === 1) setImmediate(() => this.makeKeys());
    });
  }

  private makeKeys(): void {
    const batch = this.pending.splice(0);
    const now = new Date().toISOString();
    let made: Array<KeyRow | undefined>;
    try {
      // Another process may make a signal's key at the same moment: the live index keeps one.
      made = this.db
        .transaction(() =>
          batch.map(({ owner }) => {
            this.statements.insert.run(
              uuidv7(),
              owner.tenantId,
              owner.signalId,
              randomBytes(DATA_KEY_BYTES),
              now,
            );
            return this.statements.live.get(owner.tenantId, owner.signalId);
          }),
        )
        .immediate();
    } catch (error) {
      for (const request of batch) request.reject(error);
      return;
    }
    const settle = (): void =>
      batch.forEach((request, index) => {
        const row = made[index];
        if (row?.key) request.resolve({ keyId: row.key_id, key: row.key });
        else request.reject(new KeyStoreError('KEY_STORE_UNAVAILABLE', 'No data key could be made'));
      });
    if (this.walSync === null) {
      settle();
      return;
    }
    const synced = this.walSync.sync();
    const owners = batch.map(({ owner }) => ownerKey(owner));
    for (const owner of owners) this.syncingOwners.set(owner, synced);
    const forget = (): void => {
      for (const owner of owners)
        if (this.syncingOwners.get(owner) === synced) this.syncingOwners.delete(owner);
    };
    synced.then(forget, forget);
    synced.then(settle, (error: unknown) => {
      for (const request of batch) request.reject(error);
    });
  }

  key(keyId: string): Promise<DataKey | null> {
    const key = this.statements.keyById.get(keyId);
    return Promise.resolve(key ? { keyId, key } : null);
  }

  keysOf(owner: KeyOwner): Promise<KeyInfo[]> {
    return Promise.resolve(this.statements.ofOwner.all(owner.tenantId, owner.signalId).map(infoOf));
  }

  async destroy(keyIds: readonly string[]): Promise<number> {
    if (this.readOnly) throw readOnlyError();
    const now = new Date().toISOString();
    const destroyed = this.db
      .transaction(() =>
        keyIds.reduce((count, id) => count + this.statements.destroy.run(now, id).changes, 0),
      )
      .immediate();
    if (destroyed > 0) {
      // The destruction is durable before the checkpoint empties the log that held the old page.
      await this.walSync?.sync();
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    }
    return destroyed;
  }

  async close(): Promise<void> {
    await this.walSync?.close();
    this.closeNow();
  }

  private closeNow(): void {
    if (this.db.open) this.db.close();
  }
}

function ownerKey(owner: KeyOwner): string {
  return `${owner.tenantId}/${owner.signalId}`;
}

function readOnlyError(): KeyStoreError {
  return new KeyStoreError('KEY_STORE_READ_ONLY', 'This key store handle only reads keys');
}

function infoOf(row: KeyRow): KeyInfo {
  return {
    keyId: row.key_id,
    tenantId: row.tenant_id,
    signalId: row.signal_id,
    createdAt: row.created_at,
    destroyedAt: row.destroyed_at,
  };
}

/** Whether the file holds the key table; a file another process has only begun to make does not. */
function hasSchema(file: string): boolean {
  if (!existsSync(file)) return false;
  const probe = new DatabaseConstructor(file, { readonly: true });
  try {
    return (
      probe.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'data_keys'").get() !==
      undefined
    );
  } finally {
    probe.close();
  }
}
