import type { Database } from 'better-sqlite3';

/**
 * For a store whose setup on a new connection threw (pragmas, schema, statements: a file that is
 * not a database, a schema it cannot make): closes the connection and gives the error back to be
 * thrown, so that the file handle goes at once rather than when the collector reaches the
 * connection (a caller that retries or removes the file does not meet it still open).
 */
export function closedAfterFailedSetup(db: Database, error: unknown): unknown {
  try {
    db.close();
  } catch {
    // The setup's error is the one worth reporting.
  }
  return error;
}
