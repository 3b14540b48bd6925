import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ActorClaims } from '../../src/auth/actor.js';
import type { Clock } from '../../src/platform/clock.js';
import type { EventStore } from '../../src/platform/event-store/event-store.port.js';
import { streamName } from '../../src/platform/event-store/stream-name.js';
import { ProjectionHost } from '../../src/read-models/projection-host.js';
import { BriefLedger } from '../../src/reporting/brief-ledger.js';
import { BRIEF_GENERATED, SUPRALOCAL_SCOPE } from '../../src/reporting/brief.events.js';
import { parsePeriod } from '../../src/reporting/period.js';
import { TenantsService } from '../../src/tenants/tenants.service.js';
import { collect } from '../support/events.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { pdfText } from './brief-pdf-text.js';

// Charts and four formats take about a second on a quiet machine; CI shares two cores.
jest.setTimeout(60_000);

/** The analyst's own tenant: it must appear nowhere in the brief or its events. */
const ANALYST_TENANT = 'vvsg-analisten';

const MUNICIPALITIES = [
  { tenantId: 'gent', name: 'Gent', populationBand: 'gt-100000' },
  { tenantId: 'aalst', name: 'Aalst', populationBand: '50000-100000' },
  { tenantId: 'ieper', name: 'Ieper', populationBand: '25000-50000' },
];

/** Per quarter, tenant and theme: signals from `givers` distinct givers. Brugge did not opt in. */
const PLAN: Record<string, Record<string, Record<string, { signals: number; givers: number }>>> = {
  '2026-05-12T09:00:00.000Z': {
    gent: { wonen: { signals: 5, givers: 3 }, jeugd: { signals: 6, givers: 3 } },
    aalst: { wonen: { signals: 5, givers: 3 }, jeugd: { signals: 5, givers: 3 } },
    ieper: { wonen: { signals: 6, givers: 3 }, jeugd: { signals: 5, givers: 3 } },
  },
  '2026-08-12T09:00:00.000Z': {
    gent: {
      wonen: { signals: 9, givers: 4 },
      jeugd: { signals: 8, givers: 4 },
      energie: { signals: 3, givers: 2 },
    },
    aalst: {
      wonen: { signals: 7, givers: 3 },
      jeugd: { signals: 6, givers: 3 },
      energie: { signals: 6, givers: 3 },
    },
    ieper: {
      wonen: { signals: 8, givers: 4 },
      jeugd: { signals: 5, givers: 3 },
      energie: { signals: 7, givers: 3 },
    },
    brugge: { wonen: { signals: 11, givers: 5 } },
  },
};

async function appendSupralocalDossier(store: EventStore, tenantId: string, at: string): Promise<void> {
  const dossierId = 'd-bovenlokaal';
  const title = 'Energiearmoede bij huurders';
  // As the dossier decider records them: the title and the phase after the event ride along.
  const metadata = (occurredAt: string, to: string) => ({
    tenantId,
    actor: { id: 'lead-1', role: 'lead-processor' },
    correlationId: dossierId,
    causationId: dossierId,
    occurredAt,
    dossier: { title, to },
  });
  await store.append(
    streamName('dossier', tenantId, dossierId),
    [
      {
        type: 'DossierCreated',
        data: {
          dossierId,
          title,
          summary: 'Huurders met een lage energiescore betalen onevenredig veel voor verwarming.',
          themes: ['energie', 'wonen'],
          signalIds: ['s1', 's2', 's3', 's4'],
        },
        metadata: metadata(at, 'open'),
      },
      {
        type: 'DossierEscalated',
        data: {
          dossierId,
          level: 'supralocal',
          body: 'VVSG',
          motivation: 'Vertrouwelijke motivatie',
          memberSignalIds: ['s1', 's2', 's3', 's4'],
        },
        metadata: metadata(at, 'escalated'),
      },
    ],
    { expectedRevision: 'no-stream' },
  );
}

