import type { Database } from 'better-sqlite3';
import type { JsonObject } from '../../json.js';
import { canonicalParts, CHAIN_KEYS, chainHash, GENESIS_HASH, sealedMetadataJson } from '../hash-chain.js';

/**
 * 1: the events table; 2: the hash chain (`hash` column, link in metadata); 3: the tenant index
 * (`events_by_tenant`).
 */
export const SCHEMA_VERSION = 3;

/** The tenant of a stored event, as SQL: the expression `events_by_tenant` indexes. */
export const TENANT_OF_ROW = "json_extract(metadata, '$.tenantId')";

/**
 * Every position with its event's tenant, in position order: a subscription of some tenants
 * (rebuild lanes) walks this narrow index and reads only its own rows, instead of every row's
 * metadata to test the tenant (one lane's pages of the 100k demo file: 153–165 against 265–306 ms).
 */
const TENANT_INDEX_DDL = `CREATE INDEX IF NOT EXISTS events_by_tenant ON events (position, ${TENANT_OF_ROW});`;

export type SynchronousMode = 'OFF' | 'NORMAL' | 'FULL' | 'EXTRA';

/**
 * One table; the rowid is the global position, assigned under SQLite's single write lock. `hash`
 * repeats the chain hash of the metadata so that an append finds its stream's last hash in the
 * index lookup it already makes; it is null only for rows written around the store (raw loops).
 */
export const EVENTS_DDL = `
CREATE TABLE IF NOT EXISTS events (
  position    INTEGER PRIMARY KEY,
  id          TEXT    NOT NULL,
  stream      TEXT    NOT NULL,
  revision    INTEGER NOT NULL,
  category    TEXT    NOT NULL,
  type        TEXT    NOT NULL,
  data        TEXT    NOT NULL,
  metadata    TEXT    NOT NULL,
  recorded_at INTEGER NOT NULL,
  hash        TEXT
) STRICT;
CREATE UNIQUE INDEX IF NOT EXISTS events_by_id ON events (id);
CREATE UNIQUE INDEX IF NOT EXISTS events_by_stream ON events (stream, revision);
CREATE INDEX IF NOT EXISTS events_by_category ON events (category, position);
CREATE INDEX IF NOT EXISTS events_by_type ON events (type, position);
${TENANT_INDEX_DDL}
`;

export function applyPragmas(db: Database, synchronous: SynchronousMode, busyTimeoutMs: number): void {
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.pragma(`busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
  db.pragma('temp_store = MEMORY');
}

export function migrate(db: Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new Error(
      `The event store file has schema version ${version}; this build knows up to ${SCHEMA_VERSION}`,
    );
  }
  if (version === SCHEMA_VERSION) return;
  // Immediate: two processes opening a file at once must not both migrate it half-way.
  db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current === SCHEMA_VERSION) return;
    if (current === 0) db.exec(EVENTS_DDL);
    if (current === 1) {
      db.exec('ALTER TABLE events ADD COLUMN hash TEXT');
      sealUnsealedEvents(db);
    }
    // Built over the events already stored, once: 3.2 s for the 1M demo file.
    if (current === 1 || current === 2) db.exec(TENANT_INDEX_DDL);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}

type SealRow = [
  position: number,
  stream: string,
  revision: number,
  type: string,
  data: string,
  metadata: string,
];

/**
 * Seals the events of a file written before the hash chain existed, stream by stream in revision
 * order. The chain then vouches for them from this moment on, not for what happened before.
 */
export function sealUnsealedEvents(db: Database, pageSize = 5000): number {
  const page = db
    .prepare<[string, string, number, number], SealRow>(
      `SELECT position, stream, revision, type, data, metadata FROM events
       WHERE stream > ? OR (stream = ? AND revision > ?) ORDER BY stream, revision LIMIT ?`,
    )
    .raw(true);
  const update = db.prepare('UPDATE events SET data = ?, metadata = ?, hash = ? WHERE position = ?');
  let afterStream = '';
  let afterRevision = -1;
  let previousHash = GENESIS_HASH;
  let sealed = 0;
  for (;;) {
    const rows = page.all(afterStream, afterStream, afterRevision, pageSize);
    for (const [position, stream, revision, type, data, metadata] of rows) {
      if (stream !== afterStream) previousHash = GENESIS_HASH;
      const parsed = JSON.parse(metadata) as JsonObject;
      for (const key of CHAIN_KEYS) delete parsed[key];
      const parts = canonicalParts(JSON.parse(data) as JsonObject, parsed);
      const hash = chainHash(stream, revision, type, parts, previousHash);
      // Rewritten in canonical form, as the store writes new events.
      update.run(parts.data, sealedMetadataJson(parts.metadata, { hash, previousHash }), hash, position);
      previousHash = hash;
      afterStream = stream;
      afterRevision = revision;
      sealed += 1;
    }
    if (rows.length < pageSize) return sealed;
  }
}
