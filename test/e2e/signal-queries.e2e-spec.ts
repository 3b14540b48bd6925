import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ActorClaims } from '../../src/auth/actor.js';
import {
  collectionOf,
  signalDetailProjection,
  signalInboxProjection,
  tenantDashboardProjection,
  type TenantDashboardDocument,
} from '../../projections/index.js';
import { dashboardAsVersion4 } from '../../projections/testing/dashboard-version4.js';
import { ReadStore } from '../../src/platform/read-store/read-store.port.js';
import { isEncrypted } from '../../src/privacy/field-cipher.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const who: Record<string, Partial<ActorClaims>> = {
  giver1: { sub: 'giver-1', tenant: 'gent', roles: ['signal-giver'], org: 'caw' },
  giver2: { sub: 'giver-2', tenant: 'gent', roles: ['signal-giver'], org: 'ocmw' },
  lead: { sub: 'lead-1', tenant: 'gent', roles: ['lead-processor'] },
  processor: { sub: 'proc-1', tenant: 'gent', roles: ['processor'], domains: ['jeugd'] },
  partner: { sub: 'partner-1', tenant: 'gent', roles: ['partner-processor'], org: 'caw' },
  official: { sub: 'schepen-1', tenant: 'gent', roles: ['official'] },
  otherLead: { sub: 'lead-9', tenant: 'eeklo', roles: ['lead-processor'] },
};

