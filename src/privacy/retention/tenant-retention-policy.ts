import { Inject, Injectable } from '@nestjs/common';
import { TenantSettings, TenantsService } from '../../tenants/tenants.service.js';
import { DEFAULT_RETENTION, RetentionPolicy, type RetentionPeriod } from './retention-policy.js';

/**
 * Each tenant's retention period from its settings (`retentionYears`; 5 years for a tenant that
 * never changed it, or was never created). The shortest is what the sweep selects on first.
 */
@Injectable()
export class TenantRetentionPolicy extends RetentionPolicy {
  constructor(
    @Inject(TenantSettings) private readonly settings: TenantSettings,
    @Inject(TenantsService) private readonly tenants: TenantsService,
  ) {
    super();
  }

  async periodFor(tenantId: string): Promise<RetentionPeriod> {
    return { years: (await this.settings.settingsOf(tenantId)).retentionYears };
  }

  async shortestPeriod(): Promise<RetentionPeriod> {
    const years = (await this.tenants.allTenants()).map((tenant) => tenant.settings.retentionYears);
    return { years: Math.min(DEFAULT_RETENTION.years, ...years) };
  }
}
