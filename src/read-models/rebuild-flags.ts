import { availableParallelism } from 'node:os';
import type { EventStore } from '../platform/event-store/event-store.port.js';
import { tenantShares } from './rebuild-lanes.js';

/**
 * V8's garbage collector in the thread of each lane, without helper threads. A rebuild whose lanes
 * take every core left V8's parallel scavenges and concurrent marking without a core: a lane's
 * scavenge waited for a helper that could not run. Alternating runs on 2 cores, two lanes: 1M
 * events in 19.95 against 26.77 s (medians of three), 100k in 2.66 against 2.85 s (of eight). With
 * one runner the helpers have the other core, and the flag made the 100k rebuild 27% slower
 * (4.80 against 3.77 s, medians of eight): it is for lanes only (test/bench/PROJECTIONS.md,
 * sixteenth session).
 */
export const LANE_GC_FLAG = '--single-threaded-gc';

/**
 * TurboFan without inlining, for a short rebuild whose lanes take every core. Each lane's isolate
 * compiles the same hot code, on the cores the lanes need: at 100k events compiling took a fifth
 * of the rebuild's CPU time, and a log that short ends before inlined code has paid for its
 * longer compiles. Two lanes on 2 cores, alternating pairs (test/bench/PROJECTIONS.md,
 * twenty-second session): 100k events 2.742 against 2.918 s (medians of eight, faster in all
 * eight, CPU 4.45 against 4.92 s); 300k 0.996 of the time (four pairs); 1M 1.045 (slower in three
 * of four). Hence for logs under SHORT_REBUILD_EVENTS only.
 */
export const SHORT_REBUILD_FLAG = '--no-turbo-inlining';

/** A rebuild of fewer events than this is short (SHORT_REBUILD_FLAG): between the 100k and 300k measured. */
export const SHORT_REBUILD_EVENTS = 200_000;

/**
 * glibc's allocator, for a rebuild whose lanes take every core: blocks up to 32 MiB from its heap
 * rather than mapped one by one, the heap never given back while the process runs, and grown 64 MiB
 * at a time. What SQLite, the commits' JSON and V8's compiler free is then taken again without the
 * kernel zeroing and mapping fresh pages: on a 2-core virtual machine where a page fault costs
 * several microseconds, faults were 8% of a 100k rebuild's CPU time (its process: 50.9–51.2k
 * faults without these, 42.9–43.2k with them). Alternating pairs (test/bench/PROJECTIONS.md, twenty-second session):
 * 100k 0.951 of the time, faster in all 14; 1M 0.977 (faster in 2 of 3), peak RSS 305–315
 * against 303–306 MiB. Each setting alone did not help: setting any of them stops glibc's own
 * adjustment of the others (one alone: 1.052 and 0.983). Other C libraries ignore them.
 */
export const REBUILD_MALLOC_ENV: Readonly<Record<string, string>> = {
  MALLOC_MMAP_THRESHOLD_: String(32 * 1024 * 1024),
  MALLOC_TRIM_THRESHOLD_: String(1024 * 1024 * 1024),
  MALLOC_TOP_PAD_: String(64 * 1024 * 1024),
};

/** Whether `lanes` lanes leave no core for V8's helper threads (two lanes or more, no core spare). */
export function lanesTakeEveryCore(lanes: number, cores: number = availableParallelism()): boolean {
  return lanes >= 2 && lanes >= cores;
}

/** How a rebuild's process should run: node flags beyond the CLI's own, and environment variables. */
export interface RebuildProcess {
  flags: string[];
  env: Readonly<Record<string, string>>;
}

/**
 * How a rebuild of the whole log in `lanes` lanes should run, beyond the CLI's own flags. When its
 * lanes take every core and will run (tenantShares, as catchUpInLanes decides it; otherwise one
 * runner rebuilds): LANE_GC_FLAG and REBUILD_MALLOC_ENV, and SHORT_REBUILD_FLAG too when the log
 * holds fewer than SHORT_REBUILD_EVENTS events (an embedded store, whose positions count its
 * events; EventStoreDB's are byte offsets, and its rebuild is one runner anyway). Nothing else.
 */
export async function rebuildProcess(
  store: EventStore,
  lanes: number,
  cores: number = availableParallelism(),
): Promise<RebuildProcess> {
  const none: RebuildProcess = { flags: [], env: {} };
  if (!lanesTakeEveryCore(lanes, cores)) return none;
  const shares = await tenantShares(store, lanes, async () => 0n);
  if (shares === null) return none;
  const short = shares.head < BigInt(SHORT_REBUILD_EVENTS);
  return { flags: short ? [LANE_GC_FLAG, SHORT_REBUILD_FLAG] : [LANE_GC_FLAG], env: REBUILD_MALLOC_ENV };
}
