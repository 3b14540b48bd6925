import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { base64url, generateKeyPair, SignJWT } from 'jose';
import { serverNonce, startLocalIdp, type LocalIdp } from '../support/local-idp.js';
import { registerGent, startTestApp, type TestApp } from '../support/test-app.js';
import { TEST_JWT_SECRET } from '../support/tokens.js';

/**
 * QUALITY.md "Security" — JWT abuse, on both doors a token comes in by: the API's bearer tokens
 * (HS256 under JWT_SECRET, as issued by POST /auth/login) and the OIDC provider's ID tokens
 * (RS256 from its JWKS, at POST /auth/oidc/login). Every forged token must be refused.
 */
const ISSUER = 'lokaal-signaal';
const AUDIENCE = 'lokaal-signaal-api';
const CLAIMS = { sub: 'u-1', tenant: 'gent', roles: ['lead-processor'] };
const secret = new TextEncoder().encode(TEST_JWT_SECRET);
const part = (value: object) => base64url.encode(JSON.stringify(value));
const exp = () => Math.floor(Date.now() / 1000) + 600;

function hs256(claims: object, options: { iss?: string; aud?: string; expiresIn?: string | number } = {}) {
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(options.iss ?? ISSUER)
    .setAudience(options.aud ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '10m')
    .sign(secret);
}

/** Flips one character in the middle of the signature. */
function tamperSignature(token: string): string {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const i = Math.floor(signature.length / 2);
  const flipped = signature[i] === 'A' ? 'B' : 'A';
  return `${header}.${payload}.${signature.slice(0, i)}${flipped}${signature.slice(i + 1)}`;
}

/** Swaps the payload for a more powerful one, keeping the original signature. */
function tamperPayload(token: string, claims: object): string {
  const [header, , signature] = token.split('.') as [string, string, string];
  return `${header}.${part(claims)}.${signature}`;
}

