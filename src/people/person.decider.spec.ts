import { describe, expect, it } from '@jest/globals';
import { TenantDomainError } from '../tenants/tenant.errors.js';
import { checkGrant, decideErasePerson, foldInvite, foldPerson, type PersonState } from './person.decider.js';

const code = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(TenantDomainError);
    return (error as TenantDomainError).code;
  }
  return 'granted';
};

describe('person decider', () => {
  it('folds grants and revocations into the current roles', () => {
    const state = foldPerson([
      {
        type: 'PersonRegistered',
        data: { personId: 'p', inviteId: 'i', organisationId: 'caw', method: 'password' },
      },
      { type: 'RolesGranted', data: { personId: 'p', roles: ['signal-giver'], policyDomains: [] } },
      {
        type: 'RolesGranted',
        data: { personId: 'p', roles: ['partner-processor', 'signal-giver'], policyDomains: ['wonen'] },
      },
      { type: 'RolesRevoked', data: { personId: 'p', roles: ['signal-giver'] } },
    ]);
    expect(state).toEqual({
      status: 'registered',
      personId: 'p',
      organisationId: 'caw',
      roles: ['partner-processor'],
      policyDomains: ['wonen'],
    });
  });

  it('marks an invite accepted', () => {
    const issued = {
      type: 'InviteIssued' as const,
      data: {
        inviteId: 'i',
        organisationId: null,
        roles: ['processor' as const],
        policyDomains: [],
        expiresAt: '2026-12-01T00:00:00.000Z',
      },
    };
    expect(foldInvite([issued]).status).toBe('issued');
    expect(
      foldInvite([issued, { type: 'InviteAccepted', data: { inviteId: 'i', personId: 'p' } }]).status,
    ).toBe('accepted');
  });

  it.each([
    // granter, roles, organisation mode → outcome
    [['tenant-admin'], ['tenant-admin'], null, 'granted'],
    [['lead-processor'], ['processor'], null, 'granted'],
    [['lead-processor'], ['tenant-admin'], null, 'ROLE_NOT_GRANTABLE'],
    [['lead-processor'], ['official'], null, 'ROLE_NOT_GRANTABLE'],
    [['tenant-admin'], ['partner-processor'], 1, 'granted'],
    [['tenant-admin'], ['partner-processor'], 2, 'granted'],
    [['tenant-admin'], ['partner-processor'], null, 'ROLE_NOT_ALLOWED_FOR_ORGANISATION'],
    [['tenant-admin'], ['partner-processor'], 3, 'ROLE_NOT_ALLOWED_FOR_ORGANISATION'],
    [['tenant-admin'], ['signal-giver'], 3, 'granted'],
    [['tenant-admin'], ['signal-giver'], 4, 'ORGANISATION_HAS_NO_ACCOUNTS'],
    [['tenant-admin'], ['signal-giver'], 'unknown', 'ORGANISATION_NOT_FOUND'],
    [['tenant-admin'], ['root'], null, 'FIELD_INVALID'],
    [['tenant-admin'], [], null, 'FIELD_INVALID'],
  ] as const)('granter %j grants %j in mode %j: %s', (granter, roles, mode, outcome) => {
    expect(code(() => checkGrant({ roles: [...granter] }, [...roles], [], mode))).toBe(outcome);
  });

  it('refuses unknown policy domains', () => {
    expect(code(() => checkGrant({ roles: ['tenant-admin'] }, ['processor'], ['nope'], null))).toBe(
      'FIELD_INVALID',
    );
    expect(checkGrant({ roles: ['tenant-admin'] }, ['processor'], ['jeugd'], null)).toEqual({
      roles: ['processor'],
      policyDomains: ['jeugd'],
    });
  });
});

describe('person erasure decider', () => {
  const registered = foldPerson([
    {
      type: 'PersonRegistered',
      data: { personId: 'p', inviteId: 'i', organisationId: null, method: 'password' },
    },
    { type: 'RolesGranted', data: { personId: 'p', roles: ['signal-giver'], policyDomains: [] } },
  ]);
  const subject = { personId: 'p', name: 'An Peeters', email: 'an.peeters@stad.gent' };
  const erase = (state: PersonState, body: unknown, actorId = 'admin') =>
    code(() => decideErasePerson(state, subject, actorId, body));

  it('given a registered person, when erased with a reason, then PersonErased holds the opaque id and the reason', () => {
    expect(
      decideErasePerson(registered, subject, 'admin', { reason: '  Vertrokken bij de organisatie ' }),
    ).toEqual({
      type: 'PersonErased',
      data: { personId: 'p', reason: 'Vertrokken bij de organisatie' },
    });
  });

  it('given an erased person, then the state says so and a second erasure is a conflict', () => {
    const erased = foldPerson([
      {
        type: 'PersonRegistered',
        data: { personId: 'p', inviteId: 'i', organisationId: null, method: 'password' },
      },
      { type: 'PersonErased', data: { personId: 'p', reason: 'Vertrokken' } },
    ]);
    expect(erased).toMatchObject({ status: 'registered', erased: true });
    expect(erase(erased, { reason: 'Nogmaals wissen' })).toBe('PERSON_ALREADY_ERASED');
  });

  it('refuses an unknown person, a missing or bad reason, other fields, and erasing oneself', () => {
    expect(erase({ status: 'none' }, { reason: 'Vertrokken' })).toBe('PERSON_NOT_FOUND');
    expect(erase(registered, {})).toBe('ERASURE_REASON_REQUIRED');
    expect(erase(registered, { reason: 'kort' })).toBe('ERASURE_REASON_INVALID');
    expect(erase(registered, { reason: 42 })).toBe('ERASURE_REASON_INVALID');
    expect(erase(registered, { reason: 'x'.repeat(501) })).toBe('ERASURE_REASON_INVALID');
    expect(erase(registered, { reason: 'Vertrokken\u0000' })).toBe('ERASURE_REASON_INVALID');
    expect(erase(registered, null)).toBe('INVALID_BODY');
    expect(erase(registered, ['Vertrokken'])).toBe('INVALID_BODY');
    expect(erase(registered, { reason: 'Vertrokken', hard: true })).toBe('FIELD_NOT_ALLOWED');
    expect(erase(registered, { reason: 'Vertrokken' }, 'p')).toBe('CANNOT_ERASE_SELF');
  });

  it('refuses a reason that holds personal data: the name, the e-mail, or what intake refuses', () => {
    expect(erase(registered, { reason: 'Op vraag van An Peeters zelf' })).toBe(
      'ERASURE_REASON_HAS_PERSONAL_DATA',
    );
    expect(erase(registered, { reason: 'Vraag van AN.PEETERS via mail' })).toBe(
      'ERASURE_REASON_HAS_PERSONAL_DATA',
    );
    expect(erase(registered, { reason: 'Vraag via iemand@elders.be' })).toBe(
      'ERASURE_REASON_HAS_PERSONAL_DATA',
    );
    expect(erase(registered, { reason: 'Bel 0470 12 34 56 voor meer' })).toBe(
      'ERASURE_REASON_HAS_PERSONAL_DATA',
    );
  });
});
