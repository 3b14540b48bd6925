import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import fc from 'fast-check';
import type { ActorClaims } from '../../src/auth/actor.js';
import { auditStream } from '../../src/audit/audit.events.js';
import { HISTORY_CSV_COLUMNS } from '../../src/audit/core/decision-history.js';
import { readsStoredText } from '../../src/platform/event-store/event-store.port.js';
import { storedEventsOf } from '../../src/privacy/encrypting-event-store.js';
import { collect } from '../support/events.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const who: Record<string, Partial<ActorClaims>> = {
  giver: { sub: 'giver-1', tenant: 'gent', roles: ['signal-giver'], org: 'caw-oost-vlaanderen' },
  otherGiver: { sub: 'giver-2', tenant: 'gent', roles: ['signal-giver'] },
  lead: { sub: 'lead-1', tenant: 'gent', roles: ['lead-processor'] },
  processor: { sub: 'proc-1', tenant: 'gent', roles: ['processor'], domains: ['wonen'] },
  outsider: { sub: 'proc-9', tenant: 'gent', roles: ['processor'], domains: ['jeugd'] },
  official: { sub: 'schepen-1', tenant: 'gent', roles: ['official'] },
  auditor: { sub: 'auditor-1', tenant: 'gent', roles: ['auditor'] },
  eeklo: { sub: 'auditor-9', tenant: 'eeklo', roles: ['auditor'] },
  eekloLead: { sub: 'lead-9', tenant: 'eeklo', roles: ['lead-processor'] },
  eekloGiver: { sub: 'giver-9', tenant: 'eeklo', roles: ['signal-giver'] },
};

const SUBMIT = {
  title: 'Gezinnen vinden geen betaalbare huurwoning',
  description: 'Sinds de zomer vinden gezinnen met kinderen geen huurwoning onder 800 euro.',
  themes: ['wonen'],
  area: 'Rabot',
};

