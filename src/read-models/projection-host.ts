import { Logger } from '@nestjs/common';
import { Worker } from 'node:worker_threads';
import { collectionOf, ERASURE_EVENT_TYPES, PROJECTIONS } from '../../projections/index.js';
import type { AppConfig } from '../config/app-config.js';
import type { EventStore } from '../platform/event-store/event-store.port.js';
import { ProjectionRunner, type LaneStatus } from '../platform/projections/projection-runner.js';
import type { ReadStore } from '../platform/read-store/read-store.port.js';
import { RestartBackoff } from '../platform/threads/restart-backoff.js';
import { createLeaseStore, type LeaseStoreConfig } from '../platform/lease/create-lease-store.js';
import type { LeaseStore } from '../platform/lease/lease-store.port.js';
import { LeasedRole, type RolePlacement } from '../platform/lease/leased-role.js';
import { storedEventsOf } from '../privacy/encrypting-event-store.js';

import { PositionWaiters } from './position-waiters.js';
import { PROJECTIONS_LEASE } from './projections-lease.js';

export { PROJECTIONS_LEASE };

/** Where the projection runner runs: in the app's thread, or beside it in a worker thread. */
export abstract class ProjectionHost {
  abstract start(): Promise<void>;
  abstract stop(): Promise<void>;
  abstract status(): Promise<LaneStatus[]>;
  /** True once every read model has applied `position`, false after `timeoutMs`. */
  abstract waitForPosition(position: bigint, timeoutMs: number): Promise<boolean>;
  /**
   * Where this instance's read models come from: its own runner in the app's thread (`inline`), a
   * worker thread while it holds the projections lease (`leading`, `starting`; `standby` while
   * another instance holds it), or another process (`off`).
   */
  abstract runner(): RolePlacement;
}

export class InlineProjectionHost extends ProjectionHost {
  private readonly projectionRunner: ProjectionRunner;

  constructor(store: EventStore, readStore: ReadStore) {
    super();
    // The projections read the events as stored: the read models keep text sealed (SealedText).
    this.projectionRunner = new ProjectionRunner(storedEventsOf(store), readStore, PROJECTIONS, {
      scrubAfter: ERASURE_EVENT_TYPES,
    });
  }

  start(): Promise<void> {
    return this.projectionRunner.start();
  }

  stop(): Promise<void> {
    return this.projectionRunner.stop();
  }

  status(): Promise<LaneStatus[]> {
    return this.projectionRunner.status();
  }

  waitForPosition(position: bigint, timeoutMs: number): Promise<boolean> {
    return this.projectionRunner.waitForPosition(position, timeoutMs);
  }

  runner(): RolePlacement {
    return { state: 'inline', lease: null, holder: null };
  }
}

/**
 * For a process that runs no projections and only reads what the app's runner wrote (the brief
 * worker, `npm run worker`): it cannot wait for a position, so a read-your-writes request answers
 * "not reached" at once and the caller marks its answer stale.
 */
export class ReadOnlyProjectionHost extends ProjectionHost {
  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  async status(): Promise<LaneStatus[]> {
    return [];
  }

  async waitForPosition(): Promise<boolean> {
    return false;
  }

  runner(): RolePlacement {
    return { state: 'off', lease: null, holder: null };
  }
}

/**
 * The runner in a worker thread with its own store connections: projection work (JSON, index
 * upkeep) uses the second core instead of pausing request handling. The app reads progress from
 * the read store's checkpoints.
 */
/** What the host needs of a worker thread (a test gives a fake). */
export interface ProjectionWorker {
  once(event: 'message', listener: (message: unknown) => void): unknown;
  once(event: 'error', listener: (error: Error) => void): unknown;
  once(event: 'exit', listener: (code: number) => void): unknown;
  postMessage(message: unknown): void;
  terminate(): Promise<number>;
}

export interface ThreadHostOptions {
  /** Starts a worker running the projection runner; a real worker thread by default. */
  createWorker?: () => ProjectionWorker;
  /** First wait before a worker that ended on its own is started again; doubles up to 30 s. */
  restartDelayMs?: number;
  /**
   * Runs the worker only while this instance holds the projections lease, so that of several
   * instances on one read store one writes it and the others read it.
   */
  lease?: { store: LeaseStoreConfig; ttlMs: number; holder?: string };
}

