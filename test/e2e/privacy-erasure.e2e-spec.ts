import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECTIONS, collectionOf } from '../../projections/index.js';
import type { ActorClaims } from '../../src/auth/actor.js';
import { ReadStore } from '../../src/platform/read-store/read-store.port.js';
import { ReadModels } from '../../src/read-models/read-models.js';
import { EncryptingEventStore } from '../../src/privacy/encrypting-event-store.js';
import { KeyStore } from '../../src/privacy/key-store/key-store.port.js';
import { collect } from '../support/events.js';
import { rebuiltDocument } from '../support/rebuild.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const who: Record<string, Partial<ActorClaims>> = {
  giver: { sub: 'giver-1', tenant: 'gent', roles: ['signal-giver'] },
  lead: { sub: 'lead-1', tenant: 'gent', roles: ['lead-processor'] },
  processor: { sub: 'proc-1', tenant: 'gent', roles: ['processor'], domains: ['wonen'] },
  auditor: { sub: 'auditor-1', tenant: 'gent', roles: ['auditor'] },
  official: { sub: 'schepen-1', tenant: 'gent', roles: ['official'] },
  eekloLead: { sub: 'lead-9', tenant: 'eeklo', roles: ['lead-processor'] },
};

// Words that occur nowhere else: found anywhere after the erasure, they are a leak.
const MARKERS = {
  title: 'Zonnebloemwijk kampt met vochtige huurwoningen',
  description: 'Meerdere gezinnen in de Zonnebloemwijk melden schimmel en kille kamers sinds oktober.',
  motivation: 'Kwakzalverij-marker: komt in drie wijken voor.',
  note: 'Notitie met het woord paardenbloemthee erin.',
  conclusion: 'Structureel tekort aan isolatie, zegt de ijsvogelanalyse.',
};
const WORDS = ['Zonnebloemwijk', 'Kwakzalverij', 'paardenbloemthee', 'ijsvogelanalyse'];

function leaks(text: string): string[] {
  return WORDS.filter((word) => text.includes(word));
}

function rawFiles(dir: string, base: string): string {
  return ['', '-wal']
    .map((suffix) => join(dir, `${base}${suffix}`))
    .filter((file) => existsSync(file))
    .map((file) => readFileSync(file).toString('latin1'))
    .join('');
}

