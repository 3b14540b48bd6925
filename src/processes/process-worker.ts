/** Worker-thread entry of ThreadProcessHost: the process workflows on their own store connection. */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { followLogFormat } from '../platform/http/json-logger.js';
import { runProcessWorker } from './process-worker-main.js';
import type { ProcessWorkerData } from './process-worker-protocol.js';

if (!isMainThread && parentPort) {
  followLogFormat();
  const port = parentPort;
  const { stopped } = await runProcessWorker(port, workerData as ProcessWorkerData);
  // Once stopped (or failed to start), nothing keeps the thread: closing the port ends it.
  await stopped;
  port.close();
}
