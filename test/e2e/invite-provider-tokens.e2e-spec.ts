import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TenantsService } from '../../src/tenants/tenants.service.js';
import { serverNonce, startLocalIdp, type LocalIdp } from '../support/local-idp.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

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
    const issued = await t.http
      .post('/invites')
      .set('Authorization', admin)
      .send({ email: 'els@stad.gent', roles: ['processor'], policyDomains: ['wonen'] })
      .expect(201);
    const idToken = await idp.idToken({ sub: 'vo-42', nonce: await serverNonce(t.http) });
    const accepted = await t.http
      .post('/invites/accept')
      .send({ tenant: 'gent', token: issued.body.token, name: 'Els', idToken })
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
        token: issued.body.token,
        name: 'Els',
        idToken: await idp.idToken({ sub: 'vo-42', nonce: await serverNonce(t.http) }),
      })
      .expect(409);
    expect(again.body.code).toBe('INVITE_ALREADY_USED');
  });
});
