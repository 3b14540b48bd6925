import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedDemoData } from '../../src/demo/seed-demo-data.js';
import { EventStore } from '../../src/platform/event-store/event-store.port.js';
import { buildOpenApiDocument } from '../../src/platform/http/openapi.js';
import { streamName } from '../../src/platform/event-store/stream-name.js';
import { ProjectionHost } from '../../src/read-models/projection-host.js';
import { BriefLedger } from '../../src/reporting/brief-ledger.js';
import { BRIEF_FAILED, BRIEF_GENERATED, BRIEF_REDACTED } from '../../src/reporting/brief.events.js';
import type { ReportingRuntime } from '../../src/reporting/reporting-runtime.js';
import { REPORTING_RUNTIME } from '../../src/reporting/reporting.tokens.js';
import { parsePeriod } from '../../src/reporting/period.js';
import { collect } from '../support/events.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { pdfText } from './brief-pdf-text.js';

const PLANTED = '<script>alert("x")</script> Wachtlijsten jeugdhulp';

async function caughtUp(app: TestApp): Promise<void> {
  const head = BigInt(await app.head());
  expect(await app.app.get(ProjectionHost).waitForPosition(head, 60_000)).toBe(true);
}

async function appendDossier(
  store: EventStore,
  tenantId: string,
  dossierId: string,
  title: string,
): Promise<void> {
  const metadata = (occurredAt: string) => ({
    tenantId,
    actor: { id: 'lead-1', role: 'lead-processor' },
    correlationId: dossierId,
    causationId: dossierId,
    occurredAt,
  });
  await store.append(
    streamName('dossier', tenantId, dossierId),
    [
      {
        type: 'DossierCreated',
        data: {
          dossierId,
          title,
          summary: 'Samenvatting die nooit in een brief komt',
          themes: ['jeugd'],
          signalIds: ['s1', 's2', 's3'],
        },
        metadata: metadata('2026-07-02T09:00:00.000Z'),
      },
      {
        type: 'DossierAnalysisRecorded',
        data: {
          dossierId,
          conclusion: 'Structureel tekort aan plaatsen in de jeugdhulp',
          structural: true,
          themes: ['jeugd'],
        },
        metadata: metadata('2026-08-03T09:00:00.000Z'),
      },
      {
        type: 'DossierEscalated',
        data: {
          dossierId,
          level: 'local',
          body: 'college van burgemeester en schepenen',
          motivation: 'Vertrouwelijke motivatie',
          memberSignalIds: ['s1', 's2', 's3'],
        },
        metadata: metadata('2026-08-20T09:00:00.000Z'),
      },
      {
        type: 'DossierPolicyDecisionRecorded',
        data: {
          dossierId,
          decision: 'Extra budget voor jeugdhulp in 2027',
          actions: ['overleg met CAW'],
          feedback: 'Bedankt aan de signaalgevers',
          memberSignalIds: ['s1', 's2', 's3'],
        },
        metadata: metadata('2026-09-15T09:00:00.000Z'),
      },
    ],
    { expectedRevision: 'no-stream' },
  );
}

