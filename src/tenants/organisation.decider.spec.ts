import { describe, expect, it } from '@jest/globals';
import {
  decideOrganisation,
  foldOrganisation,
  type OrganisationCommand,
  partnerScopeOf,
} from './organisation.decider.js';
import { TenantDomainError } from './tenant.errors.js';
import type { OrganisationEvent } from './tenant.events.js';

const registered: OrganisationEvent = {
  type: 'OrganisationRegistered',
  data: {
    tenantId: 'gent',
    organisationId: 'caw',
    name: 'CAW Oost-Vlaanderen',
    engagementMode: 1,
    description: null,
  },
};

const decide = (events: OrganisationEvent[], command: OrganisationCommand) =>
  decideOrganisation(command, foldOrganisation(events));

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(TenantDomainError);
    return (error as TenantDomainError).code;
  }
  throw new Error('expected a refusal');
}

describe('organisation decider', () => {
  it('registers an organisation with an engagement mode', () => {
    expect(
      decide([], {
        type: 'RegisterOrganisation',
        tenantId: 'gent',
        body: { id: 'caw', name: 'CAW Oost-Vlaanderen', engagementMode: 1 },
      }),
    ).toEqual([registered]);
  });

  it('changes the mode, recording only what changes', () => {
    expect(
      decide([registered], {
        type: 'ChangeOrganisation',
        tenantId: 'gent',
        organisationId: 'caw',
        body: { engagementMode: 2, name: 'CAW Oost-Vlaanderen' },
      }),
    ).toEqual([
      {
        type: 'OrganisationChanged',
        data: { tenantId: 'gent', organisationId: 'caw', changes: { engagementMode: 2 } },
      },
    ]);
    const state = foldOrganisation([
      registered,
      {
        type: 'OrganisationChanged',
        data: { tenantId: 'gent', organisationId: 'caw', changes: { engagementMode: 2 } },
      },
    ]);
    expect(state.status === 'exists' && state.engagementMode).toBe(2);
  });

  it.each([
    [{ id: 'caw', name: 'CAW', engagementMode: 5 }, 'FIELD_INVALID'],
    [{ id: 'CAW!', name: 'CAW', engagementMode: 1 }, 'FIELD_INVALID'],
    [{ id: 'caw', name: 'C', engagementMode: 1 }, 'FIELD_INVALID'],
    [{ id: 'caw', name: 'CAW', engagementMode: 1, tenantId: 'eeklo' }, 'FIELD_NOT_ALLOWED'],
    ['caw', 'INVALID_BODY'],
  ])('refuses %j with %s', (body, code) => {
    expect(refusal(() => decide([], { type: 'RegisterOrganisation', tenantId: 'gent', body }))).toBe(code);
  });

  it('refuses a second registration and a change of an unknown organisation', () => {
    expect(
      refusal(() =>
        decide([registered], {
          type: 'RegisterOrganisation',
          tenantId: 'gent',
          body: { id: 'caw', name: 'CAW', engagementMode: 1 },
        }),
      ),
    ).toBe('ORGANISATION_ALREADY_EXISTS');
    expect(
      refusal(() =>
        decide([], {
          type: 'ChangeOrganisation',
          tenantId: 'gent',
          organisationId: 'x',
          body: { engagementMode: 2 },
        }),
      ),
    ).toBe('ORGANISATION_NOT_FOUND');
  });

  it('refuses an empty change: there is nothing to record', () => {
    expect(
      refusal(() =>
        decide([registered], {
          type: 'ChangeOrganisation',
          tenantId: 'gent',
          organisationId: 'caw',
          body: {},
        }),
      ),
    ).toBe('INVALID_BODY');
  });

  describe('a mode that gives fewer roles than its people hold (DOMAIN.md: 4 no access, 3 only signalling)', () => {
    const change = (engagementMode: number, staff: Array<{ roles: string[] }>) =>
      decide([registered], {
        type: 'ChangeOrganisation',
        tenantId: 'gent',
        organisationId: 'caw',
        body: { engagementMode },
        staff,
      });

    it('refuses mode 4 while anyone has a role, mode 3 while anyone does more than signal', () => {
      expect(refusal(() => change(4, [{ roles: ['signal-giver'] }]))).toBe('ORGANISATION_HAS_ACCOUNTS');
      expect(refusal(() => change(3, [{ roles: ['signal-giver'] }, { roles: ['partner-processor'] }]))).toBe(
        'ORGANISATION_HAS_ACCOUNTS',
      );
    });

    it('allows them once the roles are revoked, and any mode that keeps them', () => {
      expect(change(4, [{ roles: [] }])).toHaveLength(1);
      expect(change(3, [{ roles: ['signal-giver'] }, { roles: [] }])).toHaveLength(1);
      expect(change(2, [{ roles: ['partner-processor'] }])).toHaveLength(1);
    });
  });

  it('maps engagement modes onto a partner-processor scope (DOMAIN.md)', () => {
    expect([1, 2, 3, 4, null].map((mode) => partnerScopeOf(mode as 1 | 2 | 3 | 4 | null))).toEqual([
      'organisation',
      'territory',
      'none',
      'none',
      'organisation',
    ]);
  });
});
