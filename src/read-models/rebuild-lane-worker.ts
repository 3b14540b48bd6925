/**
 * Worker-thread entry of catchUpInLanes: one lane (rebuild-lane.ts) on connections of its own,
 * opened as soon as the thread starts, while the rebuild plans the lanes' work. Then it waits for
 * one order: run the lane's work (and say `done` once it is committed and the connections are
 * closed), or cancel (close the connections and end).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { closeLane, openLane, runLane, type LaneStores, type LaneWork } from './rebuild-lane.js';

/** What the rebuild tells the thread, once. */
export type LaneOrder = { kind: 'run'; work: LaneWork } | { kind: 'cancel' };

/** What the thread tells the rebuild. */
export type LaneMessage = { kind: 'progress'; applied: number } | { kind: 'done'; applied: number };

if (!parentPort) throw new Error('rebuild-lane-worker runs in a worker thread of catchUpInLanes');
const port = parentPort;
const post = (message: LaneMessage) => port.postMessage(message);
// Listened for before the connections open: an order that comes while they do is not missed.
const order = new Promise<LaneOrder>((resolve) => port.once('message', resolve));
const connections = await openLane(workerData as LaneStores);
try {
  const given = await order;
  if (given.kind === 'run') {
    const applied = await runLane(given.work, connections, (count) =>
      post({ kind: 'progress', applied: count }),
    );
    // Committed and synced before the rebuild hears of it: the seal comes next.
    await closeLane(connections);
    post({ kind: 'done', applied });
  }
} finally {
  await closeLane(connections);
}
