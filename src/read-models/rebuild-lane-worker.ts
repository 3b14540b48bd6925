/** Worker-thread entry of catchUpInLanes: one lane (rebuild-lane.ts) on connections of its own. */
import { parentPort, workerData } from 'node:worker_threads';
import { runLane, type LaneSpec } from './rebuild-lane.js';

export type LaneMessage = { kind: 'progress'; applied: number } | { kind: 'done'; applied: number };

const post = (message: LaneMessage) => parentPort?.postMessage(message);
const applied = await runLane(workerData as LaneSpec, (count) => post({ kind: 'progress', applied: count }));
post({ kind: 'done', applied });
