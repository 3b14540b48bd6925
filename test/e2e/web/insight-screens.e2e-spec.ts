import { afterAll, beforeAll, expect, it, jest } from '@jest/globals';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import type { Role } from '../../../workflows/roles.js';
import { seedDemoTenants } from '../../../src/demo/seed-demo-tenants.js';
import { systemClock } from '../../../src/platform/clock.js';
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
  /** Requests the pages made to the API, per page, to check which routes a role calls. */
  const apiCalls = new WeakMap<Page, string[]>();
  /** The API answers a page received (bodies), to check that none carries a signal's text. */
  const apiBodies = new WeakMap<Page, Promise<string>[]>();

  async function token(sub: string, roles: Role[]): Promise<string> {
    return web.app.token({ sub, tenant: 'gent', roles });
  }

  async function submit(giver: string, themes: string[], n: number, tenant = 'gent'): Promise<void> {
    const auth = {
      Authorization: `Bearer ${await web.app.token({ sub: giver, tenant, roles: ['signal-giver'] })}`,
    };
    for (let i = 0; i < n; i++) {
      await web.app.http
        .post('/signals')
        .set(auth)
        .send({
          title: `Signaal ${i} ${MARKER}`,
          description: `Beschrijving met ${MARKER}: gezinnen vinden geen betaalbare woning.`,
          themes,
          area: 'Rabot',
        })
        .expect(201);
    }
  }

  /** Console errors and failed requests of a page (CSP refusals show as console errors). */
  function errorsOf(page: Page, expected: readonly string[] = []): string[] {
    return apiCalls
      .get(page)!
      .filter((call) => call.startsWith('console error') && !expected.some((text) => call.includes(text)));
  }

  async function open(email: string, path: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const calls: string[] = [];
    apiCalls.set(page, calls);
    const bodies: Promise<string>[] = [];
    apiBodies.set(page, bodies);
    page.on('response', (response) => {
      if (response.request().resourceType() === 'fetch') bodies.push(response.text().catch(() => ''));
    });
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
    // Gent: wonen 5 signals by 3 givers, energie 2 by one and werk 1 (both below the threshold). Three
    // more participating municipalities with cells above it, so that the table publishes figures
    // (with two, the secondary suppression, which takes each municipality's own figures as known,
    // hides every cell of this small table).
    await submit('giver-a', ['wonen'], 2);
    await submit('giver-b', ['wonen'], 2);
    await submit('giver-c', ['wonen'], 1);
    await submit('giver-d', ['energie'], 2);
    await submit('giver-e', ['werk'], 1);
    await seedDemoTenants(web.app.store, ['eeklo', 'kortrijk', 'mortsel'], systemClock);
    for (const tenant of ['eeklo', 'kortrijk', 'mortsel']) {
      for (const giver of ['giver-x', 'giver-y', 'giver-z']) {
        await submit(`${tenant}-${giver}`, ['wonen'], 2, tenant);
        await submit(`${tenant}-${giver}`, ['energie'], tenant === 'kortrijk' ? 3 : 2, tenant);
      }
    }
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
    expect(await table.getByRole('row', { name: /Werk/ }).getByRole('cell').textContent()).toBe('1');
    expect(await page.getByRole('definition').first().textContent()).toBe('8');
    // Per month: the last six months (no signals before: zeros), this month 8 received.
    const months = page.getByRole('figure', { name: 'Signalen per maand' });
    await months.getByText('Cijfers als tabel').click();
    const monthRows = months.getByRole('table').locator('tbody tr');
    expect(await monthRows.count()).toBe(6);
    expect(await monthRows.first().getByRole('cell').allTextContents()).toEqual(['0', '0', '0']);
    expect(await monthRows.last().getByRole('cell').allTextContents()).toEqual(['8', '0', '0']);
    expect(errorsOf(page)).toEqual([]);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'dashboard');
    await page.close();
  });

  it('names the correlation id of a server failure in the message, so that it can be passed on', async () => {
    const page = await open('beleid@gent.demo', '/beleidsbriefs');
    // The dashboard's API answer fails (the page of the same path is not touched).
    await page.route(
      (url) => url.pathname === '/dashboard',
      async (route) => {
        if (route.request().resourceType() !== 'fetch') return route.continue();
        await route.fulfill({
          status: 500,
          contentType: 'application/json',
          headers: { 'X-Correlation-Id': 'ref-2026-12-03-q' },
          body: JSON.stringify({
            statusCode: 500,
            code: 'INTERNAL_ERROR',
            message: 'Er ging iets mis aan onze kant. Probeer het later opnieuw.',
          }),
        });
      },
    );
    await page.getByRole('link', { name: 'Dashboard' }).click();
    const alert = page.getByRole('alert');
    await alert.getByText(/Geef bij een melding deze referentie door: ref-2026-12-03-q\./).waitFor();
    expect(await alert.textContent()).toContain('Er ging iets mis aan onze kant.');
    await page.close();
  });

  it('lets an official open every screen of their menu without any page or API answer carrying a signal text', async () => {
    const page = await open('beleid@gent.demo', '/');
    const menu = page.getByRole('navigation', { name: 'Hoofdmenu' });
    await menu.getByRole('link', { name: 'Beleidsbriefs' }).waitFor();
    const links = await menu
      .getByRole('link')
      .evaluateAll((elements) =>
        elements.map((element) =>
          (element as { getAttribute(name: string): string | null }).getAttribute('href'),
        ),
      );
    expect(links).toEqual(expect.arrayContaining(['/dashboard', '/beleidsbriefs']));
    for (const href of links) {
      await page.goto(`${web.baseUrl}${href}`);
      await page.getByRole('heading', { level: 2 }).first().waitFor();
      await page.waitForLoadState('networkidle');
      // Open every table alternative, so that hidden text would be in the page as well.
      for (const summary of await page.locator('summary').all()) await summary.click();
      expect(await page.content()).not.toContain(MARKER);
    }
    for (const body of await Promise.all(apiBodies.get(page)!)) expect(body).not.toContain(MARKER);
    const calls = apiCalls.get(page)!;
    expect(calls.filter((call) => /\/(signals|dossiers)(\/|$)/.test(call))).toEqual([]);
    expect(errorsOf(page)).toEqual([]);
    await page.close();
  });

  it('requests a policy brief, follows its status until it is ready and downloads it as Markdown', async () => {
    const page = await open('beleid@gent.demo', '/beleidsbriefs');
    await page.getByRole('heading', { name: 'Beleidsbriefs', level: 2 }).waitFor();
    await page.getByLabel('Periode').fill('1999');
    await page.getByRole('button', { name: 'Brief aanvragen' }).click();
    await page.getByText('buiten 2000–2100').waitFor();
    const now = new Date();
    const quarter = `${now.getFullYear()}-Q${Math.floor(now.getMonth() / 3) + 1}`;
    await page.getByLabel('Periode').fill(quarter);
    await page.getByRole('button', { name: 'Brief aanvragen' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `De brief over ${quarter} is aangevraagd` })
      .waitFor();
    const row = page.getByRole('row', { name: new RegExp(quarter) });
    await row.locator('[data-status="generated"]').waitFor({ timeout: 90_000 });
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      row.getByRole('button', { name: `Markdown van de brief ${quarter} downloaden` }).click(),
    ]);
    expect(file.suggestedFilename()).toBe(`beleidsbrief-${quarter}-1.md`);
    const markdown = readFileSync((await file.path())!, 'utf8');
    expect(markdown).toMatch(/\| Wonen \| 5 \|/);
    expect(markdown).not.toContain(MARKER);
    expect(errorsOf(page, ['400 /briefs'])).toEqual([]);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'briefs');
    await page.close();
  }, 120_000);

  it('shows the analyst the supra-local patterns with suppressed figures as words, never as 0, and exports CSV', async () => {
    const page = await open('analist@gent.demo', '/bovenlokaal');
    await page.getByRole('heading', { name: 'Bovenlokale patronen', level: 2 }).waitFor();
    const trends = page.getByRole('table', { name: /^Thema’s in / });
    await trends.waitFor();
    // Werk: one signal in all municipalities, below the threshold. This quarter's totals are each
    // a published number (never below the threshold) or a word.
    const werk = trends.getByRole('row', { name: /Werk/ });
    expect(await werk.getByRole('cell').nth(1).textContent()).toBe('< drempel');
    for (const row of await trends.locator('tbody tr').all()) {
      const total = (await row.getByRole('cell').nth(1).textContent())!;
      if (/^\d+$/.test(total)) expect(Number(total)).toBeGreaterThanOrEqual(5);
      else expect(['< drempel', 'niet gepubliceerd']).toContain(total);
    }
    // The grand total adds the cells (a signal with two themes counts twice): not "alle signalen".
    await page.getByText(/Alle thema’s samen in \d{4}-Q[1-4]: /).waitFor();
    expect(await page.getByText('Alle signalen samen').count()).toBe(0);
    const cells = page.getByRole('table', { name: /^Signalen per thema en bestuur/ });
    const energieCells = await cells
      .getByRole('row', { name: /Energie/ })
      .getByRole('cell')
      .allTextContents();
    expect(energieCells).toContain('niet gepubliceerd');
    expect(energieCells).not.toContain('0');
    expect(energieCells).not.toContain('2');
    // Figures above the threshold are published (which ones the secondary suppression keeps is
    // the server's choice): the table shows numbers next to the words, and only seeded counts.
    const shown = (await cells.locator('td').allTextContents()).filter((text) => /^\d+$/.test(text));
    expect(shown.length).toBeGreaterThan(0);
    for (const figure of shown) expect(['5', '6', '9']).toContain(figure);
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'CSV downloaden' }).click(),
    ]);
    const csv = readFileSync((await file.path())!, 'utf8');
    expect(file.suggestedFilename()).toMatch(/^bovenlokale-patronen-\d{4}-Q[1-4]\.csv$/);
    expect(csv).toContain('onderdrukt');
    expect(csv).not.toContain(MARKER);
    // The quarter by month over all municipalities: numbers at or above the threshold, or words.
    const months = page.getByRole('table', { name: /^Signalen per thema en maand/ });
    await months.waitFor();
    const monthFigures = await months.locator('td').allTextContents();
    expect(monthFigures.length).toBeGreaterThan(0);
    for (const text of monthFigures) {
      if (/^\d+$/.test(text)) expect(Number(text)).toBeGreaterThanOrEqual(5);
      else expect(['–', '< drempel', 'niet gepubliceerd']).toContain(text);
    }
    await page.getByRole('heading', { name: 'Soort gebied per thema' }).waitFor();
    await page.getByText('Per maand', { exact: true }).click();
    await page
      .getByText(/signalen per maand, alle besturen/)
      .first()
      .waitFor();
    expect(errorsOf(page)).toEqual([]);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'supralocal');
    await page.close();
  });

  it('shows a lead processor only their own municipality’s cells, suppressed as in the whole table, without totals', async () => {
    const page = await open('coordinator@gent.demo', '/bovenlokaal');
    await page.getByRole('heading', { name: 'Bovenlokale patronen', level: 2 }).waitFor();
    const cells = page.getByRole('table', { name: /^Signalen per thema en bestuur/ });
    await cells.waitFor();
    const header = await cells.getByRole('columnheader').allTextContents();
    expect(header.map((text) => text.replace(/\d.*|meer dan.*|minder dan.*/, '').trim())).toEqual([
      'Thema',
      'Gent',
    ]);
    expect(
      await cells
        .getByRole('row', { name: /Energie/ })
        .getByRole('cell')
        .textContent(),
    ).toBe('niet gepubliceerd');
    const trendHeader = await page
      .getByRole('table', { name: /^Thema’s in / })
      .getByRole('columnheader')
      .allTextContents();
    expect(trendHeader).not.toContain('Groei');
    expect(await page.getByText('Alle thema’s samen').count()).toBe(0);
    expect(errorsOf(page)).toEqual([]);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.close();
  });

  it('lets the auditor find a signal by id, step back in its history with the slider, and verify the store', async () => {
    const lead = { Authorization: `Bearer ${await token('lead-1', ['lead-processor'])}` };
    const giver = { Authorization: `Bearer ${await token('giver-a', ['signal-giver'])}` };
    const submitted = await web.app.http
      .post('/signals')
      .set(giver)
      .send({
        title: 'Gezinnen vinden geen betaalbare huurwoning',
        description: 'Sinds de zomer vinden gezinnen met kinderen geen huurwoning onder 800 euro.',
        themes: ['wonen'],
        area: 'Rabot',
      })
      .expect(201);
    const id = submitted.body.signalId as string;
    await web.app.http
      .post(`/signals/${id}/triage`)
      .set(lead)
      .send({ motivation: 'Komt in meerdere wijken voor.' })
      .expect(200);
    const page = await open('auditor@gent.demo', '/audit');
    await page.getByRole('heading', { name: 'Audit', level: 2 }).waitFor();
    await page.getByLabel('Signaal-id').fill('geen-id');
    await page.getByRole('button', { name: 'Geschiedenis tonen' }).click();
    await page.getByText('Dit is geen geldige signaal-id').waitFor();
    await page.getByLabel('Signaal-id').fill(id);
    await page.getByRole('button', { name: 'Geschiedenis tonen' }).click();
    const history = page.getByRole('table', { name: 'Beslissingen over dit signaal, oudste eerst' });
    await history.getByRole('row', { name: /Aanvaarden als signaal/ }).waitFor();
    const state = page.getByLabel(/^Stand van het signaal op revisie/);
    await page.getByLabel('Stand van het signaal op revisie 1').getByText('Aanvaard als signaal').waitFor();
    await page.getByRole('slider').focus();
    await page.keyboard.press('ArrowLeft');
    await page
      .getByLabel('Stand van het signaal op revisie 0')
      .getByText('Ingediend', { exact: true })
      .waitFor();
    expect(await state.count()).toBe(1);
    await page.getByRole('button', { name: 'Verificatie starten' }).click();
    await page.getByText('In orde').waitFor();
    expect(errorsOf(page)).toEqual([]);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.evaluate(() =>
      (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0),
    );
    await screenshot(page, 'audit');
    // A moment before the submission: the API says the signal did not exist yet.
    await page.getByLabel('Of kies een tijdstip').fill('2020-01-01T10:00');
    await page.getByRole('button', { name: 'Stand tonen' }).click();
    await page.getByText('Op dat tijdstip was dit signaal nog niet ingediend.').waitFor();
    expect(errorsOf(page, ['404 /signals/'])).toEqual([]);
    // The reads were recorded: the audit log lists this signal's history and as-of reads.
    const auditor = { Authorization: `Bearer ${await token('auditor-1', ['auditor'])}` };
    const reads = await web.app.http.get('/audit/reads').set(auditor).expect(200);
    const kinds = (reads.body.items as Array<{ read: string; signalId: string | null }>)
      .filter((item) => item.signalId === id || item.read === 'verify')
      .map((item) => item.read);
    expect(kinds).toEqual(expect.arrayContaining(['history', 'as-of', 'verify']));
    await page.close();
  });
});