describe('privacy: encrypted free text, POST /signals/{id}/erase-text, read models and answers', () => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  let id: string;
  let last = '0';
  const answers: string[] = [];

  const as = (role: string) => ({ Authorization: `Bearer ${tokens[role]}` });
  const get = async (role: string, path: string, status = 200) => {
    const response = await t.http.get(path).set(as(role)).set('X-Min-Position', last).expect(status);
    answers.push(response.text);
    return response;
  };
  const command = async (role: string, name: string, body: object, status = 200) => {
    const response = await t.http.post(`/signals/${id}/${name}`).set(as(role)).send(body).expect(status);
    if (response.body.position) last = response.body.position as string;
    return response;
  };

  beforeAll(async () => {
    t = await startTestApp();
    for (const [name, claims] of Object.entries(who)) tokens[name] = await t.token(claims);
    const submitted = await t.http
      .post('/signals')
      .set(as('giver'))
      .send({ title: MARKERS.title, description: MARKERS.description, themes: ['wonen'], area: 'Rabot' })
      .expect(201);
    id = submitted.body.signalId as string;
    await command('lead', 'triage', { motivation: MARKERS.motivation });
    await command('lead', 'assign', { assigneeId: 'proc-1', policyDomain: 'wonen' });
    await command('processor', 'start-analysis', {});
    await command('processor', 'add-note', { note: MARKERS.note });
    await command('processor', 'record-analysis', { conclusion: MARKERS.conclusion, structural: true });
  }, 60_000);

  afterAll(async () => {
    await t.close();
  });

  it('stores the free text encrypted: the raw event store file never holds it, the API shows it', async () => {
    expect(leaks(rawFiles(t.dataDir, 'events.sqlite'))).toEqual([]);
    const detail = await get('lead', `/signals/${id}`);
    expect(detail.body).toMatchObject({
      title: MARKERS.title,
      description: MARKERS.description,
      area: 'Rabot',
    });
    expect(JSON.stringify(detail.body.timeline)).toContain('paardenbloemthee');
    answers.length = 0;
  });

  describe('bad input', () => {
    it('no reason, an empty body, a reason too short or not text → 400 with a Dutch message', async () => {
      for (const body of [{}, { reason: null }, { reason: 'kort' }, { reason: 12345 }]) {
        const response = await t.http
          .post(`/signals/${id}/erase-text`)
          .set(as('lead'))
          .send(body)
          .expect(400);
        expect(response.body.code).toMatch(/^FIELD_(REQUIRED|INVALID)$/);
        expect(response.body.message).toMatch(/reden|reason/i);
      }
    });

    it('a field of its own → 400; personal data in the reason → 422 naming the field', async () => {
      const extra = await t.http
        .post(`/signals/${id}/erase-text`)
        .set(as('lead'))
        .send({ reason: 'Op vraag van de signaalgever.', tenantId: 'eeklo' })
        .expect(400);
      expect(extra.body.code).toBe('FIELD_NOT_ALLOWED');
      const personal = await t.http
        .post(`/signals/${id}/erase-text`)
        .set(as('lead'))
        .send({ reason: 'Gevraagd door jan.peeters@example.com' })
        .expect(422);
      expect(personal.body).toMatchObject({ code: 'PERSONAL_DATA_DETECTED', details: { field: 'reason' } });
    });

    it('a role other than lead processor → 403; a lead of another tenant or an unknown signal → 404; a bad id → 400', async () => {
      const reason = { reason: 'Op vraag van de signaalgever.' };
      for (const role of ['giver', 'processor', 'auditor', 'official']) {
        const response = await t.http
          .post(`/signals/${id}/erase-text`)
          .set(as(role))
          .send(reason)
          .expect(403);
        expect(response.body.code).toBe('ROLE_NOT_ALLOWED');
      }
      const other = await t.http
        .post(`/signals/${id}/erase-text`)
        .set(as('eekloLead'))
        .send(reason)
        .expect(404);
      expect(other.body.code).toBe('SIGNAL_NOT_FOUND');
      const unknown = '0190b6a4-0000-7000-8000-000000000000';
      expect(
        (await t.http.post(`/signals/${unknown}/erase-text`).set(as('lead')).send(reason).expect(404)).body
          .code,
      ).toBe('SIGNAL_NOT_FOUND');
      expect(
        (await t.http.post('/signals/..%2Fx/erase-text').set(as('lead')).send(reason).expect(400)).body.code,
      ).toBe('INVALID_ID');
      await t.http.post(`/signals/${id}/erase-text`).send(reason).expect(401);
    });
  });

  describe('after the erasure', () => {
    let erasure: { revision: string; position: string; keysDestroyed: number };

    beforeAll(async () => {
      const response = await t.http
        .post(`/signals/${id}/erase-text`)
        .set(as('lead'))
        .send({ reason: 'Op vraag van de signaalgever.' })
        .expect(200);
      erasure = response.body;
      last = erasure.position;
    });

    it('destroyed the signal key, and a second erasure is refused with 409', async () => {
      expect(erasure.keysDestroyed).toBe(1);
      const keys = await t.app.get(KeyStore).keysOf({ tenantId: 'gent', signalId: id });
      expect(keys.map((key) => key.destroyedAt !== null)).toEqual([true]);
      const again = await t.http
        .post(`/signals/${id}/erase-text`)
        .set(as('lead'))
        .send({ reason: 'Nog eens, voor de zekerheid.' })
        .expect(409);
      expect(again.body).toMatchObject({
        code: 'TEXT_ALREADY_ERASED',
        message: 'De tekst van dit signaal is al gewist.',
      });
    });

    it('every answer shows [gewist] and none holds the text: detail, timeline, inbox, history (json and csv), asOf', async () => {
      answers.length = 0;
      const detail = await get('lead', `/signals/${id}`);
      expect(detail.body).toMatchObject({
        title: '[gewist]',
        description: '[gewist]',
        area: 'Rabot',
        erased: true,
        state: 'analysed',
      });
      expect(detail.body.timeline.at(-1)).toMatchObject({ type: 'SignalTextErased' });
      await get('processor', `/signals/${id}`);
      await get('giver', `/signals/${id}`);
      const inbox = await get('lead', '/signals?limit=50');
      expect(inbox.body.items.find((item: { signalId: string }) => item.signalId === id)).toMatchObject({
        title: '[gewist]',
        erased: true,
      });
      const history = await get('auditor', `/signals/${id}/history`);
      expect(history.body).toMatchObject({ erased: true });
      expect(history.body.steps).toHaveLength(Number(erasure.revision) + 1);
      expect(history.body.steps.at(-1)).toMatchObject({
        event: 'SignalTextErased',
        motivation: 'Op vraag van de signaalgever.',
      });
      await get('auditor', `/signals/${id}/history?format=csv`);
      for (let revision = 0; revision <= Number(erasure.revision); revision++) {
        const asOf = await get('auditor', `/signals/${id}?asOf=${revision}`);
        expect(asOf.body.revision).toBe(revision);
      }
      await get('lead', `/dashboard`);
      expect(answers.join('\n')).toContain('[gewist]');
      expect(leaks(answers.join('\n'))).toEqual([]);
    });

    it('no read model document holds the text, and a rebuild from the event store shows [gewist] alike', async () => {
      expect(await t.app.get(ReadModels).reach(BigInt(last))).toBe(true);
      const readStore = t.app.get(ReadStore);
      const dumps: string[] = [];
      for (const projection of PROJECTIONS) {
        const listed = await readStore.list(collectionOf(projection), { limit: 1000 });
        dumps.push(JSON.stringify(listed.items));
      }
      expect(leaks(dumps.join('\n'))).toEqual([]);
      expect(dumps.join('\n')).toContain('[gewist]');
      // Nor the raw read-model file and its WAL: the old rows' bytes are zeroed, the WAL truncated.
      expect(leaks(rawFiles(t.dataDir, 'read-models.sqlite'))).toEqual([]);

      // The title in the inbox document, the description in the signal-detail document.
      const expected = {
        'signal-inbox': { title: '[gewist]', erased: true },
        'signal-detail': { description: '[gewist]' },
      };
      for (const [name, fields] of Object.entries(expected)) {
        const rebuilt = await rebuiltDocument(t.dataDir, name, `gent:${id}`);
        expect(rebuilt?.doc).toMatchObject(fields);
        const incremental = await readStore.get(
          collectionOf(PROJECTIONS.find((p) => p.name === name)!),
          `gent:${id}`,
        );
        expect(rebuilt).toEqual(incremental);
        expect(leaks(JSON.stringify(rebuilt?.doc))).toEqual([]);
      }
    });

    it('the stored events keep their ciphertext: the audit verifier passes, the raw file holds no text', async () => {
      const verify = await t.http.get('/audit/verify').set(as('auditor')).expect(200);
      expect(verify.body).toMatchObject({ ok: true });
      expect(leaks(rawFiles(t.dataDir, 'events.sqlite'))).toEqual([]);
      const stored = await collect((t.store as EncryptingEventStore).stored.readStream(`signal-gent-${id}`));
      expect(JSON.stringify(stored.map((event) => event.data))).toContain('$enc:v1:');
    });

    it('signal events name people only by opaque ids: no name or e-mail in any stored event', async () => {
      const events = await collect((t.store as EncryptingEventStore).stored.readAll());
      for (const event of events.filter((e) => e.stream.startsWith('signal-'))) {
        expect(
          Object.keys(event.metadata.actor).every((k) => ['id', 'role', 'organisationId'].includes(k)),
        ).toBe(true);
        expect(JSON.stringify([event.data, event.metadata])).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.]+/);
      }
    });

    it('text recorded after the erasure is under a new key and readable', async () => {
      await command('lead', 'add-note', { note: 'Nieuwe notitie na het wissen.' });
      const detail = await get('lead', `/signals/${id}`);
      expect(detail.body.timeline.at(-1).fields).toEqual({ note: 'Nieuwe notitie na het wissen.' });
      const keys = await t.app.get(KeyStore).keysOf({ tenantId: 'gent', signalId: id });
      expect(keys.map((key) => key.destroyedAt === null)).toEqual([false, true]);
      console.log('erasure: text absent from all answers and read models, replay intact');
    });
  });
});
