import { isRole, type Role } from '../../workflows/roles.js';
import { isCode } from '../../workflows/taxonomy/taxonomy.js';
import { TenantDomainError } from '../tenants/tenant.errors.js';
import type { InviteEvent, PersonEvent } from './people.events.js';

export type InviteState =
  | { status: 'none' }
  | {
      status: 'issued' | 'accepted';
      inviteId: string;
      organisationId: string | null;
      roles: Role[];
      policyDomains: string[];
      expiresAt: string;
    };

export type PersonState =
  | { status: 'none' }
  | {
      status: 'registered';
      personId: string;
      organisationId: string | null;
      roles: Role[];
      policyDomains: string[];
    };

export function foldInvite(events: readonly InviteEvent[]): InviteState {
  let state = { status: 'none' } as InviteState;
  for (const event of events) {
    switch (event.type) {
      case 'InviteIssued':
        state = {
          status: 'issued',
          inviteId: event.data.inviteId,
          organisationId: event.data.organisationId,
          roles: event.data.roles,
          policyDomains: event.data.policyDomains,
          expiresAt: event.data.expiresAt,
        };
        break;
      case 'InviteAccepted':
        if (state.status !== 'none') {
          const current: Exclude<InviteState, { status: 'none' }> = state;
          state = { ...current, status: 'accepted' };
        }
        break;
      default: {
        const unreachable: never = event;
        return unreachable;
      }
    }
  }
  return state;
}

export function foldPerson(events: readonly PersonEvent[]): PersonState {
  let state = { status: 'none' } as PersonState;
  for (const event of events) {
    switch (event.type) {
      case 'PersonRegistered':
        state = {
          status: 'registered',
          personId: event.data.personId,
          organisationId: event.data.organisationId,
          roles: [],
          policyDomains: [],
        };
        break;
      case 'RolesGranted':
        if (state.status === 'registered') {
          const current: Extract<PersonState, { status: 'registered' }> = state;
          state = {
            ...current,
            roles: [...new Set([...current.roles, ...event.data.roles])],
            policyDomains: [...new Set([...current.policyDomains, ...event.data.policyDomains])],
          };
        }
        break;
      case 'RolesRevoked':
        if (state.status === 'registered') {
          const current: Extract<PersonState, { status: 'registered' }> = state;
          state = { ...current, roles: current.roles.filter((role) => !event.data.roles.includes(role)) };
        }
        break;
      default: {
        const unreachable: never = event;
        return unreachable;
      }
    }
  }
  return state;
}

/** Roles a lead processor may hand out; the tenant-admin may grant every role. */
const LEAD_GRANTABLE: readonly Role[] = ['signal-giver', 'processor', 'partner-processor'];

export interface Granter {
  roles: readonly Role[];
}

/** Which roles the granter may give, and whether the organisation's engagement mode allows them. */
export function checkGrant(
  granter: Granter,
  roles: unknown,
  policyDomains: unknown,
  organisationMode: 1 | 2 | 3 | 4 | null | 'unknown',
): { roles: Role[]; policyDomains: string[] } {
  if (!Array.isArray(roles) || roles.length === 0 || roles.length > 8 || !roles.every(isRole)) {
    throw new TenantDomainError('FIELD_INVALID', 400, 'roles is een lijst van gekende rollen.', {
      field: 'roles',
    });
  }
  const domains = policyDomains ?? [];
  if (!Array.isArray(domains) || domains.length > 20 || !domains.every((d) => isCode('policyDomains', d))) {
    throw new TenantDomainError(
      'FIELD_INVALID',
      400,
      'policyDomains is een lijst van gekende beleidsdomeinen.',
      {
        field: 'policyDomains',
      },
    );
  }
  if (!granter.roles.includes('tenant-admin')) {
    const refused = roles.filter((role) => !LEAD_GRANTABLE.includes(role));
    if (refused.length > 0) {
      throw new TenantDomainError(
        'ROLE_NOT_GRANTABLE',
        403,
        `Als hoofdsignaalverwerker kan je deze rol niet toekennen: ${refused.join(', ')}. Vraag het aan de beheerder.`,
      );
    }
  }
  if (organisationMode === 'unknown') {
    throw new TenantDomainError(
      'ORGANISATION_NOT_FOUND',
      422,
      'Deze organisatie is niet geregistreerd bij het bestuur.',
      {
        field: 'organisationId',
      },
    );
  }
  if (organisationMode === 4) {
    throw new TenantDomainError(
      'ORGANISATION_HAS_NO_ACCOUNTS',
      422,
      'Deze organisatie neemt deel zonder toegang tot de tool (engagementvorm 4): ze krijgt geen accounts.',
    );
  }
  if (organisationMode === 3 && roles.some((role) => role !== 'signal-giver')) {
    throw new TenantDomainError(
      'ROLE_NOT_ALLOWED_FOR_ORGANISATION',
      422,
      'Medewerkers van een organisatie in engagementvorm 3 kunnen enkel signaalgever zijn.',
    );
  }
  if (roles.includes('partner-processor') && organisationMode !== 1 && organisationMode !== 2) {
    throw new TenantDomainError(
      'ROLE_NOT_ALLOWED_FOR_ORGANISATION',
      422,
      'Een signaalverwerker van een partnerorganisatie hoort bij een organisatie in engagementvorm 1 of 2.',
    );
  }
  return { roles: [...new Set(roles)], policyDomains: [...new Set(domains as string[])] };
}
