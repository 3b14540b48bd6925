import type { Database } from 'better-sqlite3';

export const SCHEMA_VERSION = 1;

export type SynchronousMode = 'OFF' | 'NORMAL' | 'FULL' | 'EXTRA';

/** One table; the rowid is the global position, assigned under SQLite's single write lock. */
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
  recorded_at INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX IF NOT EXISTS events_by_id ON events (id);
CREATE UNIQUE INDEX IF NOT EXISTS events_by_stream ON events (stream, revision);
CREATE INDEX IF NOT EXISTS events_by_category ON events (category, position);
CREATE INDEX IF NOT EXISTS events_by_type ON events (type, position);
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
  // Immediate: two processes opening a new file at once must not both run the DDL half-way.
  db.transaction(() => {
    db.exec(EVENTS_DDL);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}
