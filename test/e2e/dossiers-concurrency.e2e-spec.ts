import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { dossierStream } from '../../src/dossiers/dossier.events.js';
import { countEvents, startTestApp, type TestApp } from '../support/test-app.js';

/** The membership rule and idempotency under concurrent requests to one process. */
describe('dossier commands sent concurrently', () => {
  let t: TestApp;
  let lead = '';
  const signals: string[] = [];

  const post = (path: string, body: object, headers: Record<string, string> = {}) => {
    const request = t.http.post(path).set('Authorization', `Bearer ${lead}`);
    for (const [name, value] of Object.entries(headers)) request.set(name, value);
    return request.send(body);
  };
  const dossier = (signalIds: string[], title = 'Betaalbaar wonen') => ({
    title,
    summary: 'Signalen over betaalbare huurwoningen.',
    themes: ['wonen'],
    signalIds,
  });

  beforeAll(async () => {
    t = await startTestApp();
    lead = await t.token({ sub: 'lead-1', tenant: 'gent', roles: ['lead-processor'] });
    for (let i = 0; i < 3; i++) {
      const submitted = await post('/signals', {
        title: `Geen betaalbare huurwoning ${i}`,
        description: 'Gezinnen vinden geen betaalbare huurwoning.',
        themes: ['wonen'],
      }).expect(201);
      signals.push(submitted.body.signalId as string);
      await post(`/signals/${submitted.body.signalId}/triage`, {}).expect(200);
    }
  });
  afterAll(() => t.close());

  it('10 dossiers created at once with the same signal: exactly one holds it, 9 get 409', async () => {
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) => post('/dossiers', dossier([signals[0]!], `Bundel ${i}`))),
    );
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([201, ...Array(9).fill(409)]);
    expect(
      responses.filter((r) => r.status === 409).every((r) => r.body.code === 'SIGNAL_IN_OTHER_DOSSIER'),
    ).toBe(true);
  });

  it('one signal added to 2 dossiers at once 5 times over: each time exactly one wins', async () => {
    for (let round = 0; round < 5; round++) {
      const a = (await post('/dossiers', dossier([signals[1]!], `Bundel A${round}`)).expect(201)).body
        .dossierId as string;
      const b = (await post('/dossiers', dossier([signals[2]!], `Bundel B${round}`))).body
        .dossierId as string;
      await post(`/dossiers/${a}/close`, { outcome: 'Opgesplitst.' }).expect(200);
      const [first, second] = await Promise.all([
        post('/dossiers', dossier([signals[1]!], `Bundel C${round}`)),
        post(`/dossiers/${b}/add-signal`, { signalId: signals[1] }),
      ]);
      const wins = [first, second].filter((r) => r.status < 300);
      const losses = [first, second].filter((r) => r.status >= 300);
      expect(wins).toHaveLength(1);
      expect(losses.map((r) => [r.status, r.body.code])).toEqual([[409, 'SIGNAL_IN_OTHER_DOSSIER']]);
      if (first.status === 201)
        await post(`/dossiers/${first.body.dossierId}/close`, { outcome: 'Klaar.' }).expect(200);
      await post(`/dossiers/${b}/close`, { outcome: 'Klaar.' }).expect(200);
    }
  });

  it('the same create 10× at once with one Idempotency-Key: one dossier, one event, the same answer', async () => {
    const before = await countEvents(t.store);
    const body = dossier([signals[0]!], 'Eenmalig');
    // Signal 0 is in the dossier of the first test; close that one first.
    const open = await t.http
      .get(`/dossiers?signal=${signals[0]}&open=true`)
      .set('Authorization', `Bearer ${lead}`)
      .set('X-Min-Position', await t.head())
      .expect(200);
    for (const item of open.body.items as Array<{ dossierId: string }>) {
      await post(`/dossiers/${item.dossierId}/close`, { outcome: 'Vervangen.' }).expect(200);
    }
    const afterClose = await countEvents(t.store);
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => post('/dossiers', body, { 'Idempotency-Key': 'bundel-eenmalig' })),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(201));
    const ids = new Set(responses.map((r) => r.body.dossierId as string));
    expect(ids.size).toBe(1);
    expect(responses.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(9);
    expect(await countEvents(t.store)).toBe(afterClose + 1);
    expect(afterClose).toBeGreaterThan(before);
    let events = 0;
    for await (const _ of t.store.readStream(dossierStream('gent', [...ids][0]!))) events += 1;
    expect(events).toBe(1);
  });
});

/**
 * Two apps on one data folder (two instances of a deployment): each queues membership commands in
 * its own process only, so both used to read "in no open dossier" for the same signal at once and
 * both bundled it.
 */
describe('dossier commands sent to two instances on one data folder', () => {
  let a: TestApp;
  let b: TestApp;
  let lead = '';
  const signals: string[] = [];

  const post = (t: TestApp, path: string, body: object) =>
    t.http.post(path).set('Authorization', `Bearer ${lead}`).send(body);
  const dossier = (signalIds: string[], title: string) => ({
    title,
    summary: 'Signalen over betaalbare huurwoningen.',
    themes: ['wonen'],
    signalIds,
  });

  beforeAll(async () => {
    a = await startTestApp();
    b = await startTestApp({ dataDir: a.dataDir });
    lead = await a.token({ sub: 'lead-1', tenant: 'gent', roles: ['lead-processor'] });
    for (let i = 0; i < 5; i++) {
      const submitted = await post(a, '/signals', {
        title: `Geen betaalbare huurwoning ${i}`,
        description: 'Gezinnen vinden geen betaalbare huurwoning.',
        themes: ['wonen'],
      }).expect(201);
      signals.push(submitted.body.signalId as string);
      await post(a, `/signals/${submitted.body.signalId}/triage`, {}).expect(200);
    }
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  it('10 dossiers created at once with one signal, half on each instance: exactly one holds it', async () => {
    for (const signalId of signals) {
      const responses = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          post(i % 2 === 0 ? a : b, '/dossiers', dossier([signalId], `Bundel ${i}`)),
        ),
      );
      const statuses = responses.map((response) => response.status).sort();
      expect(statuses).toEqual([201, ...Array(9).fill(409)]);
      expect(
        responses.filter((r) => r.status === 409).every((r) => r.body.code === 'SIGNAL_IN_OTHER_DOSSIER'),
      ).toBe(true);
    }
  });
});