async function waitForBrief(app: TestApp, token: string, id: string): Promise<Record<string, unknown>> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const response = await app.http.get(`/briefs/${id}`).set('Authorization', `Bearer ${token}`);
    expect(response.status).toBe(200);
    if (response.body.status === 'generated' || response.body.status === 'failed') return response.body;
    if (Date.now() > deadline) throw new Error(`brief ${id} still ${response.body.status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('policy briefs over HTTP (embedded, in-process jobs)', () => {
  let app: TestApp;
  let official: string;
  let lead: string;

  beforeAll(async () => {
    app = await startTestApp();
    await seedDemoData(app.store, { tenants: 1, signals: 400, seed: 7 });
    await appendDossier(app.store, 'bornem', 'd-1', PLANTED);
    await caughtUp(app);
    official = await app.token({ tenant: 'bornem', roles: ['official'], sub: 'mandataris-1' });
    lead = await app.token({ tenant: 'bornem', roles: ['lead-processor'], sub: 'lead-1' });
  }, 120_000);

  afterAll(async () => {
    await app?.close();
  });

  it('records BriefRequested, generates once, and serves PDF, HTML, Markdown and JSON', async () => {
    const response = await app.http
      .post('/briefs')
      .set('Authorization', `Bearer ${official}`)
      .send({ period: '2026-Q3' })
      .expect(202);
    expect(response.body.briefId).toBe('brief__bornem__2026-Q3__1');
    expect(response.headers['location']).toBe('/briefs/brief__bornem__2026-Q3__1');
    const brief = await waitForBrief(app, official, response.body.briefId);
    expect(brief['status']).toBe('generated');
    expect(brief['progress']).toMatchObject({ percent: 100 });

    const json = await app.http
      .get(`/briefs/${response.body.briefId}/download?format=json`)
      .set('Authorization', `Bearer ${official}`)
      .expect(200);
    const content = JSON.parse(json.text);
    expect(content.totals.received.current).toBeGreaterThan(0);
    expect(content.dossiers.main[0].title).toBe(PLANTED);
    expect(content.dossiers.decisions[0].decision).toBe('Extra budget voor jeugdhulp in 2027');
    // Only titles and analyses: never a dossier's summary, a motivation or feedback to givers.
    expect(json.text).not.toContain('Samenvatting die nooit');
    expect(json.text).not.toContain('Vertrouwelijke motivatie');
    expect(json.text).not.toContain('Bedankt aan de signaalgevers');
    expect(json.text).not.toContain('givenBy');

    const html = await app.http
      .get(`/briefs/${response.body.briefId}/download?format=html`)
      .set('Authorization', `Bearer ${official}`)
      .expect(200);
    expect(html.headers['content-type']).toContain('text/html');
    expect(html.text.match(/<svg /g)?.length).toBe(3);
    expect(html.text).not.toContain('<script>');
    expect(html.text).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Wachtlijsten jeugdhulp');
    expect(html.text).toMatch(/<rect|<path/);

    const md = await app.http
      .get(`/briefs/${response.body.briefId}/download?format=md`)
      .set('Authorization', `Bearer ${official}`)
      .expect(200);
    expect(md.text).toContain('# Beleidsbrief Bornem — 3de kwartaal 2026');
    expect(md.text).not.toContain('<script>');
    expect(md.text).toContain('&lt;script&gt;');

    const pdf = await app.http
      .get(`/briefs/${response.body.briefId}/download?format=pdf`)
      .set('Authorization', `Bearer ${official}`)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const { pages, text: lines } = await pdfText(pdf.body as Buffer);
    // Table cells wrap inside their column: compare with the line breaks as spaces.
    const text = lines.replace(/\s+/g, ' ');
    expect(pages).toBeGreaterThanOrEqual(2);
    // The same sentences as the HTML, read back from the PDF; the planted tag is plain text there.
    expect(text).toContain('Beleidsbrief Bornem — 3de kwartaal 2026');
    expect(text).toContain(`In 3de kwartaal 2026 ontving Bornem ${content.totals.received.current}`);
    expect(text).toContain('<script>alert("x")</script> Wachtlijsten jeugdhulp');
    expect(text).toContain('Extra budget voor jeugdhulp in 2027');
    // Chart text (axis titles, legends) comes from the SVG drawn into the PDF.
    expect(text).toContain('aantal signalen');
    expect(text).toContain('Verloop per maand');

    const events = await collect(app.store.readStream('brief-bornem-2026-Q3'));
    expect(events.map((event) => event.type)).toEqual(['BriefRequested', BRIEF_GENERATED]);
    expect(events[1]!.data).toMatchObject({ location: 'file:bornem/brief__bornem__2026-Q3__1' });

    const list = await app.http.get('/briefs').set('Authorization', `Bearer ${lead}`).expect(200);
    expect(list.body.items.map((item: { briefId: string }) => item.briefId)).toContain(
      'brief__bornem__2026-Q3__1',
    );
  }, 90_000);

  it('numbers a second request of the same period', async () => {
    const response = await app.http
      .post('/briefs')
      .set('Authorization', `Bearer ${lead}`)
      .send({ period: '2026-Q3' })
      .expect(202);
    expect(response.body.briefId).toBe('brief__bornem__2026-Q3__2');
    expect((await waitForBrief(app, lead, response.body.briefId))['status']).toBe('generated');
  }, 60_000);

  it('answers 410 BRIEF_FILE_MISSING for a generated brief whose file is gone', async () => {
    // The second brief of the period (above): its Markdown file removed behind the app's back.
    rmSync(join(app.dataDir, 'briefs', 'bornem', 'brief__bornem__2026-Q3__2.md'));
    const response = await app.http
      .get('/briefs/brief__bornem__2026-Q3__2/download?format=md')
      .set('Authorization', `Bearer ${official}`)
      .expect(410);
    expect(response.body).toMatchObject({ statusCode: 410, code: 'BRIEF_FILE_MISSING' });
    // The other forms are still there.
    await app.http
      .get('/briefs/brief__bornem__2026-Q3__2/download?format=html')
      .set('Authorization', `Bearer ${official}`)
      .expect(200);
  });

  it("carries an erasure of a quoted signal's text into the brief: at once in downloads, in the files at the next sweep", async () => {
    const briefId = 'brief__bornem__2026-Q3__1';
    const download = (format: string) =>
      app.http
        .get(`/briefs/${briefId}/download?format=${format}`)
        .set('Authorization', `Bearer ${official}`)
        .expect(200);
    const before = JSON.parse((await download('json')).text) as {
      structuralSignals: { titles: Array<{ title: string }> };
    };
    // Which signal a title is, is recorded beside the brief, never in it.
    const generated = (await collect(app.store.readStream('brief-bornem-2026-Q3')))[1]!;
    const quoted = generated.data['quotedSignals'] as string[];
    expect(quoted).toHaveLength(before.structuralSignals.titles.length);
    expect(quoted.length).toBeGreaterThan(1);
    expect(JSON.stringify(before)).not.toContain(quoted[0]!);
    const title = before.structuralSignals.titles[0]!.title;
    const other = before.structuralSignals.titles[1]!.title;
    const file = (format: string) =>
      readFileSync(join(app.dataDir, 'briefs', 'bornem', `${briefId}.${format}`), 'utf8');
    expect(file('md')).toContain(title);

    const erasure = await app.http
      .post(`/signals/${quoted[0]}/erase-text`)
      .set('Authorization', `Bearer ${lead}`)
      .send({ reason: 'Op vraag van de signaalgever.' })
      .expect(200);
    expect(erasure.body.keysDestroyed).toBe(1);

    // Before any sweep: the stored file still quotes it, a download does not.
    expect(file('md')).toContain(title);
    for (const format of ['md', 'html', 'json']) {
      const text = (await download(format)).text;
      expect({ format, quotes: text.includes(title) }).toEqual({ format, quotes: false });
      // Escaped as each format escapes text (\[gewist\] in Markdown).
      expect(text).toMatch(/\\?\[gewist\\?\]/);
    }

    const runtime = app.app.get<ReportingRuntime>(REPORTING_RUNTIME);
    // Both briefs of the period quote it (the second, above, was asked for the same period).
    expect(await runtime.redactor.sweep()).toBe(2);
    for (const format of ['md', 'html', 'json']) expect(file(format)).not.toContain(title);
    const { text: pdf } = await pdfText(
      readFileSync(join(app.dataDir, 'briefs', 'bornem', `${briefId}.pdf`)),
    );
    expect(pdf.replace(/\s+/g, ' ')).not.toContain(title);
    expect(pdf).toContain('[gewist]');
    // The other titles stay.
    expect(JSON.parse(file('json')).structuralSignals.titles[1].title).toBe(other);
    const events = await collect(app.store.readStream('brief-bornem-2026-Q3'));
    const redacted = events.filter(
      (event) => event.type === BRIEF_REDACTED && event.data['briefId'] === briefId,
    );
    expect(redacted.map((event) => event.data['signalIds'])).toEqual([[quoted[0]]]);
    const view = await app.http
      .get(`/briefs/${briefId}`)
      .set('Authorization', `Bearer ${official}`)
      .expect(200);
    expect(view.body.generated.contentHash).toBe(redacted[0]!.data['contentHash']);
    expect(view.body.generated.contentHash).not.toBe(generated.data['contentHash']);
    // The download is the stored file now; a second sweep finds nothing left to do.
    expect((await download('md')).headers['etag']).toBe(
      `"${(redacted[0]!.data['formats'] as Record<string, { sha256: string }>)['md']!.sha256}"`,
    );
    expect(await runtime.redactor.sweep()).toBe(0);
    expect(await runtime.redactor.redact(briefId)).toBe(false);
    expect(await collect(app.store.readStream('brief-bornem-2026-Q3'))).toHaveLength(events.length);
  }, 90_000);

  it("says in Dutch that a brief failed, and keeps the generator's own error for the operators", async () => {
    // A brief requested outside the app (no job) that failed: its ledger as the job handler leaves it.
    const ledger = new BriefLedger(app.store);
    const { record } = await ledger.request('bornem', parsePeriod('2026-07'), {
      id: 'mandataris-1',
      role: 'official',
    });
    const internal = 'SQLITE_BUSY: database is locked at /var/lib/lokaal-signaal/read-models.sqlite';
    await ledger.recordFailed(record.briefId, internal, 3);
    const response = await app.http
      .get(`/briefs/${record.briefId}`)
      .set('Authorization', `Bearer ${official}`)
      .expect(200);
    expect(response.body).toMatchObject({
      status: 'failed',
      failed: { reason: expect.stringContaining('na 3 pogingen mislukt') },
    });
    expect(JSON.stringify(response.body)).not.toContain('SQLITE_BUSY');
    const [failed] = await collect(app.store.readAll({ filter: { eventTypes: [BRIEF_FAILED] } }));
    expect(failed?.data).toMatchObject({ reason: internal, attempts: 3 });
  });

  it('answers 409 for the download of a brief not made yet (BRIEF_NOT_READY) and of one that failed (BRIEF_FAILED)', async () => {
    // Requested outside the app: no job makes it (the reconciler would, minutes later).
    const ledger = new BriefLedger(app.store);
    const { record } = await ledger.request('bornem', parsePeriod('2026-08'), {
      id: 'mandataris-1',
      role: 'official',
    });
    const download = (briefId: string) =>
      app.http.get(`/briefs/${briefId}/download?format=pdf`).set('Authorization', `Bearer ${official}`);
    const waiting = await download(record.briefId).expect(409);
    expect(waiting.body).toMatchObject({ statusCode: 409, code: 'BRIEF_NOT_READY' });
    await ledger.recordFailed(record.briefId, 'the renderer crashed', 3);
    const failed = await download(record.briefId).expect(409);
    expect(failed.body).toMatchObject({ statusCode: 409, code: 'BRIEF_FAILED' });
  });

  it('refuses bad input with a code and a Dutch message', async () => {
    const post = (body: unknown, token = official) =>
      app.http
        .post('/briefs')
        .set('Authorization', `Bearer ${token}`)
        .send(body as object);
    expect((await post({ period: '2026-Q5' })).body).toMatchObject({
      statusCode: 400,
      code: 'PERIOD_INVALID',
    });
    expect((await post({ period: '2026-02-30..2026-03-01' })).body.code).toBe('PERIOD_INVALID');
    expect((await post({})).body).toMatchObject({ statusCode: 400, code: 'FIELD_REQUIRED' });
    // A period that is there but not text is not told to "give the period".
    expect((await post({ period: 2026 })).body).toMatchObject({
      statusCode: 400,
      code: 'FIELD_REQUIRED',
      message: 'De periode (period) is tekst, zoals "2026-Q3".',
    });
    expect((await post({ period: '2026-Q3', tenantId: 'gent' })).body).toMatchObject({
      statusCode: 400,
      code: 'FIELD_NOT_ALLOWED',
    });
    expect((await post({ period: '2099-Q1' })).body).toMatchObject({
      statusCode: 422,
      code: 'PERIOD_IN_FUTURE',
    });
    expect((await post([])).body.code).toBe('BODY_INVALID');
    const processor = await app.token({ tenant: 'bornem', roles: ['processor'] });
    expect((await post({ period: '2026-Q3' }, processor)).status).toBe(403);
    const get = (path: string) => app.http.get(path).set('Authorization', `Bearer ${official}`);
    expect((await get('/briefs/..%2Fetc')).body).toMatchObject({ statusCode: 400, code: 'BRIEF_ID_INVALID' });
    expect((await get('/briefs/brief__gent__2026-Q3__1')).body).toMatchObject({
      statusCode: 404,
      code: 'BRIEF_NOT_FOUND',
    });
    expect((await get('/briefs/brief__bornem__2026-Q3__1/download?format=docx')).body.code).toBe(
      'FORMAT_INVALID',
    );
    expect((await get('/briefs/brief__bornem__2026-Q3__1/download')).body.code).toBe('FORMAT_INVALID');
    expect((await get('/briefs/brief__bornem__2026-Q3__9')).status).toBe(404);
    const put = await app.http
      .put('/briefs/schedule')
      .set('Authorization', `Bearer ${lead}`)
      .send({ cadence: 'weekly' });
    expect(put.body).toMatchObject({ statusCode: 400, code: 'CADENCE_INVALID' });
    const byOfficial = await app.http
      .put('/briefs/schedule')
      .set('Authorization', `Bearer ${official}`)
      .send({ cadence: 'month' });
    expect(byOfficial.status).toBe(403);
  });

  it('documents the routes in the OpenAPI document', () => {
    const document = buildOpenApiDocument(app.app);
    const post = document.paths['/briefs']?.post;
    expect(JSON.stringify(post?.requestBody)).toContain('"period"');
    expect(Object.keys(post?.responses ?? {})).toEqual(
      expect.arrayContaining(['202', '400', '401', '403', '422']),
    );
    const download = document.paths['/briefs/{id}/download']?.get;
    expect(JSON.stringify(download?.parameters)).toContain('"pdf"');
    expect(document.paths['/briefs/schedule']?.put).toBeDefined();
  });

  it('records the schedule setting as an event, quarterly by default', async () => {
    expect(
      (await app.http.get('/briefs/schedule').set('Authorization', `Bearer ${lead}`).expect(200)).body,
    ).toEqual({
      tenantId: 'bornem',
      cadence: 'quarter',
    });
    await app.http
      .put('/briefs/schedule')
      .set('Authorization', `Bearer ${lead}`)
      .send({ cadence: 'month' })
      .expect(200);
    expect(
      (await app.http.get('/briefs/schedule').set('Authorization', `Bearer ${official}`).expect(200)).body
        .cadence,
    ).toBe('month');
    const events = await collect(app.store.readStream('briefschedule-bornem'));
    expect(events.map((event) => [event.type, event.data])).toEqual([
      ['BriefScheduleSet', { cadence: 'month' }],
    ]);
  });
});

describe('restart safety of the in-process runner', () => {
  it('generates at start every brief requested before a stop', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ls-briefs-restart-'));
    try {
      const first = await startTestApp({ dataDir });
      // Requests recorded while no job runs them: as if the process died right after the append.
      const ledger = new BriefLedger(first.store);
      const actor = { id: 'mandataris-1', role: 'official' };
      await ledger.request('gent', parsePeriod('2026-03'), actor);
      await ledger.request('gent', parsePeriod('2026'), actor);
      await first.close();

      const second = await startTestApp({ dataDir });
      try {
        const token = await second.token({ tenant: 'gent', roles: ['official'] });
        for (const id of ['brief__gent__2026-03__1', 'brief__gent__2026__1'])
          expect((await waitForBrief(second, token, id))['status']).toBe('generated');
        const generated = (await collect(second.store.readAll({ filter: { eventTypes: [BRIEF_GENERATED] } })))
          .length;
        expect(generated).toBe(2);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('POST /briefs on the app clock', () => {
  it('judges "not begun" and records the request by the app clock, not the wall clock', async () => {
    // 10 May 2026: the third quarter has not begun, April has ended.
    const clock = { now: () => new Date('2026-05-10T08:00:00.000Z') };
    const app = await startTestApp({ clock });
    try {
      const token = await app.token({ tenant: 'gent', roles: ['official'] });
      const post = (period: string) =>
        app.http.post('/briefs').set('Authorization', `Bearer ${token}`).send({ period });
      expect((await post('2026-Q3')).body).toMatchObject({ statusCode: 422, code: 'PERIOD_IN_FUTURE' });
      expect((await post('2026-04')).status).toBe(202);
      const requested = (await collect(app.store.readAll())).filter(
        (event) => event.type === 'BriefRequested',
      );
      expect(requested.map((event) => event.metadata.occurredAt)).toEqual(['2026-05-10T08:00:00.000Z']);
    } finally {
      await app.close();
    }
  }, 60_000);
});
