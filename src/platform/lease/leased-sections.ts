import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { KeyedLock } from '../keyed-lock.js';
import { createLeaseStore, type LeaseStoreConfig } from './create-lease-store.js';
import type { LeaseStore } from './lease-store.port.js';

/** Long enough for one check and append; a killed holder keeps the others waiting at most this long. */
export const SECTION_LEASE_MS = 5_000;
/** How long a task waits for a section before it gives up. */
export const SECTION_WAIT_MS = SECTION_LEASE_MS + 2_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Named critical sections across the instances of a deployment: a check that reads several
 * streams (or a read model) and the append it allows run as one step. Tasks of one name queue
 * in this process and then take a short lease of that name in the deployment's lease store
 * (DATA_DIR/leases.sqlite, or Redis), which instances sharing an event store share too.
 */
export class LeasedSections {
  private leases: LeaseStore | null = null;
  private readonly local = new KeyedLock();
  private readonly holder = `${hostname()}:${process.pid}:${randomUUID()}`;

  constructor(private readonly config: LeaseStoreConfig) {}

  /** Runs `task` inside the section `name`; throws `busy()` when it could not be had in time. */
  run<T>(name: string, task: () => Promise<T>, busy: () => Error): Promise<T> {
    return this.local.run(name, async () => {
      const leases = (this.leases ??= createLeaseStore(this.config));
      const started = Date.now();
      for (let attempt = 0; !(await leases.acquire(name, this.holder, SECTION_LEASE_MS)); attempt++) {
        if (Date.now() - started > SECTION_WAIT_MS) throw busy();
        await sleep(5 + Math.random() * Math.min(50, 2 ** attempt));
      }
      try {
        return await task();
      } finally {
        await leases.release(name, this.holder);
      }
    });
  }

  async close(): Promise<void> {
    await this.leases?.close();
    this.leases = null;
  }
}
