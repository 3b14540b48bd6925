import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECTIONS, collectionOf } from '../../projections/index.js';
import { SqliteEventStore } from '../../src/platform/event-store/sqlite/sqlite-event-store.js';
import { ProjectionRunner } from '../../src/platform/projections/projection-runner.js';
import { SqliteReadStore } from '../../src/platform/read-store/sqlite/sqlite-read-store.js';

/**
 * Rebuilds every read model from a test app's data directory (its events as stored, as the CLI's
 * rebuild reads them: no key store, the text sealed) into a fresh read store, and returns one
 * document of one read model: what a rebuild after the fact would show.
 */
export async function rebuiltDocument(dataDir: string, projectionName: string, documentId: string) {
  const projection = PROJECTIONS.find((p) => p.name === projectionName);
  if (!projection) throw new Error(`no projection named ${projectionName}`);
  const rebuildDir = mkdtempSync(join(tmpdir(), 'ls-rebuild-'));
  const events = new SqliteEventStore({ file: join(dataDir, 'events.sqlite') });
  const rebuilt = new SqliteReadStore({ file: join(rebuildDir, 'read-models.sqlite') });
  try {
    const runner = new ProjectionRunner(events, rebuilt, PROJECTIONS);
    await runner.start();
    await runner.whenCaughtUp();
    await runner.stop();
    return await rebuilt.get(collectionOf(projection), documentId);
  } finally {
    await rebuilt.close();
    await events.close();
    rmSync(rebuildDir, { recursive: true, force: true });
  }
}