async function waitForBrief(app: TestApp, token: string, id: string): Promise<Record<string, unknown>> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const response = await app.http.get(`/supralocal/briefs/${id}`).set('Authorization', `Bearer ${token}`);
    expect(response.status).toBe(200);
    if (response.body.status === 'generated' || response.body.status === 'failed') return response.body;
    if (Date.now() > deadline) throw new Error(`brief ${id} still ${response.body.status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the quarterly supra-local brief over HTTP', () => {
  let t: TestApp;
  let now = new Date('2026-05-12T09:00:00.000Z');
  const clock: Clock = { now: () => now };
  const tokens: Record<string, string> = {};
  const dataDir = mkdtempSync(join(tmpdir(), 'ls-supralocal-briefs-'));

  beforeAll(async () => {
    t = await startTestApp({ clock, dataDir });
    const tenants = t.app.get(TenantsService);
    const platformAdmin = { id: 'platform-admin', role: 'platform-admin' };
    let nis = 0;
    for (const municipality of [
      ...MUNICIPALITIES,
      { tenantId: 'brugge', name: 'Brugge', populationBand: 'gt-100000' },
    ])
      // A NIS code names one municipality: a made-up one per tenant.
      await tenants.createTenant(platformAdmin, { ...municipality, nisCode: String(90000 + nis++) });
    for (const { tenantId } of MUNICIPALITIES) {
      const admin = await t.token({ sub: `${tenantId}-admin`, tenant: tenantId, roles: ['tenant-admin'] });
      await t.http
        .patch('/tenant/settings')
        .set('Authorization', `Bearer ${admin}`)
        .send({ supralocalOptIn: true })
        .expect(200);
    }
    for (const [at, plan] of Object.entries(PLAN)) {
      now = new Date(at);
      for (const [tenant, themes] of Object.entries(plan))
        for (const [theme, { signals, givers }] of Object.entries(themes))
          for (let i = 0; i < signals; i++) {
            const token = await t.token({
              sub: `${tenant}-giver-${i % givers}`,
              tenant,
              roles: ['signal-giver'],
            });
            await t.http
              .post('/signals')
              .set('Authorization', `Bearer ${token}`)
              .send({
                title: `Signaal over ${theme}`,
                description: 'Wat frontlijnwerkers zien.',
                themes: [theme],
              })
              .expect(201);
          }
    }
    await appendSupralocalDossier(t.store, 'aalst', '2026-08-20T10:00:00.000Z');
    now = new Date('2026-10-05T08:00:00.000Z');
    const head = BigInt(await t.head());
    expect(await t.app.get(ProjectionHost).waitForPosition(head, 60_000)).toBe(true);
    const claims: Record<string, Partial<ActorClaims>> = {
      analyst: { sub: 'analist-1', tenant: ANALYST_TENANT, roles: ['supralocal-analyst'] },
      lead: { sub: 'lead-1', tenant: 'gent', roles: ['lead-processor'] },
      official: { sub: 'schepen-1', tenant: 'gent', roles: ['official'] },
    };
    for (const [who, claim] of Object.entries(claims)) tokens[who] = await t.token(claim);
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const as = (who: string) => `Bearer ${tokens[who]}`;

  it('is the supra-local analyst’s only: a municipality’s lead processor or official gets 403', async () => {
    for (const who of ['lead', 'official']) {
      const post = await t.http
        .post('/supralocal/briefs')
        .set('Authorization', as(who))
        .send({ period: '2026-Q3' })
        .expect(403);
      expect(post.body).toEqual({
        statusCode: 403,
        code: 'ROLE_NOT_ALLOWED',
        message: 'Je rol laat deze actie niet toe.',
      });
      await t.http.get('/supralocal/briefs').set('Authorization', as(who)).expect(403);
    }
  });

  it('refuses what is not a finished quarter', async () => {
    const post = (period: unknown) =>
      t.http.post('/supralocal/briefs').set('Authorization', as('analyst')).send({ period });
    for (const period of ['2026-Q5', '2026-07', '2026', '2026-01-01..2026-03-31'])
      expect((await post(period).expect(400)).body).toEqual({
        statusCode: 400,
        code: 'PERIOD_INVALID',
        message: `Ongeldige periode: "${period}" is geen kwartaal: gebruik een jaar en Q1 tot Q4, zoals 2026-Q3. Een bovenlokale brief gaat over één kwartaal.`,
        details: { field: 'period' },
      });
    expect((await post('2026-Q4').expect(422)).body.code).toBe('QUARTER_NOT_ENDED');
    expect((await post('2027-Q1').expect(422)).body.code).toBe('PERIOD_IN_FUTURE');
    expect((await post(7).expect(400)).body.code).toBe('FIELD_REQUIRED');
    const extra = await t.http
      .post('/supralocal/briefs')
      .set('Authorization', as('analyst'))
      .send({ period: '2026-Q3', tenantId: 'gent' })
      .expect(400);
    expect(extra.body.code).toBe('FIELD_NOT_ALLOWED');
  });

  it('generates one brief per quarter, with Dutch headings, embedded charts and the API’s suppression', async () => {
    const first = await t.http
      .post('/supralocal/briefs')
      .set('Authorization', as('analyst'))
      .send({ period: '2026-Q3' })
      .expect(202);
    expect(first.body).toMatchObject({ briefId: 'supralocal-brief__2026-Q3__1', scope: 'supralocal' });
    expect(first.body).not.toHaveProperty('tenantId');
    expect(first.headers['location']).toBe('/supralocal/briefs/supralocal-brief__2026-Q3__1');
    // The same quarter asked again (before and after it is generated): the same brief.
    const again = await t.http
      .post('/supralocal/briefs')
      .set('Authorization', as('analyst'))
      .send({ period: '2026-Q3' })
      .expect(202);
    expect(again.body.briefId).toBe(first.body.briefId);
    const brief = await waitForBrief(t, tokens['analyst']!, first.body.briefId);
    expect(brief['status']).toBe('generated');
    const third = await t.http
      .post('/supralocal/briefs')
      .set('Authorization', as('analyst'))
      .send({ period: '2026-Q3' })
      .expect(202);
    expect(third.body).toMatchObject({ briefId: first.body.briefId, status: 'generated' });
    const list = await t.http.get('/supralocal/briefs').set('Authorization', as('analyst')).expect(200);
    expect(list.body.items.map((item: { briefId: string }) => item.briefId)).toEqual([first.body.briefId]);

    const download = (format: string) =>
      t.http
        .get(`/supralocal/briefs/${first.body.briefId}/download?format=${format}`)
        .set('Authorization', as('analyst'))
        .buffer(true)
        .parse((response, done) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => done(null, Buffer.concat(chunks)));
        })
        .expect(200);
    const html = (await download('html')).body.toString('utf8');
    for (const heading of [
      'Samenvatting',
      'Deelnemende gemeenten',
      'Stijgende thema&#39;s',
      'Verloop per thema',
      'Vergelijking per inwonersklasse',
      'Bovenlokale agenderingen',
      'Methode en onderdrukking van kleine aantallen',
    ])
      expect(html).toContain(`<h2>${heading}</h2>`);
    expect((html.match(/<figure><svg/g) ?? []).length).toBe(3);
    expect(html).toContain('&lt; drempel');
    expect(html).toContain('Energiearmoede bij huurders');
    expect(html).toContain('Huurders met een lage energiescore');
    expect(html).not.toContain('Vertrouwelijke motivatie');
    const pdf = await download('pdf');
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text = (await pdfText(pdf.body as Buffer)).text.replace(/\s+/g, ' ');
    expect(text).toContain('Bovenlokale patronen — 3de kwartaal 2026');
    expect(text).toContain('Methode en onderdrukking van kleine aantallen');
    expect(text).toContain('minstens 5 signalen van minstens 3 verschillende signaalgevers');

    // The figures are the API's answer for the analyst, hidden entries null; Brugge is absent.
    const content = JSON.parse((await download('json')).body.toString('utf8'));
    const api = await t.http
      .get('/supralocal/patterns?period=2026-Q3')
      .set('Authorization', as('analyst'))
      .expect(200);
    expect(content.participants.count).toBe(3);
    expect(
      content.themes.map((row: { theme: string; signals: number | null }) => [row.theme, row.signals]),
    ).toEqual(
      api.body.themes.map(
        (trend: { theme: string; total: { suppressed: boolean; signals?: number } | null }) => [
          trend.theme,
          trend.total === null ? 0 : trend.total.suppressed ? null : trend.total.signals,
        ],
      ),
    );
    expect(content.escalations).toEqual([
      expect.objectContaining({
        municipality: 'Aalst',
        title: 'Energiearmoede bij huurders',
        signalCount: 4,
      }),
    ]);
    const everything = `${html}\n${text}\n${JSON.stringify(content)}`;
    expect(everything).not.toMatch(/brugge|giver-|Signaal over|vvsg-analisten|analist-1/i);
  });

  it('answers 409 BRIEF_NOT_READY for a brief not made yet and 410 BRIEF_FILE_MISSING when its file is gone', async () => {
    const download = (briefId: string, format: string) =>
      t.http
        .get(`/supralocal/briefs/${briefId}/download?format=${format}`)
        .set('Authorization', as('analyst'));
    // Requested outside the app: no job makes it (the reconciler would, minutes later).
    const { record } = await new BriefLedger(t.store).request(
      SUPRALOCAL_SCOPE,
      parsePeriod('2026-Q2'),
      { id: 'analist-1', role: 'supralocal-analyst' },
      { once: true },
    );
    const waiting = await download(record.briefId, 'pdf').expect(409);
    expect(waiting.body).toMatchObject({ statusCode: 409, code: 'BRIEF_NOT_READY' });
    // The generated brief of the quarter above: its Markdown file removed behind the app's back.
    const generated = 'supralocal-brief__2026-Q3__1';
    const files = readdirSync(join(dataDir, 'briefs'), { recursive: true }) as string[];
    const markdown = files.find((file) => file.endsWith(`${generated}.md`));
    expect(markdown).toBeDefined();
    rmSync(join(dataDir, 'briefs', markdown!));
    const missing = await download(generated, 'md').expect(410);
    expect(missing.body).toMatchObject({ statusCode: 410, code: 'BRIEF_FILE_MISSING' });
    await download(generated, 'html').expect(200);
  });

  it('records the brief in its own stream, never under a municipality or the requester’s tenant', async () => {
    const events = await collect(t.store.readStream(`brief-${SUPRALOCAL_SCOPE}-2026-Q3`));
    expect(events.map((event) => event.type)).toEqual(['BriefRequested', BRIEF_GENERATED]);
    for (const event of events) expect(event.metadata.tenantId).toBe(SUPRALOCAL_SCOPE);
    expect(
      JSON.stringify(events, (_key, value: unknown) => (typeof value === 'bigint' ? String(value) : value)),
    ).not.toContain(ANALYST_TENANT);
    // A municipality neither lists nor opens it.
    const lead = await t.http.get('/briefs').set('Authorization', as('lead')).expect(200);
    expect(lead.body.items).toEqual([]);
    const open = await t.http
      .get('/briefs/supralocal-brief__2026-Q3__1')
      .set('Authorization', as('lead'))
      .expect(404);
    expect(open.body.code).toBe('BRIEF_NOT_FOUND');
    // And the supra-local routes open no municipality's brief.
    const tenantBrief = await t.http
      .get('/supralocal/briefs/brief__gent__2026-Q3__1')
      .set('Authorization', as('analyst'))
      .expect(404);
    expect(tenantBrief.body.code).toBe('BRIEF_NOT_FOUND');
  });
});

describe('restart safety of the supra-local brief', () => {
  it('generates at start a supra-local brief requested before a stop', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ls-supralocal-restart-'));
    try {
      const first = await startTestApp({ dataDir });
      // Recorded while no job runs it: as if the process died right after the append.
      await new BriefLedger(first.store).request(
        SUPRALOCAL_SCOPE,
        parsePeriod('2026-Q2'),
        { id: 'analist-1', role: 'supralocal-analyst' },
        { once: true },
      );
      await first.close();
      const second = await startTestApp({ dataDir });
      try {
        const token = await second.token({ tenant: ANALYST_TENANT, roles: ['supralocal-analyst'] });
        const brief = await waitForBrief(second, token, 'supralocal-brief__2026-Q2__1');
        expect(brief['status']).toBe('generated');
        const generated = await collect(second.store.readAll({ filter: { eventTypes: [BRIEF_GENERATED] } }));
        expect(generated).toHaveLength(1);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
