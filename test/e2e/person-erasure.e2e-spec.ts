import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECTIONS, collectionOf } from '../../projections/index.js';
import { ReadStore } from '../../src/platform/read-store/read-store.port.js';
import { ReadModels } from '../../src/read-models/read-models.js';
import { collect } from '../support/events.js';
import { rebuiltDocument } from '../support/rebuild.js';
import { registerGent, startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Issue #4 part 4, erasing a person: POST /people/{id}/erase (tenant-admin, reason required) removes
 * the name and e-mail from the identity store and ends the login; the events keep the opaque id, the
 * person's signals still replay, and no file of the data directory nor any log line holds the name or
 * the e-mail afterwards.
 */
const EMAIL = 'wies.verhaegen@stad.gent';
const NAME = 'Wies Verhaegen';
const PASSWORD = 'een lang en sterk wachtwoord';
const SIGNAL = {
  title: 'Gezinnen vinden geen betaalbare huurwoning',
  description: 'Sinds de zomer vinden gezinnen met kinderen geen huurwoning onder 800 euro.',
  themes: ['wonen'],
};

/** Every file of the data directory (SQLite files with their -wal and -shm), read as raw bytes. */
function rawDataDir(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .map((name) => join(dir, name))
      .filter((file) => existsSync(file))
      .map((file) => [file, readFileSync(file).toString('latin1').toLowerCase()]),
  );
}

const holding = (files: Record<string, string>, needle: string): string[] =>
  Object.entries(files)
    .filter(([, content]) => content.includes(needle.toLowerCase()))
    .map(([file]) => file.split('/').at(-1)!);

