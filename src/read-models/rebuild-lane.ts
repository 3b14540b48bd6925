import { PROJECTIONS } from '../../projections/index.js';
import type { AppConfig } from '../config/app-config.js';
import type { TenantSelection } from '../platform/event-store/event-store.port.js';
import { ProjectionRunner } from '../platform/projections/projection-runner.js';
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

/** One lane of catchUpInLanes: which read models, on which stores, in which steps. */
export interface LaneSpec {
  stores: LaneStores;
  projections: string[];
  batchSize: number;
  maxDirtyDocuments: number;
  /** The lane's tenants, when lanes split them (ProjectionRunnerOptions.share). */
  share?: TenantSelection;
}

/**
 * Catches a group of read models up from their checkpoints on connections of its own (a
 * ProjectionRunner for the group), reporting the events applied a few times a second. Resolves
 * with the number of events applied once the group has caught up; rejects with the signal's
 * reason when it aborts first (the runner stops after committing what it had applied).
 */
export async function runLane(
  spec: LaneSpec,
  onProgress: (applied: number) => void,
  signal?: AbortSignal,
): Promise<number> {
  const projections = spec.projections.map((name) => {
    const projection = PROJECTIONS.find((candidate) => candidate.name === name);
    if (!projection) throw new Error(`no read model named ${name}`);
    return projection;
  });
  // The lane reads the log once, in order: a small page cache (READ_ONCE_CACHE_MIB).
  const store = await openEventStore(spec.stores.eventStore, { cacheMiB: READ_ONCE_CACHE_MIB });
  // Lanes commit to one SQLite file in turns: a lane may wait for another's commit or index build.
  // A rebuild runs with the app stopped: its commits are synced to disk once, when it closes.
  const readStore =
    spec.stores.readStore.kind === 'sqlite'
      ? new SqliteReadStore({
          file: spec.stores.readStore.file,
          busyTimeoutMs: 600_000,
          cacheMiB: PROJECTION_WRITER_CACHE_MIB,
          unsyncedUntilClose: true,
        })
      : await openReadStore(spec.stores.readStore, 'projections');
  let failure: unknown = null;
  const runner = new ProjectionRunner(store, readStore, projections, {
    batchSize: spec.batchSize,
    maxDirtyDocuments: spec.maxDirtyDocuments,
    ...(spec.share ? { share: spec.share } : {}),
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
    await readStore.close();
    await store.close();
  }
}
