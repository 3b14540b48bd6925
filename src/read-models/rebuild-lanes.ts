import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { PROJECTIONS, type Projection } from '../../projections/index.js';
import type { EventStore, TenantSelection } from '../platform/event-store/event-store.port.js';
import { openEventStore, openReadStore } from '../platform/open-stores.js';
import { CATCH_UP_BATCH_SIZE, prepareReadModel } from '../platform/projections/projection-runner.js';
import { sealShares, splitTenants } from '../platform/projections/tenant-shares.js';
import { closeLane, openLane, runLane, type LaneStores, type LaneWork } from './rebuild-lane.js';
import type { LaneMessage, LaneOrder } from './rebuild-lane-worker.js';

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

/**
 * A lane's worker thread, started before the rebuild knows the lane's work: it loads its modules
 * and opens its connections (rebuild-lane-worker.ts) while the rebuild plans the shares, then runs
 * the work it is given, or is cancelled when the plan has no work for it.
 */
class LaneThread {
  private readonly worker: Worker;
  private share: TenantSelection | undefined;
  private onProgress: (applied: number) => void = () => {};
  private cancelled = false;
  /** Resolves with the events applied once the lane's work is committed (0 when cancelled). */
  readonly ended: Promise<number>;

  constructor(stores: LaneStores, heapMb: number) {
    this.worker = laneWorker({ workerData: stores, resourceLimits: { maxOldGenerationSizeMb: heapMb } });
    this.ended = new Promise<number>((resolve, reject) => {
      // 'done' comes once the lane has committed and closed its connections: the seal need not
      // wait the 40 ms the thread takes to exit (it exits on its own; nothing holds it).
      this.worker.on('message', (message: LaneMessage) => {
        this.onProgress(message.applied);
        if (message.kind === 'done') resolve(message.applied);
      });
      this.worker.once('error', reject);
      this.worker.once('exit', (code) => {
        // After 'done' this changes nothing: the lane's work is committed.
        if (this.cancelled && code === 0) return resolve(0);
        const tenants = `${this.share?.except ? 'all but ' : ''}${this.share?.tenants.join(', ') ?? 'all'}`;
        reject(new Error(`rebuild lane of tenants ${tenants} ended with code ${code}`));
      });
    });
    // Awaited by run() or after cancel(): a thread that fails before it is given work is reported
    // by run(), or not at all when it was cancelled.
    this.ended.catch(() => {});
  }

  /** Gives the thread its work; stopped with it half done when the signal aborts. */
  run(work: LaneWork, onProgress: (applied: number) => void, signal: AbortSignal): Promise<number> {
    this.share = work.share;
    this.onProgress = onProgress;
    // Stopped with its work half done: what it committed stays, what it had not is read again.
    const stop = () => void this.worker.terminate();
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
    this.worker.postMessage({ kind: 'run', work } satisfies LaneOrder);
    return this.ended;
  }

  /**
   * Tells a thread given no work to close its connections and end; nothing once it has work (a
   * message to a thread that has ended is dropped).
   */
  cancel(): void {
    if (this.share !== undefined || this.cancelled) return;
    this.cancelled = true;
    this.worker.postMessage({ kind: 'cancel' } satisfies LaneOrder);
  }
}

