import { Inject, Injectable } from '@nestjs/common';
import { EventStore } from '../platform/event-store/event-store.port.js';
import { foldTenant } from '../tenants/tenant.decider.js';
import { TENANT_EVENT_TYPES, type TenantEvent } from '../tenants/tenant.events.js';
import type { Participant } from './core/patterns.js';
import { SupralocalParticipants } from './supralocal-participants.js';

const TENANT_TYPES: ReadonlySet<string> = new Set(TENANT_EVENT_TYPES);

/**
 * The tenants whose supra-local opt-in is on, folded from the tenant streams (a few events per
 * municipality) on every query, so that an opt-out takes effect at once.
 */
@Injectable()
export class TenantParticipants extends SupralocalParticipants {
  constructor(@Inject(EventStore) private readonly store: EventStore) {
    super();
  }

  async list(): Promise<Participant[]> {
    const byTenant = new Map<string, TenantEvent[]>();
    for await (const event of this.store.readAll({ filter: { categories: ['tenant'] } })) {
      if (!TENANT_TYPES.has(event.type)) continue;
      const events = byTenant.get(event.stream) ?? [];
      events.push({ type: event.type, data: event.data } as TenantEvent);
      byTenant.set(event.stream, events);
    }
    const participants: Participant[] = [];
    for (const events of byTenant.values()) {
      const tenant = foldTenant(events);
      if (tenant.status !== 'exists' || !tenant.settings.supralocalOptIn) continue;
      participants.push({
        tenantId: tenant.tenantId,
        name: tenant.name,
        populationBand: tenant.populationBand,
      });
    }
    return participants.sort((a, b) => a.tenantId.localeCompare(b.tenantId));
  }
}
