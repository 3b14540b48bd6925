import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ActorClaims } from '../../src/auth/actor.js';
import type { Participant } from '../../src/supralocal/core/patterns.js';
import { POPULATION_BANDS } from '../../src/tenants/tenant.events.js';
import { TenantsService } from '../../src/tenants/tenants.service.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const PARTICIPANTS: Participant[] = [
  { tenantId: 'gent', name: 'Gent', populationBand: 'gt-100000' },
  { tenantId: 'aalst', name: 'Aalst', populationBand: '50000-100000' },
  { tenantId: 'ieper', name: 'Ieper', populationBand: '25000-50000' },
];

/** Signals per tenant and theme, each from `givers` distinct givers; brugge did not opt in. */
const PLAN: Record<string, Record<string, { signals: number; givers: number }>> = {
  gent: {
    wonen: { signals: 6, givers: 3 },
    energie: { signals: 2, givers: 2 },
    jeugd: { signals: 8, givers: 4 },
  },
  aalst: {
    wonen: { signals: 5, givers: 3 },
    energie: { signals: 6, givers: 3 },
    jeugd: { signals: 7, givers: 3 },
  },
  ieper: {
    wonen: { signals: 9, givers: 4 },
    energie: { signals: 7, givers: 3 },
    jeugd: { signals: 6, givers: 3 },
  },
  brugge: { wonen: { signals: 10, givers: 5 } },
};

type Cell = { theme: string; tenantId: string; suppressed?: true; signals?: number; givers?: number };

