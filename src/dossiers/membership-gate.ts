import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { EventStore } from '../platform/event-store/event-store.port.js';
import { createLeaseStore } from '../platform/lease/create-lease-store.js';
import type { LeaseStore } from '../platform/lease/lease-store.port.js';
import { DossierConflictError } from './dossier-command.errors.js';
import { OpenDossierLookup } from './open-dossier-lookup.js';

/** Long enough for one check and append; a killed holder keeps others waiting at most this long. */
const LEASE_MS = 5_000;
const GIVE_UP_MS = LEASE_MS + 2_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Makes "is this signal in another open dossier?" and the append one step across the instances
 * that share an event store. The handler queues membership commands per tenant in its own
 * process; another instance on the same store (two apps on one data folder, or several behind a
 * load balancer) checked the read model at the same moment and bundled the same signal into a
 * second open dossier. Here a command first takes the tenant's membership lease (the deployment's
 * lease store: DATA_DIR/leases.sqlite or Redis), then lets the read model reach the store's last
 * position, so whatever another instance bundled before is seen, and releases the lease after
 * its append.
 */
@Injectable()
export class DossierMembershipGate implements OnModuleDestroy {
  private leases: LeaseStore | null = null;
  private readonly holder = `${hostname()}:${process.pid}:${randomUUID()}`;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(OpenDossierLookup) private readonly openDossiers: OpenDossierLookup,
  ) {}

  async run<T>(tenantId: string, task: () => Promise<T>): Promise<T> {
    const leases = (this.leases ??= createLeaseStore(this.config.leases.store));
    const name = `dossier-membership:${tenantId}`;
    const started = Date.now();
    for (let attempt = 0; !(await leases.acquire(name, this.holder, LEASE_MS)); attempt++) {
      if (Date.now() - started > GIVE_UP_MS) throw new DossierConflictError();
      await sleep(5 + Math.random() * Math.min(50, 2 ** attempt));
    }
    try {
      const head = (await this.store.health()).lastPosition;
      if (head !== undefined) this.openDossiers.wrote(BigInt(head));
      return await task();
    } finally {
      await leases.release(name, this.holder);
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.leases?.close();
  }
}
