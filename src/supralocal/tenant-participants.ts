import { Inject, Injectable } from '@nestjs/common';
import { TenantsService } from '../tenants/tenants.service.js';
import type { Participant } from './core/patterns.js';
import { SupralocalParticipants } from './supralocal-participants.js';

/**
 * The tenants whose supra-local opt-in is on, folded from the tenant streams on every query, so
 * that an opt-out takes effect at once.
 */
@Injectable()
export class TenantParticipants extends SupralocalParticipants {
  constructor(@Inject(TenantsService) private readonly tenants: TenantsService) {
    super();
  }

  async list(): Promise<Participant[]> {
    return (await this.tenants.allTenants())
      .filter((tenant) => tenant.settings.supralocalOptIn)
      .map((tenant) => ({
        tenantId: tenant.tenantId,
        name: tenant.name,
        populationBand: tenant.populationBand,
      }));
  }
}
