import { readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { PROJECTIONS, type Projection } from '../../projections/index.js';
import type { EventStore, TenantSelection } from '../platform/event-store/event-store.port.js';
import { openEventStore, openReadStore } from '../platform/open-stores.js';
import { CATCH_UP_BATCH_SIZE, prepareReadModel } from '../platform/projections/projection-runner.js';
import { sealShares, splitTenants } from '../platform/projections/tenant-shares.js';
import type { CollectionSpec } from '../platform/read-store/read-store.port.js';
import { MAX_ABSORBED_FILES, SqliteReadStore } from '../platform/read-store/sqlite/sqlite-read-store.js';
import { runLane, type LaneSpec, type LaneStores } from './rebuild-lane.js';
import type { LaneMessage } from './rebuild-lane-worker.js';

export type { LaneStores } from './rebuild-lane.js';

export interface LaneOptions {
  /**
   * Number of lanes: the tenants are split between them (tenant-shares.ts), each lane applying
   * every read model to its tenants' events, on a core of its own; 1 by default (one runner, in
   * this thread; the CLI takes defaultRebuildLanes). Only with the embedded (SQLite) event store.
   */
  lanes?: number;
  /** Events read per step in every lane. */
  batchSize?: number;
  /**
   * Changed documents held before a commit, all lanes together (memory): split between the lanes;
   * REBUILD_MAX_DIRTY_DOCUMENTS by default.
   */
  maxDirtyDocuments?: number;
  /** Heap limit of each lane's worker thread (MB). */
  maxOldGenerationSizeMb?: number;
  /** Called a few times a second with the events all lanes together have applied. */
  onProgress?: (applied: number) => void;
  /** Fault tests only: called once every lane has caught up, before the read models are sealed. */
  beforeSeal?: () => void;
}

/**
 * Changed documents a rebuild holds before a commit, all lanes together: a document that events
 * still come for is written fewer times over a rebuild with more of them in memory. 1M events in
 * two lanes, five alternating pairs: 15.07 against 15.88 s (medians), peak RSS 299–318 against
 * 287–298 MiB (32,000, the projection runner's own default). 56,000 was faster than 32,000 in 12
 * of 13 pairs, by 0.3–1.6 s, for a peak of 309–342 MiB. At 100k each lane commits once either
 * way (test/bench/PROJECTIONS.md, seventeenth session).
 */
export const REBUILD_MAX_DIRTY_DOCUMENTS = 48_000;

/**
 * Lanes of a rebuild by the CLI: 2 where there are 2 cores or more, else 1. Two lanes rebuilt the
 * 1M demo events in 31–33 against 53 s, peak RSS 339–353 against 313 MiB (their text encrypted,
 * as the app stores it; test/bench/PROJECTIONS.md, eleventh session).
 */
export function defaultRebuildLanes(): number {
  return Math.min(2, availableParallelism());
}

export interface LanesResult {
  /** Events applied, all lanes together. */
  applied: number;
  /** Each lane's tenants, events applied and seconds until it had caught up; none with one lane. */
  lanes: Array<{ share: TenantSelection; applied: number; seconds: number }>;
  /** Seconds the read models took to seal (checkpoints, query indexes, version swaps) after the lanes. */
  sealSeconds: number;
}

/**
 * A lane's thread: the compiled worker module beside this one, or, when this module runs from its
 * TypeScript source (tsx, tests), that source through tsx's loader registered in the thread (on
 * Node 20 a `--import tsx` of the process does not reach worker threads).
 */
function laneWorker(options: WorkerOptions): Worker {
  if (!import.meta.url.endsWith('.ts'))
    return new Worker(new URL('./rebuild-lane-worker.js', import.meta.url), options);
  const entry = new URL('./rebuild-lane-worker.ts', import.meta.url).href;
  // tsx's ESM API (the package's `import` export; require.resolve names its CommonJS twin).
  const api = createRequire(import.meta.url)
    .resolve('tsx/esm/api')
    .replace(/\.cjs$/, '.mjs');
  const source = `import(${JSON.stringify(pathToFileURL(api).href)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(source, { ...options, eval: true });
}

function inWorker(
  spec: LaneSpec,
  heapMb: number,
  onProgress: (applied: number) => void,
  signal: AbortSignal,
): Promise<number> {
  const worker = laneWorker({ workerData: spec, resourceLimits: { maxOldGenerationSizeMb: heapMb } });
  // Stopped with its work half done: what it committed stays, what it had not is read again.
  signal.addEventListener('abort', () => void worker.terminate(), { once: true });
  return new Promise<number>((resolve, reject) => {
    // 'done' comes once the lane has committed and closed its connections: the seal need not wait
    // the 40 ms the thread takes to exit (it exits on its own; nothing holds it).
    worker.on('message', (message: LaneMessage) => {
      onProgress(message.applied);
      if (message.kind === 'done') resolve(message.applied);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      // After 'done' this changes nothing: the lane's work is committed.
      const tenants = `${spec.share?.except ? 'all but ' : ''}${spec.share?.tenants.join(', ') ?? 'all'}`;
      reject(new Error(`rebuild lane of tenants ${tenants} ended with code ${code}`));
    });
  });
}

/**
 * Catches read models up from their checkpoints in lanes that split the tenants between them: the
 * first lane in this thread, every other one in a worker thread of its own, each with its own
 * event store and read store connections and a ProjectionRunner that follows only its tenants'
 * events (ProjectionRunnerOptions.share) and commits their documents. Read models built from
 * nothing in a SQLite read store: the worker lanes commit to files of their own (laneFileOf),
 * copied into the read store once every lane is done (SqliteReadStore.absorb) and then removed.
 * Once every lane has caught up, the read models get the store's last position from before the
 * lanes started as their checkpoint, their query indexes and their version swap (sealShares). A
 * crash before that leaves the checkpoints where they were: any runner then reads the lanes'
 * events again, and the documents' positions make that change nothing (a worker lane's file is
 * then left out: its tenants' documents are built again, and the next rebuild in lanes removes
 * the file). With one lane, an event store other than SQLite,
 * or fewer than two tenants: one runner, as the app runs it. Resolves with the
 * number of events applied and the tenants of each lane (none with one lane).
 */
export async function catchUpInLanes(
  stores: LaneStores,
  projections: readonly Projection[],
  options: LaneOptions = {},
): Promise<LanesResult> {
  // A lane finds its read models by name (a thread cannot be handed code): any other object under
  // a registered name would be sealed while the lanes built the registered one.
  for (const projection of projections) {
    if (PROJECTIONS.find((registered) => registered.name === projection.name) !== projection)
      throw new Error(`catchUpInLanes takes the registered read models; ${projection.name} is not one`);
  }
  const batchSize = options.batchSize ?? CATCH_UP_BATCH_SIZE;
  const maxDirtyDocuments = options.maxDirtyDocuments ?? REBUILD_MAX_DIRTY_DOCUMENTS;
  const names = projections.map((projection) => projection.name);
  const readFile =
    stores.readStore.kind === 'sqlite' && stores.readStore.file !== ':memory:' ? stores.readStore.file : null;
  // Lane files an earlier rebuild left behind (killed before it sealed) hold nothing of use.
  if (readFile !== null) removeLaneFiles(readFile);
  const plan = (options.lanes ?? 1) > 1 ? await planShares(stores, projections, options.lanes!) : null;
  if (plan === null) {
    const applied = await runLane({ stores, projections: names, batchSize, maxDirtyDocuments }, (count) =>
      options.onProgress?.(count),
    );
    return { applied, lanes: [], sealSeconds: 0 };
  }
  const applied = plan.shares.map(() => 0);
  const progress = (lane: number) => (count: number) => {
    applied[lane] = count;
    options.onProgress?.(applied.reduce((sum, n) => sum + n, 0));
  };
  // A rebuild from nothing into SQLite: every lane but the first writes a file of its own, copied
  // into the read store before the seal. The lanes' commits then never wait for each other, and the
  // last lane's final commit (a 100k rebuild: each lane commits once, at its end) is not one after
  // the other's: test/bench/PROJECTIONS.md, twenty-first session.
  const laneFiles =
    readFile !== null && plan.fresh && plan.shares.length - 1 <= MAX_ABSORBED_FILES
      ? plan.shares.slice(1).map((_, index) => laneFileOf(readFile, index + 1))
      : [];
  const specs: LaneSpec[] = plan.shares.map((share, lane) => ({
    stores,
    projections: names,
    batchSize,
    maxDirtyDocuments: Math.max(1000, Math.floor(maxDirtyDocuments / plan.shares.length)),
    share,
    ...(lane > 0 && laneFiles.length > 0 ? { laneFile: laneFiles[lane - 1]! } : {}),
  }));
  const heapMb = options.maxOldGenerationSizeMb ?? 384;
  const started = performance.now();
  const seconds = plan.shares.map(() => 0);
  let sealStarted: number;
  let counts: number[];
  try {
    counts = await runAllOrStop(
      specs.map((spec, lane) => async (signal: AbortSignal) => {
        const count = await (lane === 0
          ? runLane(spec, progress(lane), signal)
          : inWorker(spec, heapMb, progress(lane), signal));
        seconds[lane] = (performance.now() - started) / 1000;
        return count;
      }),
    );
    options.beforeSeal?.();
    sealStarted = performance.now();
    const readStore = await openReadStore(stores.readStore, 'projections');
    try {
      if (laneFiles.length > 0) {
        const collections: CollectionSpec[] = [];
        for (const projection of projections)
          collections.push((await prepareReadModel(readStore, projection)).spec);
        await (readStore as SqliteReadStore).absorb(laneFiles, collections);
      }
      await sealShares(readStore, projections, plan.head);
    } finally {
      await readStore.close();
    }
  } finally {
    if (readFile !== null) removeLaneFiles(readFile);
  }
  return {
    applied: counts.reduce((sum, n) => sum + n, 0),
    lanes: plan.shares.map((share, lane) => ({ share, applied: counts[lane]!, seconds: seconds[lane]! })),
    sealSeconds: (performance.now() - sealStarted) / 1000,
  };
}

/**
 * Runs every lane at once and resolves when all are done. The first lane to fail stops the others
 * (their signal aborts) and its error is the one thrown, once every lane has stopped: a rebuild
 * whose lane ran out of memory reports it at once instead of after the other lanes' work.
 */
export async function runAllOrStop<T>(
  lanes: ReadonlyArray<(signal: AbortSignal) => Promise<T>>,
): Promise<T[]> {
  const stop = new AbortController();
  let failure: { error: unknown } | null = null;
  const results = await Promise.allSettled(
    lanes.map(async (lane) => {
      try {
        return await lane(stop.signal);
      } catch (error) {
        if (failure === null) {
          failure = { error };
          stop.abort(new Error('stopped: another rebuild lane failed'));
        }
        throw error;
      }
    }),
  );
  if (failure !== null) throw (failure as { error: unknown }).error;
  return results.map((result) => (result as PromiseFulfilledResult<T>).value);
}

/**
 * The store's last position and the tenant shares of what the read models have yet to apply
 * (from their lowest checkpoint); null for an event store other than SQLite or when the
 * events are of fewer than two tenants. The read models' collections are made here, before the
 * lanes start, rather than by several lanes at once.
 */
async function planShares(
  stores: LaneStores,
  projections: readonly Projection[],
  lanes: number,
): Promise<{ head: bigint; shares: TenantSelection[]; fresh: boolean } | null> {
  // The tenant is in the metadata, which is never encrypted: no key store needed.
  const store = await openEventStore(stores.eventStore);
  let fresh = false;
  try {
    const plan = await tenantShares(store, lanes, async () => {
      const start = await startOf(stores, projections);
      fresh = start.fresh;
      return start.lowest;
    });
    return plan === null ? null : { ...plan, fresh };
  } finally {
    await store.close();
  }
}

/**
 * The store's last position and the tenant shares of its events after `after()` for `lanes`
 * lanes; null where one runner rebuilds instead: an event store other than SQLite, or events of
 * fewer than two tenants. `after` is asked only for a store that lanes can split.
 */
export async function tenantShares(
  store: EventStore,
  lanes: number,
  after: () => Promise<bigint>,
): Promise<{ head: bigint; shares: TenantSelection[] } | null> {
  // Positions that can be drawn between two numbers: SQLite's (EventStoreDB's are byte offsets,
  // and its subscriptions could not skip other tenants' events on the server anyway).
  const health = await store.health();
  if (health.adapter !== 'sqlite' || health.lastPosition === undefined) return null;
  const head = BigInt(health.lastPosition);
  const shares = await splitTenants(store, await after(), head, lanes);
  return shares.length < 2 ? null : { head, shares };
}

/**
 * The lowest checkpoint of the read models (0 for one never built), their collections made ready,
 * and whether they are built from nothing: in a SQLite read store, none has a checkpoint or a
 * document (so that lanes may write files of their own, catchUpInLanes).
 */
async function startOf(
  stores: LaneStores,
  projections: readonly Projection[],
): Promise<{ lowest: bigint; fresh: boolean }> {
  const readStore = await openReadStore(stores.readStore, 'projections');
  try {
    let lowest: bigint | null = null;
    let fresh = readStore instanceof SqliteReadStore;
    for (const projection of projections) {
      const { spec, status } = await prepareReadModel(readStore, projection);
      const checkpoint = status.checkpoint ?? 0n;
      if (lowest === null || checkpoint < lowest) lowest = checkpoint;
      if (
        fresh &&
        (status.checkpoint !== null || (await (readStore as SqliteReadStore).holdsDocuments(spec)))
      )
        fresh = false;
    }
    return { lowest: lowest ?? 0n, fresh };
  } finally {
    await readStore.close();
  }
}

/** The file of lane `lane` (1, 2, …) of a rebuild from nothing, beside the read store's file. */
export function laneFileOf(readFile: string, lane: number): string {
  return `${readFile}.lane-${lane}`;
}

/** Removes the lane files beside a read store's file, with their WAL and shared-memory files. */
function removeLaneFiles(readFile: string): void {
  const directory = dirname(readFile);
  const prefix = `${basename(readFile)}.lane-`;
  let names: string[];
  try {
    names = readdirSync(directory);
  } catch {
    return;
  }
  for (const name of names) {
    if (name.startsWith(prefix) && /^\d+(-wal|-shm|-journal)?$/.test(name.slice(prefix.length)))
      rmSync(join(directory, name), { force: true });
  }
}