export class ThreadProjectionHost extends ProjectionHost {
  private readonly logger = new Logger('Projections');
  private worker: ProjectionWorker | null = null;
  private stopping = false;
  private readonly createWorker: () => ProjectionWorker;
  private readonly backoff: RestartBackoff;
  private readonly lease: { role: LeasedRole; store: LeaseStore; kind: LeaseStoreConfig['kind'] } | null;
  private readonly positionWaiters = new PositionWaiters(() => this.progress());

  constructor(
    private readonly config: Pick<AppConfig, 'eventStore' | 'readStore'>,
    private readonly store: EventStore,
    private readonly readStore: ReadStore,
    /** false: another process keeps the read models (`PROJECTIONS=off`); this one only reads them. */
    private readonly spawn = true,
    options: ThreadHostOptions = {},
  ) {
    super();
    this.backoff = new RestartBackoff(options.restartDelayMs ?? 1000);
    this.createWorker =
      options.createWorker ??
      (() =>
        new Worker(new URL('./projection-worker.js', import.meta.url), {
          workerData: { eventStore: this.config.eventStore, readStore: this.config.readStore },
          // The runner's working set is bounded (changed documents per commit window, caches); a
          // bounded heap makes V8 collect before memory grows far beyond it.
          resourceLimits: { maxOldGenerationSizeMb: 512 },
        }));
    const lease = options.lease;
    if (lease === undefined || !spawn) {
      this.lease = null;
    } else {
      const store = createLeaseStore(lease.store);
      const role = new LeasedRole(
        PROJECTIONS_LEASE,
        store,
        { start: () => this.startRunner(), stop: () => this.stopRunner() },
        { ttlMs: lease.ttlMs, logger: this.logger, ...(lease.holder ? { holder: lease.holder } : {}) },
      );
      this.lease = { role, store, kind: lease.store.kind };
    }
  }

  /** Starts the worker, or (with a lease) makes the first try for the lease and starts it when this instance gets it. */
  async start(): Promise<void> {
    if (!this.spawn) return;
    if (this.lease) await this.lease.role.start();
    else await this.startRunner();
  }

  private async startRunner(): Promise<void> {
    this.stopping = false;
    await this.startWorker();
  }

  runner(): RolePlacement {
    if (!this.spawn) return { state: 'off', lease: null, holder: null };
    if (!this.lease) return { state: 'leading', lease: null, holder: null };
    return { state: this.lease.role.status.state, lease: this.lease.kind, holder: this.lease.role.holder };
  }

  /** Number of times a worker that ended on its own was started again. */
  get restarted(): number {
    return this.backoff.restarts;
  }

  private async startWorker(): Promise<void> {
    const worker = this.createWorker();
    this.worker = worker;
    // A worker that ends on its own (the runner failed, out of memory) is started again from the
    // checkpoints, after a wait that doubles while it keeps failing.
    worker.once('exit', (code) => {
      if (this.stopping || this.worker !== worker) return;
      this.worker = null;
      const delay = this.backoff.schedule(() => {
        if (this.stopping) return;
        this.startWorker().catch((error: unknown) =>
          this.logger.error(`projection worker did not start: ${String(error)}`),
        );
      });
      this.logger.error(`projection worker ended (exit code ${code}); starting it again in ${delay} ms`);
    });
    await new Promise<void>((resolve, reject) => {
      worker.once('message', (message: unknown) =>
        message === 'started' ? resolve() : reject(new Error(String(message))),
      );
      worker.once('error', reject);
    });
  }

  async stop(): Promise<void> {
    if (!this.lease) return this.stopRunner();
    await this.lease.role.stop();
    await this.lease.store.close();
  }

  private async stopRunner(): Promise<void> {
    this.stopping = true;
    this.backoff.cancel();
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

  /**
   * Every waiting read of this process shares one read of the checkpoints at a time (every 10 ms
   * while any waits), instead of each read polling the store on its own.
   */
  waitForPosition(position: bigint, timeoutMs: number): Promise<boolean> {
    return this.positionWaiters.wait(position, timeoutMs);
  }

  /** The lowest checkpoint of the read models' active versions; null while one has none. */
  private async progress(): Promise<bigint | null> {
    const checkpoints = await Promise.all(
      PROJECTIONS.map(async (projection) => {
        const version = (await this.readStore.activeVersion(projection.name)) ?? projection.schemaVersion;
        return this.readStore.checkpoint(collectionOf(projection, version));
      }),
    );
    let lowest: bigint | null = null;
    for (const checkpoint of checkpoints) {
      if (checkpoint === null) return null;
      if (lowest === null || checkpoint < lowest) lowest = checkpoint;
    }
    return lowest;
  }
}
