import { afterAll, beforeAll, expect, it, jest } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import {
  describeInBrowser,
  launchBrowser,
  screenshot,
  seriousAxeViolations,
  signIn,
  startWebApp,
  type WebApp,
} from '../../support/browser.js';

jest.setTimeout(120_000);

/** Unique text in every seeded signal: an official's pages must never show it. */
const MARKER = `MARKER-${Date.now().toString(36)}-GEHEIM`;

describeInBrowser('web app: insight screens (headless Chromium)', () => {
  let web: WebApp;
  let browser: Browser;
  const signalIds: string[] = [];
  /** Requests the pages made to the API, per page, to check which routes a role calls. */
  const apiCalls = new WeakMap<Page, string[]>();

  async function token(sub: string, roles: string[]): Promise<string> {
    return web.app.token({ sub, tenant: 'gent', roles });
  }

  async function submit(giver: string, themes: string[], n: number): Promise<void> {
    const auth = { Authorization: `Bearer ${await token(giver, ['signal-giver'])}` };
    for (let i = 0; i < n; i++) {
      const answer = await web.app.http
        .post('/signals')
        .set(auth)
        .send({
          title: `Signaal ${i} ${MARKER}`,
          description: `Beschrijving met ${MARKER}: gezinnen vinden geen betaalbare woning.`,
          themes,
          area: 'Rabot',
        })
        .expect(201);
      signalIds.push(answer.body.signalId as string);
    }
  }

  async function open(email: string, path: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const calls: string[] = [];
    apiCalls.set(page, calls);
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (request.resourceType() === 'fetch') calls.push(`${request.method()} ${url.pathname}`);
    });
    page.on('console', (message) => {
      // Resource failures are checked by URL below (the browser asks for /favicon.ico by itself).
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
        calls.push(`console error: ${message.text()}`);
    });
    page.on('response', (response) => {
      const url = new URL(response.url());
      if (response.status() >= 400 && url.pathname !== '/favicon.ico')
        calls.push(`console error: ${response.status()} ${url.pathname}`);
    });
    await signIn(page, web.baseUrl, email);
    await page.goto(`${web.baseUrl}${path}`);
    return page;
  }

  beforeAll(async () => {
    web = await startWebApp();
    browser = await launchBrowser();
    // Wonen: 5 signals by 3 givers (published supra-locally); energie: 2 by one (suppressed).
    await submit('giver-a', ['wonen'], 2);
    await submit('giver-b', ['wonen'], 2);
    await submit('giver-c', ['wonen'], 1);
    await submit('giver-d', ['energie'], 2);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  it('shows the dashboard of the seeded signals as charts (SVG, under the CSP) with their numbers in a table', async () => {
    const page = await open('beleid@gent.demo', '/dashboard');
    await page.getByRole('heading', { name: 'Dashboard', level: 2 }).waitFor();
    const figure = page.getByRole('figure', { name: 'Signalen per thema' });
    await figure.locator('svg').waitFor();
    await figure.getByText('Cijfers als tabel').click();
    const table = figure.getByRole('table', { name: 'Cijfers: Signalen per thema' });
    expect(await table.getByRole('row', { name: /Wonen/ }).getByRole('cell').textContent()).toBe('5');
    expect(
      await table
        .getByRole('row', { name: /Energie/ })
        .getByRole('cell')
        .textContent(),
    ).toBe('2');
    expect(await page.getByRole('definition').first().textContent()).toBe('7');
    expect(apiCalls.get(page)!.filter((call) => call.startsWith('console error'))).toEqual([]);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'dashboard');
    await page.close();
  });
});
