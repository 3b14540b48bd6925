import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ActorClaims } from '../../src/auth/actor.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const GIVER: Partial<ActorClaims> = {
  sub: 'giver-1',
  tenant: 'gent',
  roles: ['signal-giver'],
  org: 'caw-oost-vlaanderen',
};
const LEAD: Partial<ActorClaims> = { sub: 'lead-1', tenant: 'gent', roles: ['lead-processor'] };
const PROCESSOR: Partial<ActorClaims> = {
  sub: 'proc-1',
  tenant: 'gent',
  roles: ['processor'],
  domains: ['wonen'],
};

describe('a signal from submission to closure over HTTP', () => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  beforeAll(async () => {
    t = await startTestApp();
    tokens['giver'] = await t.token(GIVER);
    tokens['lead'] = await t.token(LEAD);
    tokens['processor'] = await t.token(PROCESSOR);
    tokens['official'] = await t.token({ sub: 'schepen-1', tenant: 'gent', roles: ['official'] });
    tokens['otherTenantLead'] = await t.token({ sub: 'lead-9', tenant: 'eeklo', roles: ['lead-processor'] });
    tokens['otherGiver'] = await t.token({ ...GIVER, sub: 'giver-2' });
  });
  afterAll(() => t.close());

  const post = (who: string, path: string, body: object, headers: Record<string, string> = {}) =>
    t.http.post(path).set('Authorization', `Bearer ${tokens[who]}`).set(headers).send(body);

  it('walks every step with the right roles, revisions as ETags', async () => {
    const submitted = await post('giver', '/signals', {
      title: 'Gezinnen vinden geen betaalbare huurwoning',
      description:
        'Sinds de zomer melden gezinnen met kinderen dat ze geen huurwoning onder 800 euro vinden in Gent.',
      themes: ['wonen', 'armoede-en-inkomen'],
      targetGroups: ['gezinnen'],
      area: 'Rabot',
      estimatedPeopleAffected: 40,
      urgency: 'high',
    }).expect(201);
    const id = submitted.body.signalId as string;
    expect(submitted.headers['location']).toBe(`/signals/${id}`);
    expect(submitted.headers['etag']).toBe('"0"');
    expect(submitted.body).toMatchObject({
      signalId: id,
      revision: '0',
      state: 'submitted',
      events: [{ type: 'SignalSubmitted' }],
    });

    const steps: Array<[string, string, object, string]> = [
      ['lead', 'triage', { motivation: 'Structureel: meerdere gezinnen, meerdere wijken.' }, 'triaged'],
      ['lead', 'assign', { assigneeId: 'proc-1', policyDomain: 'wonen' }, 'assigned'],
      ['processor', 'start-analysis', {}, 'in-analysis'],
      ['processor', 'request-info', { question: 'Gaat het ook om sociale huurwoningen?' }, 'awaiting-info'],
      [
        'giver',
        'provide-info',
        { answer: 'Ja, de wachtlijst bij de sociale huisvesting is vier jaar.' },
        'in-analysis',
      ],
      [
        'processor',
        'record-analysis',
        { conclusion: 'Tekort aan betaalbare huurwoningen voor grote gezinnen.', structural: true },
        'analysed',
      ],
      [
        'lead',
        'escalate',
        {
          level: 'local',
          body: 'college van burgemeester en schepenen',
          motivation: 'Vraagt een beleidskeuze.',
        },
        'escalated',
      ],
      [
        'lead',
        'record-policy-decision',
        { decision: 'Het college breidt het huurpremiestelsel uit.' },
        'escalated',
      ],
      [
        'lead',
        'close',
        {
          outcome: 'Huurpremie uitgebreid.',
          feedback: 'Dank voor het signaal: het college heeft de huurpremie uitgebreid.',
        },
        'closed',
      ],
    ];
    let revision = 0;
    let position = submitted.body.position as string;
    for (const [who, command, body, state] of steps) {
      const response = await post(who, `/signals/${id}/${command}`, body, { 'If-Match': `"${revision}"` });
      position = response.body.position as string;
      expect({ command, status: response.status, body: response.body }).toMatchObject({
        command,
        status: 200,
        body: { state },
      });
      revision += 1;
      expect(response.headers['etag']).toBe(`"${revision}"`);
    }

    const view = await t.http
      .get(`/signals/${id}`)
      .set('Authorization', `Bearer ${tokens['giver']}`)
      .set('X-Min-Position', position)
      .expect(200);
    expect(view.headers['x-read-model-stale']).toBeUndefined();
    expect(view.headers['etag']).toBe(`"${revision}"`);
    expect(view.body.timeline.map((entry: { command: string }) => entry.command)).toEqual([
      'submit',
      ...steps.map(([, command]) => command),
    ]);
    expect(view.body).toMatchObject({
      signalId: id,
      state: 'closed',
      stateLabel: 'Afgesloten',
      workflow: { name: 'signal-lifecycle', version: 1 },
      title: 'Gezinnen vinden geen betaalbare huurwoning',
      themes: ['wonen', 'armoede-en-inkomen'],
      structural: true,
      assigneeId: 'proc-1',
      givenBy: 'giver-1',
      organisationId: 'caw-oost-vlaanderen',
    });
    const allowed = await t.http
      .get(`/signals/${id}/allowed-commands`)
      .set('Authorization', `Bearer ${tokens['lead']}`)
      .expect(200);
    expect(allowed.body.commands.map((c: { name: string }) => c.name).sort()).toEqual(['add-note', 'reopen']);
  });

  it('answers out of scope with 404, outside the role with 403, a wrong state with 409, a stale If-Match with 412', async () => {
    const { body } = await post('giver', '/signals', {
      title: 'Energiefacturen onbetaalbaar',
      description: 'Bewoners van oudere appartementen krijgen afrekeningen die ze niet kunnen betalen.',
      themes: ['energie'],
    }).expect(201);
    const id = body.signalId as string;
    await t.http
      .get(`/signals/${id}`)
      .set('Authorization', `Bearer ${tokens['otherTenantLead']}`)
      .expect(404);
    await t.http.get(`/signals/${id}`).set('Authorization', `Bearer ${tokens['otherGiver']}`).expect(404);
    await t.http.get(`/signals/${id}`).set('Authorization', `Bearer ${tokens['official']}`).expect(403);
    await t.http.get(`/signals/${id}`).set('Authorization', `Bearer ${tokens['processor']}`).expect(404);

    const forbidden = await post('giver', `/signals/${id}/triage`, {}).expect(403);
    expect(forbidden.body).toMatchObject({ statusCode: 403, code: 'ROLE_NOT_ALLOWED' });
    const wrongState = await post('lead', `/signals/${id}/close`, {
      outcome: 'Niets',
      feedback: 'Niets te doen.',
    }).expect(409);
    expect(wrongState.body).toMatchObject({
      code: 'TRANSITION_NOT_ALLOWED',
      details: { state: 'submitted' },
    });
    await post('lead', `/signals/${id}/triage`, {}, { 'If-Match': '"0"' }).expect(200);
    const stale = await post(
      'lead',
      `/signals/${id}/add-note`,
      { note: 'Later bekijken.' },
      { 'If-Match': '"0"' },
    ).expect(412);
    expect(stale.body).toMatchObject({ code: 'PRECONDITION_FAILED' });
    await post('lead', `/signals/${id}/nonsense`, {}).expect(404);
    await t.http.post(`/signals/${id}/triage`).send({}).expect(401);
  });
});
