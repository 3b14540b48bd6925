import { isRole, type Role } from '../../workflows/roles.js';
import { isCode } from '../../workflows/taxonomy/taxonomy.js';
import { TenantDomainError } from '../tenants/tenant.errors.js';
import { assertNoPersonalData, PersonalDataError } from '../signals/privacy/personal-data.js';
import type { InviteEvent, PersonErasedData, PersonEvent } from './people.events.js';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

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
      /** Set once the person was erased: no login, no new grants; the history keeps the opaque id. */
      erased?: true;
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
      case 'PersonErased':
        if (state.status === 'registered') state = { ...state, erased: true };
        break;
      default: {
        const unreachable: never = event;
        return unreachable;
      }
    }
  }
  return state;
}

export const ERASURE_REASON_MIN = 5;
export const ERASURE_REASON_MAX = 500;

/** What is known of the person at the moment of erasure: their own data, to keep it out of the reason. */
export interface ErasureSubject {
  personId: string;
  name: string;
  email: string;
}

/**
 * Decides the erasure of a person by a tenant-admin: the PersonErased event, holding the opaque id
 * and a reason without personal data (neither the person's own name or e-mail nor anything intake
 * would refuse in a signal).
 */
export function decideErasePerson(
  state: PersonState,
  subject: ErasureSubject,
  actorId: string,
  body: unknown,
): { type: 'PersonErased'; data: PersonErasedData } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new TenantDomainError(
      'INVALID_BODY',
      400,
      'De inhoud moet een JSON-object zijn met een reden (reason).',
    );
  }
  const fields = body as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    if (key !== 'reason') {
      throw new TenantDomainError(
        'FIELD_NOT_ALLOWED',
        400,
        `Het veld '${key.slice(0, 40)}' is hier niet toegelaten.`,
        {
          field: key.slice(0, 40),
        },
      );
    }
  }
  const raw = fields['reason'];
  if (raw === undefined) {
    throw new TenantDomainError(
      'ERASURE_REASON_REQUIRED',
      400,
      'Geef een reden voor het wissen van deze persoon.',
      {
        field: 'reason',
      },
    );
  }
  const reason = typeof raw === 'string' ? raw.trim() : '';
  if (
    typeof raw !== 'string' ||
    reason.length < ERASURE_REASON_MIN ||
    raw.length > ERASURE_REASON_MAX ||
    CONTROL.test(raw)
  ) {
    throw new TenantDomainError(
      'ERASURE_REASON_INVALID',
      400,
      `Geef een reden voor het wissen van ${ERASURE_REASON_MIN} tot ${ERASURE_REASON_MAX} tekens.`,
      { field: 'reason' },
    );
  }
  if (state.status !== 'registered') {
    throw new TenantDomainError('PERSON_NOT_FOUND', 404, 'Deze persoon bestaat niet bij dit bestuur.');
  }
  if (state.erased) {
    throw new TenantDomainError('PERSON_ALREADY_ERASED', 409, 'De gegevens van deze persoon zijn al gewist.');
  }
  if (subject.personId === actorId) {
    throw new TenantDomainError(
      'CANNOT_ERASE_SELF',
      422,
      'Je kan je eigen gegevens niet wissen: vraag het aan een andere beheerder.',
    );
  }
  const lower = reason.toLowerCase();
  // The local part of the address too, when it is long enough not to be an ordinary word ("info").
  const local = subject.email.split('@')[0] ?? '';
  const own = [subject.email, local.length >= 6 ? local : '', subject.name]
    .map((value) => value.trim().toLowerCase())
    .filter((value) => value.length >= 3);
  let personal = own.some((value) => lower.includes(value));
  try {
    assertNoPersonalData({ reason }, ['reason']);
  } catch (error: unknown) {
    if (!(error instanceof PersonalDataError)) throw error;
    personal = true;
  }
  if (personal) {
    // Names neither the value nor the kind found: the reason is kept in the history for good.
    throw new TenantDomainError(
      'ERASURE_REASON_HAS_PERSONAL_DATA',
      422,
      'De reden bevat persoonsgegevens (zoals de naam of het e-mailadres van de persoon). De reden blijft bewaard in de geschiedenis: beschrijf ze zonder persoonsgegevens.',
      { field: 'reason' },
    );
  }
  return { type: 'PersonErased', data: { personId: subject.personId, reason } };
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
  /** The body field the roles came in, as a refusal names it (`roles` of an invite, `grant`). */
  field: 'roles' | 'grant' = 'roles',
): { roles: Role[]; policyDomains: string[] } {
  if (!Array.isArray(roles) || roles.length === 0 || roles.length > 8 || !roles.every(isRole)) {
    throw new TenantDomainError('FIELD_INVALID', 400, `${field} is een lijst van gekende rollen.`, {
      field,
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