describe('queries on the read models', () => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  let last = '0';
  let ids: string[] = [];

  const get = (role: string, path: string) =>
    t.http.get(path).set('Authorization', `Bearer ${tokens[role]}`).set('X-Min-Position', last);
  const post = async (role: string, path: string, body: object) => {
    const response = await t.http.post(path).set('Authorization', `Bearer ${tokens[role]}`).send(body);
    expect(response.status).toBeLessThan(300);
    last = response.body.position as string;
    return response;
  };

  beforeAll(async () => {
    t = await startTestApp();
    for (const [role, claims] of Object.entries(who)) tokens[role] = await t.token(claims);
    const submit = (role: string, title: string, themes: string[]) =>
      post(role, '/signals', {
        title,
        description: 'Een situatie die frontlijnwerkers vaker zien in de wijk.',
        themes,
      });
    ids = [
      (await submit('giver1', 'Wachtlijst jeugdhulp', ['jeugd'])).body.signalId,
      (await submit('giver1', 'Energiefacturen', ['energie'])).body.signalId,
      (await submit('giver1', 'Huurwoningen', ['wonen'])).body.signalId,
      (await submit('giver2', 'Digitale kloof', ['digitale-inclusie'])).body.signalId,
    ];
    await post('lead', `/signals/${ids[0]}/triage`, {});
    await post('lead', `/signals/${ids[0]}/assign`, { assigneeId: 'proc-9', policyDomain: 'jeugd' });
    await post('lead', `/signals/${ids[3]}/reject`, {
      reason: 'Individuele vraag',
      feedback: 'Doorverwezen naar het OCMW.',
    });
  });
  afterAll(() => t.close());

  const titles = (body: { items: Array<{ title: string }> }) => body.items.map((item) => item.title).sort();

  it('scopes the inbox to what each role may see', async () => {
    expect(titles((await get('giver1', '/signals').expect(200)).body)).toEqual([
      'Energiefacturen',
      'Huurwoningen',
      'Wachtlijst jeugdhulp',
    ]);
    expect(titles((await get('giver2', '/signals').expect(200)).body)).toEqual(['Digitale kloof']);
    expect((await get('lead', '/signals?count=true').expect(200)).body.total).toBe(4);
    expect(titles((await get('processor', '/signals').expect(200)).body)).toEqual(['Wachtlijst jeugdhulp']);
    expect(titles((await get('partner', '/signals').expect(200)).body)).toEqual([
      'Energiefacturen',
      'Huurwoningen',
      'Wachtlijst jeugdhulp',
    ]);
    expect((await get('otherLead', '/signals?count=true').expect(200)).body.total).toBe(0);
    await get('official', '/signals').expect(403);
  });

  it('filters, sorts and pages on indexed fields, with a total count when asked', async () => {
    const open = await get('lead', '/signals?open=true&sort=submittedAt&limit=2&count=true').expect(200);
    expect(open.body).toMatchObject({ total: 3, hasMore: true, limit: 2, offset: 0 });
    const uncounted = await get('lead', '/signals?open=true&sort=submittedAt&limit=2').expect(200);
    expect(uncounted.body).toMatchObject({ items: open.body.items, total: null, hasMore: true });
    expect(open.body.items.map((item: { title: string }) => item.title)).toEqual([
      'Wachtlijst jeugdhulp',
      'Energiefacturen',
    ]);
    const page2 = await get('lead', '/signals?open=true&sort=submittedAt&limit=2&offset=2').expect(200);
    expect(page2.body.items.map((item: { title: string }) => item.title)).toEqual(['Huurwoningen']);
    expect(page2.body.hasMore).toBe(false);
    const byTheme = await get('lead', '/signals?theme=energie,wonen').expect(200);
    expect(titles(byTheme.body)).toEqual(['Energiefacturen', 'Huurwoningen']);
    const byState = await get('lead', '/signals?state=assigned').expect(200);
    expect(byState.body.items).toEqual([
      expect.objectContaining({ assigneeId: 'proc-9', policyDomain: 'jeugd', overdue: false }),
    ]);
    expect(byState.body.items[0]).not.toHaveProperty('scopeKeys');
    const overdue = await get('lead', '/signals?overdue=true&count=true').expect(200);
    expect(overdue.body.total).toBe(0);
  });

  it.each([
    ['/signals?state[$ne]=closed', 'an operator in a parameter name'],
    ['/signals?state=gesloten', 'an unknown state'],
    ['/signals?theme=rampen', 'an unknown theme'],
    ['/signals?limit=1000', 'a limit over 100'],
    ['/signals?sort=title', 'a sort on a field without index'],
    ['/signals?state=submitted&state=closed', 'a repeated parameter'],
    ['/signals?minPosition=abc', 'a minPosition that is not a position'],
    ['/signals?count=yes', 'a count that is not true or false'],
  ])('refuses %s (%s) with 400 INVALID_QUERY', async (path) => {
    const response = await get('lead', path).expect(400);
    expect(response.body.code).toBe('INVALID_QUERY');
  });

  it('gives the area and its kind in the detail and the inbox', async () => {
    // Another tenant: the counts of gent below stay as they are.
    const token = await t.token({ sub: 'giver-area', tenant: 'aalst', roles: ['signal-giver'] });
    const submitted = await t.http
      .post('/signals')
      .set('Authorization', `Bearer ${token}`)
      .send({
        title: 'Speelplein gesloten',
        description: 'Kinderen uit de wijk hebben geen plek meer om buiten te spelen.',
        themes: ['jeugd'],
        area: 'Brugse Poort',
        areaType: 'wijk',
      })
      .expect(201);
    const detail = await t.http
      .get(`/signals/${submitted.body.signalId}`)
      .set('Authorization', `Bearer ${token}`)
      .set('X-Min-Position', submitted.body.position)
      .expect(200);
    expect(detail.body).toMatchObject({ area: 'Brugse Poort', areaType: 'wijk' });
    const inbox = await t.http.get('/signals').set('Authorization', `Bearer ${token}`).expect(200);
    expect(inbox.body.items).toContainEqual(
      expect.objectContaining({ area: 'Brugse Poort', areaType: 'wijk' }),
    );
  });

  it("keeps a signal's text sealed in the read models and serves it opened", async () => {
    const token = await t.token({ sub: 'giver-sealed', tenant: 'aalst', roles: ['signal-giver'] });
    const title = 'Geen fietsenstalling aan het station';
    const description = 'Pendelaars laten hun fiets achter op het voetpad, rolstoelen kunnen er niet door.';
    const submitted = await t.http
      .post('/signals')
      .set('Authorization', `Bearer ${token}`)
      .send({ title, description, themes: ['mobiliteit'] })
      .expect(201);
    const signalId = submitted.body.signalId as string;
    const detail = await t.http
      .get(`/signals/${signalId}`)
      .set('Authorization', `Bearer ${token}`)
      .set('X-Min-Position', submitted.body.position)
      .expect(200);
    expect(detail.body).toMatchObject({ title, description });
    const inbox = await t.http.get('/signals').set('Authorization', `Bearer ${token}`).expect(200);
    expect(inbox.body.items).toContainEqual(expect.objectContaining({ signalId, title }));
    // What the read store keeps is the ciphertext of the event store, not the text.
    const readStore = t.app.get(ReadStore);
    const stored = await Promise.all(
      [signalInboxProjection, signalDetailProjection].map(async (projection) =>
        readStore.get<{ title: string; description?: string }>(
          collectionOf(projection, (await readStore.activeVersion(projection.name)) ?? undefined),
          `aalst:${signalId}`,
        ),
      ),
    );
    // The title in the inbox document, the description in the signal-detail document.
    expect(
      stored.map((found) => [
        found?.doc.title === undefined ? null : isEncrypted(found.doc.title),
        found?.doc.description ?? null,
      ]),
    ).toEqual([
      [true, null],
      [null, expect.stringMatching(/^\$enc:v1:/)],
    ]);
  });

  it('gives a signal with its timeline and allowed next steps, hiding internal notes from the giver', async () => {
    await post('lead', `/signals/${ids[0]}/add-note`, { note: 'Bespreken op de overlegtafel jeugd.' });
    const forLead = await get('lead', `/signals/${ids[0]}`).expect(200);
    expect(forLead.body.timeline.map((entry: { type: string }) => entry.type)).toEqual([
      'SignalSubmitted',
      'SignalTriaged',
      'SignalAssigned',
      'NoteAdded',
    ]);
    expect(forLead.body.allowedCommands.map((c: { name: string }) => c.name).sort()).toEqual([
      'add-note',
      'merge-into',
      'reassign',
      'request-info',
      'start-analysis',
    ]);
    const forGiver = await get('giver1', `/signals/${ids[0]}`).expect(200);
    expect(forGiver.body.timeline.map((entry: { type: string }) => entry.type)).not.toContain('NoteAdded');
    await get('giver2', `/signals/${ids[0]}`).expect(404);
  });

  it('says an empty area is empty, not too long', async () => {
    const response = await get('lead', '/signals?area=').expect(400);
    expect(response.body.code).toBe('INVALID_QUERY');
    expect(response.body.message).toMatch(/leeg/);
    expect(response.body.message).not.toMatch(/te lang/);
  });

  it.each([
    ['/dashboard?minPositon=1', 'a misspelt minPosition, which would read without waiting'],
    ['/dashboard?state[$ne]=closed', 'an operator in a parameter name'],
    ['/signals/{id}?minPositon=1', 'a misspelt minPosition, which would read without waiting'],
    ['/signals/{id}?tenant=eeklo', 'a parameter the page does not take'],
  ])('refuses %s (%s) with 400 INVALID_QUERY naming the parameters it takes', async (path) => {
    const response = await get('lead', path.replace('{id}', ids[0]!)).expect(400);
    expect(response.body.code).toBe('INVALID_QUERY');
    expect(response.body.message).toMatch(/minPosition/);
  });

  it('reads its own write with minPosition, and says so when the read models lag behind', async () => {
    const { body } = await post('giver1', '/signals', {
      title: 'Kinderopvang te duur',
      description: 'Alleenstaande ouders haken af door de kostprijs van de kinderopvang.',
      themes: ['kinderopvang'],
    });
    const fresh = await t.http
      .get(`/signals/${body.signalId}?minPosition=${body.position}`)
      .set('Authorization', `Bearer ${tokens['giver1']}`);
    expect(fresh.status).toBe(200);
    expect(fresh.headers['x-read-model-stale']).toBeUndefined();
    const future = await t.http
      .get('/signals')
      .set('Authorization', `Bearer ${tokens['lead']}`)
      .set('X-Min-Position', String(BigInt(body.position) + 1000n));
    expect(future.status).toBe(200);
    expect(future.headers['x-read-model-stale']).toBe('true');
  });

  it('serves the tenant dashboard to officials and lead processors only', async () => {
    const official = await get('official', '/dashboard').expect(200);
    expect(official.body).toMatchObject({
      tenantId: 'gent',
      total: 5,
      open: 4,
      overdue: 0,
      byState: { submitted: 3, assigned: 1, rejected: 1 },
      aging: { '0-7d': 4 },
    });
    expect(official.body.byTheme).toMatchObject({
      jeugd: 1,
      energie: 1,
      wonen: 1,
      'digitale-inclusie': 1,
      kinderopvang: 1,
    });
    expect(official.body).not.toHaveProperty('workload');
    expect(JSON.stringify(official.body)).not.toContain('Wachtlijst');
    const lead = await get('lead', '/dashboard').expect(200);
    expect(lead.body).toHaveProperty('workload');
    await get('giver1', '/dashboard').expect(403);
    await get('processor', '/dashboard').expect(403);
  });
  it('serves the dashboard from the version 4 document while the current version is rebuilt beside it', async () => {
    // The current version answers from the served form stored with its document.
    const served = await get('official', '/dashboard')
      .expect(200)
      .expect('Content-Type', /^application\/json/);
    const before = served.body;
    const readStore = t.app.get(ReadStore);
    const current = collectionOf(tenantDashboardProjection);
    expect(await readStore.getServed(current, 'gent')).not.toBeNull();
    const version4 = collectionOf(tenantDashboardProjection, 4);
    const stored = await readStore.get<TenantDashboardDocument>(current, 'gent');
    // The upgrade's moment: version 4 still active, holding its counts keyed by text.
    await readStore.ensureCollection(version4);
    await readStore.commit([
      {
        collection: version4,
        puts: [{ id: 'gent', doc: dashboardAsVersion4(stored!.doc), position: stored!.position }],
        deletes: [],
        parked: [],
        checkpoint: stored!.position,
        caughtUp: true,
      },
    ]);
    await readStore.activate(version4);
    try {
      const during = (await get('official', '/dashboard').expect(200)).body;
      const { generatedAt: _a, asOf: _b, ...figures } = during;
      const { generatedAt: _c, asOf: _d, ...expected } = before;
      expect(figures).toEqual(expected);
      expect(during.perMonth.submitted.reduce((sum: number, n: number) => sum + n, 0)).toBe(5);
    } finally {
      await readStore.activate(current);
    }
  });

  it('reads its own write on the dashboard too, with minPosition as a parameter or a header', async () => {
    const { body } = await post('giver1', '/signals', {
      title: 'Geen fietsenstalling aan het station',
      description: 'Pendelaars laten hun fiets op het voetpad staan.',
      themes: ['mobiliteit'],
    });
    const as = (request: ReturnType<typeof t.http.get>) =>
      request.set('Authorization', `Bearer ${tokens['official']}`);
    const fresh = await as(t.http.get(`/dashboard?minPosition=${body.position}`));
    expect(fresh.status).toBe(200);
    expect(fresh.headers['x-read-model-stale']).toBeUndefined();
    expect(fresh.body.byTheme).toMatchObject({ mobiliteit: 1 });
    const ahead = String(BigInt(body.position) + 1000n);
    const byParameter = await as(t.http.get(`/dashboard?minPosition=${ahead}`));
    expect(byParameter.status).toBe(200);
    expect(byParameter.headers['x-read-model-stale']).toBe('true');
    const byHeader = await as(t.http.get('/dashboard').set('X-Min-Position', ahead));
    expect(byHeader.headers['x-read-model-stale']).toBe('true');
    for (const query of ['minPosition=abc', 'minPosition=1&minPosition=2']) {
      const refused = await as(t.http.get(`/dashboard?${query}`));
      expect([query, refused.status, refused.body.code]).toEqual([query, 400, 'INVALID_QUERY']);
      expect(refused.body.message).toMatch(/minPosition/);
    }
  });
});
