import { describe, expect, it } from '@jest/globals';
import { actorFromClaims } from './actor.js';
import { AuthenticationError } from './errors.js';

const VALID = { sub: 'u1', tenant: 'sint-niklaas', roles: ['processor'] };

describe('actorFromClaims', () => {
  it('maps claims to the actor, without duplicates', () => {
    expect(
      actorFromClaims({
        ...VALID,
        roles: ['processor', 'processor'],
        org: 'caw-oost',
        domains: ['jeugd', 'jeugd'],
      }),
    ).toEqual({
      id: 'u1',
      tenantId: 'sint-niklaas',
      roles: ['processor'],
      organisationId: 'caw-oost',
      policyDomains: ['jeugd'],
    });
  });

  it('ignores claims it does not know', () => {
    expect(actorFromClaims({ ...VALID, email: 'x', tenantId: 'kortrijk' })).toEqual({
      id: 'u1',
      tenantId: 'sint-niklaas',
      roles: ['processor'],
      policyDomains: [],
    });
  });

  const invalid: [string, Record<string, unknown>][] = [
    ['sub empty', { ...VALID, sub: '' }],
    ['sub a number', { ...VALID, sub: 42 }],
    ['sub too long', { ...VALID, sub: 'x'.repeat(201) }],
    ['sub with a control character', { ...VALID, sub: 'u1\n' }],
    ['tenant missing', { sub: 'u1', roles: ['processor'] }],
    ['tenant with capitals', { ...VALID, tenant: 'Gent' }],
    ['tenant of one letter', { ...VALID, tenant: 'g' }],
    ['tenant starting with a digit', { ...VALID, tenant: '9000-gent' }],
    ['tenant of 64 characters', { ...VALID, tenant: `g${'e'.repeat(63)}` }],
    ['tenant with a path', { ...VALID, tenant: 'gent/../kortrijk' }],
    ['roles missing', { sub: 'u1', tenant: 'gent' }],
    ['roles empty', { ...VALID, roles: [] }],
    ['roles a string', { ...VALID, roles: 'processor' }],
    ['an unknown role', { ...VALID, roles: ['processor', 'admin'] }],
    ['org empty', { ...VALID, org: '' }],
    ['org a number', { ...VALID, org: 1 }],
    ['domains a string', { ...VALID, domains: 'jeugd' }],
    ['domains with a malformed code', { ...VALID, domains: ['Jeugd'] }],
  ];

  it.each(invalid)('refuses %s as TOKEN_INVALID', (_name, claims) => {
    expect(() => actorFromClaims(claims)).toThrow(AuthenticationError);
    expect(() => actorFromClaims(claims)).toThrow(expect.objectContaining({ code: 'TOKEN_INVALID' }));
  });

  it('accepts a tenant of 63 characters and a sub of 200', () => {
    expect(actorFromClaims({ ...VALID, tenant: `g${'e'.repeat(62)}`, sub: 'x'.repeat(200) }).id).toHaveLength(
      200,
    );
  });
});