/**
 * Catches read models up from their checkpoints in lanes that split the tenants between them: the
 * first lane in this thread, every other one in a worker thread of its own, each with its own
 * event store and read store connections and a ProjectionRunner that follows only its tenants'
 * events (ProjectionRunnerOptions.share) and commits their documents. Once every lane has caught
 * up, the read models get the store's last position from before the lanes started as their
 * checkpoint, their query indexes and their version swap (sealShares, on the first lane's
 * connection). A crash before that leaves the checkpoints where they were: any runner then reads
 * the lanes' events again, and the documents' positions make that change nothing. With one lane,
 * an event store other than SQLite, or fewer than two tenants: one runner, as the app runs it.
 * Resolves with the number of events applied and the tenants of each lane (none with one lane).
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
  const lanes = options.lanes ?? 1;
  const batchSize = options.batchSize ?? CATCH_UP_BATCH_SIZE;
  const maxDirtyDocuments = options.maxDirtyDocuments ?? REBUILD_MAX_DIRTY_DOCUMENTS;
  const names = projections.map((projection) => projection.name);
  const heapMb = options.maxOldGenerationSizeMb ?? 384;
  // The threads of the lanes after the first start before the plan: loading their modules and
  // opening their connections took 150–450 ms, which the plan (50–100 ms at 100k events) would
  // otherwise add (test/bench/PROJECTIONS.md, twenty-third session). Lanes split only the
  // embedded event store's positions (tenantShares).
  const threads =
    lanes > 1 && stores.eventStore.kind === 'sqlite'
      ? Array.from({ length: lanes - 1 }, () => new LaneThread(stores, heapMb))
      : [];
  try {
    const plan = lanes > 1 ? await planShares(stores, projections, lanes) : null;
    for (const thread of threads.slice(plan === null ? 0 : plan.shares.length - 1)) thread.cancel();
    const first = await openLane(stores);
    try {
      if (plan === null) {
        const applied = await runLane({ projections: names, batchSize, maxDirtyDocuments }, first, (count) =>
          options.onProgress?.(count),
        );
        return { applied, lanes: [], sealSeconds: 0 };
      }
      const applied = plan.shares.map(() => 0);
      const progress = (lane: number) => (count: number) => {
        applied[lane] = count;
        options.onProgress?.(applied.reduce((sum, n) => sum + n, 0));
      };
      const works: LaneWork[] = plan.shares.map((share) => ({
        projections: names,
        batchSize,
        maxDirtyDocuments: Math.max(1000, Math.floor(maxDirtyDocuments / plan.shares.length)),
        share,
      }));
      const started = performance.now();
      const seconds = plan.shares.map(() => 0);
      const counts = await runAllOrStop(
        works.map((work, lane) => async (signal: AbortSignal) => {
          const count = await (lane === 0
            ? runLane(work, first, progress(lane), signal)
            : threads[lane - 1]!.run(work, progress(lane), signal));
          seconds[lane] = (performance.now() - started) / 1000;
          return count;
        }),
      );
      options.beforeSeal?.();
      // On the first lane's connection: its page cache holds the read models' last pages, and
      // its writes and the seal's are synced to disk together when it closes.
      const sealStarted = performance.now();
      await sealShares(first.readStore, projections, plan.head);
      await closeLane(first);
      return {
        applied: counts.reduce((sum, n) => sum + n, 0),
        lanes: plan.shares.map((share, lane) => ({ share, applied: counts[lane]!, seconds: seconds[lane]! })),
        sealSeconds: (performance.now() - sealStarted) / 1000,
      };
    } finally {
      await closeLane(first);
    }
  } finally {
    // Threads never given work (the plan failed, or had less work than lanes) end here.
    for (const thread of threads) thread.cancel();
    await Promise.allSettled(threads.map((thread) => thread.ended));
  }
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
): Promise<{ head: bigint; shares: TenantSelection[] } | null> {
  // The tenant is in the metadata, which is never encrypted: no key store needed.
  const store = await openEventStore(stores.eventStore);
  try {
    return await tenantShares(store, lanes, () => lowestCheckpoint(stores, projections));
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

/** The lowest checkpoint of the read models (0 for one never built), their collections made ready. */
async function lowestCheckpoint(stores: LaneStores, projections: readonly Projection[]): Promise<bigint> {
  const readStore = await openReadStore(stores.readStore, 'projections');
  try {
    let lowest: bigint | null = null;
    for (const projection of projections) {
      const checkpoint = (await prepareReadModel(readStore, projection)).status.checkpoint ?? 0n;
      if (lowest === null || checkpoint < lowest) lowest = checkpoint;
    }
    return lowest ?? 0n;
  } finally {
    await readStore.close();
  }
}
