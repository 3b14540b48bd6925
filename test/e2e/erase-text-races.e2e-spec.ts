import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { KeyStore } from '../../src/privacy/key-store/key-store.port.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * An erasure records SignalTextErased first and destroys the signal's key after it. A note added
 * in between was sealed under that key (still the live one) and appended after the erasure: its
 * text, acknowledged with 200, read "[gewist]" from then on.
 */
describe('a note added while the text of its signal is being erased', () => {
  let t: TestApp;
  let lead = '';

  const post = (path: string, body: object) =>
    t.http.post(path).set('Authorization', `Bearer ${lead}`).send(body);

  beforeAll(async () => {
    t = await startTestApp();
    lead = await t.token({ sub: 'lead-1', tenant: 'gent', roles: ['lead-processor'] });
    // A key store that takes its time to destroy a key (a slow disk, another region): the moment
    // between the erasure's event and the end of its key is long enough for a command to land.
    const keys = t.app.get(KeyStore);
    const destroy = keys.destroy.bind(keys);
    keys.destroy = async (keyIds) => {
      await sleep(150);
      return destroy(keyIds);
    };
  });
  afterAll(() => t.close());

  it('keeps the text of a note recorded after the erasure readable, and the text before it erased', async () => {
    const submitted = await post('/signals', {
      title: 'Vochtige huurwoningen in de wijk',
      description: 'Gezinnen melden schimmel sinds oktober.',
      themes: ['wonen'],
    }).expect(201);
    const id = submitted.body.signalId as string;
    await post(`/signals/${id}/add-note`, { note: 'Een notitie van voor het wissen.' }).expect(200);
    // Sent now (then), answered once its key is destroyed.
    const erasure = post(`/signals/${id}/erase-text`, { reason: 'Op vraag van de signaalgever.' }).then(
      (response) => response,
    );
    // By now the erasure's event is recorded and its key is still being destroyed.
    await sleep(60);
    const note = await post(`/signals/${id}/add-note`, { note: 'Een notitie van na het wissen.' }).expect(
      200,
    );
    expect((await erasure).status).toBe(200);
    // The writer destroyed the key; the erasure named it, and says so.
    expect((await erasure).body.keysDestroyed).toBe(1);
    expect(BigInt(note.body.revision as string)).toBeGreaterThan(
      BigInt((await erasure).body.revision as string),
    );

    const history = await t.http
      .get(`/signals/${id}/history`)
      .set('Authorization', `Bearer ${lead}`)
      .expect(200);
    const notes = (history.body.steps as Array<{ event: string; fields: { note?: string } }>)
      .filter((step) => step.event === 'NoteAdded')
      .map((step) => step.fields.note);
    expect(notes).toEqual(['[gewist]', 'Een notitie van na het wissen.']);
  });

  it('8 erasures at once: one records it and says it destroyed the key, 7 get 409 TEXT_ALREADY_ERASED', async () => {
    const submitted = await post('/signals', {
      title: 'Schimmel in sociale woningen',
      description: 'Huurders melden vocht in de slaapkamers.',
      themes: ['wonen'],
    }).expect(201);
    const id = submitted.body.signalId as string;
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        post(`/signals/${id}/erase-text`, { reason: 'Op vraag van de signaalgever.' }),
      ),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, ...Array(7).fill(409)]);
    expect(answers.filter((answer) => answer.status === 409).map((answer) => answer.body.code)).toEqual(
      Array(7).fill('TEXT_ALREADY_ERASED'),
    );
    expect(answers.find((answer) => answer.status === 200)!.body.keysDestroyed).toBe(1);
  });
});
