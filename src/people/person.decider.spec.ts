import { describe, expect, it } from '@jest/globals';
import { TenantDomainError } from '../tenants/tenant.errors.js';
import { checkGrant, foldInvite, foldPerson } from './person.decider.js';

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
