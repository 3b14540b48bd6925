import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startLocalIdp, type LocalIdp } from '../support/local-idp.js';
import { registerGent, startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The public sign-in routes' documented refusals that need no account: 404 OIDC_NOT_CONFIGURED
 * where no identity provider is set up, and 429 RATE_LIMITED (with Retry-After) for one address
 * that keeps trying: ten times LOGIN_RATE_LIMIT's count per window, per route. Each answer is
 * checked against the API's document.
 */
describe('sign-in routes without an identity provider', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  }, 30_000);
  afterAll(() => t.close());

  it.each(['/auth/oidc/nonce', '/auth/oidc/login'])('%s answers 404 OIDC_NOT_CONFIGURED', async (path) => {
    const response = await t.http.post(path).send({ tenant: 'gent', idToken: 'eyJ.x.y' }).expect(404);
    expect(response.body).toMatchObject({ statusCode: 404, code: 'OIDC_NOT_CONFIGURED' });
  });
});

describe('one address that keeps trying to sign in', () => {
  let t: TestApp;
  let idp: LocalIdp;
  // LOGIN_RATE_LIMIT=1/15m: an address may try each public route ten times per quarter of an hour.
  const PER_ADDRESS = 10;

  beforeAll(async () => {
    idp = await startLocalIdp();
    t = await startTestApp({ env: { LOGIN_RATE_LIMIT: '1/15m', ...idp.env } });
    await registerGent(t);
  }, 30_000);
  afterAll(async () => {
    await t.close();
    await idp.close();
  });

  /** Sends `attempt` until refused with 429; the answers before that. */
  async function untilLimited(attempt: () => ReturnType<typeof t.http.post>) {
    const before: number[] = [];
    for (let i = 0; i < PER_ADDRESS; i++) before.push((await attempt()).status);
    const refused = await attempt().expect(429);
    expect(refused.body).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    return before;
  }

  it('POST /auth/oidc/nonce: nonces until the limit, then 429', async () => {
    expect(new Set(await untilLimited(() => t.http.post('/auth/oidc/nonce').send({})))).toEqual(
      new Set([201]),
    );
  });

  it('POST /auth/oidc/login: refused tokens count, then 429 before any token is looked at', async () => {
    const statuses = await untilLimited(() =>
      t.http.post('/auth/oidc/login').send({ tenant: 'gent', idToken: 'eyJhbGciOiJSUzI1NiJ9.e30.c2ln' }),
    );
    expect(new Set(statuses)).toEqual(new Set([401]));
  });

  it('POST /invites/accept: unknown invites count, then 429', async () => {
    const statuses = await untilLimited(() =>
      t.http.post('/invites/accept').send({
        tenant: 'gent',
        token: 'x'.repeat(43),
        name: 'Iemand',
        password: 'een-lang-wachtwoord-2026',
      }),
    );
    expect(new Set(statuses)).toEqual(new Set([404]));
  });
});
