/** Worker-thread entry of SimilarSignals: the similar-signal index on its own store connections. */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { AppConfig } from '../../config/app-config.js';
import { PlatformLogger } from '../../platform/logger.js';
import { openPlaintextReader } from '../../privacy/plaintext-store.js';
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
  // The index needs the plaintext; the app's commits reach this thread by polling every 10 ms.
  const events = await openPlaintextReader(config, 10);
  // A follower that stopped on an error ends the thread; the app starts a new one.
  const follower = new SimilarIndexFollower((error) => {
    // As the app's log (LOG_FORMAT): JSON lines or Nest's layout.
    new PlatformLogger('SimilarSignals').error(
      `similar-signal index stopped: ${(error as Error).stack ?? String(error)}`,
    );
    process.exit(1);
  });
  follower.start(events.store);
  port.postMessage({ kind: 'started' } satisfies SimilarWorkerReply);
  port.on('message', (message: SimilarWorkerRequest) => {
    if (message.kind === 'stop') {
      void (async () => {
        await follower.stop();
        await events.close();
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
