import { describe, expect, it } from '@jest/globals';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import type { AuthConfig } from '../config/app-config.js';
import { mintToken, parseTtl, TokenMintingError } from './mint-token.js';

const CONFIG: AuthConfig = {
  issuer: 'lokaal-signaal',
  audience: 'lokaal-signaal-api',
  key: { kind: 'hs256', secret: new TextEncoder().encode('x'.repeat(32)), development: true },
};

describe('mintToken', () => {
  it('signs HS256 with issuer, audience, iat and exp = iat + ttl', async () => {
    const now = new Date('2026-11-28T10:00:00Z');
    const token = await mintToken(
      CONFIG,
      { sub: 'u1', tenant: 'gent', roles: ['processor'], org: 'o1' },
      '8h',
      now,
    );
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(decodeJwt(token)).toEqual({
      sub: 'u1',
      tenant: 'gent',
      roles: ['processor'],
      org: 'o1',
      iss: 'lokaal-signaal',
      aud: 'lokaal-signaal-api',
      iat: now.getTime() / 1000,
      exp: now.getTime() / 1000 + 8 * 3600,
    });
  });

  it('refuses when an identity provider issues the tokens', async () => {
    const jwks: AuthConfig = { ...CONFIG, key: { kind: 'jwks', url: 'https://idp.example/jwks' } };
    await expect(mintToken(jwks, { sub: 'u1', tenant: 'gent', roles: ['processor'] })).rejects.toThrow(
      /JWKS_URL is configured/,
    );
  });

  it('refuses claims the verifier would refuse, with the reason', async () => {
    await expect(mintToken(CONFIG, { sub: 'u1', tenant: 'Gent', roles: ['processor'] })).rejects.toThrow(
      new TokenMintingError('claim tenant must be a tenant slug'),
    );
  });
});

describe('parseTtl', () => {
  it.each([
    ['30s', 30],
    ['15m', 900],
    ['8h', 28800],
    ['7d', 604800],
  ])('%s is %i seconds', (ttl, seconds) => {
    expect(parseTtl(ttl)).toBe(seconds);
  });

  it.each(['0h', '-1h', '8', 'h', '1.5h', '8 hours', '', '9999999d'])('refuses %j', (ttl) => {
    expect(() => parseTtl(ttl)).toThrow(TokenMintingError);
  });
});
