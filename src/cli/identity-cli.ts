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

/** The options each command takes (the ones marked repeatable may be given more than once). */
const COMMANDS: Record<string, { options: readonly string[]; repeatable: readonly string[] }> = {
  'tenant create': { options: ['slug', 'name', 'nis', 'population'], repeatable: [] },
  'organisation register': { options: ['tenant', 'id', 'name', 'mode', 'description'], repeatable: [] },
  'people invite': {
    options: ['tenant', 'email', 'role', 'org', 'domain', 'days'],
    repeatable: ['role', 'domain'],
  },
};

/**
 * `--name value` pairs of `command`. An option the command does not take is refused, not ignored:
 * a mistyped `--domian` or `--organisation` would otherwise issue an invite broader than meant.
 */
function options(command: string, args: string[]): Map<string, string[]> {
  const { options: known, repeatable } = COMMANDS[command]!;
  const result = new Map<string, string[]>();
  for (let i = 0; i < args.length; i += 2) {
    const name = args[i];
    const value = args[i + 1];
    if (!name?.startsWith('--')) throw new CliUsageError(`expected --option value, got "${name ?? ''}"`);
    const key = name.slice(2);
    if (!known.includes(key))
      throw new CliUsageError(
        `unknown option ${name} for ${command} (it takes ${known.map((option) => `--${option}`).join(', ')})`,
      );
    if (value === undefined) throw new CliUsageError(`${name} needs a value`);
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

/** A whole number written in decimal digits only: `0x2`, `1e1` or ` 7` are refused, not read as numbers. */
function wholeNumber(opts: Map<string, string[]>, name: string): number {
  const value = required(opts, name);
  if (!/^\d{1,9}$/.test(value)) throw new CliUsageError(`--${name} must be a whole number, got "${value}"`);
  return Number(value);
}

type Request =
  | { command: 'tenant create'; body: Parameters<TenantsService['createTenant']>[1] }
  | { command: 'organisation register'; tenantId: string; body: Record<string, unknown> }
  | { command: 'people invite'; tenantId: string; body: Record<string, unknown> };

/** The command and its options, checked before any store is opened: a usage error records nothing. */
function parse(area: string, command: string | undefined, args: string[]): Request {
  const name = `${area} ${command ?? ''}`;
  if (!(name in COMMANDS)) throw new CliUsageError(`unknown command "${name}"`);
  const opts = options(name, args);
  if (name === 'tenant create') {
    return {
      command: name,
      body: {
        tenantId: required(opts, 'slug'),
        name: required(opts, 'name'),
        nisCode: required(opts, 'nis'),
        populationBand: required(opts, 'population'),
      },
    };
  }
  if (name === 'organisation register') {
    return {
      command: name,
      tenantId: required(opts, 'tenant'),
      body: {
        id: required(opts, 'id'),
        name: required(opts, 'name'),
        engagementMode: wholeNumber(opts, 'mode'),
        ...(opts.has('description') ? { description: required(opts, 'description') } : {}),
      },
    };
  }
  return {
    command: 'people invite',
    tenantId: required(opts, 'tenant'),
    body: {
      email: required(opts, 'email'),
      roles: opts.get('role') ?? [],
      ...(opts.has('org') ? { organisationId: required(opts, 'org') } : {}),
      ...(opts.has('domain') ? { policyDomains: opts.get('domain') } : {}),
      ...(opts.has('days') ? { expiresInDays: wholeNumber(opts, 'days') } : {}),
    },
  };
}

/** Returns the exit code; a refusal prints its code and Dutch message. */
export async function identityCli(
  config: AppConfig,
  area: string,
  command: string | undefined,
  args: string[],
): Promise<number> {
  const request = parse(area, command, args);
  const store = await openEventStore(config.eventStore);
  const tenants = new TenantsService(store, systemClock);
  const identities = await createIdentityStore(config);
  try {
    if (request.command === 'tenant create') {
      const tenant = await tenants.createTenant(PLATFORM_ADMIN, request.body);
      console.log(
        `tenant ${tenant.tenantId} created (${tenant.name}, NIS ${tenant.nisCode}, ${tenant.populationBand})`,
      );
      return 0;
    }
    if (request.command === 'organisation register') {
      const organisation = await tenants.registerOrganisation(PLATFORM_ADMIN, request.tenantId, request.body);
      console.log(
        `organisation ${organisation.organisationId} registered in ${organisation.tenantId} (engagement mode ${organisation.engagementMode})`,
      );
      return 0;
    }
    const { tenantId } = request;
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
      request.body,
    );
    console.log(
      `invite ${invite.inviteId} for ${invite.email} (${invite.roles.join(', ')}), valid until ${invite.expiresAt}`,
    );
    console.log(`token: ${invite.token}`);
    console.log(
      `accept: POST /invites/accept {"tenant":"${tenantId}","token":"${invite.token}","name":"…","password":"…"}`,
    );
    return 0;
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
