import { afterAll, beforeAll, expect, it, jest } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { describeInBrowser, launchBrowser, startWebApp, type WebApp } from '../../support/browser.js';
import { startLocalIdp, type LocalIdp } from '../../support/local-idp.js';

jest.setTimeout(90_000);

/**
 * The implicit ID-token flow, which an installation without OIDC_TOKEN_URL uses: the provider
 * sends the ID token back in the fragment, the page checks state and nonce and hands the token to
 * the server. (The code flow has its browser test in admin-screens.)
 */
describeInBrowser('web app: OIDC sign-in with the implicit ID-token flow (headless Chromium)', () => {
  let web: WebApp;
  let browser: Browser;
  let idp: LocalIdp;

  beforeAll(async () => {
    idp = await startLocalIdp();
    web = await startWebApp({
      env: {
        ...idp.env,
        OIDC_AUTHORIZATION_URL: idp.authorizationUrl,
      },
    });
    browser = await launchBrowser();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await web?.close();
    await idp?.close();
  });

  it('an invite is accepted with an ID token in the fragment; a token for another nonce is refused', async () => {
    const admin = await web.app.token({ sub: 'admin-implicit', tenant: 'gent', roles: ['tenant-admin'] });
    const invite = await web.app.http
      .post('/invites')
      .set('Authorization', `Bearer ${admin}`)
      .send({ email: 'impliciet@gent.be', roles: ['signal-giver'] })
      .expect(201);
    const context = await browser.newContext();
    const requests: URL[] = [];
    // The provider: signs the person in and sends an ID token back in the fragment; `nonce` set
    // to 'other' makes it answer with a token for another nonce.
    let nonceOverride: string | null = null;
    await context.route(`${idp.authorizationUrl}**`, async (route) => {
      const request = new URL(route.request().url());
      requests.push(request);
      const idToken = await idp.idToken({
        sub: 'acm-implicit-1',
        nonce: nonceOverride ?? request.searchParams.get('nonce'),
      });
      const back = new URL(request.searchParams.get('redirect_uri')!);
      back.hash = new URLSearchParams({
        id_token: idToken,
        state: request.searchParams.get('state')!,
      }).toString();
      await route.fulfill({ status: 302, headers: { location: back.toString() } });
    });
    const page = await context.newPage();
    await page.goto(`${web.baseUrl}/uitnodiging#tenant=gent&token=${invite.body.token}`);
    await page.getByLabel('Je naam').fill('Ilse Impliciet');
    await page.getByRole('button', { name: 'Aanvaarden via identiteitsprovider' }).click();
    await page.getByRole('button', { name: 'Afmelden' }).waitFor();
    expect(Object.fromEntries(requests[0]!.searchParams)).toMatchObject({
      response_type: 'id_token',
      response_mode: 'fragment',
      client_id: idp.audience,
      redirect_uri: `${web.baseUrl}/aanmelden/oidc`,
    });
    expect(requests[0]!.searchParams.has('code_challenge')).toBe(false);
    // The token left the address bar.
    expect(page.url()).toBe(`${web.baseUrl}/`);
    await page.getByRole('button', { name: 'Afmelden' }).click();

    // Signing in again with the provider button; then a token for another nonce is refused.
    await page.getByLabel('Bestuur').fill('gent');
    await page.getByRole('button', { name: 'Aanmelden via identiteitsprovider' }).click();
    await page.getByRole('button', { name: 'Afmelden' }).waitFor();
    expect(await page.getByRole('main').textContent()).toContain('Signaalgever');
    await page.getByRole('button', { name: 'Afmelden' }).click();
    nonceOverride = 'een-nonce-van-elders-0123456789';
    await page.getByLabel('Bestuur').fill('gent');
    await page.getByRole('button', { name: 'Aanmelden via identiteitsprovider' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain(
      'Het ID-token hoort niet bij deze aanmelding',
    );
    expect(requests).toHaveLength(3);
    await context.close();
  });
});
