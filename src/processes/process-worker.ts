/**
 * Worker-thread entry of ThreadProcessHost: the process workflows on their own store connection.
 * Nothing here loads Nest: its lines go through the platform logger, which writes JSON lines when
 * the app does (LOG_FORMAT=json, inherited from main.ts).
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { runProcessWorker } from './process-worker-main.js';
import type { ProcessWorkerData } from './process-worker-protocol.js';

if (!isMainThread && parentPort) {
  const port = parentPort;
  const { stopped } = await runProcessWorker(port, workerData as ProcessWorkerData);
  // Once stopped (or failed to start), nothing keeps the thread: closing the port ends it.
  await stopped;
  port.close();
}
