/**
 * The platform administrator's onboarding commands, on the configured stores directly:
 * `tenant create`, `organisation register` and `people invite` (the first invite of a tenant,
 * usually its tenant-admin). They write the same events as the HTTP routes.
 */
import type { AppConfig } from '../config/app-config.js';
import { openEventStore } from '../platform/open-stores.js';
import { systemClock } from '../platform/clock.js';
import { loadIdentityConfig } from '../people/identity-config.js';
import { PeopleService } from '../people/people.service.js';
import { TenantDomainError } from '../tenants/tenant.errors.js';
import { createIdentityStore } from '../tenants/tenants.module.js';
import { TenantsService } from '../tenants/tenants.service.js';
import { CliUsageError } from './identity-usage.js';

const PLATFORM_ADMIN = { id: 'platform-admin', role: 'platform-admin' };

function options(args: string[], repeatable: string[]): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (let i = 0; i < args.length; i += 2) {
    const name = args[i];
    const value = args[i + 1];
    if (!name?.startsWith('--') || value === undefined)
      throw new CliUsageError(`expected --option value, got "${name ?? ''}"`);
    const key = name.slice(2);
    const list = result.get(key) ?? [];
    if (list.length > 0 && !repeatable.includes(key)) throw new CliUsageError(`${name} given twice`);
    result.set(key, [...list, value]);
  }
  return result;
}

function required(opts: Map<string, string[]>, name: string): string {
  const value = opts.get(name)?.[0];
  if (value === undefined) throw new CliUsageError(`--${name} is required`);
  return value;
}

/** Returns the exit code; a refusal prints its code and Dutch message. */
export async function identityCli(
  config: AppConfig,
  area: string,
  command: string | undefined,
  args: string[],
): Promise<number> {
  const store = await openEventStore(config.eventStore);
  const tenants = new TenantsService(store, systemClock);
  const identities = await createIdentityStore(config);
  try {
    if (area === 'tenant' && command === 'create') {
      const opts = options(args, []);
      const tenant = await tenants.createTenant(PLATFORM_ADMIN, {
        tenantId: required(opts, 'slug'),
        name: required(opts, 'name'),
        nisCode: required(opts, 'nis'),
        populationBand: required(opts, 'population'),
      });
      console.log(
        `tenant ${tenant.tenantId} created (${tenant.name}, NIS ${tenant.nisCode}, ${tenant.populationBand})`,
      );
      return 0;
    }
    if (area === 'organisation' && command === 'register') {
      const opts = options(args, []);
      const organisation = await tenants.registerOrganisation(PLATFORM_ADMIN, required(opts, 'tenant'), {
        id: required(opts, 'id'),
        name: required(opts, 'name'),
        engagementMode: Number(required(opts, 'mode')),
        ...(opts.has('description') ? { description: required(opts, 'description') } : {}),
      });
      console.log(
        `organisation ${organisation.organisationId} registered in ${organisation.tenantId} (engagement mode ${organisation.engagementMode})`,
      );
      return 0;
    }
    if (area === 'people' && command === 'invite') {
      const opts = options(args, ['role', 'domain']);
      const tenantId = required(opts, 'tenant');
      if ((await tenants.tenant(tenantId)).status !== 'exists') {
        throw new TenantDomainError(
          'TENANT_NOT_FOUND',
          404,
          `Het bestuur '${tenantId}' bestaat niet: maak het eerst aan.`,
        );
      }
      const people = new PeopleService(store, identities, tenants, systemClock, config, loadIdentityConfig());
      const invite = await people.invite(
        { ...PLATFORM_ADMIN, roles: ['tenant-admin'], tenantId },
        {
          email: required(opts, 'email'),
          roles: opts.get('role') ?? [],
          ...(opts.has('org') ? { organisationId: required(opts, 'org') } : {}),
          ...(opts.has('domain') ? { policyDomains: opts.get('domain') } : {}),
          ...(opts.has('days') ? { expiresInDays: Number(required(opts, 'days')) } : {}),
        },
      );
      console.log(
        `invite ${invite.inviteId} for ${invite.email} (${invite.roles.join(', ')}), valid until ${invite.expiresAt}`,
      );
      console.log(`token: ${invite.token}`);
      console.log(
        `accept: POST /invites/accept {"tenant":"${tenantId}","token":"${invite.token}","name":"…","password":"…"}`,
      );
      return 0;
    }
    throw new CliUsageError(`unknown command "${area} ${command ?? ''}"`);
  } catch (error: unknown) {
    if (error instanceof TenantDomainError) {
      console.error(`${error.code}: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    await identities.close();
    await store.close();
  }
}
