/** Worker-thread entry of SimilarSignals: the similar-signal index on its own store connections. */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { AppConfig } from '../../config/app-config.js';
import { createEventStore } from '../../platform/event-store/event-store.module.js';
import type { EventStore } from '../../platform/event-store/event-store.port.js';
import { SqliteEventStore } from '../../platform/event-store/sqlite/sqlite-event-store.js';
import { EncryptingEventStore } from '../../privacy/encrypting-event-store.js';
import { createKeyStore } from '../../privacy/key-store/create-key-store.js';
import { SimilarIndexFollower, type SimilarAnswer, type SimilarRequest } from './similar-signals.follower.js';

export type SimilarWorkerData = Pick<AppConfig, 'eventStore' | 'keyStore'>;

export type SimilarWorkerRequest =
  { kind: 'similar'; id: number; request: SimilarRequest } | { kind: 'stop' };

export type SimilarWorkerReply =
  | { kind: 'started' }
  | { kind: 'answer'; id: number; answer: SimilarAnswer }
  | { kind: 'failed'; id: number; message: string };

if (!isMainThread && parentPort) {
  const port = parentPort;
  const config = workerData as SimilarWorkerData;
  // Commits of the app's connection reach this one by polling: poll often, reads are cheap.
  const stored: EventStore =
    config.eventStore.kind === 'sqlite'
      ? new SqliteEventStore({
          file: config.eventStore.file,
          synchronous: config.eventStore.synchronous,
          pollIntervalMs: 10,
        })
      : createEventStore(config.eventStore);
  // The index needs the plaintext: a key store handle of its own that only reads keys.
  const keys = await createKeyStore(config.keyStore, { readOnly: true });
  const store = new EncryptingEventStore(stored, keys);
  // A follower that stopped on an error ends the thread; the app starts a new one.
  const follower = new SimilarIndexFollower((error) => {
    console.error(`similar-signal index stopped: ${(error as Error).stack ?? String(error)}`);
    process.exit(1);
  });
  follower.start(store);
  port.postMessage({ kind: 'started' } satisfies SimilarWorkerReply);
  port.on('message', (message: SimilarWorkerRequest) => {
    if (message.kind === 'stop') {
      void (async () => {
        await follower.stop();
        await store.close();
        await keys.close();
        process.exit(0);
      })();
      return;
    }
    const { id } = message;
    follower.answer(message.request).then(
      (answer) => port.postMessage({ kind: 'answer', id, answer } satisfies SimilarWorkerReply),
      (error: unknown) =>
        port.postMessage({ kind: 'failed', id, message: String(error) } satisfies SimilarWorkerReply),
    );
  });
}
