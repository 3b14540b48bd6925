import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import type { Projection } from '../../projections/index.js';
import { CATCH_UP_BATCH_SIZE } from '../platform/projections/projection-runner.js';
import { runLane, type LaneSpec, type LaneStores } from './rebuild-lane.js';
import type { LaneMessage } from './rebuild-lane-worker.js';

export type { LaneStores } from './rebuild-lane.js';

export interface LaneOptions {
  /**
   * Number of lanes, at most one per read model; 1 by default (one runner, in this thread). More
   * lanes pay only with a core to spare: each lane reads and decodes every event itself, and on
   * a busy machine of 2 cores two lanes took more time and memory than one (test/bench/PROJECTIONS.md).
   */
  lanes?: number;
  /** Events read per step in every lane. */
  batchSize?: number;
  /** Changed documents held before a commit, all lanes together (memory): split between the lanes. */
  maxDirtyDocuments?: number;
  /** Heap limit of each lane's worker thread (MB). */
  maxOldGenerationSizeMb?: number;
  /** Called a few times a second with the events every lane has applied. */
  onProgress?: (applied: number) => void;
}

/**
 * Relative CPU cost of a read model while catching up (CPU profiles of a 1M rebuild: evolve plus
 * its share of the commits); a read model not listed counts as 1. Only used to balance the lanes.
 */
const REBUILD_COST: Record<string, number> = {
  'signal-inbox': 5,
  'signal-detail': 4,
  'supralocal-cells': 4,
  'tenant-dashboard': 2.5,
  'processor-workload': 0.5,
  'dossier-list': 0.2,
  'dossier-detail': 0.2,
};

/**
 * Splits read models into `lanes` groups of about equal cost (the costliest first, each to the
 * cheapest group so far); every group gets at least one read model, the costliest group comes first.
 */
export function splitIntoLanes(projections: readonly Projection[], lanes: number): Projection[][] {
  const count = Math.max(1, Math.min(lanes, projections.length));
  const groups = Array.from({ length: count }, () => ({ cost: 0, members: new Set<Projection>() }));
  const byCost = [...projections].sort((a, b) => costOf(b) - costOf(a));
  for (const projection of byCost) {
    const cheapest = groups.reduce((min, group) => (group.cost < min.cost ? group : min));
    cheapest.members.add(projection);
    cheapest.cost += costOf(projection);
  }
  // Each lane keeps the read models in the order given (the runner's order).
  return groups
    .sort((a, b) => b.cost - a.cost)
    .map((group) => projections.filter((projection) => group.members.has(projection)));
}

function costOf(projection: Projection): number {
  return REBUILD_COST[projection.name] ?? 1;
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

function inWorker(spec: LaneSpec, heapMb: number, onProgress: (applied: number) => void): Promise<number> {
  const worker = laneWorker({ workerData: spec, resourceLimits: { maxOldGenerationSizeMb: heapMb } });
  return new Promise<number>((resolve, reject) => {
    let done: number | null = null;
    worker.on('message', (message: LaneMessage) => {
      onProgress(message.applied);
      if (message.kind === 'done') done = message.applied;
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (done !== null && code === 0) resolve(done);
      else reject(new Error(`rebuild lane ${spec.projections.join(', ')} ended with code ${code}`));
    });
  });
}

/**
 * Catches read models up from their checkpoints in lanes, so that groups of read models are applied
 * on several cores: the costliest group in this thread, every other group in a worker thread of its
 * own. Each lane has its own event store and read store connections and a ProjectionRunner for its
 * group: it reads `$all` itself and commits its read models' documents with their checkpoints in
 * one transaction, so a crash leaves every read model exactly at its checkpoint, as with one
 * runner, and any runner goes on from there. Resolves once every lane has caught up (and built its
 * deferred indexes) with the number of events applied.
 */
export async function catchUpInLanes(
  stores: LaneStores,
  projections: readonly Projection[],
  options: LaneOptions = {},
): Promise<{ applied: number; lanes: string[][] }> {
  const groups = splitIntoLanes(projections, options.lanes ?? 1);
  const maxDirty = Math.max(1000, Math.floor((options.maxDirtyDocuments ?? 32_000) / groups.length));
  const applied = groups.map(() => 0);
  const progress = (lane: number) => (count: number) => {
    applied[lane] = count;
    options.onProgress?.(Math.min(...applied));
  };
  const specs: LaneSpec[] = groups.map((group) => ({
    stores,
    projections: group.map((projection) => projection.name),
    batchSize: options.batchSize ?? CATCH_UP_BATCH_SIZE,
    maxDirtyDocuments: maxDirty,
  }));
  const heapMb = options.maxOldGenerationSizeMb ?? 384;
  const results = await Promise.allSettled(
    specs.map((spec, lane) =>
      lane === 0 ? runLane(spec, progress(lane)) : inWorker(spec, heapMb, progress(lane)),
    ),
  );
  const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) throw failed.reason;
  return { applied: Math.min(...applied), lanes: specs.map((spec) => spec.projections) };
}