describe('JWT abuse', () => {
  let t: TestApp;
  let idp: LocalIdp;
  const outcomes: Array<{ name: string; status: number; code: string; rejected: boolean }> = [];

  beforeAll(async () => {
    idp = await startLocalIdp();
    t = await startTestApp({
      env: idp.env,
    });
    await registerGent(t);
    // A person bound to the provider's subject vo-1, so that a valid ID token would log in.
    const admin = `Bearer ${await hs256({ sub: 'admin', tenant: 'gent', roles: ['tenant-admin'] })}`;
    const invite = await t.http
      .post('/invites')
      .set('Authorization', admin)
      .send({ email: 'vo1@stad.gent', roles: ['processor'] })
      .expect(201);
    await t.http
      .post('/invites/accept')
      .send({
        tenant: 'gent',
        token: invite.body.token,
        name: 'Vo Een',
        idToken: await idp.idToken({ sub: 'vo-1', nonce: await serverNonce(t.http) }),
      })
      .expect(201);
  }, 30_000);

  afterAll(async () => {
    const rejected = outcomes.filter((o) => o.rejected).length;
    console.info(`JWT abuse: ${rejected} of ${outcomes.length} rejected`);
    await t.close();
    await idp.close();
  });

  it('accepts the genuine tokens of both doors (so that a refusal below means the forgery was caught)', async () => {
    await t.http
      .get('/me')
      .set('Authorization', `Bearer ${await hs256(CLAIMS)}`)
      .expect(200);
    await t.http
      .post('/auth/oidc/login')
      .send({ tenant: 'gent', idToken: await idp.idToken({ sub: 'vo-1', nonce: await serverNonce(t.http) }) })
      .expect(200);
  });

  const apiCases: Array<[string, () => Promise<string>]> = [
    [
      'alg none, no signature',
      async () =>
        `${part({ alg: 'none', typ: 'JWT' })}.${part({ ...CLAIMS, iss: ISSUER, aud: AUDIENCE, exp: exp() })}.`,
    ],
    [
      'alg none, with the original signature',
      async () => {
        const [, , signature] = (await hs256(CLAIMS)).split('.');
        return `${part({ alg: 'none' })}.${part({ ...CLAIMS, iss: ISSUER, aud: AUDIENCE, exp: exp() })}.${signature}`;
      },
    ],
    ['wrong audience', () => hs256(CLAIMS, { aud: 'another-api' })],
    ['wrong issuer', () => hs256(CLAIMS, { iss: 'https://evil.example' })],
    ['expired', () => hs256(CLAIMS, { expiresIn: Math.floor(Date.now() / 1000) - 120 })],
    ['tampered signature', async () => tamperSignature(await hs256(CLAIMS))],
    [
      'tampered payload (signal-giver made tenant-admin)',
      async () =>
        tamperPayload(await hs256({ ...CLAIMS, roles: ['signal-giver'] }), {
          ...CLAIMS,
          roles: ['tenant-admin'],
          iss: ISSUER,
          aud: AUDIENCE,
          exp: exp(),
        }),
    ],
    [
      'RS256 signed with an attacker key (HS/RS confusion)',
      async () => {
        const { privateKey } = await generateKeyPair('RS256');
        return new SignJWT(CLAIMS)
          .setProtectedHeader({ alg: 'RS256' })
          .setIssuer(ISSUER)
          .setAudience(AUDIENCE)
          .setExpirationTime('10m')
          .sign(privateKey);
      },
    ],
    [
      'HS256 keyed with the identity provider public key (HS/RS confusion)',
      () =>
        new SignJWT(CLAIMS)
          .setProtectedHeader({ alg: 'HS256' })
          .setIssuer(ISSUER)
          .setAudience(AUDIENCE)
          .setExpirationTime('10m')
          .sign(new TextEncoder().encode(JSON.stringify(idp.publicJwk))),
    ],
    [
      'HS512 under the right secret (algorithm not allowed)',
      () =>
        new SignJWT(CLAIMS)
          .setProtectedHeader({ alg: 'HS512' })
          .setIssuer(ISSUER)
          .setAudience(AUDIENCE)
          .setExpirationTime('10m')
          .sign(new TextEncoder().encode(TEST_JWT_SECRET.repeat(2))),
    ],
    [
      'without exp',
      () =>
        new SignJWT(CLAIMS)
          .setProtectedHeader({ alg: 'HS256' })
          .setIssuer(ISSUER)
          .setAudience(AUDIENCE)
          .sign(secret),
    ],
  ];

  it.each(apiCases)('refuses an API bearer token: %s', async (name, forge) => {
    const response = await t.http.get('/me').set('Authorization', `Bearer ${await forge()}`);
    const rejected = response.status === 401;
    outcomes.push({ name: `api: ${name}`, status: response.status, code: response.body.code, rejected });
    expect(response.status).toBe(401);
    expect(['TOKEN_INVALID', 'TOKEN_EXPIRED']).toContain(response.body.code);
  });

  const oidcCases: Array<[string, () => Promise<string>]> = [
    [
      'alg none',
      async () =>
        `${part({ alg: 'none' })}.${part({ sub: 'vo-1', iss: idp.issuer, aud: idp.audience, exp: exp() })}.`,
    ],
    ['wrong audience', () => idp.idToken({ sub: 'vo-1' }, { audience: 'another-client' })],
    ['wrong issuer', () => idp.idToken({ sub: 'vo-1' }, { issuer: 'https://evil.example' })],
    ['expired', () => idp.idToken({ sub: 'vo-1' }, { expiresIn: Math.floor(Date.now() / 1000) - 120 })],
    ['tampered signature', async () => tamperSignature(await idp.idToken({ sub: 'vo-1' }))],
    [
      'tampered payload (subject swapped)',
      async () =>
        tamperPayload(await idp.idToken({ sub: 'vo-2' }), {
          sub: 'vo-1',
          iss: idp.issuer,
          aud: idp.audience,
          exp: exp(),
        }),
    ],
    [
      'HS256 keyed with the provider public key (HS/RS confusion)',
      () =>
        new SignJWT({ sub: 'vo-1' })
          .setProtectedHeader({ alg: 'HS256', kid: 'test-key-1' })
          .setIssuer(idp.issuer)
          .setAudience(idp.audience)
          .setExpirationTime('5m')
          .sign(new TextEncoder().encode(JSON.stringify(idp.publicJwk))),
    ],
    [
      'RS256 by a foreign key under the provider kid',
      async () => {
        const { privateKey } = await generateKeyPair('RS256');
        return new SignJWT({ sub: 'vo-1' })
          .setProtectedHeader({ alg: 'RS256', kid: 'test-key-1' })
          .setIssuer(idp.issuer)
          .setAudience(idp.audience)
          .setExpirationTime('5m')
          .sign(privateKey);
      },
    ],
    ['an API token offered as ID token', () => hs256(CLAIMS)],
  ];

  it.each(oidcCases)('refuses an OIDC ID token: %s', async (name, forge) => {
    const response = await t.http.post('/auth/oidc/login').send({ tenant: 'gent', idToken: await forge() });
    const rejected = response.status === 401 && response.body.accessToken === undefined;
    outcomes.push({ name: `oidc: ${name}`, status: response.status, code: response.body.code, rejected });
    expect(response.status).toBe(401);
    expect(['OIDC_TOKEN_INVALID', 'OIDC_TOKEN_EXPIRED']).toContain(response.body.code);
  });
});
