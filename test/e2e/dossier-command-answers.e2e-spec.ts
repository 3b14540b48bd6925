import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ActorClaims } from '../../src/auth/actor.js';
import { postWith, startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Every refusal the OpenAPI document gives each dossier command (and the dossier read) is one the
 * server gives: a processor's 403, an unknown dossier's 404, a stale If-Match's 412 and an
 * Idempotency-Key reused with another body's 422, command by command through a dossier's whole
 * life. The test app checks each answer against the document (status and body schema).
 */
const who: Record<string, Partial<ActorClaims>> = {
  giver: { sub: 'giver-1', tenant: 'gent', roles: ['signal-giver'], org: 'caw' },
  lead: { sub: 'lead-1', tenant: 'gent', roles: ['lead-processor'] },
  processor: { sub: 'proc-1', tenant: 'gent', roles: ['processor'], domains: ['wonen'] },
};
const UNKNOWN = '01a23abe-0000-7000-8000-000000000000';

describe('the documented refusals of every dossier command', () => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  const signals: string[] = [];
  let dossier = '';

  const post = (role: string, path: string, body: object, headers: Record<string, string> = {}) =>
    postWith(t, tokens[role]!, path, body, headers);
  const refused = async (response: ReturnType<typeof post>, status: number, code: string): Promise<void> => {
    const answer = await response;
    expect({ status: answer.status, code: answer.body.code }).toEqual({ status, code });
  };

  beforeAll(async () => {
    t = await startTestApp();
    for (const [role, claims] of Object.entries(who)) tokens[role] = await t.token(claims);
    for (const n of [1, 2, 3]) {
      const submitted = await post('giver', '/signals', {
        title: `Gezinnen vinden geen betaalbare huurwoning (${n})`,
        description: 'Gezinnen met kinderen zoeken maandenlang vergeefs een betaalbare huurwoning.',
        themes: ['wonen'],
      }).expect(201);
      signals.push(submitted.body.signalId as string);
      await post('lead', `/signals/${submitted.body.signalId}/triage`, {}).expect(200);
    }
    const created = await post('lead', '/dossiers', {
      title: 'Betaalbaar wonen voor gezinnen',
      summary: 'Signalen over gezinnen die geen betaalbare huurwoning vinden.',
      themes: ['wonen'],
      signalIds: [signals[0], signals[1]],
    }).expect(201);
    dossier = created.body.dossierId as string;
  }, 30_000);
  afterAll(() => t.close());

  /**
   * The dossier's life, one command at a time: a body each takes in the state it is then in, and
   * another one (made when the test runs: the signals' ids are known by then).
   */
  const LIFE: Array<[command: string, body: () => object, other: () => object]> = [
    ['add-signal', () => ({ signalId: signals[2] }), () => ({ signalId: signals[0] })],
    [
      'remove-signal',
      () => ({ signalId: signals[2], reason: 'Hoort bij een ander dossier.' }),
      () => ({ signalId: signals[1], reason: 'Hoort bij een ander dossier.' }),
    ],
    [
      'record-analysis',
      () => ({ conclusion: 'Structureel tekort aan huurwoningen.', structural: true, themes: ['wonen'] }),
      () => ({ conclusion: 'Iets anders.', structural: false, themes: ['wonen'] }),
    ],
    [
      'escalate',
      () => ({ level: 'local', body: 'college', motivation: 'Vraagt een beleidskeuze.' }),
      () => ({ level: 'supralocal', body: 'VVSG', motivation: 'Overstijgt de gemeente.' }),
    ],
    [
      'record-policy-decision',
      () => ({ decision: 'Huurpremie uitgebreid.', actions: ['Reglement aanpassen'], feedback: 'Dank u.' }),
      () => ({ decision: 'Niets.', actions: [], feedback: 'Dank u.' }),
    ],
    ['close', () => ({ outcome: 'Huurpremie uitgebreid.' }), () => ({ outcome: 'Anders afgesloten.' })],
  ];

  it.each(LIFE.map(([command]) => command))(
    '%s: 403 for a processor, 404 for an unknown dossier',
    async (command) => {
      const body = LIFE.find(([name]) => name === command)![1]();
      await refused(post('processor', `/dossiers/${dossier}/${command}`, body), 403, 'ROLE_NOT_ALLOWED');
      await refused(post('lead', `/dossiers/${UNKNOWN}/${command}`, body), 404, 'DOSSIER_NOT_FOUND');
    },
  );

  it('through the dossier’s life: each command refuses a stale If-Match (412), then succeeds, then refuses its key with another body (422)', async () => {
    for (const [revision, [command, body, other]] of LIFE.entries()) {
      const path = `/dossiers/${dossier}/${command}`;
      // The dossier is at revision `revision` (created at 0, one more per command before).
      await refused(
        post('lead', path, body(), { 'If-Match': `"${revision + 7}"` }),
        412,
        'PRECONDITION_FAILED',
      );
      const key = `dossier-${command}`;
      const done = await post('lead', path, body(), { 'Idempotency-Key': key, 'If-Match': `"${revision}"` });
      expect({ command, status: done.status, body: done.body }).toMatchObject({ status: 200 });
      await refused(post('lead', path, other(), { 'Idempotency-Key': key }), 422, 'IDEMPOTENCY_KEY_REUSED');
    }
  });

  it('POST /dossiers: a create with an If-Match (no dossier has a revision yet) is 412', async () => {
    const body = {
      title: 'Wachtlijsten in de jeugdhulp',
      summary: 'Signalen over wachtlijsten.',
      themes: ['wonen'],
      signalIds: [signals[2]],
    };
    await refused(post('lead', '/dossiers', body, { 'If-Match': '"0"' }), 412, 'PRECONDITION_FAILED');
  });

  it('GET /dossiers/{id}: 400 for an id that is not one, 403 for a signal giver', async () => {
    const read = (role: string, id: string) =>
      t.http.get(`/dossiers/${id}`).set('Authorization', `Bearer ${tokens[role]}`);
    expect((await read('lead', 'not-a-uuid')).body).toMatchObject({ statusCode: 400, code: 'INVALID_ID' });
    expect((await read('giver', dossier)).body).toMatchObject({ statusCode: 403, code: 'ROLE_NOT_ALLOWED' });
  });
});
