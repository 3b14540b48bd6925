import { createHash } from 'node:crypto';
import DatabaseConstructor from 'better-sqlite3';

/**
 * A hash of everything a SQLite read-model file holds that events determine: every read-model
 * table's rows (id, document, position), the checkpoints and the parked events (without the
 * wall-clock time they were parked at).
 */
export function readModelHash(file: string): string {
  const db = new DatabaseConstructor(file, { readonly: true });
  try {
    const hash = createHash('sha256');
    const tables = db
      .prepare<[], string>(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'rm\\_%' ESCAPE '\\' ORDER BY name",
      )
      .pluck(true)
      .all();
    for (const table of tables) {
      hash.update(`table ${table}\n`);
      for (const row of db.prepare(`SELECT * FROM ${table} ORDER BY 1, 2`).raw(true).iterate())
        hash.update(`${JSON.stringify(row)}\n`);
    }
    for (const row of db
      .prepare('SELECT name, version, position FROM projection_checkpoints ORDER BY name, version')
      .raw(true)
      .iterate()) {
      hash.update(`checkpoint ${JSON.stringify(row)}\n`);
    }
    for (const row of db
      .prepare(
        'SELECT name, version, position, event_id, event_type, stream, reason FROM projection_parked ORDER BY name, version, position',
      )
      .raw(true)
      .iterate()) {
      hash.update(`parked ${JSON.stringify(row)}\n`);
    }
    return hash.digest('hex');
  } finally {
    db.close();
  }
}
