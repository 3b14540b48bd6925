import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { base64url, exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';
import type { AuthConfig } from '../config/app-config.js';
import { AuthenticationError, type AuthenticationErrorCode, AuthProviderUnavailableError } from './errors.js';
import { mintToken } from './mint-token.js';
import { TokenVerifier, VERIFIED_TOKEN_CACHE_SIZE } from './token-verifier.js';

const ISSUER = 'lokaal-signaal';
const AUDIENCE = 'lokaal-signaal-api';
const SECRET = new TextEncoder().encode('a-32-byte-or-longer-secret-for-unit-tests');
const HS_CONFIG: AuthConfig = {
  issuer: ISSUER,
  audience: AUDIENCE,
  key: { kind: 'hs256', secret: SECRET, development: false },
};
const CLAIMS = { sub: 'u1', tenant: 'gent', roles: ['lead-processor'] };
const now = (): number => Math.floor(Date.now() / 1000);

type SigningKey = Parameters<SignJWT['sign']>[0];

function sign(
  payload: JWTPayload,
  options: {
    alg?: string;
    key?: SigningKey;
    kid?: string;
    iss?: string;
    aud?: string;
    exp?: number | null;
  } = {},
): Promise<string> {
  const jwt = new SignJWT({ ...payload })
    .setProtectedHeader({ alg: options.alg ?? 'HS256', ...(options.kid ? { kid: options.kid } : {}) })
    .setIssuer(options.iss ?? ISSUER)
    .setAudience(options.aud ?? AUDIENCE)
    .setIssuedAt();
  if (options.exp !== null) jwt.setExpirationTime(options.exp ?? now() + 600);
  return jwt.sign(options.key ?? SECRET);
}

/** A token with `alg: none` and no signature, built by hand as an attacker would. */
function unsecured(payload: JWTPayload): string {
  const encode = (value: object): string => base64url.encode(JSON.stringify(value));
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode(payload)}.`;
}

async function rejection(verifier: TokenVerifier, token: string): Promise<unknown> {
  try {
    await verifier.verify(token);
  } catch (error: unknown) {
    return error;
  }
  throw new Error('token was accepted');
}

async function expectRejected(
  verifier: TokenVerifier,
  token: string,
  code: AuthenticationErrorCode,
  reason?: string,
): Promise<void> {
  const error = await rejection(verifier, token);
  expect(error).toBeInstanceOf(AuthenticationError);
  expect((error as AuthenticationError).code).toBe(code);
  // The reason proves the token failed for the intended cause, not an incidental one.
  if (reason) expect((error as AuthenticationError).reason).toContain(reason);
}

describe('TokenVerifier with an HS256 secret', () => {
  const verifier = new TokenVerifier(HS_CONFIG);

  it('turns a valid token into the actor', async () => {
    const token = await sign({
      ...CLAIMS,
      roles: ['processor', 'signal-giver'],
      org: 'org-1',
      domains: ['jeugd'],
    });
    await expect(verifier.verify(token)).resolves.toEqual({
      id: 'u1',
      tenantId: 'gent',
      roles: ['processor', 'signal-giver'],
      organisationId: 'org-1',
      policyDomains: ['jeugd'],
    });
  });

  it('accepts what mintToken produces, with defaults for org and domains', async () => {
    const token = await mintToken(
      HS_CONFIG,
      { sub: 'u2', tenant: 'oud-turnhout', roles: ['official'] },
      '5m',
    );
    await expect(verifier.verify(token)).resolves.toEqual({
      id: 'u2',
      tenantId: 'oud-turnhout',
      roles: ['official'],
      policyDomains: [],
    });
  });

  it('tolerates 30 s of clock skew on expiry, not more', async () => {
    await expect(verifier.verify(await sign(CLAIMS, { exp: now() - 10 }))).resolves.toMatchObject({
      id: 'u1',
    });
    await expectRejected(verifier, await sign(CLAIMS, { exp: now() - 60 }), 'TOKEN_EXPIRED');
  });

  const otherSecret = new TextEncoder().encode('another-32-byte-or-longer-secret-value');
  const cases: [string, () => Promise<string> | string, AuthenticationErrorCode, string][] = [
    ['expired', () => sign(CLAIMS, { exp: now() - 3600 }), 'TOKEN_EXPIRED', '"exp" claim'],
    ['without exp', () => sign(CLAIMS, { exp: null }), 'TOKEN_INVALID', 'missing required "exp"'],
    [
      'alg none, crafted by hand',
      () => unsecured({ ...CLAIMS, iss: ISSUER, aud: AUDIENCE, exp: now() + 600 }),
      'TOKEN_INVALID',
      'ERR_JOSE_ALG_NOT_ALLOWED',
    ],
    [
      'alg HS512 (not the configured one)',
      () => sign(CLAIMS, { alg: 'HS512' }),
      'TOKEN_INVALID',
      'ALG_NOT_ALLOWED',
    ],
    ['signed with another secret', () => sign(CLAIMS, { key: otherSecret }), 'TOKEN_INVALID', 'SIGNATURE'],
    ['with a wrong issuer', () => sign(CLAIMS, { iss: 'someone-else' }), 'TOKEN_INVALID', '"iss"'],
    ['with a wrong audience', () => sign(CLAIMS, { aud: 'another-api' }), 'TOKEN_INVALID', '"aud"'],
    [
      'not yet valid (nbf in an hour)',
      () => sign({ ...CLAIMS, nbf: now() + 3600 }),
      'TOKEN_INVALID',
      '"nbf"',
    ],
    [
      'with an unknown role',
      () => sign({ ...CLAIMS, roles: ['lead-processor', 'superuser'] }),
      'TOKEN_INVALID',
      'unknown role',
    ],
    ['without tenant', () => sign({ sub: 'u1', roles: ['processor'] }), 'TOKEN_INVALID', 'tenant'],
    ['with a tenant that is no slug', () => sign({ ...CLAIMS, tenant: 'Gent' }), 'TOKEN_INVALID', 'tenant'],
    ['with no roles', () => sign({ ...CLAIMS, roles: [] }), 'TOKEN_INVALID', 'roles'],
    ['without sub', () => sign({ tenant: 'gent', roles: ['processor'] }), 'TOKEN_INVALID', '"sub"'],
    ['with a sub of 201 characters', () => sign({ ...CLAIMS, sub: 'x'.repeat(201) }), 'TOKEN_INVALID', 'sub'],
    ['that is garbage', () => 'not-a-jwt', 'TOKEN_INVALID', 'ERR_JWS_INVALID'],
    ['that is empty', () => '', 'TOKEN_INVALID', 'ERR_JWS_INVALID'],
  ];

  it.each(cases)('refuses a token %s', async (_name, token, code, reason) => {
    await expectRejected(verifier, await token(), code, reason);
  });

  it('refuses a token whose payload was changed after signing (another tenant)', async () => {
    const [header, , signature] = (await sign(CLAIMS)).split('.');
    const forged = base64url.encode(
      JSON.stringify({ ...CLAIMS, tenant: 'kortrijk', iss: ISSUER, aud: AUDIENCE, exp: now() + 600 }),
    );
    await expectRejected(verifier, `${header}.${forged}.${signature}`, 'TOKEN_INVALID');
  });

  it('refuses any junk as TOKEN_INVALID, never with another error', async () => {
    const segment = fc.string({ maxLength: 40 }).map((s) => base64url.encode(s));
    const junk = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.tuple(segment, segment, segment).map((parts) => parts.join('.')),
      fc.tuple(fc.json(), fc.json()).map(([h, p]) => `${base64url.encode(h)}.${base64url.encode(p)}.`),
    );
    await fc.assert(
      fc.asyncProperty(junk, async (token) => {
        await expectRejected(verifier, token, 'TOKEN_INVALID');
      }),
      { numRuns: 300 },
    );
  });
});

describe('TokenVerifier: verified HS256 tokens are remembered until they expire', () => {
  it('answers a token seen before without verifying it again, with an actor of its own', async () => {
    const verifier = new TokenVerifier(HS_CONFIG);
    const token = await sign({ ...CLAIMS, domains: ['jeugd'] });
    const first = await verifier.verify(token);
    expect(verifier.cachedTokens).toBe(1);
    first.roles.push('official');
    first.policyDomains.length = 0;
    const second = await verifier.verify(token);
    expect(second).toEqual({
      id: 'u1',
      tenantId: 'gent',
      roles: ['lead-processor'],
      policyDomains: ['jeugd'],
    });
    expect(second).not.toBe(first);
    expect(verifier.cachedTokens).toBe(1);
  });

  it('refuses a remembered token once it expired, as jose would (30 s tolerance)', async () => {
    let clock = Date.now();
    const verifier = new TokenVerifier(HS_CONFIG, { now: () => clock });
    const exp = now() + 60;
    const token = await sign(CLAIMS, { exp });
    await expect(verifier.verify(token)).resolves.toMatchObject({ id: 'u1' });
    clock = (exp + 29) * 1000 + 999;
    await expect(verifier.verify(token)).resolves.toMatchObject({ id: 'u1' });
    clock = (exp + 30) * 1000;
    await expectRejected(verifier, token, 'TOKEN_EXPIRED');
    expect(verifier.cachedTokens).toBe(0);
    // The same verdicts from jose alone (nothing remembered).
    const fresh = (at: number) => new TokenVerifier(HS_CONFIG, { now: () => at, cacheSize: 0 });
    await expect(fresh((exp + 29) * 1000 + 999).verify(token)).resolves.toMatchObject({ id: 'u1' });
    await expectRejected(fresh((exp + 30) * 1000), token, 'TOKEN_EXPIRED');
  });

  it('never remembers a refused token, nor lets a changed one through on a remembered one', async () => {
    const verifier = new TokenVerifier(HS_CONFIG);
    const token = await sign(CLAIMS);
    await verifier.verify(token);
    const [header, , signature] = token.split('.');
    const forged = base64url.encode(
      JSON.stringify({ ...CLAIMS, tenant: 'kortrijk', iss: ISSUER, aud: AUDIENCE, exp: now() + 600 }),
    );
    await expectRejected(verifier, `${header}.${forged}.${signature}`, 'TOKEN_INVALID');
    await expectRejected(verifier, `${token.slice(0, -2)}AA`, 'TOKEN_INVALID');
    expect(verifier.cachedTokens).toBe(1);
  });

  it('keeps at most its cache size of tokens (10 000 by default), and none for a key set', async () => {
    expect(VERIFIED_TOKEN_CACHE_SIZE).toBe(10_000);
    const verifier = new TokenVerifier(HS_CONFIG, { cacheSize: 20 });
    const tokens = await Promise.all(Array.from({ length: 25 }, (_, i) => sign({ ...CLAIMS, sub: `u${i}` })));
    for (const token of tokens) await verifier.verify(token);
    expect(verifier.cachedTokens).toBe(20);
    const jwks = new TokenVerifier({ ...HS_CONFIG, key: { kind: 'jwks', url: 'http://127.0.0.1:9/jwks' } });
    expect(jwks.cachedTokens).toBe(0);
  });
});

describe('TokenVerifier with a JWKS URL (identity provider)', () => {
  let server: Server;
  let baseUrl: string;
  let jwks: { keys: JWK[] } = { keys: [] };
  let status = 200;
  let rsa: Awaited<ReturnType<typeof generateKeyPair>>;
  let ec: Awaited<ReturnType<typeof generateKeyPair>>;
  let stranger: Awaited<ReturnType<typeof generateKeyPair>>;

  const config = (path = '/jwks'): AuthConfig => ({
    issuer: ISSUER,
    audience: AUDIENCE,
    key: { kind: 'jwks', url: `${baseUrl}${path}` },
  });

  beforeAll(async () => {
    rsa = await generateKeyPair('RS256', { extractable: true });
    ec = await generateKeyPair('ES256', { extractable: true });
    stranger = await generateKeyPair('RS256');
    jwks = {
      keys: [
        { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
        { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
      ],
    };
    server = createServer((request, response) => {
      if (request.url !== '/jwks') return void response.writeHead(404).end();
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(jwks));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('accepts RS256 and ES256 tokens signed by the provider', async () => {
    const verifier = new TokenVerifier(config());
    const rs = await sign(CLAIMS, { alg: 'RS256', key: rsa.privateKey, kid: 'rsa-1' });
    const es = await sign({ ...CLAIMS, sub: 'u2' }, { alg: 'ES256', key: ec.privateKey, kid: 'ec-1' });
    await expect(verifier.verify(rs)).resolves.toMatchObject({ id: 'u1', tenantId: 'gent' });
    await expect(verifier.verify(es)).resolves.toMatchObject({ id: 'u2', tenantId: 'gent' });
  });

  it('refuses an HS256 token, even one keyed with the provider public key (key confusion)', async () => {
    const verifier = new TokenVerifier(config());
    const publicJwk = JSON.stringify(jwks.keys[0]);
    await expectRejected(verifier, await sign(CLAIMS), 'TOKEN_INVALID', 'ALG_NOT_ALLOWED');
    await expectRejected(
      verifier,
      await sign(CLAIMS, { key: new TextEncoder().encode(publicJwk), kid: 'rsa-1' }),
      'TOKEN_INVALID',
      'ALG_NOT_ALLOWED',
    );
  });

  it('refuses alg none, a foreign key under a known or unknown kid, an expired token', async () => {
    const verifier = new TokenVerifier(config());
    await expectRejected(
      verifier,
      unsecured({ ...CLAIMS, iss: ISSUER, aud: AUDIENCE, exp: now() + 600 }),
      'TOKEN_INVALID',
      'ALG_NOT_ALLOWED',
    );
    await expectRejected(
      verifier,
      await sign(CLAIMS, { alg: 'RS256', key: stranger.privateKey, kid: 'rsa-1' }),
      'TOKEN_INVALID',
      'SIGNATURE',
    );
    await expectRejected(
      verifier,
      await sign(CLAIMS, { alg: 'RS256', key: stranger.privateKey, kid: 'unknown-kid' }),
      'TOKEN_INVALID',
      'ERR_JWKS_NO_MATCHING_KEY',
    );
    await expectRejected(
      verifier,
      await sign(CLAIMS, { alg: 'RS256', key: rsa.privateKey, kid: 'rsa-1', exp: now() - 3600 }),
      'TOKEN_EXPIRED',
    );
  });

  it('answers "provider unavailable", not 401, when the key set cannot be fetched', async () => {
    const token = await sign(CLAIMS, { alg: 'RS256', key: rsa.privateKey, kid: 'rsa-1' });
    status = 500;
    try {
      expect(await rejection(new TokenVerifier(config()), token)).toBeInstanceOf(
        AuthProviderUnavailableError,
      );
    } finally {
      status = 200;
    }
    expect(await rejection(new TokenVerifier(config('/missing')), token)).toBeInstanceOf(
      AuthProviderUnavailableError,
    );
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const unreachable = new TokenVerifier({
      ...config(),
      key: { kind: 'jwks', url: `http://127.0.0.1:${port}/jwks` },
    });
    expect(await rejection(unreachable, token)).toBeInstanceOf(AuthProviderUnavailableError);
  });
});
