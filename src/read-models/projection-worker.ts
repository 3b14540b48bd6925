/** Worker-thread entry of ThreadProjectionHost: the projection runner on its own connections. */
import { parentPort, workerData } from 'node:worker_threads';
import { ERASURE_EVENT_TYPES, PROJECTIONS } from '../../projections/index.js';
import type { AppConfig } from '../config/app-config.js';
import { ProjectionRunner } from '../platform/projections/projection-runner.js';
import { openEventStore, openReadStore } from '../platform/open-stores.js';

const config = workerData as Pick<AppConfig, 'eventStore' | 'readStore'>;
// The projections read the events as stored (the read models keep text sealed: SealedText); the
// app's commits reach this thread by polling every 10 ms.
const store = await openEventStore(config.eventStore, { pollIntervalMs: 10 });
const readStore = await openReadStore(config.readStore, 'projections');
// A runner that stopped on an error ends the thread; the host starts a new one from the checkpoints.
const runner = new ProjectionRunner(store, readStore, PROJECTIONS, {
  onFailure: () => process.exit(1),
  scrubAfter: ERASURE_EVENT_TYPES,
});
await runner.start();
parentPort?.postMessage('started');
parentPort?.on('message', (message: unknown) => {
  if (message !== 'stop') return;
  void (async () => {
    await runner.stop();
    await readStore.close();
    await store.close();
    process.exit(0);
  })();
});
