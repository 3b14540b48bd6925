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

/** Whether `lanes` lanes leave no core for V8's helper threads (two lanes or more, no core spare). */
export function lanesTakeEveryCore(lanes: number, cores: number = availableParallelism()): boolean {
  return lanes >= 2 && lanes >= cores;
}

/**
 * Whether a rebuild of the whole log in `lanes` lanes should run with LANE_GC_FLAG: its lanes take
 * every core, and they will run (tenantShares, as catchUpInLanes decides it; otherwise one runner
 * rebuilds).
 */
export async function rebuildWantsLaneGc(
  store: EventStore,
  lanes: number,
  cores: number = availableParallelism(),
): Promise<boolean> {
  if (!lanesTakeEveryCore(lanes, cores)) return false;
  return (await tenantShares(store, lanes, async () => 0n)) !== null;
}