describe('privacy: erasing a person (POST /people/{id}/erase)', () => {
  let t: TestApp;
  let admin: string;
  let lead: string;
  let personId: string;
  let signalId: string;
  let refreshToken: string;
  let accessToken = '';
  let pendingInvite: string;
  const logged: string[] = [];

  beforeAll(async () => {
    // Whatever the app writes to stdout or stderr (logs) is kept and searched for the name and e-mail.
    for (const stream of [process.stdout, process.stderr]) {
      const write = stream.write.bind(stream);
      jest.spyOn(stream, 'write').mockImplementation((chunk: unknown, ...rest: unknown[]) => {
        logged.push(String(chunk));
        return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
      });
    }
    t = await startTestApp();
    await registerGent(t);
    admin = `Bearer ${await t.token({ sub: 'admin-1', roles: ['tenant-admin'] })}`;
    lead = `Bearer ${await t.token({ sub: 'lead-1', roles: ['lead-processor'] })}`;

    const invite = await t.http
      .post('/invites')
      .set('Authorization', admin)
      .send({ email: EMAIL, roles: ['signal-giver'] })
      .expect(201);
    const accepted = await t.http
      .post('/invites/accept')
      .send({ tenant: 'gent', token: invite.body.token, name: NAME, password: PASSWORD })
      .expect(201);
    personId = accepted.body.personId;
    // A second invite to the same address, still open when the person is erased.
    pendingInvite = (
      await t.http
        .post('/invites')
        .set('Authorization', admin)
        .send({ email: EMAIL, roles: ['processor'] })
        .expect(201)
    ).body.token;
    const login = await t.http
      .post('/auth/login')
      .send({ tenant: 'gent', email: EMAIL, password: PASSWORD })
      .expect(200);
    refreshToken = login.body.refreshToken;
    accessToken = login.body.accessToken;
    const giver = `Bearer ${login.body.accessToken}`;
    signalId = (await t.http.post('/signals').set('Authorization', giver).send(SIGNAL).expect(201)).body
      .signalId;
  }, 30_000);

  afterAll(async () => {
    await t.close();
    jest.restoreAllMocks();
  });

  it('before erasure the identity store holds the name and e-mail (what the raw search below looks for)', async () => {
    const people = await t.http.get('/people').set('Authorization', admin).expect(200);
    expect(people.body.items).toContainEqual(expect.objectContaining({ personId, name: NAME, email: EMAIL }));
    const files = rawDataDir(t.dataDir);
    expect(holding(files, EMAIL).some((file) => file.startsWith('identity.sqlite'))).toBe(true);
    expect(holding(files, NAME).some((file) => file.startsWith('identity.sqlite'))).toBe(true);
  });

  it('refuses bad input with a stable code and a Dutch message; only the tenant-admin may erase', async () => {
    const erase = (by: string, id: string, body: unknown) =>
      t.http
        .post(`/people/${id}/erase`)
        .set('Authorization', by)
        .send(body as object);
    const cases: Array<[string, string, unknown, number, string]> = [
      [admin, personId, {}, 400, 'ERASURE_REASON_REQUIRED'],
      [admin, personId, { reason: 'kort' }, 400, 'ERASURE_REASON_INVALID'],
      [admin, personId, { reason: 'Vertrokken', purge: true }, 400, 'FIELD_NOT_ALLOWED'],
      [admin, personId, ['Vertrokken'], 400, 'INVALID_BODY'],
      [admin, personId, { reason: `Op vraag van ${NAME}` }, 422, 'ERASURE_REASON_HAS_PERSONAL_DATA'],
      [
        admin,
        personId,
        { reason: `Mail van ${EMAIL.toUpperCase()}` },
        422,
        'ERASURE_REASON_HAS_PERSONAL_DATA',
      ],
      [admin, '0190f0f0-0000-7000-8000-000000000000', { reason: 'Vertrokken' }, 404, 'PERSON_NOT_FOUND'],
      // What can never be a person's id (GET /people gives UUIDs): 400, as for signals and dossiers.
      [admin, 'niet-een-id', { reason: 'Vertrokken' }, 400, 'INVALID_ID'],
      [admin, 'lead-1', { reason: 'Vertrokken' }, 400, 'INVALID_ID'],
      [admin, '$all', { reason: 'Vertrokken' }, 400, 'INVALID_ID'],
      [admin, personId.toUpperCase().replace(/-/g, ''), { reason: 'Vertrokken' }, 400, 'INVALID_ID'],
      [admin, 'x'.repeat(300), { reason: 'Vertrokken' }, 400, 'INVALID_ID'],
      [lead, personId, { reason: 'Vertrokken' }, 403, 'ROLE_NOT_ALLOWED'],
    ];
    for (const [by, id, body, status, code] of cases) {
      const response = await erase(by, id, body);
      expect({ id, status: response.status, code: response.body.code }).toEqual({ id, status, code });
      expect(response.body.message).toMatch(/[a-z]/);
      if (code === 'INVALID_ID')
        expect(response.body.message).toBe(
          'Dit is geen geldige id van een persoon: gebruik de personId die GET /people geeft.',
        );
    }
    const self = `Bearer ${await t.token({ sub: personId, roles: ['tenant-admin'] })}`;
    const own = await erase(self, personId, { reason: 'Vertrokken bij de stad' }).expect(422);
    expect(own.body.code).toBe('CANNOT_ERASE_SELF');
    // Nothing of the above erased anything.
    await t.http.post('/auth/login').send({ tenant: 'gent', email: EMAIL, password: PASSWORD }).expect(200);
  });

  it('erases: the people list shows [gewist] without e-mail, login and refresh fail, a second erasure is 409', async () => {
    const erased = await t.http
      .post(`/people/${personId}/erase`)
      .set('Authorization', admin)
      .send({ reason: 'Vertrokken bij de organisatie, gevraagd via de DPO.' })
      .expect(200);
    expect(erased.body).toMatchObject({ personId, erased: true });

    const people = await t.http.get('/people').set('Authorization', admin).expect(200);
    const listed = people.body.items.find((item: { personId: string }) => item.personId === personId);
    expect(listed).toMatchObject({ name: '[gewist]', email: null, erased: true, oidcLinked: false });
    expect(JSON.stringify(people.body)).not.toContain('wies');

    const login = await t.http
      .post('/auth/login')
      .send({ tenant: 'gent', email: EMAIL, password: PASSWORD })
      .expect(401);
    expect(login.body.code).toBe('LOGIN_FAILED');
    const refresh = await t.http.post('/auth/refresh').send({ refreshToken }).expect(401);
    expect(refresh.body.code).toBe('REFRESH_TOKEN_INVALID');
    // The access token issued before the erasure ends with it, not at its exp.
    const after = await t.http.get('/me').set('Authorization', `Bearer ${accessToken}`).expect(401);
    expect(after.body.code).toBe('TOKEN_REVOKED');

    const withdrawn = await t.http
      .post('/invites/accept')
      .send({ tenant: 'gent', token: pendingInvite, name: 'Iemand Anders', password: PASSWORD })
      .expect(410);
    expect(withdrawn.body.code).toBe('INVITE_WITHDRAWN');

    const again = await t.http
      .post(`/people/${personId}/erase`)
      .set('Authorization', admin)
      .send({ reason: 'Nogmaals, voor de zekerheid.' })
      .expect(409);
    expect(again.body).toMatchObject({ code: 'PERSON_ALREADY_ERASED' });
    expect(again.body.message).toContain('gewist');
    const roles = await t.http
      .post(`/people/${personId}/roles`)
      .set('Authorization', admin)
      .send({ grant: ['processor'] })
      .expect(409);
    expect(roles.body.code).toBe('PERSON_ERASED');
  });

  it('the person stream records PersonErased with the opaque id and the reason only', async () => {
    const events = await collect(t.store.readStream(`person-gent-${personId}`));
    expect(events.map((event) => event.type)).toEqual(['PersonRegistered', 'RolesGranted', 'PersonErased']);
    expect(events.at(-1)!.data).toEqual({
      personId,
      reason: 'Vertrokken bij de organisatie, gevraagd via de DPO.',
    });
  });

  it("the person's signal still replays under the opaque id: detail, history, audit and a read-model rebuild", async () => {
    const detail = await t.http
      .get(`/signals/${signalId}`)
      .set('Authorization', lead)
      .set('X-Min-Position', await t.head())
      .expect(200);
    expect(JSON.stringify(detail.body)).toContain(personId);
    const history = await t.http.get(`/signals/${signalId}/history`).set('Authorization', lead).expect(200);
    expect(history.body.steps.length).toBeGreaterThanOrEqual(1);
    const auditor = `Bearer ${await t.token({ sub: 'auditor-1', roles: ['auditor'] })}`;
    expect((await t.http.get('/audit/verify').set('Authorization', auditor).expect(200)).body).toMatchObject({
      ok: true,
    });

    expect(await t.app.get(ReadModels).reach(BigInt(await t.head()))).toBe(true);
    // The inbox document holds who gave the signal (the page joins it to its signal-detail document).
    const collection = collectionOf(PROJECTIONS.find((p) => p.name === 'signal-inbox')!);
    const replayed = await rebuiltDocument(t.dataDir, 'signal-inbox', `gent:${signalId}`);
    expect(replayed).toEqual(await t.app.get(ReadStore).get(collection, `gent:${signalId}`));
    expect(JSON.stringify(replayed?.doc)).toContain(personId);
  });

  it('no raw file of the data directory (events, read models, identity, keys, WAL) nor any log line holds the name or e-mail', async () => {
    const files = rawDataDir(t.dataDir);
    expect(Object.keys(files).some((file) => file.endsWith('identity.sqlite'))).toBe(true);
    expect(Object.keys(files).some((file) => file.endsWith('events.sqlite'))).toBe(true);
    expect(Object.keys(files).some((file) => file.endsWith('read-models.sqlite'))).toBe(true);
    for (const needle of [EMAIL, NAME, 'wies.verhaegen', 'verhaegen']) {
      expect({ needle, files: holding(files, needle) }).toEqual({ needle, files: [] });
    }
    const logs = logged.join('\n').toLowerCase();
    expect(logs).not.toContain('verhaegen');
    console.log(
      `person erasure: name and e-mail absent from ${Object.keys(files).length} data files and the logs, replay intact`,
    );
  });
});
