import { Inject, Injectable } from '@nestjs/common';
import { EventStore } from '../platform/event-store/event-store.port.js';
import { LeasedSections } from '../platform/lease/leased-sections.js';
import { DossierConflictError } from './dossier-command.errors.js';
import { OpenDossierLookup } from './open-dossier-lookup.js';

/**
 * Makes "is this signal in another open dossier?" and the append one step across the instances
 * that share an event store. The handler used to queue membership commands per tenant in its own
 * process only; another instance on the same store (two apps on one data folder, or several
 * behind a load balancer) checked the read model at the same moment and bundled the same signal
 * into a second open dossier. Here a command runs in the tenant's `dossier-membership` section
 * (`LeasedSections`), after the read model has reached the store's last position, so whatever
 * another instance bundled before is seen.
 */
@Injectable()
export class DossierMembershipGate {
  constructor(
    @Inject(LeasedSections) private readonly sections: LeasedSections,
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(OpenDossierLookup) private readonly openDossiers: OpenDossierLookup,
  ) {}

  run<T>(tenantId: string, task: () => Promise<T>): Promise<T> {
    return this.sections.run(
      `dossier-membership:${tenantId}`,
      async () => {
        const head = (await this.store.health()).lastPosition;
        if (head !== undefined) this.openDossiers.wrote(BigInt(head));
        return task();
      },
      () => new DossierConflictError(),
    );
  }
}
