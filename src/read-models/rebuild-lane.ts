import { PROJECTIONS } from '../../projections/index.js';
import type { AppConfig } from '../config/app-config.js';
import type { EventStore, TenantSelection } from '../platform/event-store/event-store.port.js';
import { ProjectionRunner } from '../platform/projections/projection-runner.js';
import type { ReadStore } from '../platform/read-store/read-store.port.js';
import {
  PROJECTION_WRITER_CACHE_MIB,
  SqliteReadStore,
} from '../platform/read-store/sqlite/sqlite-read-store.js';
import { openEventStore, openReadStore } from '../platform/open-stores.js';
import { READ_ONCE_CACHE_MIB } from '../platform/event-store/sqlite/sqlite-event-store.js';

/**
 * The stores a lane opens for itself. No key store: the projections read the events as stored,
 * the read models keep text sealed (SealedText).
 */
export type LaneStores = Pick<AppConfig, 'eventStore' | 'readStore'>;

/** The work of one lane of catchUpInLanes: which read models, in which steps, for which tenants. */
export interface LaneWork {
  projections: string[];
  batchSize: number;
  maxDirtyDocuments: number;
  /** The lane's tenants, when lanes split them (ProjectionRunnerOptions.share). */
  share?: TenantSelection;
}

/** A lane's own connections (openLane); closeLane closes them, once. */
export interface LaneConnections {
  readonly store: EventStore;
  readonly readStore: ReadStore;
}

const closed = new WeakSet<LaneConnections>();

/**
 * Opens a lane's connections. They may be opened before the lane knows its work: a worker thread
 * opens them while the rebuild plans the shares, and the first lane's connection seals the read
 * models after the lanes.
 */
export async function openLane(stores: LaneStores): Promise<LaneConnections> {
  // The lane reads the log once, in order: a small page cache (READ_ONCE_CACHE_MIB).
  const store = await openEventStore(stores.eventStore, { cacheMiB: READ_ONCE_CACHE_MIB });
  try {
    // Lanes commit to one SQLite file in turns: a lane may wait for another's commit or index
    // build. A rebuild runs with the app stopped: its commits are synced to disk once, at close.
    const readStore =
      stores.readStore.kind === 'sqlite'
        ? new SqliteReadStore({
            file: stores.readStore.file,
            busyTimeoutMs: 600_000,
            cacheMiB: PROJECTION_WRITER_CACHE_MIB,
            unsyncedUntilClose: true,
          })
        : await openReadStore(stores.readStore, 'projections');
    return { store, readStore };
  } catch (error) {
    await store.close();
    throw error;
  }
}

/** Closes a lane's connections (the read store first: it syncs the lane's writes); again, nothing. */
export async function closeLane(connections: LaneConnections): Promise<void> {
  if (closed.has(connections)) return;
  closed.add(connections);
  try {
    await connections.readStore.close();
  } finally {
    await connections.store.close();
  }
}

/**
 * Catches a group of read models up from their checkpoints on the lane's connections (a
 * ProjectionRunner for the group), reporting the events applied a few times a second. Resolves
 * with the number of events applied once the group has caught up; rejects with the signal's
 * reason when it aborts first (the runner stops after committing what it had applied). The
 * connections stay open.
 */
export async function runLane(
  work: LaneWork,
  connections: LaneConnections,
  onProgress: (applied: number) => void,
  signal?: AbortSignal,
): Promise<number> {
  const projections = work.projections.map((name) => {
    const projection = PROJECTIONS.find((candidate) => candidate.name === name);
    if (!projection) throw new Error(`no read model named ${name}`);
    return projection;
  });
  let failure: unknown = null;
  const runner = new ProjectionRunner(connections.store, connections.readStore, projections, {
    batchSize: work.batchSize,
    maxDirtyDocuments: work.maxDirtyDocuments,
    ...(work.share ? { share: work.share } : {}),
    onFailure: (error) => {
      failure = error;
      void runner.stop();
    },
  });
  const ticker = setInterval(() => onProgress(runner.applied), 250);
  const abandon = () => void runner.stop();
  signal?.addEventListener('abort', abandon, { once: true });
  try {
    await runner.start();
    // Stopping the runner (a failure, the signal) ends the wait.
    if (!signal?.aborted) await runner.whenCaughtUp();
    await runner.stop();
    if (failure !== null) throw failure;
    signal?.throwIfAborted();
    onProgress(runner.applied);
    return runner.applied;
  } finally {
    signal?.removeEventListener('abort', abandon);
    clearInterval(ticker);
  }
}
