import type { AppConfig } from '../config/app-config.js';
import type { KeyStore } from '../privacy/key-store/key-store.port.js';
import type { EventStore } from './event-store/event-store.port.js';
import type { ReadStore } from './read-store/read-store.port.js';

/**
 * The configured stores (events, read models, encryption keys), each adapter's module loaded only
 * when it is configured: a process on the embedded stores loads neither the EventStoreDB nor the
 * MongoDB client. Not for start-up time alone: a 100k rebuild ran 15–20% slower in a process that
 * had loaded those clients (and ioredis), with twice the garbage collection
 * (test/bench/PROJECTIONS.md, tenth session).
 *
 * `pollIntervalMs` (SQLite): a worker thread's connection hears of the app's commits only by
 * polling, so it polls often (reads are cheap). `cacheMiB` (SQLite): the connection's page cache.
 */
export async function openEventStore(
  config: AppConfig['eventStore'],
  options: { pollIntervalMs?: number; cacheMiB?: number } = {},
): Promise<EventStore> {
  if (config.kind === 'eventstoredb') {
    const { EventStoreDbEventStore } = await import('./event-store/eventstoredb/eventstoredb-event-store.js');
    return EventStoreDbEventStore.fromConnectionString(config.connectionString);
  }
  const { SqliteEventStore } = await import('./event-store/sqlite/sqlite-event-store.js');
  return new SqliteEventStore({ file: config.file, synchronous: config.synchronous, ...options });
}

/** `projections`: the connection of a projection runner, which writes (a smaller page cache). */
export async function openReadStore(
  config: AppConfig['readStore'],
  purpose: 'queries' | 'projections' = 'queries',
): Promise<ReadStore> {
  if (config.kind === 'mongodb') {
    const { MongoReadStore } = await import('./read-store/mongodb/mongodb-read-store.js');
    return MongoReadStore.connect(config.uri);
  }
  const { PROJECTION_WRITER_CACHE_MIB, SqliteReadStore } =
    await import('./read-store/sqlite/sqlite-read-store.js');
  return new SqliteReadStore({
    file: config.file,
    ...(purpose === 'projections' ? { cacheMiB: PROJECTION_WRITER_CACHE_MIB } : {}),
  });
}

/** `readOnly`: a handle that only reads keys (a worker thread, a rebuild, a verification). */
export async function openKeyStore(
  config: AppConfig['keyStore'],
  options: { readOnly?: boolean } = {},
): Promise<KeyStore> {
  if (config.kind === 'mongodb') {
    const { MongoKeyStore } = await import('../privacy/key-store/mongodb-key-store.js');
    return MongoKeyStore.connect(config.uri, options);
  }
  const { SqliteKeyStore } = await import('../privacy/key-store/sqlite-key-store.js');
  return new SqliteKeyStore({ file: config.file, synchronous: config.synchronous, ...options });
}
