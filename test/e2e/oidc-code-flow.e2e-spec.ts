import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pkcePair, serverNonce, startLocalIdp, type LocalIdp } from '../support/local-idp.js';
import { registerGent, startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Signing in with the authorization code flow and PKCE (OIDC_TOKEN_URL): the browser brings the
 * provider's code and its verifier, the server trades them at the provider's token endpoint (here
 * a local one that checks client, redirect URI and verifier) for the ID token, which it then checks
 * as in the implicit flow (signature, issuer, audience, expiry, a nonce it issued, once).
 */
const REDIRECT = 'https://lokaal-signaal.gent.example/aanmelden/oidc';

describe('OIDC sign-in with the authorization code flow and PKCE', () => {
  let t: TestApp;
  let idp: LocalIdp;
  let admin: string;

  beforeAll(async () => {
    idp = await startLocalIdp();
    t = await startTestApp({
      env: {
        ...idp.env,
        OIDC_AUTHORIZATION_URL: idp.authorizationUrl,
        OIDC_CLIENT_ID: 'lokaal-signaal-web',
        OIDC_TOKEN_URL: idp.tokenUrl,
        OIDC_CLIENT_SECRET: idp.clientSecret,
      },
    });
    await registerGent(t);
    admin = `Bearer ${await t.token({ sub: 'admin-1', roles: ['tenant-admin'] })}`;
  }, 30_000);

  afterAll(async () => {
    await t.close();
    await idp.close();
  });

  /** What the provider sends back after a sign-in the browser started with a fresh verifier. */
  async function signInAtProvider(sub: string, options: { redirectUri?: string } = {}) {
    const { verifier, challenge } = pkcePair();
    const code = idp.issueCode({
      claims: { sub, nonce: await serverNonce(t.http) },
      clientId: 'lokaal-signaal-web',
      redirectUri: options.redirectUri ?? REDIRECT,
      codeChallenge: challenge,
    });
    return { code, codeVerifier: verifier, redirectUri: REDIRECT };
  }

  it('the sign-in options name the code flow', async () => {
    const options = await t.http.get('/auth/options').expect(200);
    expect(options.body.oidc).toMatchObject({ clientId: 'lokaal-signaal-web', flow: 'code' });
    expect(JSON.stringify(options.body)).not.toContain(idp.clientSecret);
  });

  it('an invite accepted with a code binds the subject; a later code signs the person in', async () => {
    const issued = await t.http
      .post('/invites')
      .set('Authorization', admin)
      .send({ email: 'code@stad.gent', roles: ['processor'], policyDomains: ['wonen'] })
      .expect(201);
    const accepted = await t.http
      .post('/invites/accept')
      .send({
        tenant: 'gent',
        token: issued.body.token,
        name: 'Cora Code',
        ...(await signInAtProvider('acm-1')),
      })
      .expect(201);
    // The server authenticated itself at the token endpoint and sent the verifier along.
    expect(idp.tokenRequests.at(-1)).toMatchObject({
      grant_type: 'authorization_code',
      redirect_uri: REDIRECT,
      basic_client_id: 'lokaal-signaal-web',
    });
    const pair = await t.http
      .post('/auth/oidc/login')
      .send({ tenant: 'gent', ...(await signInAtProvider('acm-1')) })
      .expect(200);
    const me = await t.http.get('/me').set('Authorization', `Bearer ${pair.body.accessToken}`).expect(200);
    expect(me.body).toMatchObject({ id: accepted.body.personId, roles: ['processor'] });
  });

  it('refuses a code used twice, one with another verifier, and one for another redirect URI', async () => {
    const proof = await signInAtProvider('acm-1');
    await t.http
      .post('/auth/oidc/login')
      .send({ tenant: 'gent', ...proof })
      .expect(200);
    const other = await signInAtProvider('acm-1');
    const elsewhere = await signInAtProvider('acm-1', {
      redirectUri: 'https://kwaad.example/aanmelden/oidc',
    });
    for (const refused of [proof, { ...other, codeVerifier: pkcePair().verifier }, elsewhere]) {
      const response = await t.http
        .post('/auth/oidc/login')
        .send({ tenant: 'gent', ...refused })
        .expect(401);
      expect(response.body).toMatchObject({
        code: 'OIDC_CODE_REFUSED',
        message: expect.stringContaining('opnieuw'),
        details: { providerError: 'invalid_grant' },
      });
    }
  });

  it('still checks the nonce of the ID token it got for the code', async () => {
    const { verifier, challenge } = pkcePair();
    const code = idp.issueCode({
      claims: { sub: 'acm-1', nonce: 'niet-van-deze-server-0123456789' },
      clientId: 'lokaal-signaal-web',
      redirectUri: REDIRECT,
      codeChallenge: challenge,
    });
    const response = await t.http
      .post('/auth/oidc/login')
      .send({ tenant: 'gent', code, codeVerifier: verifier, redirectUri: REDIRECT })
      .expect(401);
    expect(response.body.code).toBe('OIDC_NONCE_INVALID');
  });

  it.each([
    ['code', { code: 'met spatie' }],
    ['code', { code: '' }],
    ['codeVerifier', { codeVerifier: 'te-kort' }],
    ['codeVerifier', { codeVerifier: 'x'.repeat(129) }],
    ['redirectUri', { redirectUri: 'javascript:alert(1)' }],
    ['redirectUri', { redirectUri: `${REDIRECT}#id_token=x` }],
    ['redirectUri', { redirectUri: 42 }],
  ])('refuses a bad %s before anything goes to the provider: %j', async (field, change) => {
    const before = idp.tokenRequests.length;
    const response = await t.http
      .post('/auth/oidc/login')
      .send({ tenant: 'gent', ...(await signInAtProvider('acm-1')), ...change })
      .expect(400);
    expect(response.body).toMatchObject({ code: 'FIELD_INVALID', details: { field } });
    expect(idp.tokenRequests.length).toBe(before);
  });

  it('refuses a verifier without its code, also beside a password', async () => {
    const issued = await t.http
      .post('/invites')
      .set('Authorization', admin)
      .send({ email: 'half@stad.gent', roles: ['signal-giver'] })
      .expect(201);
    const { codeVerifier } = await signInAtProvider('acm-2');
    const alone = await t.http
      .post('/auth/oidc/login')
      .send({ tenant: 'gent', codeVerifier, redirectUri: REDIRECT })
      .expect(400);
    expect(alone.body).toMatchObject({ code: 'FIELD_INVALID', details: { field: 'code' } });
    const beside = await t.http
      .post('/invites/accept')
      .send({
        tenant: 'gent',
        token: issued.body.token,
        name: 'Half',
        password: 'een lang en sterk wachtwoord',
        codeVerifier,
      })
      .expect(400);
    expect(beside.body).toMatchObject({ code: 'FIELD_REQUIRED', details: { field: 'password' } });
  });

  it('refuses an ID token and a code together', async () => {
    const response = await t.http
      .post('/auth/oidc/login')
      .send({ tenant: 'gent', idToken: 'a.b.c', ...(await signInAtProvider('acm-1')) })
      .expect(400);
    expect(response.body).toMatchObject({ code: 'FIELD_NOT_ALLOWED', details: { field: 'idToken' } });
  });
});

describe('OIDC code flow: a provider that does not answer, and an installation without it', () => {
  let idp: LocalIdp;
  let silent: Server;

  beforeAll(async () => {
    idp = await startLocalIdp();
    // A token endpoint that answers 500 with no token response.
    silent = createServer((_request, response) => response.writeHead(500).end('kapot'));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    await idp.close();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  const oidc = (idpOf: LocalIdp) => ({
    ...idpOf.env,
    OIDC_AUTHORIZATION_URL: idpOf.authorizationUrl,
  });
  const proof = () => {
    const { verifier } = pkcePair();
    return { code: 'een-code', codeVerifier: verifier, redirectUri: REDIRECT };
  };

  it('answers 503 when the token endpoint fails, and says so in Dutch', async () => {
    const port = (silent.address() as AddressInfo).port;
    const t = await startTestApp({
      env: { ...oidc(idp), OIDC_TOKEN_URL: `http://127.0.0.1:${port}/token` },
    });
    try {
      const response = await t.http
        .post('/auth/oidc/login')
        .send({ tenant: 'gent', ...proof() })
        .expect(503);
      expect(response.body).toMatchObject({
        code: 'AUTH_PROVIDER_UNAVAILABLE',
        message: expect.stringContaining('tijdelijk niet bereikbaar'),
      });
    } finally {
      await t.close();
    }
  });

  it('refuses a code where no token endpoint is configured (the implicit flow)', async () => {
    const t = await startTestApp({ env: oidc(idp) });
    try {
      const options = await t.http.get('/auth/options').expect(200);
      expect(options.body.oidc.flow).toBe('id_token');
      const response = await t.http
        .post('/auth/oidc/login')
        .send({ tenant: 'gent', ...proof() })
        .expect(400);
      expect(response.body).toMatchObject({
        code: 'OIDC_CODE_FLOW_NOT_CONFIGURED',
        details: { field: 'code' },
      });
    } finally {
      await t.close();
    }
  });
});
