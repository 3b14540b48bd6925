import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TenantsService } from '../../src/tenants/tenants.service.js';
import { closedPort, serverNonce, startLocalIdp, type LocalIdp } from '../support/local-idp.js';
import { registerGent, startTestApp, type TestApp } from '../support/test-app.js';

const PASSWORD = 'een lang en sterk wachtwoord';

/** An invite for a processor of `wonen`, issued by the tenant-admin `admin` (an Authorization header). */
async function invite(t: TestApp, admin: string, email: string): Promise<string> {
  const issued = await t.http
    .post('/invites')
    .set('Authorization', admin)
    .send({ email, roles: ['processor'], policyDomains: ['wonen'] })
    .expect(201);
  return issued.body.token as string;
}

/** An account with a password, made through an invite. */
async function passwordAccount(t: TestApp, admin: string, email: string, name: string): Promise<void> {
  const token = await invite(t, admin, email);
  await t.http.post('/invites/accept').send({ tenant: 'gent', token, name, password: PASSWORD }).expect(201);
}

const login = (t: TestApp, email: string) =>
  t.http.post('/auth/login').send({ tenant: 'gent', email, password: PASSWORD });

/**
 * An installation whose access tokens come from the identity provider (JWKS_URL): it mints none
 * itself. Accepting an invite through the provider makes the account and says so (201, no
 * session), instead of a 503 after the account was made, which a client could only retry into
 * INVITE_ALREADY_USED.
 */
describe('accepting an invite where access tokens come from the identity provider (JWKS_URL)', () => {
  let t: TestApp;
  let idp: LocalIdp;
  let admin: string;

  beforeAll(async () => {
    idp = await startLocalIdp();
    // JWT_SECRET empty: the app takes JWKS_URL alone (both set is refused at start).
    t = await startTestApp({ env: { ...idp.env, JWKS_URL: idp.jwksUrl, JWT_SECRET: '' } });
    await t.app
      .get(TenantsService)
      .createTenant(
        { id: 'platform-admin', role: 'platform-admin' },
        { tenantId: 'gent', name: 'Gent', nisCode: '44021', populationBand: 'gt-100000' },
      );
    // An access token of the provider, for this API (the app's issuer and audience).
    const accessToken = await idp.idToken(
      { sub: 'admin-1', tenant: 'gent', roles: ['tenant-admin'] },
      { issuer: 'lokaal-signaal', audience: 'lokaal-signaal-api' },
    );
    admin = `Bearer ${accessToken}`;
  }, 30_000);

  afterAll(async () => {
    await t.close();
    await idp.close();
  });

  it('makes the account and answers 201 without a session; the invite is then used', async () => {
    const token = await invite(t, admin, 'els@stad.gent');
    const idToken = await idp.idToken({ sub: 'vo-42', nonce: await serverNonce(t.http) });
    const accepted = await t.http
      .post('/invites/accept')
      .send({ tenant: 'gent', token, name: 'Els', idToken })
      .expect(201);
    expect(accepted.body).toMatchObject({
      tenant: 'gent',
      email: 'els@stad.gent',
      roles: ['processor'],
      personId: expect.any(String),
    });
    expect(accepted.body).not.toHaveProperty('session');
    const people = await t.http.get('/people').set('Authorization', admin).expect(200);
    expect(people.body.items).toContainEqual(
      expect.objectContaining({ personId: accepted.body.personId, name: 'Els', oidcLinked: true }),
    );
    const again = await t.http
      .post('/invites/accept')
      .send({
        tenant: 'gent',
        token,
        name: 'Els',
        idToken: await idp.idToken({ sub: 'vo-42', nonce: await serverNonce(t.http) }),
      })
      .expect(409);
    expect(again.body.code).toBe('INVITE_ALREADY_USED');
  });

  it('refuses an ID token with a nonce it never gave, or expired, with 401; the invite stays open', async () => {
    const token = await invite(t, admin, 'piet@stad.gent');
    const accept = (idToken: string) =>
      t.http.post('/invites/accept').send({ tenant: 'gent', token, name: 'Piet', idToken });
    const unknownNonce = await accept(await idp.idToken({ sub: 'vo-43', nonce: 'nooit-uitgegeven' })).expect(
      401,
    );
    expect(unknownNonce.body.code).toBe('OIDC_NONCE_INVALID');
    const expired = await accept(
      await idp.idToken(
        { sub: 'vo-43', nonce: await serverNonce(t.http) },
        { expiresIn: Math.floor(Date.now() / 1000) - 600 },
      ),
    ).expect(401);
    expect(expired.body.code).toBe('OIDC_TOKEN_EXPIRED');
    await accept(await idp.idToken({ sub: 'vo-43', nonce: await serverNonce(t.http) })).expect(201);
  });

  it('makes a password account, whose login then answers 503 LOGIN_UNAVAILABLE: this installation mints no tokens', async () => {
    await passwordAccount(t, admin, 'jan@stad.gent', 'Jan');
    const refused = await login(t, 'jan@stad.gent').expect(503);
    expect(refused.body.code).toBe('LOGIN_UNAVAILABLE');
  });
});

