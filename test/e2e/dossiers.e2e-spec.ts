import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ActorClaims } from '../../src/auth/actor.js';
import { buildOpenApiDocument } from '../../src/platform/http/openapi.js';
import { signalStream } from '../../src/signals/signal.events.js';
import { countEvents, postWith, startTestApp, type TestApp } from '../support/test-app.js';

const who: Record<string, Partial<ActorClaims>> = {
  giver1: { sub: 'giver-1', tenant: 'gent', roles: ['signal-giver'], org: 'caw' },
  giver2: { sub: 'giver-2', tenant: 'gent', roles: ['signal-giver'], org: 'ocmw' },
  lead: { sub: 'lead-1', tenant: 'gent', roles: ['lead-processor'] },
  processor: { sub: 'proc-1', tenant: 'gent', roles: ['processor'], domains: ['wonen'] },
  otherLead: { sub: 'lead-9', tenant: 'eeklo', roles: ['lead-processor'] },
};

describe('dossiers over HTTP: create → add → analysis → escalate → decision, and similar signals', () => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  let last = '0';
  const ids: Record<string, string> = {};
  let dossierId = '';

  const get = (role: string, path: string) =>
    t.http.get(path).set('Authorization', `Bearer ${tokens[role]}`).set('X-Min-Position', last);
  const post = (role: string, path: string, body: object, headers: Record<string, string> = {}) =>
    postWith(t, tokens[role]!, path, body, headers);
  const ok = async (role: string, path: string, body: object, headers: Record<string, string> = {}) => {
    const response = await post(role, path, body, headers);
    expect({ status: response.status, body: response.body }).toMatchObject({ status: expect.any(Number) });
    if (response.status >= 300)
      throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
    last = response.body.position as string;
    return response;
  };

  beforeAll(async () => {
    t = await startTestApp();
    for (const [role, claims] of Object.entries(who)) tokens[role] = await t.token(claims);
    const submit = async (
      key: string,
      role: string,
      title: string,
      description: string,
      themes: string[],
    ) => {
      ids[key] = (await ok(role, '/signals', { title, description, themes })).body.signalId as string;
    };
    await submit(
      'huurA',
      'giver1',
      'Gezinnen met kinderen vinden geen betaalbare huurwoning',
      'Gezinnen met drie kinderen zoeken in Ledeberg maandenlang vergeefs een betaalbare huurwoning.',
      ['wonen'],
    );
    await submit(
      'huurB',
      'giver2',
      'Grote gezinnen zoeken vergeefs een betaalbare huurwoning',
      'Grote gezinnen vinden na een opzeg geen betaalbare huurwoning meer; de huurprijzen zijn te hoog.',
      ['wonen', 'armoede-en-inkomen'],
    );
    await submit(
      'huurC',
      'giver2',
      'Huurprijzen te hoog voor alleenstaanden met een leefloon',
      'Alleenstaanden met een leefloon vinden geen huurwoning die ze kunnen betalen.',
      ['wonen'],
    );
    await submit(
      'jeugd',
      'giver1',
      'Lange wachtlijst jeugdhulp',
      'Jongeren met angstklachten wachten maanden op een eerste gesprek.',
      ['mentaal-welzijn'],
    );
    await submit(
      'nieuw',
      'giver1',
      'Betaalbare huurwoning ook voor nieuwkomers onvindbaar',
      'Nieuwkomers vinden geen huurwoning.',
      ['wonen'],
    );
    await submit(
      'afgewezen',
      'giver1',
      'Geen betaalbare huurwoning voor gezinnen',
      'Een gezin vindt geen huurwoning.',
      ['wonen'],
    );
    for (const key of ['huurA', 'huurB', 'huurC', 'jeugd'])
      await ok('lead', `/signals/${ids[key]}/triage`, {});
    await ok('lead', `/signals/${ids['afgewezen']}/reject`, {
      reason: 'Individuele vraag',
      feedback: 'Doorverwezen.',
    });
  });
  afterAll(() => t.close());

  it('suggests similar signals: the near-duplicate first, rejected ones never, within scope', async () => {
    const response = await get('lead', `/signals/${ids['huurA']}/similar?limit=5`).expect(200);
    expect(response.headers['x-read-model-stale']).toBeUndefined();
    const items = response.body.items as Array<{
      signalId: string;
      score: number;
      textScore: number;
      themeScore: number;
      sharedTerms: string[];
    }>;
    expect(items[0]).toMatchObject({ signalId: ids['huurB'], themeScore: 0.5 });
    expect(items[0]!.sharedTerms).toEqual(expect.arrayContaining(['huurwon', 'betal']));
    expect(items.map((item) => item.signalId)).not.toContain(ids['afgewezen']);
    expect(items.map((item) => item.signalId)).not.toContain(ids['jeugd']);
    expect(response.body.scoring).toEqual({ text: 0.8, themes: 0.2 });
    // A processor sees only signals in scope; the subject itself too.
    await get('processor', `/signals/${ids['huurA']}/similar`).expect(404);
    await get('giver1', `/signals/${ids['huurA']}/similar`).expect(403);
    await get('otherLead', `/signals/${ids['huurA']}/similar`).expect(404);
    await get('lead', '/signals/not-a-uuid/similar').expect(400);
    expect((await get('lead', `/signals/${ids['huurA']}/similar?limit=500`).expect(400)).body.code).toBe(
      'INVALID_QUERY',
    );
  });

  it('creates a dossier from signals (lead only), refusing what cannot be bundled', async () => {
    const body = {
      title: 'Betaalbaar wonen voor grote gezinnen',
      summary: 'Signalen over gezinnen die geen betaalbare huurwoning vinden.',
      themes: ['wonen'],
      signalIds: [ids['huurA'], ids['huurB']],
    };
    expect((await post('processor', '/dossiers', body)).status).toBe(403);
    const notTriaged = await post('lead', '/dossiers', { ...body, signalIds: [ids['nieuw']] });
    expect(notTriaged.status).toBe(422);
    expect(notTriaged.body).toMatchObject({
      code: 'SIGNAL_NOT_BUNDLABLE',
      details: { reason: 'not-triaged' },
    });
    expect(notTriaged.body.message).toMatch(/nog niet aanvaard/);
    const rejected = await post('lead', '/dossiers', { ...body, signalIds: [ids['afgewezen']] });
    expect(rejected.body).toMatchObject({ code: 'SIGNAL_NOT_BUNDLABLE', details: { reason: 'rejected' } });
    const otherTenant = await post('otherLead', '/dossiers', body);
    expect(otherTenant.body).toMatchObject({
      code: 'SIGNAL_NOT_BUNDLABLE',
      details: { reason: 'not-found' },
    });
    expect((await post('lead', '/dossiers', { ...body, tenantId: 'eeklo' })).body.code).toBe(
      'VALIDATION_FAILED',
    );
    expect((await post('lead', '/dossiers', { ...body, themes: ['onbekend'] })).status).toBe(400);
    const personal = await post('lead', '/dossiers', { ...body, summary: 'Bel 0470 12 34 56 voor info.' });
    expect(personal.status).toBe(422);
    expect(personal.body.code).toBe('PERSONAL_DATA_DETECTED');

    const created = await ok('lead', '/dossiers', body, { 'Idempotency-Key': 'dossier-huur-1' });
    expect(created.status).toBe(201);
    expect(created.headers['etag']).toBe('"0"');
    dossierId = created.body.dossierId as string;
    expect(created.headers['location']).toBe(`/dossiers/${dossierId}`);
    const again = await post('lead', '/dossiers', body, { 'Idempotency-Key': 'dossier-huur-1' });
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.dossierId).toBe(dossierId);
    expect(
      (await post('lead', '/dossiers', { ...body, title: 'Anders' }, { 'Idempotency-Key': 'dossier-huur-1' }))
        .status,
    ).toBe(422);

    // A signal is in one open dossier at a time.
    const twice = await post('lead', '/dossiers', { ...body, signalIds: [ids['huurA']] });
    expect(twice.status).toBe(409);
    expect(twice.body).toMatchObject({ code: 'SIGNAL_IN_OTHER_DOSSIER', details: { dossierId } });
  });

  it('adds with If-Match, escalates only after analysis, then fixes membership and records the decision', async () => {
    const path = `/dossiers/${dossierId}`;
    await ok('lead', `${path}/add-signal`, { signalId: ids['huurC'] }, { 'If-Match': '"0"' });
    const stale = await post('lead', `${path}/add-signal`, { signalId: ids['jeugd'] }, { 'If-Match': '"0"' });
    expect(stale.status).toBe(412);
    expect(stale.body.code).toBe('PRECONDITION_FAILED');
    const early = await post('lead', `${path}/escalate`, {
      level: 'local',
      body: 'college',
      motivation: 'Beleid nodig.',
    });
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('TRANSITION_NOT_ALLOWED');
    await ok('lead', `${path}/record-analysis`, {
      conclusion: 'Structureel tekort aan betaalbare huurwoningen voor grote gezinnen.',
      structural: true,
      themes: ['wonen', 'armoede-en-inkomen'],
    });
    const escalated = await ok('lead', `${path}/escalate`, {
      level: 'local',
      body: 'college van burgemeester en schepenen',
      motivation: 'Vraagt een beleidskeuze over de huurpremie.',
    });
    expect(escalated.body).toMatchObject({ state: 'escalated', revision: '3' });
    const [escalation] = await eventsOf(t, `dossier-gent-${dossierId}`, 'DossierEscalated');
    expect(escalation!.data['memberSignalIds']).toEqual([ids['huurA'], ids['huurB'], ids['huurC']]);
    const late = await post('lead', `${path}/add-signal`, { signalId: ids['jeugd'] });
    expect(late.body.code).toBe('TRANSITION_NOT_ALLOWED');
    expect(late.body.message).toMatch(/liggen de signalen van een dossier vast/);
    await ok('lead', `${path}/record-policy-decision`, {
      decision: 'Het college breidt de huurpremie uit naar gezinnen met drie kinderen.',
      actions: ['Reglement huurpremie aanpassen', 'Partners informeren'],
      feedback: 'Dank voor uw signaal: de huurpremie wordt uitgebreid.',
    });
    expect((await post('lead', `${path}/close`, {})).body.code).toBe('VALIDATION_FAILED');
    expect((await post('lead', `${path}/fly`, {})).status).toBe(404);
    expect(
      (
        await post('lead', `/dossiers/${ids['huurA']}/record-analysis`, {
          conclusion: 'x',
          structural: true,
          themes: ['wonen'],
        })
      ).body.code,
    ).toBe('DOSSIER_NOT_FOUND');
  });

  it('lists dossiers by state, theme and level; shows the detail with members as they are now', async () => {
    const found = await get(
      'lead',
      '/dossiers?state=decided&theme=armoede-en-inkomen&level=local&count=true',
    ).expect(200);
    expect(found.body).toMatchObject({
      total: 1,
      items: [{ dossierId, memberCount: 3, stateLabel: 'Beleidsbeslissing genomen' }],
    });
    expect((await get('lead', '/dossiers?level=supralocal&count=true').expect(200)).body.total).toBe(0);
    expect((await get('lead', '/dossiers?state=open,closed&count=true').expect(200)).body.total).toBe(0);
    expect((await get('otherLead', '/dossiers?count=true').expect(200)).body.total).toBe(0);
    expect((await get('lead', '/dossiers?state[$ne]=closed').expect(400)).body.code).toBe('INVALID_QUERY');
    await get('giver1', '/dossiers').expect(403);

    const detail = await get('lead', `/dossiers/${dossierId}`).expect(200);
    expect(detail.headers['etag']).toBe('"4"');
    expect(detail.body).toMatchObject({
      title: 'Betaalbaar wonen voor grote gezinnen',
      state: 'decided',
      analysis: { structural: true },
      escalations: [{ level: 'local', body: 'college van burgemeester en schepenen' }],
      decisions: [{ actions: ['Reglement huurpremie aanpassen', 'Partners informeren'] }],
      allowedCommands: [{ name: 'escalate' }, { name: 'record-policy-decision' }, { name: 'close' }],
    });
    expect(detail.body.members).toEqual([
      expect.objectContaining({
        signalId: ids['huurA'],
        visible: true,
        title: 'Gezinnen met kinderen vinden geen betaalbare huurwoning',
        state: 'triaged',
      }),
      expect.objectContaining({ signalId: ids['huurB'], visible: true, state: 'triaged' }),
      expect.objectContaining({ signalId: ids['huurC'], visible: true }),
    ]);
    // A processor of another scope sees the dossier, not the texts of signals outside it.
    const processorView = await get('processor', `/dossiers/${dossierId}`).expect(200);
    expect(
      processorView.body.members.every(
        (m: { visible: boolean; title?: string }) => !m.visible && m.title === undefined,
      ),
    ).toBe(true);
    expect(processorView.body.allowedCommands).toEqual([]);
    await get('otherLead', `/dossiers/${dossierId}`).expect(404);
  });

  it("shows the signal's dossier on its detail, and the fan-out's escalation once it arrives", async () => {
    const before = await get('giver1', `/signals/${ids['huurA']}`).expect(200);
    expect(before.body.dossier).toMatchObject({
      dossierId,
      title: 'Betaalbaar wonen voor grote gezinnen',
      escalations: [],
    });
    const revision = BigInt(before.headers['etag']!.replaceAll('"', ''));
    // What the dossier fan-out workflow records on a member's stream (another capability writes it).
    const appended = await t.store.append(
      signalStream('gent', ids['huurA']!),
      [
        {
          type: 'SignalDossierEscalated',
          data: {
            signalId: ids['huurA']!,
            dossierId,
            level: 'local',
            body: 'college van burgemeester en schepenen',
            motivation: 'Vraagt een beleidskeuze over de huurpremie.',
          },
          // As the command path records it: the transition, in the state the signal is in.
          metadata: {
            tenantId: 'gent',
            actor: { id: 'system', role: 'system' },
            correlationId: 'fan-out',
            causationId: 'fan-out',
            occurredAt: new Date().toISOString(),
            workflow: {
              ...before.body.workflow,
              command: 'record-dossier-escalation',
              from: before.body.state,
              to: before.body.state,
              submittedAt: before.body.submittedAt,
              fromEnteredAt: before.body.stateEnteredAt,
              assignmentBefore: {
                assigneeId: before.body.assigneeId,
                policyDomain: before.body.policyDomain,
              },
            },
          },
        },
      ],
      { expectedRevision: revision },
    );
    last = String(appended.position);
    const after = await get('giver1', `/signals/${ids['huurA']}`).expect(200);
    expect(after.headers['etag']).toBe(`"${revision + 1n}"`);
    // Its motivation is sealed under the signal's key, as the signal's own text: the page opens it.
    expect(after.body.dossier.escalations).toEqual([
      expect.objectContaining({
        level: 'local',
        body: 'college van burgemeester en schepenen',
        motivation: 'Vraagt een beleidskeuze over de huurpremie.',
      }),
    ]);
    // The signal's own commands go on at the new revision.
    await ok(
      'lead',
      `/signals/${ids['huurA']}/assign`,
      { assigneeId: 'proc-1', policyDomain: 'wonen' },
      { 'If-Match': `"${revision + 1n}"` },
    );
    // Erasing the signal's text blanks the dossier's feedback on its page too (its key is gone).
    await ok('lead', `/signals/${ids['huurA']}/erase-text`, { reason: 'Op vraag van de signaalgever.' });
    const erased = await get('giver1', `/signals/${ids['huurA']}`).expect(200);
    expect(erased.headers['x-read-model-stale']).toBeUndefined();
    expect(erased.body.description).toBe('[gewist]');
    expect(erased.body.dossier.escalations).toEqual([
      expect.objectContaining({ body: 'college van burgemeester en schepenen', motivation: '[gewist]' }),
    ]);
  });

  it('closes the dossier; its signals may then join another one', async () => {
    const eventsBefore = await countEvents(t.store);
    expect((await post('lead', `/dossiers/${dossierId}/close`, { outcome: 'x', extra: 1 })).status).toBe(400);
    expect(await countEvents(t.store)).toBe(eventsBefore);
    await ok('lead', `/dossiers/${dossierId}/close`, {
      outcome: 'Huurpremie uitgebreid; opgevolgd in het lokaal woonoverleg.',
    });
    expect((await post('lead', `/dossiers/${dossierId}/close`, { outcome: 'nog eens' })).status).toBe(409);
    const next = await ok('lead', '/dossiers', {
      title: 'Huurmarkt voor alleenstaanden',
      summary: 'Vervolg.',
      themes: ['wonen'],
      signalIds: [ids['huurC']],
    });
    expect(next.status).toBe(201);
    const signal = await get('lead', `/signals/${ids['huurC']}`).expect(200);
    expect(signal.body.dossier).toMatchObject({
      dossierId: next.body.dossierId,
      title: 'Huurmarkt voor alleenstaanden',
    });
  });
});

