import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Worker } from 'node:worker_threads';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { EventStore } from '../../platform/event-store/event-store.port.js';
import { SimilarIndexFollower, type SimilarAnswer, type SimilarRequest } from './similar-signals.follower.js';
import type { SimilarWorkerData, SimilarWorkerReply, SimilarWorkerRequest } from './similar-worker.js';
import { RestartBackoff } from '../../platform/threads/restart-backoff.js';

/**
 * The similar-signal index of this process. With the projections in a worker thread (the app's
 * default) the index has a worker thread of its own, beside the one of the projections: following
 * every commit, decrypting the texts and stemming them then costs the request thread nothing, and
 * the index's memory is not in the request thread's heap. Otherwise (`PROJECTIONS=inline` or
 * `off`, the tests) it follows the store in this thread.
 */
@Injectable()
export class SimilarSignals implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('SimilarSignals');
  private local: SimilarIndexFollower | null = null;
  private worker: Worker | null = null;
  private stopping = false;
  private readonly backoff = new RestartBackoff();
  private nextRequest = 0;
  private readonly pending = new Map<
    number,
    { resolve: (answer: SimilarAnswer) => void; reject: (error: Error) => void }
  >();

  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.stopping = false;
    if (this.config.projections === 'thread') {
      this.startWorker();
      return;
    }
    this.local = new SimilarIndexFollower((error) =>
      this.logger.error(`similar-signal index stopped: ${(error as Error).stack ?? String(error)}`),
    );
    this.local.start(this.store);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.backoff.cancel();
    await this.local?.stop();
    const worker = this.worker;
    this.worker = null;
    if (worker) {
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage({ kind: 'stop' } satisfies SimilarWorkerRequest);
      // Unref'd: a thread that stops in time leaves no timer keeping the process up for 5 s.
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
      await worker.terminate();
    }
    this.failPending(new Error('the similar-signal index stopped'));
  }

  /** The store's last position: what a query waits for when it names none. */
  async head(): Promise<bigint | null> {
    const { lastPosition } = await this.store.health();
    return lastPosition === undefined ? null : BigInt(lastPosition);
  }

  /** The signals most like one signal, within the actor's scope, once the index reached `wanted`. */
  similarTo(request: SimilarRequest): Promise<SimilarAnswer> {
    if (this.local) return this.local.answer(request);
    const worker = this.worker;
    // Between a worker's end and its restart: the index is not there, which is what "stale" says.
    if (!worker) return Promise.resolve({ reached: false, found: false });
    const id = ++this.nextRequest;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ kind: 'similar', id, request } satisfies SimilarWorkerRequest);
    });
  }

  private startWorker(): void {
    const worker = new Worker(new URL('./similar-worker.js', import.meta.url), {
      workerData: {
        eventStore: this.config.eventStore,
        keyStore: this.config.keyStore,
      } satisfies SimilarWorkerData,
    });
    this.worker = worker;
    worker.on('message', (reply: SimilarWorkerReply) => {
      if (reply.kind === 'started') {
        this.backoff.reset();
        return;
      }
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      if (reply.kind === 'answer') waiting.resolve(reply.answer);
      else waiting.reject(new Error(reply.message));
    });
    worker.on('error', (error) =>
      this.logger.error(`similar-signal worker failed: ${error.stack ?? String(error)}`),
    );
    // A worker that ends on its own is started again; the index is rebuilt from the store.
    worker.once('exit', (code) => {
      if (this.worker === worker) this.worker = null;
      this.failPending(new Error(`the similar-signal worker ended (exit code ${code})`));
      if (this.stopping) return;
      const delay = this.backoff.schedule(() => {
        if (!this.stopping) this.startWorker();
      });
      this.logger.error(`similar-signal worker ended (exit code ${code}); starting it again in ${delay} ms`);
    });
  }

  private failPending(error: Error): void {
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}
