import { afterAll, beforeAll, expect, it, jest } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import {
  describeInBrowser,
  launchBrowser,
  screenshot,
  seriousAxeViolations,
  startWebApp,
  type WebApp,
} from '../../support/browser.js';
import { DEMO_PASSWORD } from '../../../src/demo/demo-accounts.js';
import { startLocalIdp, type LocalIdp } from '../../support/local-idp.js';

jest.setTimeout(90_000);

describeInBrowser('web app: beheer, uitnodigingen, dossiers, publieke pagina (headless Chromium)', () => {
  let web: WebApp;
  let browser: Browser;
  let idp: LocalIdp;
  let giver: string;
  let admin: string;
  let lead: string;

  beforeAll(async () => {
    idp = await startLocalIdp();
    web = await startWebApp({
      env: {
        ...idp.env,
        OIDC_AUTHORIZATION_URL: idp.authorizationUrl,
        // The authorization code flow with PKCE: the app's server trades the code at the provider.
        OIDC_TOKEN_URL: idp.tokenUrl,
        OIDC_CLIENT_SECRET: idp.clientSecret,
      },
    });
    browser = await launchBrowser();
    giver = await web.app.token({ sub: 'giver-web-1', tenant: 'gent', roles: ['signal-giver'] });
    admin = await web.app.token({ sub: 'admin-web-1', tenant: 'gent', roles: ['tenant-admin'] });
    lead = await web.app.token({ sub: 'lead-web-2', tenant: 'gent', roles: ['lead-processor'] });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await web?.close();
    await idp?.close();
  });

  async function submitSignal(title: string): Promise<string> {
    const response = await web.app.http
      .post('/signals')
      .set('Authorization', `Bearer ${giver}`)
      .send({
        title,
        description: 'Gezinnen met kinderen vinden geen betaalbare huurwoning in de wijk.',
        themes: ['wonen'],
      })
      .expect(201);
    const signalId = response.body.signalId as string;
    // Only a signal accepted as signal can be bundled.
    await web.app.http
      .post(`/signals/${signalId}/triage`)
      .set('Authorization', `Bearer ${lead}`)
      .send({})
      .expect(200);
    return signalId;
  }

  /**
   * A colleague removes a signal from the dossier through the API while the page shows it, and the
   * dossier's read model stays behind the event store, as the browser sees it: the page's next
   * `reads` reads of the dossier (every one, without) answer it as it was before the removal.
   */
  async function colleagueRemovesUnseen(page: Page, dossierId: string, signalId: string, reads = Infinity) {
    const before = await web.app.http
      .get(`/dossiers/${dossierId}`)
      .set('Authorization', `Bearer ${lead}`)
      .expect(200);
    await web.app.http
      .post(`/dossiers/${dossierId}/remove-signal`)
      .set('Authorization', `Bearer ${lead}`)
      .send({ signalId, reason: 'Hoort bij een ander dossier.' })
      .expect(200);
    let stale = 0;
    const dossierRead = (url: URL) => url.pathname === `/dossiers/${dossierId}`;
    await page.route(dossierRead, async (route) => {
      if (route.request().method() !== 'GET' || stale >= reads) return route.continue();
      stale++;
      await route.fulfill({
        status: 200,
        contentType: 'application/json',
        headers: { ETag: before.headers['etag'] as string },
        body: JSON.stringify(before.body),
      });
    });
    return { staleReads: () => stale, caughtUp: () => page.unroute(dossierRead) };
  }

  /** As support/browser's signIn, with an exact button name: this app also offers OIDC sign-in. */
  async function signIn(page: Page, baseUrl: string, email: string): Promise<void> {
    await page.goto(`${baseUrl}/aanmelden`);
    await page.getByLabel('Bestuur').fill('gent');
    await page.getByLabel('E-mailadres').fill(email);
    await page.getByLabel(/^Wachtwoord/).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Aanmelden', exact: true }).click();
    await page.getByRole('button', { name: 'Afmelden' }).waitFor();
  }

  /** Picks an option of a Mantine (Multi)Select by its label. */
  async function choose(page: Page, label: string | RegExp, option: string, multiple = true): Promise<void> {
    await page.getByRole('combobox', { name: label, exact: true }).click();
    await page.getByRole('option', { name: option, exact: true }).click();
    // A MultiSelect keeps its list open; Escape closes it (in a dialog it would close the dialog).
    if (multiple) await page.keyboard.press('Escape');
  }

  it('an invite made by the admin is accepted in a fresh browser; the new person sees the menu of their role', async () => {
    const page = await browser.newPage();
    await signIn(page, web.baseUrl, 'beheerder@gent.demo');
    await page.getByRole('navigation').getByRole('link', { name: 'Beheer' }).click();
    await page.getByRole('tab', { name: 'Uitnodigingen' }).click();
    // Scoped to the invite form: until the tab switch is rendered, the settings panel is still
    // there and its "E-mailadres meldpunt" would match a bare label 'E-mailadres'.
    const form = page.getByRole('form', { name: 'Uitnodiging maken' });
    await form.getByLabel('E-mailadres').fill('nieuwe.coordinator@gent.be');
    await choose(page, 'Rollen', 'Hoofdsignaalverwerker');
    // The answer to the form, awaited and checked: a refused or lost request then fails here with
    // what the server said, rather than as a link that never shows.
    const [answer] = await Promise.all([
      page.waitForResponse(
        (response) =>
          response.request().method() === 'POST' && new URL(response.url()).pathname === '/invites',
      ),
      page.getByRole('button', { name: 'Uitnodiging maken' }).click(),
    ]);
    expect(`${answer.status()} ${await answer.text()}`).toMatch(/^201 /);
    const link = (await page.getByTestId('invite-link').textContent())!.trim();
    // The code travels in the fragment: no server (nor its access log) ever sees it.
    expect(link).toMatch(new RegExp(`^${web.baseUrl}/uitnodiging#tenant=gent&token=[^&]{20,}$`));
    await page.close();

    const context = await browser.newContext();
    const invitee = await context.newPage();
    await invitee.goto(link);
    await invitee.getByRole('heading', { name: 'Uitnodiging aanvaarden' }).waitFor();
    expect(await invitee.getByLabel('Uitnodigingscode').inputValue()).toBe(
      new URLSearchParams(new URL(link).hash.slice(1)).get('token'),
    );
    expect(invitee.url()).toBe(`${web.baseUrl}/uitnodiging`);
    expect(await seriousAxeViolations(invitee)).toEqual([]);
    await invitee.getByLabel('Je naam').fill('Nele Nieuw');
    // Too short: the message stands at the password field, nothing is sent.
    await invitee
      .getByLabel(/^Wachtwoord/)
      .first()
      .fill('kort');
    await invitee.getByRole('button', { name: 'Account maken en aanmelden' }).click();
    await invitee.getByText('Een wachtwoord heeft minstens 12 tekens.').waitFor();
    expect(await seriousAxeViolations(invitee)).toEqual([]);
    await screenshot(invitee, 'invite');
    await invitee
      .getByLabel(/^Wachtwoord/)
      .first()
      .fill('een-lang-genoeg-wachtwoord');
    await invitee.getByLabel('Wachtwoord herhalen').fill('een-lang-genoeg-wachtwoord');
    await invitee.getByRole('button', { name: 'Account maken en aanmelden' }).click();
    await invitee.getByRole('button', { name: 'Afmelden' }).waitFor();
    const menu = invitee.getByRole('navigation');
    await menu.getByRole('link', { name: 'Dossiers' }).waitFor();
    expect(await menu.getByRole('link', { name: 'Beheer' }).count()).toBe(0);
    expect(await invitee.getByRole('main').textContent()).toContain('Hoofdsignaalverwerker');

    // The link works once.
    const again = await context.newPage();
    await again.goto(link);
    await again.getByLabel('Je naam').fill('Nele Nieuw');
    await again
      .getByLabel(/^Wachtwoord/)
      .first()
      .fill('een-lang-genoeg-wachtwoord');
    await again.getByLabel('Wachtwoord herhalen').fill('een-lang-genoeg-wachtwoord');
    await again.getByRole('button', { name: 'Account maken en aanmelden' }).click();
    expect(await again.getByRole('alert').textContent()).toContain('al gebruikt');
    await context.close();
  });

  it('an invite is accepted through the OIDC provider, and that person signs in with the provider button', async () => {
    const invite = await web.app.http
      .post('/invites')
      .set('Authorization', `Bearer ${admin}`)
      .send({ email: 'oidc.verwerker@gent.be', roles: ['signal-giver'] })
      .expect(201);
    const context = await browser.newContext();
    const requests: URL[] = [];
    // The provider's authorization endpoint: signs the person in and sends a code back, which its
    // token endpoint trades (once) for an ID token, for this PKCE challenge's verifier only.
    const callbacks: string[] = [];
    await context.route(`${idp.authorizationUrl}**`, async (route) => {
      const request = new URL(route.request().url());
      requests.push(request);
      const redirectUri = request.searchParams.get('redirect_uri')!;
      const code = idp.issueCode({
        claims: { sub: 'acm-123', nonce: request.searchParams.get('nonce') },
        clientId: request.searchParams.get('client_id')!,
        redirectUri,
        codeChallenge: request.searchParams.get('code_challenge')!,
      });
      const back = new URL(redirectUri);
      back.search = new URLSearchParams({ code, state: request.searchParams.get('state')! }).toString();
      callbacks.push(back.toString());
      await route.fulfill({ status: 302, headers: { location: back.toString() } });
    });
    const page = await context.newPage();
    // A link of the older form (query string) still fills the page in.
    await page.goto(`${web.baseUrl}/uitnodiging?tenant=gent&token=${invite.body.token}`);
    await page.getByLabel('Je naam').fill('Olga Oidc');
    await page.getByRole('button', { name: 'Aanvaarden via identiteitsprovider' }).click();
    await page.getByRole('button', { name: 'Afmelden' }).waitFor();
    expect(requests[0]!.searchParams.get('client_id')).toBe(idp.audience);
    expect(requests[0]!.searchParams.get('response_type')).toBe('code');
    expect(requests[0]!.searchParams.get('code_challenge_method')).toBe('S256');
    expect(requests[0]!.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(requests[0]!.searchParams.get('redirect_uri')).toBe(`${web.baseUrl}/aanmelden/oidc`);
    expect(page.url()).toBe(`${web.baseUrl}/`);
    // The server traded the code with the verifier only the tab knew (its hash is the challenge).
    expect(idp.tokenRequests.at(-1)).toMatchObject({
      grant_type: 'authorization_code',
      redirect_uri: `${web.baseUrl}/aanmelden/oidc`,
      basic_client_id: idp.audience,
    });
    await page.getByRole('button', { name: 'Afmelden' }).click();

    await page.getByLabel('Bestuur').fill('gent');
    await page.getByRole('button', { name: 'Aanmelden via identiteitsprovider' }).click();
    await page.getByRole('button', { name: 'Afmelden' }).waitFor();
    expect(await page.getByRole('main').textContent()).toContain('Signaalgever');
    expect(requests).toHaveLength(2);
    expect(requests[1]!.searchParams.get('state')).not.toBe(requests[0]!.searchParams.get('state'));

    // A callback that this tab did not start is refused, and so is a code brought back again.
    await page.goto(`${web.baseUrl}/aanmelden/oidc#id_token=x.y.z&state=verzonnen`);
    expect(await page.getByRole('alert').textContent()).toContain('niet vanuit dit tabblad');
    await page.goto(callbacks[1]!);
    expect(await page.getByRole('alert').textContent()).toContain('niet vanuit dit tabblad');
    await context.close();
  });

  it('the admin changes settings, sees a refusal at its field, and finds the change after a reload', async () => {
    const page = await browser.newPage();
    await signIn(page, web.baseUrl, 'beheerder@gent.demo');
    await page.goto(`${web.baseUrl}/beheer`);
    await page.getByRole('heading', { name: /^Instellingen van/ }).waitFor();
    await page.getByLabel('Privacyverklaring').fill('Te kort');
    await page.getByRole('button', { name: 'Instellingen bewaren' }).click();
    const field = page.getByLabel('Privacyverklaring');
    await page.getByText("'Privacyverklaring' is een tekst van 20 tot 20000 tekens.").waitFor();
    expect(await field.getAttribute('aria-invalid')).toBe('true');

    await field.fill(
      'Lokaal Signaal bewaart geen gegevens over cliënten; zie de privacyverklaring van de stad.',
    );
    await page.getByLabel('Bewaartermijn (jaren)').fill('7');
    await page.getByLabel('Eigen termijn voor Ingediend, in dagen').fill('4');
    await page.getByLabel('Naam meldpunt').fill('Meldpunt Lokaal Signaal');
    await page.getByLabel('E-mailadres meldpunt').fill('signalen@stad.gent');
    await page.getByRole('button', { name: 'Instellingen bewaren' }).click();
    await page.getByText('De instellingen zijn bewaard.').waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.evaluate('window.scrollTo(0, 0)');
    await screenshot(page, 'admin-settings');

    await page.reload();
    await page.getByRole('heading', { name: /^Instellingen van/ }).waitFor();
    await page.getByLabel('Bewaartermijn (jaren)').waitFor();
    expect(await page.getByLabel('Bewaartermijn (jaren)').inputValue()).toBe('7');
    expect(await page.getByLabel('Eigen termijn voor Ingediend, in dagen').inputValue()).toBe('4');
    expect(await page.getByLabel('E-mailadres meldpunt').inputValue()).toBe('signalen@stad.gent');
    const tenant = await web.app.http.get('/tenant').set('Authorization', `Bearer ${admin}`).expect(200);
    expect(tenant.body.settings).toMatchObject({
      retentionYears: 7,
      deadlineOverrides: { submitted: 4 },
      contactPoint: { name: 'Meldpunt Lokaal Signaal', email: 'signalen@stad.gent', phone: null },
    });
    await page.close();
  });

  it('the admin registers an organisation and changes its engagement mode; people and their roles are listed', async () => {
    const page = await browser.newPage();
    await signIn(page, web.baseUrl, 'beheerder@gent.demo');
    await page.goto(`${web.baseUrl}/beheer/organisaties`);
    await page.getByRole('heading', { name: 'Organisaties', exact: true }).waitFor();
    await page.getByLabel('Code').fill('Fout Formaat');
    await page.getByLabel(/^Naam/).fill('Buurtwerk Oost');
    await page.getByRole('button', { name: 'Registreren' }).click();
    await page.getByText('De code van een organisatie bestaat uit kleine letters').waitFor();
    await page.getByLabel('Code').fill('buurtwerk-oost');
    await page.getByRole('button', { name: 'Registreren' }).click();
    await page.getByText('Buurtwerk Oost is geregistreerd.').waitFor();
    await choose(page, 'Engagementvorm van Buurtwerk Oost', '3 - Signaleert, zonder verwerking', false);
    await page.getByText('De engagementvorm van Buurtwerk Oost is gewijzigd.').waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    const list = await web.app.http.get('/organisations').set('Authorization', `Bearer ${admin}`).expect(200);
    expect(list.body.items).toContainEqual(
      expect.objectContaining({ organisationId: 'buurtwerk-oost', engagementMode: 3 }),
    );

    await page.getByRole('tab', { name: 'Personen' }).click();
    const row = page.getByRole('row', { name: /Vincent Verwerker/ });
    await row.waitFor();
    expect(await row.textContent()).toContain('Signaalverwerker');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.close();
  });

  it('the admin grants a person a role and erases a person with a reason and a confirmation', async () => {
    const invite = await web.app.http
      .post('/invites')
      .set('Authorization', `Bearer ${admin}`)
      .send({ email: 'tijdelijk@gent.be', roles: ['signal-giver'] })
      .expect(201);
    const accepted = await web.app.http
      .post('/invites/accept')
      .send({
        tenant: 'gent',
        token: invite.body.token,
        name: 'Tom Tijdelijk',
        password: 'een-lang-wachtwoord',
      })
      .expect(201);
    const page = await browser.newPage();
    await signIn(page, web.baseUrl, 'beheerder@gent.demo');
    await page.goto(`${web.baseUrl}/beheer/personen`);
    const row = page.getByRole('row', { name: /Tom Tijdelijk/ });
    await row.getByRole('button', { name: 'Rollen van Tom Tijdelijk' }).click();
    await choose(page, 'Rollen', 'Auditor');
    await page.getByRole('dialog').getByRole('button', { name: 'Rollen bewaren' }).click();
    await page.getByText('De rollen van Tom Tijdelijk zijn gewijzigd.').waitFor();
    await row.getByText('Auditor').waitFor();

    await row.getByRole('button', { name: 'Wissen Tom Tijdelijk' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Gegevens wissen' }).click();
    await dialog.getByText('Geef een reden van minstens 5 tekens.').waitFor();
    await dialog.getByText('Bevestig dat je de gegevens wil wissen.').waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await dialog.getByLabel('Reden').fill('Vraag van de persoon (AVG art. 17).');
    await dialog.getByLabel('Ik begrijp dat dit niet ongedaan kan worden').check();
    await dialog.getByRole('button', { name: 'Gegevens wissen' }).click();
    await page.getByText('De gegevens van Tom Tijdelijk zijn gewist.').waitFor();
    const people = await web.app.http.get('/people').set('Authorization', `Bearer ${admin}`).expect(200);
    const person = (people.body.items as Array<{ personId: string; erased: boolean; roles: string[] }>).find(
      (p) => p.personId === accepted.body.personId,
    );
    expect(person).toMatchObject({ erased: true, email: null });
    await web.app.http
      .post('/auth/login')
      .send({ tenant: 'gent', email: 'tijdelijk@gent.be', password: 'een-lang-wachtwoord' })
      .expect(401);
    await page.close();
  });

  it('a lead processor creates a dossier from a signal, adds a second one, and a stale page is explained', async () => {
    const first = await submitSignal('Wachtlijst sociale huur in de wijk');
    const second = await submitSignal('Huurwaarborg onbetaalbaar voor jonge gezinnen');
    const page = await browser.newPage();
    await signIn(page, web.baseUrl, 'coordinator@gent.demo');
    await page.getByRole('navigation').getByRole('link', { name: 'Dossiers' }).click();
    await page.getByRole('heading', { name: 'Nieuw dossier' }).waitFor();
    await page.getByRole('button', { name: 'Dossier aanmaken' }).click();
    await page.getByText('Kies minstens één signaal.').waitFor();
    await page.getByLabel('Titel').fill('Betaalbaar huren');
    await page.getByLabel('Samenvatting').fill('Jonge gezinnen vinden geen betaalbare huurwoning.');
    await choose(page, "Thema's", 'Wonen');
    await choose(page, 'Signalen', 'Wachtlijst sociale huur in de wijk');
    await page.getByRole('button', { name: 'Dossier aanmaken' }).click();
    await page.getByRole('heading', { name: 'Betaalbaar huren' }).waitFor();
    const dossierId = page.url().split('/').pop()!;

    await page.getByRole('button', { name: 'Signaal toevoegen' }).click();
    await choose(page, 'Signaal', 'Huurwaarborg onbetaalbaar voor jonge gezinnen', false);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.getByRole('dialog').getByRole('button', { name: 'Signaal toevoegen' }).click();
    await page.getByText('Signaal toevoegen: gelukt.').waitFor();
    const members = page.getByRole('table', { name: 'Signalen in dit dossier' });
    await members.getByRole('link', { name: 'Huurwaarborg onbetaalbaar voor jonge gezinnen' }).waitFor();
    expect(await members.getByRole('row').count()).toBe(3);
    expect(await seriousAxeViolations(page)).toEqual([]);

    // A colleague removes a signal meanwhile: the page's revision is stale, the server answers 412.
    // The read model a moment behind the event store: the page's first two reads after the 412
    // still get the dossier from before the colleague's change. The page reads again until it has it.
    const colleague = await colleagueRemovesUnseen(page, dossierId, second, 2);
    await page
      .getByRole('row', { name: /Wachtlijst sociale huur/ })
      .getByRole('button')
      .click();
    await page.getByRole('dialog').getByLabel('Reden').fill('Dubbel gemeld.');
    await page.getByRole('dialog').getByRole('button', { name: 'Signaal verwijderen' }).click();
    await page.getByText('Intussen gewijzigd').waitFor();
    await members
      .getByRole('link', { name: 'Huurwaarborg onbetaalbaar voor jonge gezinnen' })
      .waitFor({ state: 'detached' });
    expect(await members.getByRole('link', { name: 'Wachtlijst sociale huur in de wijk' }).count()).toBe(1);
    expect(colleague.staleReads()).toBe(2);
    await colleague.caughtUp();

    // Analysis, escalation and a policy decision, each through its dialog.
    await page.getByRole('button', { name: 'Analyse vastleggen' }).click();
    await page
      .getByRole('dialog')
      .getByLabel('Conclusie van de analyse')
      .fill('Structureel tekort aan sociale huur.');
    await page.getByRole('dialog').getByRole('button', { name: 'Analyse vastleggen' }).click();
    await page.getByText('Analyse vastleggen: gelukt.').waitFor();
    await page.getByRole('heading', { name: 'Analyse' }).waitFor();
    await page.getByRole('button', { name: 'Agenderen bij beleid' }).click();
    const escalate = page.getByRole('dialog');
    await escalate.getByRole('button', { name: 'Agenderen bij beleid' }).click();
    await escalate.getByText("Het veld 'Niveau' moet 'local'", { exact: false }).waitFor();
    await choose(page, 'Niveau', 'Lokaal (college, raad, lokaal overleg)', false);
    await escalate.getByLabel('Orgaan').fill('College van burgemeester en schepenen');
    await escalate.getByLabel('Motivering').fill('Meerdere partners zien hetzelfde tekort.');
    await escalate.getByRole('button', { name: 'Agenderen bij beleid' }).click();
    await page
      .getByRole('heading', { name: 'Geagendeerd bij College van burgemeester en schepenen' })
      .waitFor();
    await page.getByRole('button', { name: 'Beleidsbeslissing vastleggen' }).click();
    const decide = page.getByRole('dialog');
    await decide.getByLabel('Beslissing').fill('Extra budget voor sociale huurwoningen.');
    await decide.getByLabel('Acties').fill('Budget vrijmaken\nOverleg met de huisvestingsmaatschappij');
    await decide
      .getByLabel('Terugkoppeling aan de signaalgevers')
      .fill('Het college trekt extra budget uit.');
    await decide.getByRole('button', { name: 'Beleidsbeslissing vastleggen' }).click();
    await page.getByText('Overleg met de huisvestingsmaatschappij').waitFor();
    await page.getByText('Beleidsbeslissing vastleggen: gelukt.').waitFor();

    await page.getByRole('link', { name: '← Alle dossiers' }).click();
    await page.getByRole('link', { name: 'Betaalbaar huren' }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.evaluate('window.scrollTo(0, 0)');
    await screenshot(page, 'dossiers');
    expect(first).not.toBe(second);
    await page.close();
  });

  it('a dossier page whose read model stays behind after a 412 says so instead of claiming the change is shown', async () => {
    const kept = await submitSignal('Geen speelruimte in de nieuwe verkaveling');
    const removed = await submitSignal('Speelplein zonder schaduw');
    const created = await web.app.http
      .post('/dossiers')
      .set('Authorization', `Bearer ${lead}`)
      .set('Idempotency-Key', 'stale-dossier-page')
      .send({
        title: 'Speelruimte',
        summary: 'Kinderen vinden geen plek om buiten te spelen.',
        themes: ['wonen'],
        signalIds: [kept, removed],
      })
      .expect(201);
    const dossierId = created.body.dossierId as string;
    // Once the dossier's read model has the creation.
    await web.app.http
      .get(`/dossiers/${dossierId}`)
      .query({ minPosition: created.body.position as string })
      .set('Authorization', `Bearer ${lead}`)
      .expect(200);
    const page = await browser.newPage();
    await signIn(page, web.baseUrl, 'coordinator@gent.demo');
    await page.goto(`${web.baseUrl}/dossiers/${dossierId}`);
    await page.getByRole('heading', { name: 'Speelruimte' }).waitFor();
    // Every read of the dossier answers as before the colleague's change, however often the page asks.
    const colleague = await colleagueRemovesUnseen(page, dossierId, removed);
    await page
      .getByRole('row', { name: /Geen speelruimte/ })
      .getByRole('button')
      .click();
    await page.getByRole('dialog').getByLabel('Reden').fill('Dubbel gemeld.');
    await page.getByRole('dialog').getByRole('button', { name: 'Signaal verwijderen' }).click();
    await page.getByText('Iemand anders wijzigde dit dossier terwijl je het bekeek').waitFor();
    await page.getByText('die wijziging is hier nog niet zichtbaar').waitFor({ timeout: 15_000 });
    // The first read after the 412 and twenty more, then the page stops asking.
    expect(colleague.staleReads()).toBe(21);
    await page.waitForTimeout(600);
    expect(colleague.staleReads()).toBe(21);
    await colleague.caughtUp();
    await page.close();
  });

  it('shows the public page of a municipality without signing in', async () => {
    const page = await browser.newPage();
    await page.goto(`${web.baseUrl}/gemeente/gent`);
    await page.getByRole('heading', { name: 'Partners' }).waitFor();
    expect(await page.getByRole('main').textContent()).toContain('Aantallen onder 5 worden niet getoond');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.goto(`${web.baseUrl}/gemeente/bestaat-niet`);
    expect(await page.getByRole('alert').textContent()).toContain('geen Lokaal Signaal-pagina');
    await page.close();
  });
});
