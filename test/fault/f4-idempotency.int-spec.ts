import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { countEvents, startTestApp, type TestApp } from '../support/test-app.js';

const SUBMIT = {
  title: 'Jongeren zonder plek in de jeugdhulp',
  description: 'Wachtlijsten van meer dan een jaar voor jongeren met psychische problemen in Kortrijk.',
  themes: ['jeugd', 'mentaal-welzijn'],
};

describe('F4: one command delivered 10 times with one Idempotency-Key', () => {
  let t: TestApp;
  let giver: string;
  let lead: string;
  beforeAll(async () => {
    t = await startTestApp();
    giver = await t.token({ sub: 'giver-1', tenant: 'kortrijk', roles: ['signal-giver'] });
    lead = await t.token({ sub: 'lead-1', tenant: 'kortrijk', roles: ['lead-processor'] });
  });
  afterAll(() => t.close());

  const send = (token: string, path: string, body: object, key: string) =>
    t.http.post(path).set('Authorization', `Bearer ${token}`).set('Idempotency-Key', key).send(body);

  it('records one set of events and answers the same each time, concurrently and sequentially', async () => {
    const before = await countEvents(t.store);
    const concurrent = await Promise.all(
      Array.from({ length: 10 }, () => send(giver, '/signals', SUBMIT, 'submit-key-1')),
    );
    const sequential = [];
    for (let i = 0; i < 10; i++) sequential.push(await send(giver, '/signals', SUBMIT, 'submit-key-1'));
    const all = [...concurrent, ...sequential];
    expect(all.map((r) => r.status)).toEqual(Array(20).fill(201));
    for (const response of all) {
      expect(response.body).toEqual(all[0]!.body);
      expect(response.headers['etag']).toBe('"0"');
    }
    expect(all.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(19);
    expect((await countEvents(t.store)) - before).toBe(1);

    const id = all[0]!.body.signalId as string;
    const notes = await Promise.all(
      Array.from({ length: 10 }, () =>
        send(lead, `/signals/${id}/add-note`, { note: 'Bespreken op de overlegtafel.' }, 'note-key-1'),
      ),
    );
    for (let i = 0; i < 10; i++)
      notes.push(
        await send(lead, `/signals/${id}/add-note`, { note: 'Bespreken op de overlegtafel.' }, 'note-key-1'),
      );
    expect(notes.map((r) => r.status)).toEqual(Array(20).fill(200));
    for (const response of notes) expect(response.body).toEqual(notes[0]!.body);
    expect((await countEvents(t.store)) - before).toBe(2);
    console.info(
      `F4: 2 commands × 20 deliveries (10 concurrent, 10 sequential), ${(await countEvents(t.store)) - before} events recorded`,
    );
  });

  it('refuses the same key with another body with 422 and records nothing', async () => {
    const first = await send(giver, '/signals', SUBMIT, 'submit-key-2').expect(201);
    const before = await countEvents(t.store);
    const other = await send(
      giver,
      '/signals',
      { ...SUBMIT, title: 'Een andere titel voor dit signaal' },
      'submit-key-2',
    ).expect(422);
    expect(other.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    const id = first.body.signalId as string;
    await send(lead, `/signals/${id}/add-note`, { note: 'Eerste notitie.' }, 'note-key-2').expect(200);
    const otherNote = await send(
      lead,
      `/signals/${id}/add-note`,
      { note: 'Andere notitie.' },
      'note-key-2',
    ).expect(422);
    expect(otherNote.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    expect((await countEvents(t.store)) - before).toBe(1);
  });

  it('keeps keys of different people apart', async () => {
    const otherGiver = await t.token({ sub: 'giver-2', tenant: 'kortrijk', roles: ['signal-giver'] });
    const a = await send(giver, '/signals', SUBMIT, 'shared-key').expect(201);
    const b = await send(otherGiver, '/signals', SUBMIT, 'shared-key').expect(201);
    expect(a.body.signalId).not.toBe(b.body.signalId);
  });
});
