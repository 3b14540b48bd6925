import { describe, expect, it } from '@jest/globals';
import { getWorkflow } from '../../workflows/registry.js';
import { DEFAULT_SETTINGS } from './tenant.events.js';
import { TenantDeadlinePolicy } from './tenant-deadline-policy.js';
import type { TenantsService } from './tenants.service.js';

const V1 = { name: 'signal-lifecycle', version: 1 };

function policyWith(overrides: Record<string, Record<string, number>>) {
  const tenants = {
    allTenants: () =>
      Promise.resolve(
        Object.entries(overrides).map(([tenantId, deadlineOverrides]) => ({
          status: 'exists' as const,
          tenantId,
          name: tenantId,
          nisCode: '00000',
          populationBand: 'gt-100000' as const,
          settings: { ...DEFAULT_SETTINGS, deadlineOverrides },
        })),
      ),
  } as unknown as TenantsService;
  return new TenantDeadlinePolicy(tenants);
}

describe('tenant deadline policy', () => {
  it("replaces a state's deadline by the tenant's override in days, and only that", async () => {
    const policy = policyWith({ gent: { submitted: 4 } });
    await policy.refresh();
    const definition = getWorkflow('signal-lifecycle', 1);
    expect(policy.policy('gent', V1, 'submitted')).toBe('P4D');
    expect(policy.policy('gent', V1, 'triaged')).toBe(definition.states['triaged']!.deadline);
    expect(policy.policy('eeklo', V1, 'submitted')).toBe(definition.states['submitted']!.deadline);
    expect(policy.policy('gent', V1, 'closed')).toBeNull();
  });

  it('answers with the definition until the overrides are read', () => {
    const policy = policyWith({ gent: { submitted: 4 } });
    expect(policy.policy('gent', V1, 'submitted')).toBe('P2D');
  });
});