describe('audit: histories, as-of replays, verification and the record of audit reads', () => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  let id: string;
  const times: string[] = [];

  const as = (role: string) => ({ Authorization: `Bearer ${tokens[role]}` });
  const get = (role: string, path: string) => t.http.get(path).set(as(role));
  const auditEvents = async (tenant = 'gent') => collect(t.store.readStream(auditStream(tenant)));

  beforeAll(async () => {
    t = await startTestApp();
    for (const [name, claims] of Object.entries(who)) tokens[name] = await t.token(claims);
    const submitted = await t.http.post('/signals').set(as('giver')).send(SUBMIT).expect(201);
    id = submitted.body.signalId as string;
    times.push(new Date().toISOString());
    const steps: Array<[string, string, object]> = [
      ['lead', 'triage', { motivation: 'Komt in meerdere wijken voor.' }],
      ['lead', 'assign', { assigneeId: 'proc-1', policyDomain: 'wonen' }],
      ['processor', 'start-analysis', {}],
      ['processor', 'add-note', { note: 'Intern: navragen bij het OCMW.' }],
      ['processor', 'record-analysis', { conclusion: 'Tekort aan grote huurwoningen.', structural: true }],
      ['lead', 'reject', { reason: 'Hoort bij een lopend dossier.', feedback: 'Dank u, we bundelen het.' }],
    ];
    for (const [role, command, body] of steps) {
      // Distinct instants, so that ?asOf=<instant> can land between two decisions.
      await new Promise((resolve) => setTimeout(resolve, 5));
      const response = await t.http.post(`/signals/${id}/${command}`).set(as(role)).send(body);
      if (command !== 'reject') expect(response.status).toBe(200);
      else expect(response.status).toBe(409); // not from analysed: the history must not show it
      times.push(new Date().toISOString());
    }
    await t.http
      .post(`/signals/${id}/close`)
      .set(as('lead'))
      .send({ outcome: 'Gebundeld in een dossier.', feedback: 'Dank u, we bundelen het.' })
      .expect(200);
    const eeklo = await t.http.post('/signals').set(as('eekloGiver')).send(SUBMIT).expect(201);
    expect(eeklo.body.signalId).toBeDefined();
  });
  afterAll(() => t.close());

  describe('GET /signals/{id}/history', () => {
    it('gives each decision: who, when, from → to, command, motivation, fields and workflow version', async () => {
      const response = await get('lead', `/signals/${id}/history`).expect(200);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.headers['cache-control']).toBe('no-store');
      const { body } = response;
      expect(body).toMatchObject({ signalId: id, tenantId: 'gent', revision: 6, erased: false });
      expect(
        body.steps.map((s: { command: string; from: string; to: string }) => [s.command, s.from, s.to]),
      ).toEqual([
        ['submit', null, 'submitted'],
        ['triage', 'submitted', 'triaged'],
        ['assign', 'triaged', 'assigned'],
        ['start-analysis', 'assigned', 'in-analysis'],
        ['add-note', 'in-analysis', 'in-analysis'],
        ['record-analysis', 'in-analysis', 'analysed'],
        ['close', 'analysed', 'closed'],
      ]);
      expect(body.steps[0]).toMatchObject({
        actor: { id: 'giver-1', role: 'signal-giver', organisationId: 'caw-oost-vlaanderen' },
        workflow: { name: 'signal-lifecycle', version: 1 },
        fields: { title: SUBMIT.title, area: 'Rabot', themes: ['wonen'] },
      });
      expect(body.steps[1]).toMatchObject({
        actor: { id: 'lead-1', role: 'lead-processor', organisationId: null },
        motivation: 'Komt in meerdere wijken voor.',
        fromLabel: 'Ingediend',
        toLabel: 'Aanvaard als signaal',
      });
      for (const step of body.steps) {
        expect(Date.parse(step.at)).not.toBeNaN();
        expect(step.hash).toMatch(/^[0-9a-f]{64}$/);
      }
    });

    it('scopes like the signal: notes hidden from the giver, 404 out of scope or tenant, 403 outside the roles', async () => {
      const giver = await get('giver', `/signals/${id}/history`).expect(200);
      expect(giver.body.steps.map((s: { event: string }) => s.event)).not.toContain('NoteAdded');
      expect(JSON.stringify(giver.body)).not.toContain('navragen bij het OCMW');
      const processor = await get('processor', `/signals/${id}/history`).expect(200);
      expect(processor.body.steps).toHaveLength(7);
      const auditor = await get('auditor', `/signals/${id}/history`).expect(200);
      expect(auditor.body.steps).toHaveLength(7);
      for (const role of ['otherGiver', 'outsider', 'eeklo', 'eekloLead']) {
        const response = await get(role, `/signals/${id}/history`).expect(404);
        expect(response.body.code).toBe('SIGNAL_NOT_FOUND');
      }
      expect((await get('official', `/signals/${id}/history`).expect(403)).body.code).toBe(
        'ROLE_NOT_ALLOWED',
      );
      expect((await get('lead', '/signals/not-a-uuid/history').expect(400)).body.code).toBe('INVALID_ID');
    });

    it('gives CSV with Accept: text/csv, quoted where needed, and 406 for what it cannot give', async () => {
      const response = await get('auditor', `/signals/${id}/history`).set('Accept', 'text/csv').expect(200);
      expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(response.headers['content-disposition']).toContain(`signaal-${id}-geschiedenis.csv`);
      const text = response.text;
      expect(text.startsWith('\ufeff')).toBe(true);
      const lines = text.slice(1).split('\r\n');
      expect(lines[0]).toBe(HISTORY_CSV_COLUMNS.join(','));
      expect(lines).toHaveLength(7 + 2); // header, 7 steps, the empty string after the last CRLF
      expect(lines[1]).toContain(
        ',SignalSubmitted,submit,,submitted,giver-1,signal-giver,caw-oost-vlaanderen,',
      );
      // The fields column is JSON with commas and quotes: quoted, quotes doubled.
      expect(lines[2]).toContain('"{""motivation"":""Komt in meerdere wijken voor.""}"');
      const refused = await get('auditor', `/signals/${id}/history`)
        .set('Accept', 'application/xml')
        .expect(406);
      expect(refused.body).toMatchObject({ statusCode: 406, code: 'NOT_ACCEPTABLE' });
    });
  });

  describe('GET /signals/{id}?asOf=', () => {
    it('replays the stream up to a revision or an instant', async () => {
      const atRevision = await get('lead', `/signals/${id}?asOf=2`).expect(200);
      // Not the signal's revision ETag: an If-Match must carry the current revision, not a past one.
      expect(atRevision.headers['etag']).not.toBe('"2"');
      expect(atRevision.body).toMatchObject({
        signalId: id,
        revision: 2,
        state: 'assigned',
        stateLabel: 'Toegewezen',
        assigneeId: 'proc-1',
        title: SUBMIT.title,
        asOf: { requested: '2', revision: 2 },
      });
      // times[3] is just after start-analysis (revision 3) and before the note (revision 4).
      const instant = times[3]!;
      const atInstant = await get('auditor', `/signals/${id}?asOf=${encodeURIComponent(instant)}`).expect(
        200,
      );
      expect(atInstant.body).toMatchObject({ revision: 3, state: 'in-analysis', previousState: 'assigned' });
      const now = await get(
        'giver',
        `/signals/${id}?asOf=${encodeURIComponent(new Date().toISOString())}`,
      ).expect(200);
      expect(now.body).toMatchObject({ revision: 6, state: 'closed' });
    });

    it('refuses bad asOf values with 400 INVALID_AS_OF and unknown moments with 404 and a code', async () => {
      for (const bad of [
        'gisteren',
        '-1',
        '1.5',
        '2026-02-30T10:00:00Z',
        '2026-03-02',
        '2026-03-02T10:00:00',
        '',
      ]) {
        const response = await get('lead', `/signals/${id}?asOf=${encodeURIComponent(bad)}`).expect(400);
        expect({ bad, code: response.body.code }).toEqual({ bad, code: 'INVALID_AS_OF' });
        expect(response.body.message).toMatch(/revisie/);
      }
      expect((await get('lead', `/signals/${id}?asOf=1&asOf=2`).expect(400)).body.code).toBe('INVALID_AS_OF');
      expect((await get('lead', `/signals/${id}?asOf=7`).expect(404)).body.code).toBe('REVISION_NOT_FOUND');
      expect((await get('lead', `/signals/${id}?asOf=2000-01-01T00:00:00Z`).expect(404)).body.code).toBe(
        'AS_OF_BEFORE_SUBMISSION',
      );
      expect((await get('lead', '/signals/..%2F?asOf=1').expect(400)).body.code).toBe('INVALID_ID');
      expect((await get('eekloLead', `/signals/${id}?asOf=1`).expect(404)).body.code).toBe(
        'SIGNAL_NOT_FOUND',
      );
      expect((await get('official', `/signals/${id}?asOf=1`).expect(403)).body.code).toBe('ROLE_NOT_ALLOWED');
    });

    it('lets an auditor read a signal only as a replay', async () => {
      const plain = await get('auditor', `/signals/${id}`).expect(403);
      expect(plain.body.code).toBe('ROLE_NOT_ALLOWED');
      await get('auditor', `/signals/${id}/allowed-commands`).expect(403);
      await t.http.post(`/signals/${id}/add-note`).set(as('auditor')).send({ note: 'Mag niet.' }).expect(403);
    });
  });

  describe('the record of audit reads', () => {
    it('records every answered audit read, and nothing for a refused one', async () => {
      const before = (await auditEvents()).length;
      await get('auditor', `/signals/${id}/history`).set('X-Correlation-Id', 'audit-check-1').expect(200);
      await get('auditor', `/signals/${id}/history`).set('Accept', 'text/csv').expect(200);
      await get('auditor', `/signals/${id}?asOf=1`).expect(200);
      await get('giver', `/signals/${id}/history`).expect(200);
      await get('auditor', `/signals/${id}?asOf=99`).expect(404);
      await get('auditor', `/signals/${id}?asOf=morgen`).expect(400);
      await get('eeklo', `/signals/${id}/history`).expect(404);
      await get('official', `/signals/${id}/history`).expect(403);
      const events = await auditEvents();
      const added = events.slice(before);
      expect(
        added.map((e) => [e.type, e.data['read'], e.data['format'], e.data['asOf'], e.metadata.actor]),
      ).toEqual([
        ['AuditRead', 'history', 'json', null, { id: 'auditor-1', role: 'auditor' }],
        ['AuditRead', 'history', 'csv', null, { id: 'auditor-1', role: 'auditor' }],
        ['AuditRead', 'as-of', 'json', '1', { id: 'auditor-1', role: 'auditor' }],
        [
          'AuditRead',
          'history',
          'json',
          null,
          { id: 'giver-1', role: 'signal-giver', organisationId: 'caw-oost-vlaanderen' },
        ],
      ]);
      expect(added.every((e) => e.data['signalId'] === id && e.metadata.tenantId === 'gent')).toBe(true);
      expect(added[0]!.metadata.correlationId).toBe('audit-check-1');
      expect(await auditEvents('eeklo')).toEqual([]);
    });

    it('lists them newest first for lead processors and auditors of the tenant, page by page', async () => {
      const all = (await get('lead', '/audit/reads?limit=200').expect(200)).body;
      const recorded = await auditEvents();
      expect(all.items).toHaveLength(recorded.length);
      expect(all.items[0]).toMatchObject({
        revision: recorded.length - 1,
        read: recorded.at(-1)!.data['read'],
      });
      expect(all.next).toBeNull();
      const first = (await get('auditor', '/audit/reads?limit=2').expect(200)).body;
      expect(first.items.map((i: { revision: number }) => i.revision)).toEqual([
        recorded.length - 1,
        recorded.length - 2,
      ]);
      const second = (await get('auditor', `/audit/reads?limit=2&before=${first.next as string}`).expect(200))
        .body;
      expect(second.items.map((i: { revision: number }) => i.revision)).toEqual([
        recorded.length - 3,
        recorded.length - 4,
      ]);
      expect(second.items[0]).toMatchObject({
        at: expect.any(String),
        actor: { id: expect.any(String), role: expect.any(String) },
        signalId: id,
      });
      expect((await get('eekloLead', '/audit/reads').expect(200)).body).toEqual({ items: [], next: null });
      for (const role of ['processor', 'giver', 'official']) await get(role, '/audit/reads').expect(403);
      for (const query of [
        'limit=0',
        'limit=201',
        'limit=abc',
        'before=-1',
        'tenant=eeklo',
        'limit=1&limit=2',
      ]) {
        expect({ query, code: (await get('lead', `/audit/reads?${query}`).expect(400)).body.code }).toEqual({
          query,
          code: 'INVALID_QUERY',
        });
      }
    });
  });

  describe('fuzzed asOf values and Accept headers', () => {
    it('never answers 5xx, refuses with a code, and records exactly the answered reads', async () => {
      const instant = fc
        .date({
          min: new Date('1999-01-01T00:00:00Z'),
          max: new Date('2031-01-01T00:00:00Z'),
          noInvalidDate: true,
        })
        .map((d) => d.toISOString());
      const asOf = fc.oneof(
        fc.string({ unit: 'binary', maxLength: 40 }),
        fc.nat({ max: 12 }).map(String),
        fc.bigInt({ min: -10n, max: 10n ** 20n }).map(String),
        instant,
        instant.map((text) => text.replace('Z', '+02:00')),
        instant.map((text) => text.slice(0, 10)),
        fc.constantFrom('2026-02-29T10:00:00Z', '0x1', '1e2', ' 1', '1 ', '+1', '١', 'NaN', '[]', '{}'),
      );
      const accept = fc.oneof(
        fc.constantFrom('text/csv', 'application/json', '*/*', 'text/*', 'application/xml', 'text/csv;q=0'),
        fc.string({ unit: 'grapheme-ascii', maxLength: 40 }),
      );
      const before = (await auditEvents()).length;
      let answered = 0;
      const statuses = new Map<number, number>();
      // Not counted as given (the seed changes): answer-coverage-reporter.js.
      await t.answers!.unrecorded(() =>
        fc.assert(
          fc.asyncProperty(asOf, accept, async (value, header) => {
            const read = await get('auditor', `/signals/${id}?asOf=${encodeURIComponent(value)}`);
            const history = await get('auditor', `/signals/${id}/history`).set('Accept', header);
            for (const response of [read, history]) {
              statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
              if (response.status < 300) answered += 1;
              else
                expect(response.body).toMatchObject({
                  statusCode: response.status,
                  code: expect.any(String),
                });
            }
            expect(read.status).toBeLessThan(500);
            expect(history.status).toBeLessThan(500);
            if (read.status === 400) expect(read.body.code).toBe('INVALID_AS_OF');
            if (history.status !== 200) expect(history.body.code).toBe('NOT_ACCEPTABLE');
          }),
          { numRuns: 300 },
        ),
      );
      expect((await auditEvents()).length - before).toBe(answered);
      // Some of each: answers, refused values, unknown moments.
      expect([...statuses.keys()].sort()).toEqual(expect.arrayContaining([200, 400, 404]));
    }, 120_000);
  });

  describe('GET /audit/verify', () => {
    it("verifies the auditor's tenant only, finds this store intact, and is itself recorded", async () => {
      const before = (await auditEvents()).length;
      const response = await get('auditor', '/audit/verify').expect(200);
      const gentEvents = (await collect(t.store.readAll())).filter(
        (e) => e.metadata.tenantId === 'gent',
      ).length;
      expect(response.body).toMatchObject({
        ok: true,
        tenant: 'gent',
        events: gentEvents - 1, // the verification's own record is written after it
        violations: [],
        truncated: false,
      });
      expect(Object.values(response.body.counts as Record<string, number>).every((n) => n === 0)).toBe(true);
      const recorded = (await auditEvents()).slice(before);
      expect(recorded.map((e) => e.data)).toEqual([
        {
          read: 'verify',
          signalId: null,
          asOf: null,
          format: 'json',
          eventsChecked: gentEvents - 1,
          violations: 0,
        },
      ]);
      const eeklo = await get('eeklo', '/audit/verify').expect(200);
      expect(eeklo.body).toMatchObject({ ok: true, tenant: 'eeklo', events: 1, streams: 1 });
      for (const role of ['lead', 'processor', 'giver', 'official']) {
        expect((await get(role, '/audit/verify').expect(403)).body.code).toBe('ROLE_NOT_ALLOWED');
      }
    });

    it('answers 429 VERIFY_IN_PROGRESS while a verification runs, and verifies again once it is done', async () => {
      // The first verification is held at its first read of the store until the second was refused.
      // It reads the events as stored (storedEventsOf), with their text when the store keeps it.
      const stored = storedEventsOf(t.store);
      if (!readsStoredText(stored)) throw new Error('the embedded event store keeps the stored text');
      const readAllWithText = stored.readAllWithText.bind(stored);
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let started!: () => void;
      const reading = new Promise<void>((resolve) => (started = resolve));
      const holding = jest.spyOn(stored, 'readAllWithText').mockImplementation((options) =>
        (async function* () {
          started();
          await released;
          yield* readAllWithText(options);
        })(),
      );
      try {
        const first = get('auditor', '/audit/verify').then((response) => response);
        await reading;
        const refused = await get('auditor', '/audit/verify').expect(429);
        expect(refused.body.code).toBe('VERIFY_IN_PROGRESS');
        release();
        expect((await first).status).toBe(200);
      } finally {
        release();
        holding.mockRestore();
      }
      expect((await get('auditor', '/audit/verify').expect(200)).body.ok).toBe(true);
    });
  });
});