describe('the identity provider or the token minting out of reach', () => {
  it('POST /invites/accept: 503 AUTH_PROVIDER_UNAVAILABLE when the provider keys of the ID token cannot be fetched; the invite stays open', async () => {
    const idp = await startLocalIdp();
    const t = await startTestApp({
      env: {
        ...idp.env,
        OIDC_JWKS_URL: `http://127.0.0.1:${await closedPort()}/jwks`,
        JWKS_URL: idp.jwksUrl,
        JWT_SECRET: '',
      },
    });
    try {
      await registerGent(t);
      const admin = `Bearer ${await idp.idToken(
        { sub: 'admin-1', tenant: 'gent', roles: ['tenant-admin'] },
        { issuer: 'lokaal-signaal', audience: 'lokaal-signaal-api' },
      )}`;
      const token = await invite(t, admin, 'els@stad.gent');
      const idToken = await idp.idToken({ sub: 'vo-42', nonce: await serverNonce(t.http) });
      const refused = await t.http
        .post('/invites/accept')
        .send({ tenant: 'gent', token, name: 'Els', idToken })
        .expect(503);
      expect(refused.body.code).toBe('AUTH_PROVIDER_UNAVAILABLE');
      // Nothing was made: the invite can still be accepted (here with a password).
      await t.http
        .post('/invites/accept')
        .send({ tenant: 'gent', token, name: 'Els', password: PASSWORD })
        .expect(201);
    } finally {
      await t.close();
      await idp.close();
    }
  });

  it('POST /auth/refresh: 503 LOGIN_UNAVAILABLE for a refresh token of before the installation moved to JWKS_URL', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ls-e2e-jwks-move-'));
    try {
      // Tokens of the installation's own (JWT_SECRET): a login and its refresh token.
      const before = await startTestApp({ dataDir });
      let refreshToken: string;
      try {
        await registerGent(before);
        const admin = `Bearer ${await before.token({ sub: 'admin-1', tenant: 'gent', roles: ['tenant-admin'] })}`;
        await passwordAccount(before, admin, 'jan@stad.gent', 'Jan');
        refreshToken = (await login(before, 'jan@stad.gent').expect(200)).body.refreshToken as string;
      } finally {
        await before.close();
      }
      // The same store, now with tokens from the identity provider: the app mints none.
      const idp = await startLocalIdp();
      const after = await startTestApp({ dataDir, env: { JWKS_URL: idp.jwksUrl, JWT_SECRET: '' } });
      try {
        const refused = await after.http.post('/auth/refresh').send({ refreshToken }).expect(503);
        expect(refused.body.code).toBe('LOGIN_UNAVAILABLE');
      } finally {
        await after.close();
        await idp.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