describe('supra-local pattern views', () => {
  let t: TestApp;
  let last = '0';
  const tokens: Record<string, string> = {};
  const gentSignals: string[] = [];

  const get = (who: string, path: string, accept = 'application/json') =>
    t.http
      .get(path)
      .set('Authorization', `Bearer ${tokens[who]}`)
      .set('X-Min-Position', last)
      .set('Accept', accept);

  beforeAll(async () => {
    t = await startTestApp();
    // Tenants as the platform administrator creates them; all but brugge opt in through the API.
    const tenants = t.app.get(TenantsService);
    const platformAdmin = { id: 'platform-admin', role: 'platform-admin' };
    let nis = 0;
    for (const participant of [
      ...PARTICIPANTS,
      { tenantId: 'brugge', name: 'Brugge', populationBand: 'gt-100000' },
    ]) {
      await tenants.createTenant(platformAdmin, {
        tenantId: participant.tenantId,
        name: participant.name,
        // A NIS code names one municipality: a made-up one per tenant.
        nisCode: String(90000 + nis++),
        populationBand: participant.populationBand!,
      });
    }
    for (const { tenantId } of PARTICIPANTS) {
      const admin = await t.token({ sub: `${tenantId}-admin`, tenant: tenantId, roles: ['tenant-admin'] });
      await t.http
        .patch('/tenant/settings')
        .set('Authorization', `Bearer ${admin}`)
        .send({ supralocalOptIn: true })
        .expect(200);
    }
    const claims: Record<string, Partial<ActorClaims>> = {
      analyst: { sub: 'vvsg-1', tenant: 'vvsg', roles: ['supralocal-analyst'] },
      leadGent: { sub: 'lead-1', tenant: 'gent', roles: ['lead-processor'] },
      leadBrugge: { sub: 'lead-2', tenant: 'brugge', roles: ['lead-processor'] },
      processor: { sub: 'proc-1', tenant: 'gent', roles: ['processor'] },
      official: { sub: 'schepen-1', tenant: 'gent', roles: ['official'] },
    };
    for (const [who, claim] of Object.entries(claims)) tokens[who] = await t.token(claim);
    for (const [tenant, themes] of Object.entries(PLAN)) {
      for (const [theme, { signals, givers }] of Object.entries(themes))
        for (let i = 0; i < signals; i++) {
          const token = await t.token({
            sub: `${tenant}-giver-${i % givers}`,
            tenant,
            roles: ['signal-giver'],
          });
          const response = await t.http
            .post('/signals')
            .set('Authorization', `Bearer ${token}`)
            .send({
              title: `Signaal over ${theme}`,
              description: 'Wat frontlijnwerkers in de wijk zien.',
              themes: [theme],
              // Every other signal about wonen names a wijk; the others name no kind of area.
              ...(theme === 'wonen' && i % 2 === 0 ? { area: 'Centrum', areaType: 'wijk' } : {}),
            });
          expect(response.status).toBe(201);
          last = response.body.position as string;
          if (tenant === 'gent') gentSignals.push(response.body.signalId as string);
        }
    }
  }, 60_000);
  afterAll(() => t.close());

  it('gives the analyst every opted-in municipality, suppressed, without the tenants that did not opt in', async () => {
    const { body } = await get('analyst', '/supralocal/patterns').expect(200);
    expect(body.rules).toEqual({ minSignals: 5, minGivers: 3 });
    expect(body.municipalities.map((m: Participant) => m.tenantId)).toEqual(['aalst', 'gent', 'ieper']);
    const cells = body.cells as Cell[];
    expect(cells).toHaveLength(9);
    expect(cells.find((c) => c.theme === 'energie' && c.tenantId === 'gent')).toEqual({
      theme: 'energie',
      tenantId: 'gent',
      suppressed: true,
    });
    // Its column and its row each hide one more entry, or the small cell could be recomputed.
    const hiddenIn = (match: (c: Cell) => boolean) => cells.filter((c) => match(c) && c.suppressed).length;
    expect(hiddenIn((c) => c.tenantId === 'gent')).toBeGreaterThanOrEqual(2);
    const energie = body.themes.find((trend: { theme: string }) => trend.theme === 'energie');
    expect(
      hiddenIn((c) => c.theme === 'energie') + (energie.total.suppressed ? 1 : 0),
    ).toBeGreaterThanOrEqual(2);
    for (const c of cells.filter((c) => !c.suppressed)) {
      expect({ signals: c.signals, givers: c.givers }).toEqual(PLAN[c.tenantId]![c.theme]);
    }
    // Each municipality knows its own column: the rows with a hidden cell keep two more hidden
    // besides its own, so that no one of the three can recompute another's (the jeugd row stays).
    expect(cells.filter((c) => !c.suppressed).length).toBeGreaterThanOrEqual(3);
    expect(body.grandTotal).toMatchObject({ suppressed: false, signals: 56 });
    expect(cells.some((c) => c.tenantId === 'brugge')).toBe(false);
    expect(JSON.stringify(body)).not.toMatch(/giver-|Signaal over|brugge/);
  });

  it('splits the quarter by month over all participants, and lists themes by area type above the thresholds', async () => {
    const { body } = await get('analyst', '/supralocal/patterns').expect(200);
    const periods = body.months.periods as string[];
    expect(periods).toHaveLength(3);
    expect(periods[0]!.slice(0, 4)).toBe(body.period.slice(0, 4));
    // All signals were submitted this month: each theme's figures sit in one month, equal to its total where both show.
    const month = new Date().toISOString().slice(0, 7);
    for (const row of body.months.themes as Array<{
      theme: string;
      months: Array<{ period: string; figures: null | { suppressed: boolean; signals?: number } }>;
    }>) {
      for (const entry of row.months) expect(entry.figures === null).toBe(entry.period !== month);
      const figures = row.months.find((entry) => entry.period === month)!.figures!;
      const total = body.themes.find((trend: { theme: string }) => trend.theme === row.theme).total;
      if (!figures.suppressed && !total.suppressed) expect(figures.signals).toBe(total.signals);
    }
    // wonen in a wijk: 3 + 3 + 5 signals from 3 + 3 + 2 givers; no signal named a deelgemeente.
    expect(body.areaTypes).toEqual([{ theme: 'wonen', areaType: 'wijk', label: 'Wijk', signals: 11 }]);
    const lead = (await get('leadGent', '/supralocal/patterns').expect(200)).body;
    expect(lead.months).toBeNull();
    expect(lead.areaTypes).toEqual([]);
    const series = (await get('analyst', '/supralocal/themes/jeugd').expect(200)).body;
    const thisQuarter = series.quarters[series.quarters.length - 1];
    expect(thisQuarter.months.map((entry: { period: string }) => entry.period)).toEqual(periods);
  });

  it('exports the same cells as CSV', async () => {
    const json = (await get('analyst', '/supralocal/patterns').expect(200)).body as {
      cells: Cell[];
      months: { themes: Array<{ months: Array<{ figures: unknown }> }> };
    };
    const response = await get('analyst', '/supralocal/patterns', 'text/csv').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    const lines = response.text
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe(
      'periode,thema,themanaam,bestuur,naam,inwonersklasse,signalen,signaalgevers,organisaties,bovenlokaal geagendeerd,dossiers,status',
    );
    const monthRows = json.months.themes.flatMap((row) => row.months).filter((m) => m.figures !== null);
    expect(lines).toHaveLength(1 + json.cells.length + monthRows.length);
    expect(lines.filter((line) => line.split(',')[4] === 'Alle deelnemende besturen')).toHaveLength(
      monthRows.length,
    );
    for (const cell of json.cells) {
      const line = lines.find((l) => l.split(',')[1] === cell.theme && l.split(',')[3] === cell.tenantId)!;
      expect(line.endsWith(cell.suppressed ? ',,,,,,onderdrukt' : 'gepubliceerd')).toBe(true);
      if (!cell.suppressed) expect(line.split(',')[6]).toBe(String(cell.signals));
    }
  });

  it('filters municipalities by population band without new totals being computed', async () => {
    const { body } = await get('analyst', '/supralocal/patterns?populationBand=50000-100000').expect(200);
    expect([...new Set(body.cells.map((c: { tenantId: string }) => c.tenantId))]).toEqual(['aalst']);
    const whole = (await get('analyst', '/supralocal/patterns').expect(200)).body as { cells: Cell[] };
    expect(body.cells).toEqual(whole.cells.filter((c) => c.tenantId === 'aalst'));
  });

  it("gives a lead processor only their own tenant's cells, and none when the tenant did not opt in", async () => {
    const { body } = await get('leadGent', '/supralocal/patterns').expect(200);
    expect(new Set(body.cells.map((c: { tenantId: string }) => c.tenantId))).toEqual(new Set(['gent']));
    expect(body.grandTotal).toBeNull();
    expect(body.themes.every((trend: { total: unknown }) => trend.total === null)).toBe(true);
    const refused = await get('leadBrugge', '/supralocal/patterns').expect(403);
    expect(refused.body.code).toBe('SUPRALOCAL_NOT_OPTED_IN');
  });

  it('drops a municipality from every view as soon as it opts out', async () => {
    const admin = await t.token({ sub: 'ieper-admin', tenant: 'ieper', roles: ['tenant-admin'] });
    const set = (supralocalOptIn: boolean) =>
      t.http
        .patch('/tenant/settings')
        .set('Authorization', `Bearer ${admin}`)
        .send({ supralocalOptIn })
        .expect(200);
    await set(false);
    try {
      const { body } = await get('analyst', '/supralocal/patterns').expect(200);
      expect(body.municipalities.map((m: Participant) => m.tenantId)).toEqual(['aalst', 'gent']);
      expect(body.cells.some((c: Cell) => c.tenantId === 'ieper')).toBe(false);
    } finally {
      await set(true);
    }
  });

  it('lists dossiers escalated to the supra-local level with their public summary, in scope', async () => {
    const lead = async (path: string, body: object) => {
      const response = await t.http
        .post(path)
        .set('Authorization', `Bearer ${tokens['leadGent']}`)
        .send(body);
      if (response.status >= 300)
        throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
      last = response.body.position as string;
      return response;
    };
    for (const id of gentSignals.slice(0, 2)) await lead(`/signals/${id}/triage`, {});
    const created = await lead('/dossiers', {
      title: 'Betaalbaar wonen',
      summary: 'Gezinnen vinden geen betaalbare huurwoning in de stad.',
      themes: ['wonen'],
      signalIds: gentSignals.slice(0, 2),
    });
    const dossier = `/dossiers/${created.body.dossierId as string}`;
    await lead(`${dossier}/record-analysis`, {
      conclusion: 'Structureel tekort aan betaalbare huurwoningen.',
      structural: true,
      themes: ['wonen'],
    });
    await lead(`${dossier}/escalate`, {
      level: 'supralocal',
      body: 'Vlaamse Regering',
      motivation: 'Vraagt Vlaams woonbeleid.',
    });
    const { body } = await get('analyst', '/supralocal/escalations').expect(200);
    expect(body.escalations).toEqual([
      expect.objectContaining({
        tenantId: 'gent',
        municipality: 'Gent',
        title: 'Betaalbaar wonen',
        summary: 'Gezinnen vinden geen betaalbare huurwoning in de stad.',
        themes: ['wonen'],
        memberCount: 2,
        body: 'Vlaamse Regering',
      }),
    ]);
    expect(JSON.stringify(body)).not.toMatch(/Vraagt Vlaams woonbeleid|giver-/);
    const quarter = body.escalations[0].escalatedAt.slice(0, 4);
    expect(
      (await get('analyst', `/supralocal/escalations?period=${quarter}-Q1`).expect(200)).body.period,
    ).toBe(`${quarter}-Q1`);
    expect((await get('leadGent', '/supralocal/escalations').expect(200)).body.escalations).toHaveLength(1);
    const aalst = await t.token({ sub: 'lead-a', tenant: 'aalst', roles: ['lead-processor'] });
    const other = await t.http
      .get('/supralocal/escalations')
      .set('Authorization', `Bearer ${aalst}`)
      .set('X-Min-Position', last)
      .expect(200);
    expect(other.body.escalations).toEqual([]);
    expect((await get('analyst', '/supralocal/escalations?period=Q9').expect(400)).body.code).toBe(
      'INVALID_QUERY',
    );
  });

  it('refuses other roles', async () => {
    for (const who of ['processor', 'official']) {
      const response = await get(who, '/supralocal/patterns').expect(403);
      expect(response.body.code).toBe('ROLE_NOT_ALLOWED');
    }
  });

  it('gives one theme over quarters', async () => {
    const { body } = await get('analyst', '/supralocal/themes/wonen?quarters=2').expect(200);
    expect(body.label).toBe('Wonen');
    expect(body.quarters).toHaveLength(2);
    expect(body.quarters[1].total).toMatchObject({ signals: 20 });
  });

  it('answers bad input with a clear error', async () => {
    const cases: Array<[string, number, string]> = [
      ['/supralocal/patterns?period=2026-Q5', 400, 'INVALID_QUERY'],
      ['/supralocal/patterns?period=vorige-maand', 400, 'INVALID_QUERY'],
      ['/supralocal/patterns?populationBand=%3Cscript%3E', 400, 'INVALID_QUERY'],
      ['/supralocal/themes/onbekend', 404, 'THEME_NOT_FOUND'],
      ['/supralocal/themes/wonen?quarters=0', 400, 'INVALID_QUERY'],
      ['/supralocal/themes/wonen?quarters=99', 400, 'INVALID_QUERY'],
      // A year whose quarter before cannot be written (was a 500), and numbers in other notations.
      ['/supralocal/patterns?period=0000-Q1', 400, 'INVALID_QUERY'],
      ['/supralocal/themes/wonen?period=0001-Q2&quarters=12', 400, 'INVALID_QUERY'],
      ['/supralocal/escalations?period=0000-Q1', 400, 'INVALID_QUERY'],
      ['/supralocal/themes/wonen?quarters=0x4', 400, 'INVALID_QUERY'],
      ['/supralocal/themes/wonen?quarters=1e1', 400, 'INVALID_QUERY'],
      ['/supralocal/themes/wonen?quarters=+4', 400, 'INVALID_QUERY'],
    ];
    for (const [path, status, code] of cases) {
      const response = await get('analyst', path).expect(status);
      expect(response.body.code).toBe(code);
      expect(response.body.message).toMatch(/\w/);
    }
    const unacceptable = await get('analyst', '/supralocal/patterns', 'image/png').expect(406);
    expect(unacceptable.body.code).toBe('NOT_ACCEPTABLE');
  });

  it.each([
    ['/supralocal/patterns?periode=2026-Q2', 'periode', 'period, populationBand'],
    [
      '/supralocal/patterns?period=2026-Q3&populationband=gt-100000',
      'populationband',
      'period, populationBand',
    ],
    ['/supralocal/themes/wonen?foo=1', 'foo', 'period, quarters, populationBand'],
    ['/supralocal/themes/wonen?quarter=2', 'quarter', 'period, quarters, populationBand'],
    ['/supralocal/escalations?period=2026-Q3&foo=1', 'foo', 'period'],
    ['/supralocal/escalations?populationBand=gt-100000', 'populationBand', 'period'],
  ])('refuses an unknown parameter: %s', async (path, name, known) => {
    for (const who of ['analyst', 'leadGent']) {
      const response = await get(who, path).expect(400);
      expect(response.body).toMatchObject({
        statusCode: 400,
        code: 'INVALID_QUERY',
        message: `Onbekende parameter '${name}'. Deze vraag kent enkel: ${known}.`,
      });
    }
  });

  it.each([
    '/supralocal/patterns?period=2026-Q3&period=2026-Q2',
    '/supralocal/themes/wonen?quarters=2&quarters=3',
    '/supralocal/escalations?period=2026-Q3&period=2026-Q2',
  ])('refuses a parameter given twice: %s', async (path) => {
    const response = await get('analyst', path).expect(400);
    expect(response.body.code).toBe('INVALID_QUERY');
    expect(response.body.message).toMatch(/^De parameter '(period|quarters)' mag maar één keer voorkomen\.$/);
  });

  it.each([
    '/supralocal/patterns?period=2026-Q3&populationBand=zzz',
    '/supralocal/patterns?populationBand=gt-1000000',
    '/supralocal/themes/wonen?populationBand=lt-1000',
  ])('refuses a population band that is not one of the bands: %s', async (path) => {
    for (const who of ['analyst', 'leadGent']) {
      const response = await get(who, path).expect(400);
      expect(response.body).toMatchObject({
        code: 'INVALID_QUERY',
        message:
          'populationBand is geen inwonersklasse; kies uit lt-10000, 10000-25000, 25000-50000, 50000-100000 of gt-100000.',
      });
    }
  });

  it('takes every population band, with or without municipalities in it', async () => {
    for (const band of POPULATION_BANDS) {
      const { body } = await get('analyst', `/supralocal/patterns?populationBand=${band}`).expect(200);
      const inBand = PARTICIPANTS.filter((participant) => participant.populationBand === band);
      expect(new Set(body.cells.map((cell: { tenantId: string }) => cell.tenantId))).toEqual(
        new Set(inBand.map((participant) => participant.tenantId)),
      );
    }
  });
});
