import { afterAll, beforeAll, expect, it, jest } from '@jest/globals';
import type { Browser } from 'playwright-core';
import {
  describeInBrowser,
  launchBrowser,
  screenshot,
  seriousAxeViolations,
  signIn,
  startWebApp,
  type WebApp,
} from '../../support/browser.js';

jest.setTimeout(60_000);

describeInBrowser('web app: signing in (headless Chromium)', () => {
  let web: WebApp;
  let browser: Browser;

  beforeAll(async () => {
    web = await startWebApp();
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  it('serves the app at / and sends a visitor who is not signed in to the sign-in page', async () => {
    const page = await browser.newPage();
    await page.goto(`${web.baseUrl}/inbox`);
    await page.getByRole('heading', { name: 'Aanmelden' }).waitFor();
    expect(page.url()).toBe(`${web.baseUrl}/aanmelden`);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'sign-in');
    await page.close();
  });

  it('explains a wrong password in Dutch and does not sign in', async () => {
    const page = await browser.newPage();
    await page.goto(`${web.baseUrl}/aanmelden`);
    await page.getByLabel('Bestuur').fill('gent');
    await page.getByLabel('E-mailadres').fill('coordinator@gent.demo');
    await page.getByLabel(/^Wachtwoord/).fill('niet-het-juiste-wachtwoord');
    await page.getByRole('button', { name: 'Aanmelden' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('klopt niet');
    expect(page.url()).toBe(`${web.baseUrl}/aanmelden`);
    await page.close();
  });

  it('signs a lead processor in, greets them with their role, and signs out again', async () => {
    const page = await browser.newPage();
    await signIn(page, web.baseUrl, 'coordinator@gent.demo');
    await page.getByRole('heading', { name: 'Welkom bij Lokaal Signaal' }).waitFor();
    expect(await page.getByRole('main').textContent()).toContain('Hoofdsignaalverwerker');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Afmelden' }).click();
    await page.getByRole('heading', { name: 'Aanmelden' }).waitFor();
    await page.close();
  });

  it('keeps API clients asking for JSON on the API at the same paths', async () => {
    const answer = await fetch(`${web.baseUrl}/signals`, { headers: { Accept: 'application/json' } });
    expect(answer.status).toBe(401);
    expect(((await answer.json()) as { code: string }).code).toBeDefined();
  });
});
