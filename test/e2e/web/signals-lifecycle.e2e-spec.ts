import { afterAll, beforeAll, expect, it, jest } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  describeInBrowser,
  launchBrowser,
  screenshot,
  seriousAxeViolations,
  signIn,
  startWebApp,
  type WebApp,
} from '../../support/browser.js';

jest.setTimeout(180_000);

const TITLE = 'Huurders in Ledeberg wachten maanden op herstellingen';
const DESCRIPTION =
  'Meerdere gezinnen in sociale huurwoningen melden vocht en schimmel; herstellingen laten maanden op zich wachten.';

describeInBrowser('web app: a signal from intake to feedback, across roles (headless Chromium)', () => {
  let web: WebApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  /** Each person in a browser context of their own (their own session), signed in through the UI. */
  const personPage = async (email: string): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(15_000);
    contexts.push(context);
    const page = await context.newPage();
    await signIn(page, web.baseUrl, email);
    return page;
  };

  /** Fires one of the signal's allowed commands through its button and form. */
  const runCommand = async (
    page: Page,
    label: string,
    fill: (dialog: ReturnType<Page['getByRole']>) => Promise<void>,
  ) => {
    await page.getByRole('button', { name: label, exact: true }).first().click();
    const dialog = page.getByRole('dialog', { name: label });
    await dialog.waitFor();
    await fill(dialog);
    await dialog.getByRole('button', { name: label, exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await page
      .getByRole('status')
      .filter({ hasText: `${label}: gelukt` })
      .waitFor();
  };

  const choose = async (page: Page, dialog: ReturnType<Page['getByRole']>, label: RegExp, option: string) => {
    await dialog.getByRole('combobox', { name: label }).click();
    await page.getByRole('option', { name: option, exact: true }).click();
  };

  let signalUrl = '';

  /** A signal of gent submitted through the API by the signal giver `sub`; its id. */
  const submitThroughApi = async (sub: string, title: string, description: string, theme: string) => {
    const token = await web.app.token({ sub, tenant: 'gent', roles: ['signal-giver'] });
    const answer = await web.app.http
      .post('/signals')
      .set('Authorization', `Bearer ${token}`)
      .send({ title, description, themes: [theme] });
    expect(answer.status).toBe(201);
    return answer.body.signalId as string;
  };

  beforeAll(async () => {
    web = await startWebApp();
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await web?.close();
  });

  it('the signal giver submits a signal; the privacy guard names the field that holds personal data', async () => {
    const page = await personPage('signaalgever@gent.demo');
    // The municipality by its name, for a signal giver too (GET /me).
    await page.getByText('Je bent aangemeld bij Gent als', { exact: false }).waitFor();
    await page
      .getByRole('navigation', { name: 'Hoofdmenu' })
      .getByRole('link', { name: 'Signaal melden' })
      .click();
    await page.getByRole('heading', { name: 'Signaal melden', level: 2 }).waitFor();
    await page.getByLabel(/^Titel/).fill(TITLE);
    await page.getByLabel(/^Beschrijving/).fill(`${DESCRIPTION} Contact: jan.peeters@example.com`);
    await page.getByRole('combobox', { name: /^Thema's/ }).click();
    await page.getByRole('option', { name: 'Wonen', exact: true }).click();
    await page.keyboard.press('Escape');
    await page.getByLabel(/^Gebied/).fill('Ledeberg');
    await page.getByLabel(/^Geschat aantal betrokkenen/).fill('40');
    await page.getByRole('radio', { name: 'Hoog' }).check();
    await page.getByRole('button', { name: 'Signaal indienen' }).click();

    // The 422 is shown at the description, in Dutch, with the field's Dutch name.
    const description = page.getByLabel(/^Beschrijving/);
    await description.and(page.locator('[aria-invalid="true"]')).waitFor();
    const describedBy = (await description.getAttribute('aria-describedby')) ?? '';
    const messages = await Promise.all(
      describedBy
        .split(' ')
        .filter(Boolean)
        .map((id) => page.locator(`[id="${id}"]`).textContent()),
    );
    expect(messages.join(' ')).toContain("Het veld 'Beschrijving' bevat wat lijkt op een e-mailadres");
    expect(await page.getByLabel(/^Titel/).getAttribute('aria-invalid')).not.toBe('true');
    await page.mouse.move(700, 5);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'intake');

    await description.fill(DESCRIPTION);
    await page.getByRole('button', { name: 'Signaal indienen' }).click();
    await page.getByText('Je signaal is ingediend').waitFor();
    await page.getByRole('link', { name: 'bekijk het signaal' }).click();
    await page.getByRole('heading', { name: TITLE }).waitFor();
    signalUrl = new URL(page.url()).pathname;
    expect(signalUrl).toMatch(/^\/signalen\/[0-9a-f-]{36}$/);
    expect(await page.getByText('Status: Ingediend', { exact: true }).count()).toBe(1);
  });

  let lead: Page;

  it('the lead processor finds it in the inbox, accepts it and assigns it to a policy domain and a processor by name', async () => {
    lead = await personPage('coordinator@gent.demo');
    await lead.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Inbox' }).click();
    await lead.getByRole('heading', { name: 'Inbox', level: 2 }).waitFor();
    await lead.getByRole('link', { name: TITLE }).waitFor();
    await lead.mouse.move(700, 5); // off the menu: scan the page at rest, not a hovered menu item
    expect(await seriousAxeViolations(lead)).toEqual([]);
    await screenshot(lead, 'inbox');

    // A server-side filter: a theme the signal does not have hides it.
    await lead.getByRole('combobox', { name: 'Thema', exact: true }).click();
    await lead.getByRole('option', { name: 'Energie', exact: true }).click();
    await lead.keyboard.press('Escape');
    await lead.getByText('Geen signalen met deze filters.').waitFor();
    expect(lead.url()).toContain('theme=energie');
    await lead.getByRole('button', { name: 'Filters wissen' }).click();

    // A named, saved filter survives a reload (kept per person in this browser) and applies again.
    await lead.getByRole('combobox', { name: 'Thema', exact: true }).click();
    await lead.getByRole('option', { name: 'Wonen', exact: true }).click();
    await lead.keyboard.press('Escape');
    await lead.getByLabel('Naam voor deze filter').fill('Wonen');
    await lead.getByRole('button', { name: 'Filter bewaren' }).click();
    await lead.goto(`${web.baseUrl}/inbox`);
    await lead.getByRole('combobox', { name: 'Bewaarde filters' }).click();
    await lead.getByRole('option', { name: 'Wonen', exact: true }).click();
    await expect(lead.waitForURL(/theme=wonen/)).resolves.toBeUndefined();
    await lead.getByRole('link', { name: TITLE }).waitFor();

    await lead.getByRole('link', { name: TITLE }).click();
    await lead.getByRole('heading', { name: TITLE }).waitFor();
    await runCommand(lead, 'Aanvaarden als signaal', async () => undefined);
    await runCommand(lead, 'Toewijzen', async (dialog) => {
      await choose(lead, dialog, /^Beleidsdomein/, 'Wonen');
      // The processor is chosen by name (GET /people/assignees), not by a typed id.
      await choose(lead, dialog, /^Signaalverwerker/, 'Vincent Verwerker (Wonen, Welzijn)');
    });
    await lead.getByText('Status: Toegewezen', { exact: true }).waitFor();
    // The detail names the processor, not their id, and so does the step in its history.
    await lead.getByText('Vincent Verwerker', { exact: true }).waitFor();
    const history = lead.getByRole('region', { name: 'Verloop' });
    await history.getByText('Signaalverwerker: Vincent Verwerker', { exact: true }).waitFor();
    expect(await history.textContent()).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-/);

    // In the inbox the lead reads who has it, and filters on a processor by name, not by id.
    await lead.getByRole('link', { name: 'Terug naar de inbox' }).click();
    await lead.getByRole('heading', { name: 'Inbox', level: 2 }).waitFor();
    const row = lead.getByRole('row').filter({ has: lead.getByRole('link', { name: TITLE }) });
    await row.getByRole('cell', { name: 'Vincent Verwerker', exact: true }).waitFor();
    await lead.getByRole('combobox', { name: 'Toegewezen aan', exact: true }).click();
    await lead.getByRole('option', { name: 'Vincent Verwerker (Wonen, Welzijn)', exact: true }).click();
    await expect(lead.waitForURL(/assignee=[0-9a-f-]{36}/)).resolves.toBeUndefined();
    await lead.getByRole('link', { name: TITLE }).waitFor();
    await lead.getByRole('link', { name: TITLE }).click();
    await lead.getByRole('heading', { name: TITLE }).waitFor();
  });

  it('the processor starts the analysis, asks the giver for information, and the giver answers in "Mijn signalen"', async () => {
    const processor = await personPage('verwerker@gent.demo');
    await processor.goto(`${web.baseUrl}/inbox`);
    await processor.getByRole('link', { name: TITLE }).click();
    await processor.getByRole('heading', { name: TITLE }).waitFor();
    await runCommand(processor, 'Analyse starten', async () => undefined);

    // The lead processor's page, left open, follows without a reload (server-sent events).
    await lead.getByText('Status: In analyse', { exact: true }).waitFor({ timeout: 10_000 });

    await runCommand(processor, 'Informatie vragen aan de signaalgever', async (dialog) => {
      await dialog.getByLabel(/^Vraag/).fill('Over hoeveel wooncomplexen gaat het ongeveer?');
    });

    const giver = contexts[0]!.pages()[0]!;
    await giver.goto(`${web.baseUrl}/mijn-signalen`);
    await giver.getByText('Over hoeveel wooncomplexen gaat het ongeveer?').waitFor();
    await giver.getByLabel(/^Je antwoord/).fill('Drie complexen aan de Ledebergplein-kant.');
    await giver.getByRole('button', { name: 'Informatie bezorgen' }).click();
    await giver.getByText('Status: In analyse', { exact: true }).waitFor();
    // The form closes with a word that the answer went through.
    await giver.getByRole('status').getByText('Je antwoord op de vraag over', { exact: false }).waitFor();

    await processor.getByText('Status: In analyse', { exact: true }).waitFor({ timeout: 10_000 });
    await runCommand(processor, 'Analyse vastleggen', async (dialog) => {
      await dialog
        .getByLabel(/^Conclusie/)
        .fill('Structureel probleem met onderhoud van het sociale woonpatrimonium.');
      await dialog.getByRole('radio', { name: 'Ja' }).check();
    });
    await processor.getByText('Status: Geanalyseerd', { exact: true }).waitFor();
  });

  it('explains a conflict (someone else changed the signal) in Dutch and offers a reload', async () => {
    await lead.getByText('Status: Geanalyseerd', { exact: true }).waitFor({ timeout: 10_000 });
    await lead.getByRole('button', { name: 'Interne notitie toevoegen' }).click();
    const dialog = lead.getByRole('dialog', { name: 'Interne notitie toevoegen' });
    await dialog.getByLabel(/^Notitie/).fill('Bespreken op het volgende overleg.');
    // Meanwhile another lead processor changes the signal through the API.
    const id = signalUrl.split('/').pop()!;
    const token = await web.app.token({ sub: 'lead-2', tenant: 'gent', roles: ['lead-processor'] });
    const other = await web.app.http
      .post(`/signals/${id}/add-note`)
      .set('Authorization', `Bearer ${token}`)
      .send({ note: 'Al besproken met de huisvestingsmaatschappij.' });
    expect(other.status).toBe(200);
    await dialog.getByRole('button', { name: 'Interne notitie toevoegen' }).click();
    await dialog.getByText('Iemand anders heeft dit signaal intussen gewijzigd').waitFor();
    await dialog.getByRole('button', { name: 'Signaal opnieuw laden' }).click();
    await dialog.waitFor({ state: 'detached' });
    await lead.getByText('Al besproken met de huisvestingsmaatschappij.').waitFor();
  });

  it('the lead processor puts it on the policy agenda and closes it with feedback', async () => {
    await runCommand(lead, 'Agenderen bij beleid', async (dialog) => {
      await choose(lead, dialog, /^Niveau/, 'Lokaal');
      await dialog.getByLabel(/^Orgaan/).fill('College van burgemeester en schepenen');
      await dialog
        .getByLabel(/^Motivering/)
        .fill('Raakt veel gezinnen en vraagt een afspraak met de huisvestingsmaatschappij.');
    });
    await runCommand(lead, 'Afsluiten met feedback', async (dialog) => {
      await dialog
        .getByLabel(/^Resultaat/)
        .fill('Het college maakte een herstelplan met de huisvestingsmaatschappij.');
      await dialog
        .getByLabel(/^Feedback aan de signaalgever/)
        .fill('Dank je. Er komt een herstelplan voor de woningen; de eerste werken starten in het voorjaar.');
    });
    await lead.getByText('Status: Afgesloten', { exact: true }).waitFor();
    expect(await seriousAxeViolations(lead)).toEqual([]);
    await screenshot(lead, 'signal-detail');
  });

  it('the signal giver reads the feedback in "Mijn signalen"', async () => {
    const giver = contexts[0]!.pages()[0]!;
    await giver.goto(`${web.baseUrl}/mijn-signalen`);
    await giver.getByRole('heading', { name: 'Mijn signalen', level: 2 }).waitFor();
    await giver.getByText('Status: Afgesloten', { exact: true }).waitFor();
    await giver.getByText('Er komt een herstelplan voor de woningen', { exact: false }).waitFor();
    // The giver never reads internal notes.
    await giver.goto(`${web.baseUrl}${signalUrl}`);
    await giver.getByRole('heading', { name: TITLE }).waitFor();
    expect(await giver.getByText('Bespreken op het volgende overleg').count()).toBe(0);
    expect(await giver.getByText('Al besproken met de huisvestingsmaatschappij').count()).toBe(0);
    // Nor who processed it: not in Gegevens, not in the history.
    expect(await giver.getByRole('region', { name: 'Verloop' }).textContent()).not.toContain(
      'Signaalverwerker:',
    );
    await giver.goto(`${web.baseUrl}/mijn-signalen`);
    await giver.getByText('Er komt een herstelplan voor de woningen', { exact: false }).waitFor();
    expect(await seriousAxeViolations(giver)).toEqual([]);
    await screenshot(giver, 'my-signals');
  });

  it('the lead processor sees similar signals, adds a signal to a dossier and erases its text after a confirmation', async () => {
    const leadToken = await web.app.token({ sub: 'lead-api', tenant: 'gent', roles: ['lead-processor'] });
    const submit = async (title: string) => {
      const id = await submitThroughApi(
        'giver-api',
        title,
        'Gezinnen vinden geen betaalbare huurwoning en wachten jaren op een sociale woning.',
        'wonen',
      );
      // A dossier bundles accepted signals.
      const triaged = await web.app.http
        .post(`/signals/${id}/triage`)
        .set('Authorization', `Bearer ${leadToken}`)
        .send({});
      expect(triaged.status).toBe(200);
      return id;
    };
    const first = await submit('Wachtlijst sociale huur in Gentbrugge');
    const second = await submit('Wachtlijst sociale huur in Sint-Amandsberg');
    const dossier = await web.app.http
      .post('/dossiers')
      .set('Authorization', `Bearer ${leadToken}`)
      .send({
        title: 'Wachtlijsten sociale huur',
        summary: 'Signalen over wachtlijsten.',
        themes: ['wonen'],
        signalIds: [first],
      });
    expect(dossier.status).toBe(201);

    await lead.goto(`${web.baseUrl}/signalen/${second}`);
    await lead.getByRole('heading', { name: 'Wachtlijst sociale huur in Sint-Amandsberg' }).waitFor();
    await lead
      .getByRole('table', { name: 'Gelijkaardige signalen' })
      .getByRole('link', { name: 'Wachtlijst sociale huur in Gentbrugge' })
      .waitFor();

    await lead.getByRole('combobox', { name: 'Dossier' }).click();
    await lead.getByRole('option', { name: /^Wachtlijsten sociale huur/ }).click();
    await lead.getByRole('button', { name: 'Toevoegen aan dossier' }).click();
    await lead.getByText('Toegevoegd aan Wachtlijsten sociale huur.').waitFor();
    await lead.getByText('Dit signaal zit al in een dossier.').waitFor();

    await lead.getByRole('button', { name: 'Tekst wissen' }).click();
    const dialog = lead.getByRole('dialog', { name: 'Tekst van het signaal wissen' });
    await dialog.getByLabel(/^Reden van het wissen/).fill('Verzoek van de signaalgever (AVG art. 17).');
    await dialog.getByRole('button', { name: 'Verder' }).click();
    // Nothing is erased before the confirmation.
    await dialog.getByText('Ben je zeker?').waitFor();
    expect(await lead.getByText('Tekst gewist', { exact: true }).count()).toBe(0);
    await dialog.getByRole('button', { name: 'Definitief wissen' }).click();
    await dialog.waitFor({ state: 'detached' });
    await lead.getByRole('heading', { name: '[gewist]', level: 2 }).waitFor();
    // The badge and the timeline's entry say so.
    expect(await lead.getByText('Tekst gewist', { exact: true }).count()).toBe(2);
  });

  it('the lead processor merges a duplicate into a signal chosen by title among the similar ones, not by a typed id', async () => {
    const submit = (title: string) =>
      submitThroughApi(
        'giver-merge',
        title,
        'Ouders vinden geen plaats in de kinderopvang en moeten hun werk minderen.',
        'kinderopvang',
      );
    const original = await submit('Geen plaats in de kinderopvang in Ledeberg');
    const duplicate = await submit('Geen plaats in de kinderopvang in Ledeberg voor jonge ouders');
    await lead.goto(`${web.baseUrl}/signalen/${duplicate}`);
    await lead
      .getByRole('heading', { name: 'Geen plaats in de kinderopvang in Ledeberg voor jonge ouders' })
      .waitFor();
    await runCommand(lead, 'Samenvoegen met een ander signaal', async (dialog) => {
      await choose(
        lead,
        dialog,
        /^Signaal waarmee samengevoegd wordt/,
        'Geen plaats in de kinderopvang in Ledeberg (Ingediend)',
      );
    });
    await lead.getByText('Status: Samengevoegd', { exact: true }).waitFor();
    const merged = await web.app.http
      .get(`/signals/${duplicate}`)
      .set(
        'Authorization',
        `Bearer ${await web.app.token({ sub: 'lead-merge', tenant: 'gent', roles: ['lead-processor'] })}`,
      )
      .set('X-Min-Position', await web.app.head());
    expect(merged.body).toMatchObject({ state: 'merged', mergedInto: original });
  });

  it('keeps the frame and says in Dutch when a screen cannot be loaded (no connection, a new version); a reload goes on', async () => {
    const page = await personPage('coordinator@gent.demo');
    // The inbox's code cannot be fetched (a release replaced the file, or the connection is gone).
    const inboxCode = /\/assets\/Inbox-[^/]+\.js$/;
    await page.route(inboxCode, (route) => route.abort());
    await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Inbox' }).click();
    await page.getByText('Dit scherm kon niet geladen worden').waitFor();
    // Header and menu stay: the person can go elsewhere or sign out.
    await page.getByRole('button', { name: 'Afmelden' }).waitFor();
    await page.unroute(inboxCode);
    await page.getByRole('button', { name: 'Pagina herladen' }).click();
    await page.getByRole('heading', { name: 'Inbox', level: 2 }).waitFor();
  });
});
