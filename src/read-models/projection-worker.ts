/** Worker-thread entry of ThreadProjectionHost: the projection runner on its own connections. */
import { parentPort, workerData } from 'node:worker_threads';
import { ERASURE_EVENT_TYPES, PROJECTIONS } from '../../projections/index.js';
import type { AppConfig } from '../config/app-config.js';
import { createEventStore } from '../platform/event-store/event-store.module.js';
import { SqliteEventStore } from '../platform/event-store/sqlite/sqlite-event-store.js';
import { EncryptingEventStore } from '../privacy/encrypting-event-store.js';
import { createKeyStore } from '../privacy/key-store/create-key-store.js';
import { ProjectionRunner } from '../platform/projections/projection-runner.js';
import { createReadStore } from './read-models.module.js';

const config = workerData as Pick<AppConfig, 'eventStore' | 'readStore' | 'keyStore'>;
// Commits of the app's connection reach this one by polling: poll often, reads are cheap.
const stored =
  config.eventStore.kind === 'sqlite'
    ? new SqliteEventStore({
        file: config.eventStore.file,
        synchronous: config.eventStore.synchronous,
        pollIntervalMs: 10,
      })
    : createEventStore(config.eventStore);
// Projections need the plaintext: a key store handle of its own that only reads keys.
const keys = await createKeyStore(config.keyStore, { readOnly: true });
const store = new EncryptingEventStore(stored, keys);
const readStore = await createReadStore(config.readStore);
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
    await keys.close();
    process.exit(0);
  })();
});
