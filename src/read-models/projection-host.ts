import { Worker } from 'node:worker_threads';
import { collectionOf, PROJECTIONS } from '../../projections/index.js';
import type { AppConfig } from '../config/app-config.js';
import type { EventStore } from '../platform/event-store/event-store.port.js';
import { ProjectionRunner, type LaneStatus } from '../platform/projections/projection-runner.js';
import type { ReadStore } from '../platform/read-store/read-store.port.js';

/** Where the projection runner runs: in the app's thread, or beside it in a worker thread. */
export abstract class ProjectionHost {
  abstract start(): Promise<void>;
  abstract stop(): Promise<void>;
  abstract status(): Promise<LaneStatus[]>;
  /** True once every read model has applied `position`, false after `timeoutMs`. */
  abstract waitForPosition(position: bigint, timeoutMs: number): Promise<boolean>;
}

export class InlineProjectionHost extends ProjectionHost {
  private readonly runner: ProjectionRunner;

  constructor(store: EventStore, readStore: ReadStore) {
    super();
    this.runner = new ProjectionRunner(store, readStore, PROJECTIONS);
  }

  start(): Promise<void> {
    return this.runner.start();
  }

  stop(): Promise<void> {
    return this.runner.stop();
  }

  status(): Promise<LaneStatus[]> {
    return this.runner.status();
  }

  waitForPosition(position: bigint, timeoutMs: number): Promise<boolean> {
    return this.runner.waitForPosition(position, timeoutMs);
  }
}

/**
 * The runner in a worker thread with its own store connections: projection work (JSON, index
 * upkeep) uses the second core instead of pausing request handling. The app reads progress from
 * the read store's checkpoints.
 */
export class ThreadProjectionHost extends ProjectionHost {
  private worker: Worker | null = null;

  constructor(
    private readonly config: Pick<AppConfig, 'eventStore' | 'readStore'>,
    private readonly store: EventStore,
    private readonly readStore: ReadStore,
    /** false: another process keeps the read models (`PROJECTIONS=off`); this one only reads them. */
    private readonly spawn = true,
  ) {
    super();
  }

  async start(): Promise<void> {
    if (!this.spawn) return;
    const worker = new Worker(new URL('./projection-worker.js', import.meta.url), {
      workerData: { eventStore: this.config.eventStore, readStore: this.config.readStore },
      // The runner's working set is bounded (changed documents per commit window, caches); a
      // bounded heap makes V8 collect before memory grows far beyond it.
      resourceLimits: { maxOldGenerationSizeMb: 512 },
    });
    this.worker = worker;
    await new Promise<void>((resolve, reject) => {
      worker.once('message', (message: unknown) =>
        message === 'started' ? resolve() : reject(new Error(String(message))),
      );
      worker.once('error', reject);
    });
  }

  async stop(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.worker = null;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage('stop');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
    await worker.terminate();
  }

  async status(): Promise<LaneStatus[]> {
    const head = await this.store.health();
    const headPosition =
      head.adapter === 'sqlite' && head.lastPosition !== undefined ? BigInt(head.lastPosition) : null;
    return Promise.all(
      PROJECTIONS.map(async (projection) => {
        const version = (await this.readStore.activeVersion(projection.name)) ?? projection.schemaVersion;
        const status = await this.readStore.status(collectionOf(projection, version));
        const lagEvents =
          headPosition === null ? null : Math.max(0, Number(headPosition - (status.checkpoint ?? 0n)));
        return {
          name: projection.name,
          version,
          checkpoint: status.checkpoint === null ? null : String(status.checkpoint),
          caughtUp: status.caughtUp && lagEvents === 0,
          rebuildingBeside: version !== projection.schemaVersion ? projection.schemaVersion : null,
          lagEvents,
          lagMs: 0,
          parked: status.parked,
        };
      }),
    );
  }

  async waitForPosition(position: bigint, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const checkpoints = await Promise.all(
        PROJECTIONS.map(async (projection) => {
          const version = (await this.readStore.activeVersion(projection.name)) ?? projection.schemaVersion;
          return this.readStore.checkpoint(collectionOf(projection, version));
        }),
      );
      if (checkpoints.every((checkpoint) => checkpoint !== null && checkpoint >= position)) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}
