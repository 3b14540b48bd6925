import type { JsonObject } from '../platform/json.js';
import { isPlainObject, text } from './tenant.decider.js';
import { invalidField, TenantDomainError } from './tenant.errors.js';
import { ENGAGEMENT_MODES, type EngagementMode, type OrganisationEvent } from './tenant.events.js';

export type OrganisationState =
  | { status: 'none' }
  | {
      status: 'exists';
      tenantId: string;
      organisationId: string;
      name: string;
      engagementMode: EngagementMode;
      description: string | null;
    };

export type OrganisationCommand =
  | { type: 'RegisterOrganisation'; tenantId: string; body: unknown }
  | {
      type: 'ChangeOrganisation';
      tenantId: string;
      organisationId: string;
      body: unknown;
      /** The roles of the organisation's people who are not erased: a new mode must leave them theirs. */
      staff?: ReadonlyArray<{ roles: readonly string[] }>;
    };

export const initialOrganisationState: OrganisationState = { status: 'none' };

const ORGANISATION_ID = /^[a-z][a-z0-9-]{1,62}$/;

export function evolveOrganisation(state: OrganisationState, event: OrganisationEvent): OrganisationState {
  switch (event.type) {
    case 'OrganisationRegistered':
      return { status: 'exists', ...event.data };
    case 'OrganisationChanged': {
      if (state.status !== 'exists') return state;
      const changes = event.data.changes as Partial<
        Pick<OrganisationState & { status: 'exists' }, 'name' | 'engagementMode' | 'description'>
      >;
      return { ...state, ...changes };
    }
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
}

export function foldOrganisation(events: readonly OrganisationEvent[]): OrganisationState {
  return events.reduce(evolveOrganisation, initialOrganisationState);
}

export function isOrganisationId(value: unknown): value is string {
  return typeof value === 'string' && ORGANISATION_ID.test(value);
}

export function decideOrganisation(
  command: OrganisationCommand,
  state: OrganisationState,
): OrganisationEvent[] {
  switch (command.type) {
    case 'RegisterOrganisation': {
      const body = fields(command.body, ['id', 'name', 'engagementMode', 'description']);
      const id = body['id'];
      if (!isOrganisationId(id)) {
        throw invalidField(
          'id',
          'De code van een organisatie bestaat uit kleine letters, cijfers en koppeltekens.',
        );
      }
      if (state.status === 'exists') {
        throw new TenantDomainError('ORGANISATION_ALREADY_EXISTS', 409, `De organisatie '${id}' bestaat al.`);
      }
      return [
        {
          type: 'OrganisationRegistered',
          data: {
            tenantId: command.tenantId,
            organisationId: id,
            name: text(body['name'], 'name', 2, 200, invalidField),
            engagementMode: mode(body['engagementMode']),
            description:
              body['description'] == null
                ? null
                : text(body['description'], 'description', 2, 2_000, invalidField),
          },
        },
      ];
    }
    case 'ChangeOrganisation': {
      if (state.status !== 'exists') {
        throw new TenantDomainError('ORGANISATION_NOT_FOUND', 404, 'Deze organisatie bestaat niet.');
      }
      const body = fields(command.body, ['name', 'engagementMode', 'description']);
      if (Object.keys(body).length === 0) {
        throw new TenantDomainError(
          'INVALID_BODY',
          400,
          'Geef minstens één veld om te wijzigen: name, engagementMode of description.',
        );
      }
      const changes: JsonObject = {};
      if (body['name'] !== undefined) changes['name'] = text(body['name'], 'name', 2, 200, invalidField);
      if (body['engagementMode'] !== undefined) changes['engagementMode'] = mode(body['engagementMode']);
      if (body['description'] !== undefined) {
        changes['description'] =
          body['description'] === null
            ? null
            : text(body['description'], 'description', 2, 2_000, invalidField);
      }
      for (const key of Object.keys(changes)) {
        if (changes[key] === state[key as 'name' | 'engagementMode' | 'description']) delete changes[key];
      }
      if (changes['engagementMode'] !== undefined)
        checkStaff(changes['engagementMode'] as EngagementMode, command.staff ?? []);
      if (Object.keys(changes).length === 0) return [];
      return [
        {
          type: 'OrganisationChanged',
          data: { tenantId: command.tenantId, organisationId: state.organisationId, changes },
        },
      ];
    }
    default: {
      const unreachable: never = command;
      return unreachable;
    }
  }
}

/**
 * A mode that gives fewer roles than the organisation's people hold is refused until their roles
 * are revoked: in mode 4 nobody has access to the tool, in mode 3 everybody only signals (DOMAIN.md).
 * Invites and grants check the same rules the other way round.
 */
function checkStaff(mode: EngagementMode, staff: ReadonlyArray<{ roles: readonly string[] }>): void {
  if (mode === 4) {
    const withAccess = staff.filter((person) => person.roles.length > 0).length;
    if (withAccess > 0) {
      throw new TenantDomainError(
        'ORGANISATION_HAS_ACCOUNTS',
        409,
        `In engagementvorm 4 heeft een organisatie geen toegang tot de tool, maar ${withAccess} medewerker(s) hebben nog een rol: trek die eerst in.`,
      );
    }
  }
  if (mode === 3) {
    const processing = staff.filter((person) => person.roles.some((role) => role !== 'signal-giver')).length;
    if (processing > 0) {
      throw new TenantDomainError(
        'ORGANISATION_HAS_ACCOUNTS',
        409,
        `In engagementvorm 3 kunnen medewerkers enkel signaalgever zijn, maar ${processing} medewerker(s) hebben een andere rol: trek die eerst in.`,
      );
    }
  }
}

function mode(value: unknown): EngagementMode {
  if (!(ENGAGEMENT_MODES as readonly unknown[]).includes(value)) {
    throw invalidField(
      'engagementMode',
      'De engagementvorm is 1 (verwerkt signalen van eigen personeel), 2 (breed mandaat), 3 (signaleert enkel) of 4 (beleidsparticipatie zonder toegang).',
    );
  }
  return value as EngagementMode;
}

function fields(body: unknown, allowed: string[]): Record<string, unknown> {
  if (!isPlainObject(body))
    throw new TenantDomainError('INVALID_BODY', 400, 'De inhoud moet een JSON-object zijn.');
  for (const key of Object.keys(body)) {
    if (!allowed.includes(key)) {
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
  return body;
}

/** What an engagement mode lets a partner-processor of that organisation see (DOMAIN.md). */
export function partnerScopeOf(mode: EngagementMode | null): 'organisation' | 'territory' | 'none' {
  if (mode === 2) return 'territory';
  // An organisation not registered (yet) keeps the narrowest processing scope: its own staff's signals.
  if (mode === 1 || mode === null) return 'organisation';
  return 'none';
}