describe('the OpenAPI document of dossiers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('lists each dossier command with its body schema, the list filters and similar signals', () => {
    const document = buildOpenApiDocument(t.app);
    expect(document.paths['/dossiers/{id}/{command}']).toBeUndefined();
    const escalate = document.paths['/dossiers/{id}/escalate']?.post;
    const schema = (escalate?.requestBody as { content: Record<string, { schema: { required: string[] } }> })
      .content['application/json']!.schema;
    expect(schema.required).toEqual(['level', 'body', 'motivation']);
    expect(document.paths['/dossiers']?.post?.responses['201']).toBeDefined();
    expect(document.paths['/dossiers']?.get?.parameters?.map((p) => ('name' in p ? p.name : null))).toContain(
      'level',
    );
    expect(document.paths['/dossiers/{id}']?.get).toBeDefined();
    expect(document.paths['/signals/{id}/similar']?.get?.description).toContain('TF-IDF');
    const refs = [...JSON.stringify(document).matchAll(/"#\/components\/schemas\/([A-Za-z]+)"/g)].map(
      (m) => m[1]!,
    );
    expect(refs.filter((ref) => document.components?.schemas?.[ref] === undefined)).toEqual([]);
  });
});

async function eventsOf(t: TestApp, stream: string, type: string) {
  const found = [];
  for await (const event of t.store.readStream(stream)) if (event.type === type) found.push(event);
  return found;
}
