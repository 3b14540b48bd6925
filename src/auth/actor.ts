import { isRole, type Role } from '../../workflows/roles.js';
import { AuthenticationError } from './errors.js';

/** Who is calling, as proven by a verified token. The tenant never comes from anywhere else. */
export interface AuthenticatedActor {
  id: string;
  tenantId: string;
  roles: Role[];
  organisationId?: string;
  policyDomains: string[];
  /**
   * For a partner-processor: what its organisation's engagement mode lets it see, set by the
   * guard from the organisation's events (never from the token): mode 1 `organisation`, mode 2
   * `territory`, modes 3 and 4 `none`.
   */
  partnerScope?: PartnerScope;
}

export type PartnerScope = 'organisation' | 'territory' | 'none';

/** Adds what the server knows about the caller beyond the token (e.g. the organisation's mode). */
export interface ActorEnricher {
  enrich(actor: AuthenticatedActor): Promise<AuthenticatedActor>;
}

export const ACTOR_ENRICHER = Symbol('ACTOR_ENRICHER');

/**
 * Refuses a verified token issued before its person's roles were revoked or the person was erased
 * (throws AuthenticationError TOKEN_REVOKED): an access token is otherwise good until its `exp`.
 */
export interface AccessRevocations {
  check(actor: AuthenticatedActor, token: string): Promise<void>;
}

export const ACCESS_REVOCATIONS = Symbol('ACCESS_REVOCATIONS');

/** The claims this API reads from a token, under their JWT names. */
export interface ActorClaims {
  sub: string;
  tenant: string;
  roles: Role[];
  org?: string;
  domains?: string[];
}

const TENANT = /^[a-z][a-z0-9-]{1,62}$/;
const DOMAIN = /^[a-z][a-z0-9-]{0,62}$/;
const MAX_ID_LENGTH = 200;
// eslint-disable-next-line no-control-regex -- the point is to refuse control characters
const CONTROL = /[\u0000-\u001f\u007f]/;

function isIdentifier(value: unknown): value is string {
  return (
    typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH && !CONTROL.test(value)
  );
}

function invalid(reason: string): never {
  throw new AuthenticationError('TOKEN_INVALID', reason);
}

function isArrayOf<T>(value: unknown, guard: (item: unknown) => item is T): value is T[] {
  return Array.isArray(value) && value.every((item: unknown) => guard(item));
}

function isDomainCode(value: unknown): value is string {
  return typeof value === 'string' && DOMAIN.test(value);
}

/** Validates the claims of an already verified token; anything unexpected is TOKEN_INVALID. */
export function actorFromClaims(payload: Readonly<Record<string, unknown>>): AuthenticatedActor {
  const { sub, tenant, roles, org, domains } = payload;
  if (!isIdentifier(sub)) invalid('claim sub must be a non-empty string of at most 200 characters');
  if (typeof tenant !== 'string' || !TENANT.test(tenant)) invalid('claim tenant must be a tenant slug');
  if (!Array.isArray(roles) || roles.length === 0) invalid('claim roles must be a non-empty array');
  if (!isArrayOf(roles, isRole)) invalid('claim roles holds an unknown role');
  if (org !== undefined && !isIdentifier(org)) invalid('claim org must be a non-empty string');
  if (domains !== undefined && !isArrayOf(domains, isDomainCode)) {
    invalid('claim domains must be an array of policy-domain codes');
  }
  return {
    id: sub,
    tenantId: tenant,
    roles: [...new Set(roles)],
    ...(org === undefined ? {} : { organisationId: org }),
    policyDomains: [...new Set(domains ?? [])],
  };
}
