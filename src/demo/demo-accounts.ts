import type { Role } from '../../workflows/roles.js';
import type { IdentityStore } from '../people/identity-store.port.js';
import type { PeopleService } from '../people/people.service.js';
import type { TenantsService } from '../tenants/tenants.service.js';

/**
 * Sign-in accounts for the demo municipality, one per role, so a newcomer can walk through every
 * screen. Created only on the embedded demo setup (`DEMO_DATA` on), through the real invite and
 * acceptance path; never in a production configuration.
 */
export const DEMO_TENANT = 'gent';
export const DEMO_PASSWORD = 'demo-wachtwoord-2026';

export interface DemoAccount {
  email: string;
  name: string;
  roles: Role[];
  organisationId?: string;
  policyDomains?: string[];
}

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  {
    email: 'signaalgever@gent.demo',
    name: 'Sara Signaalgever',
    roles: ['signal-giver'],
    organisationId: 'stad-gent',
  },
  { email: 'coordinator@gent.demo', name: 'Hanne Hoofdverwerker', roles: ['lead-processor'] },
  {
    email: 'verwerker@gent.demo',
    name: 'Vincent Verwerker',
    roles: ['processor'],
    policyDomains: ['wonen', 'welzijn'],
  },
  { email: 'beleid@gent.demo', name: 'Bart Beleidsmaker', roles: ['official'] },
  { email: 'auditor@gent.demo', name: 'Ann Auditor', roles: ['auditor'] },
  { email: 'beheerder@gent.demo', name: 'Bea Beheerder', roles: ['tenant-admin'] },
  { email: 'analist@gent.demo', name: 'Vera VVSG-analist', roles: ['supralocal-analyst'] },
];

/** Creates the demo accounts that do not exist yet (idempotent; a missing tenant: none). */
export async function seedDemoAccounts(
  people: PeopleService,
  identities: IdentityStore,
  tenants: TenantsService,
): Promise<number> {
  if ((await tenants.tenant(DEMO_TENANT)).status !== 'exists') return 0;
  const admin = {
    id: `${DEMO_TENANT}-admin-1`,
    role: 'tenant-admin',
    roles: ['tenant-admin'] as Role[],
    tenantId: DEMO_TENANT,
  };
  let created = 0;
  for (const account of DEMO_ACCOUNTS) {
    if (await identities.accountByEmail(DEMO_TENANT, account.email)) continue;
    const invite = await people.invite(admin, {
      email: account.email,
      roles: account.roles,
      ...(account.organisationId ? { organisationId: account.organisationId } : {}),
      ...(account.policyDomains ? { policyDomains: account.policyDomains } : {}),
    });
    await people.accept(
      { tenant: DEMO_TENANT, token: invite.token, name: account.name, password: DEMO_PASSWORD },
      'demo-seed',
    );
    created += 1;
  }
  return created;
}
