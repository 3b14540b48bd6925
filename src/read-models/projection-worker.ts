/** Worker-thread entry of ThreadProjectionHost: the projection runner on its own connections. */
import { parentPort, workerData } from 'node:worker_threads';
import { PROJECTIONS } from '../../projections/index.js';
import type { AppConfig } from '../config/app-config.js';
import { createEventStore } from '../platform/event-store/event-store.module.js';
import { SqliteEventStore } from '../platform/event-store/sqlite/sqlite-event-store.js';
import { ProjectionRunner } from '../platform/projections/projection-runner.js';
import { createReadStore } from './read-models.module.js';

const config = workerData as Pick<AppConfig, 'eventStore' | 'readStore'>;
// Commits of the app's connection reach this one by polling: poll often, reads are cheap.
const store =
  config.eventStore.kind === 'sqlite'
    ? new SqliteEventStore({
        file: config.eventStore.file,
        synchronous: config.eventStore.synchronous,
        pollIntervalMs: 10,
      })
    : createEventStore(config.eventStore);
const readStore = await createReadStore(config.readStore);
// A runner that stopped on an error ends the thread; the host starts a new one from the checkpoints.
const runner = new ProjectionRunner(store, readStore, PROJECTIONS, { onFailure: () => process.exit(1) });
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
