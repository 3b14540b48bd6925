import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { ActorClaims } from '../../src/auth/actor.js';
import { ConcurrencyError } from '../../src/platform/event-store/errors.js';
import { postWith, registerGent, startTestApp, type TestApp } from '../support/test-app.js';

/**
 * A signal command's Idempotency-Key reused with another body is refused with 422
 * IDEMPOTENCY_KEY_REUSED, as the OpenAPI document says for every command: command by command
 * through a signal's life (lifecycle v1), each answer checked against the document.
 */
const who: Record<string, Partial<ActorClaims>> = {
  giver: { sub: 'giver-1', tenant: 'gent', roles: ['signal-giver'] },
  lead: { sub: 'lead-1', tenant: 'gent', roles: ['lead-processor'] },
};

/** A POST as the named role (its token in `tokens`), with extra headers (postWith). */
function postAs(app: () => TestApp, tokens: Record<string, string>) {
  return (role: string, path: string, body: object, headers: Record<string, string> = {}) =>
    postWith(app(), tokens[role]!, path, body, headers);
}

/** An answer as `<status> <code>`. */
async function answer(request: PromiseLike<{ status: number; body: { code?: unknown } }>): Promise<string> {
  const response = await request;
  return `${response.status} ${String(response.body.code)}`;
}

describe('a reused Idempotency-Key on every signal command', () => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  let signal = '';

  const post = postAs(() => t, tokens);

  beforeAll(async () => {
    t = await startTestApp();
    for (const [role, claims] of Object.entries(who)) tokens[role] = await t.token(claims);
  }, 30_000);
  afterAll(() => t.close());

  /** The signal's life: who fires each command, a body it takes then, and another one. */
  const LIFE: Array<[command: string, role: string, body: object, other: object | 'another command']> = [
    ['triage', 'lead', { themes: ['wonen'] }, { themes: ['werk'] }],
    ['assign', 'lead', { assigneeId: 'proc-1' }, { policyDomain: 'wonen' }],
    ['reassign', 'lead', { assigneeId: 'proc-2' }, { assigneeId: 'proc-3' }],
    ['request-info', 'lead', { question: 'Sinds wanneer speelt dit?' }, { question: 'Waar precies?' }],
    ['provide-info', 'giver', { answer: 'Sinds de zomer.' }, { answer: 'In Ledeberg.' }],
    // It takes no fields: the key of another command (assign's) is sent with it instead.
    ['start-analysis', 'lead', {}, 'another command'],
    [
      'record-analysis',
      'lead',
      { conclusion: 'Structureel tekort aan huurwoningen.', structural: true },
      { conclusion: 'Geen patroon.', structural: false },
    ],
    [
      'close',
      'lead',
      { outcome: 'Doorgegeven aan het woonbeleid.', feedback: 'Dank u.' },
      { outcome: 'Anders.', feedback: 'Dank u.' },
    ],
    ['reopen', 'lead', { reason: 'Nieuwe signalen.' }, { reason: 'Iets anders.' }],
  ];

  it('submits, then each command succeeds once with its key and refuses the key with another body', async () => {
    const body = {
      title: 'Gezinnen vinden geen betaalbare huurwoning',
      description: 'Gezinnen met kinderen zoeken maandenlang vergeefs een betaalbare huurwoning.',
      themes: ['wonen'],
    };
    const submitted = await post('giver', '/signals', body, { 'Idempotency-Key': 'submit-1' });
    expect(submitted.status).toBe(201);
    signal = submitted.body.signalId as string;
    const again = await post(
      'giver',
      '/signals',
      { ...body, title: 'Iets anders dan de eerste keer' },
      {
        'Idempotency-Key': 'submit-1',
      },
    );
    expect({ status: again.status, code: again.body.code }).toEqual({
      status: 422,
      code: 'IDEMPOTENCY_KEY_REUSED',
    });
    for (const [command, role, first, other] of LIFE) {
      const path = `/signals/${signal}/${command}`;
      const done = await post(role, path, first, { 'Idempotency-Key': `${command}-1` });
      expect({ command, status: done.status, body: done.body }).toMatchObject({ status: 200 });
      const reused =
        other === 'another command'
          ? await post(role, path, first, { 'Idempotency-Key': 'assign-1' })
          : await post(role, path, other, { 'Idempotency-Key': `${command}-1` });
      expect({ command, status: reused.status, code: reused.body.code }).toEqual({
        command,
        status: 422,
        code: 'IDEMPOTENCY_KEY_REUSED',
      });
    }
  });

  it('every command: 400 for a field it does not take, 412 for a stale If-Match, before its role and state are looked at; a merge into itself 422', async () => {
    const submit = async () =>
      (
        await post('giver', '/signals', {
          title: 'Jongeren vinden geen studentenkamer',
          description: 'Studenten pendelen uren omdat er geen betaalbare kamers zijn.',
          themes: ['wonen'],
        }).expect(201)
      ).body.signalId as string;
    const signal = await submit();
    const other = await submit();
    /** A body each command takes, whatever the signal's state (the state is checked after both). */
    const bodies: Record<string, object> = {
      triage: { themes: ['wonen'] },
      reject: { reason: 'Een individuele vraag.', feedback: 'Wij verwijzen u door.' },
      'merge-into': { targetSignalId: other },
      assign: { assigneeId: 'proc-1' },
      reassign: { assigneeId: 'proc-2' },
      'request-info': { question: 'Sinds wanneer speelt dit?' },
      'provide-info': { answer: 'Sinds de zomer.' },
      'start-analysis': {},
      'record-analysis': { conclusion: 'Een structureel tekort.', structural: true },
      escalate: { level: 'local', body: 'gemeenteraad', motivation: 'Een structureel tekort.' },
      'record-policy-decision': { decision: 'Meer studentenhuisvesting.' },
      close: { outcome: 'Opgevolgd.', feedback: 'Dank u.' },
      reopen: { reason: 'Nieuwe signalen.' },
    };
    const found: string[] = [];
    for (const [command, body] of Object.entries(bodies)) {
      const role = command === 'provide-info' ? 'giver' : 'lead';
      const path = `/signals/${signal}/${command}`;
      found.push(`${command} ${await answer(post(role, path, { ...body, opmerking: 'x' }))}`);
      found.push(`${command} ${await answer(post(role, path, body, { 'If-Match': '"99"' }))}`);
    }
    expect(found).toEqual(
      Object.keys(bodies).flatMap((command) => [
        `${command} 400 VALIDATION_FAILED`,
        `${command} 412 PRECONDITION_FAILED`,
      ]),
    );
    expect(await answer(post('lead', `/signals/${signal}/merge-into`, { targetSignalId: signal }))).toBe(
      '422 MERGE_TARGET_INVALID',
    );
    // None of it was recorded: the signal is as it was submitted.
    const detail = await t.http
      .get(`/signals/${signal}`)
      .set('Authorization', `Bearer ${tokens['lead']}`)
      .set('X-Min-Position', await t.head());
    expect(detail.body).toMatchObject({ state: 'submitted', revision: 0 });
  });

  it('refuses the key of a rejection and of a policy decision with another body too, and an analysis for a stale revision', async () => {
    const submit = async (title: string) =>
      (
        await post('giver', '/signals', {
          title,
          description: 'Ouderen raken de weg kwijt in de digitale aanvragen van premies.',
          themes: ['wonen'],
        }).expect(201)
      ).body.signalId as string;
    const refusedOnce = async (path: string, body: object, other: object, key: string) => {
      await post('lead', path, body, { 'Idempotency-Key': key }).expect(200);
      return answer(post('lead', path, other, { 'Idempotency-Key': key }));
    };
    const rejected = await submit('Een melding die geen signaal is');
    expect(
      await refusedOnce(
        `/signals/${rejected}/reject`,
        { reason: 'Een individuele vraag.', feedback: 'Wij verwijzen u door.' },
        { reason: 'Iets anders.', feedback: 'Dank u.' },
        'reject-1',
      ),
    ).toBe('422 IDEMPOTENCY_KEY_REUSED');
    const escalated = await submit('Ouderen vinden de weg niet naar digitale premies');
    for (const [command, body] of [
      ['triage', { themes: ['wonen'] }],
      ['assign', { assigneeId: 'proc-1' }],
      ['start-analysis', {}],
    ] as const)
      await post('lead', `/signals/${escalated}/${command}`, body).expect(200);
    // An analysis sent for the signal as it was at its submission (revision 0) is refused.
    const analysis = { conclusion: 'Een drempel voor vele ouderen.', structural: true };
    expect(
      await answer(post('lead', `/signals/${escalated}/record-analysis`, analysis, { 'If-Match': '"0"' })),
    ).toBe('412 PRECONDITION_FAILED');
    for (const [command, body] of [
      ['record-analysis', analysis],
      ['escalate', { level: 'local', body: 'gemeenteraad', motivation: 'Een structurele drempel.' }],
    ] as const)
      await post('lead', `/signals/${escalated}/${command}`, body).expect(200);
    expect(
      await refusedOnce(
        `/signals/${escalated}/record-policy-decision`,
        { decision: 'Een digitaal spreekuur in elk dienstencentrum.' },
        { decision: 'Geen actie.' },
        'decision-1',
      ),
    ).toBe('422 IDEMPOTENCY_KEY_REUSED');
  });
});

describe('the documented refusals of a lifecycle v2 command (start-consultation)', () => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  const post = postAs(() => t, tokens);
  let analysed = '';
  let triaged = '';

  beforeAll(async () => {
    t = await startTestApp();
    await registerGent(t);
    tokens['admin'] = await t.token({ sub: 'admin-1', tenant: 'gent', roles: ['tenant-admin'] });
    tokens['giver'] = await t.token({ sub: 'giver-1', tenant: 'gent', roles: ['signal-giver'] });
    tokens['lead'] = await t.token({ sub: 'lead-1', tenant: 'gent', roles: ['lead-processor'] });
    tokens['processor'] = await t.token({ sub: 'proc-1', tenant: 'gent', roles: ['processor'] });
    // New signals of the tenant start under lifecycle v2.
    await t.http
      .patch('/tenant/settings')
      .set('Authorization', `Bearer ${tokens['admin']}`)
      .send({ workflowVersion: 2 })
      .expect(200);
    const submit = async () =>
      (
        await post('giver', '/signals', {
          title: 'Energiearmoede bij huurders',
          description: 'Huurders in oude woningen kunnen hun energiefactuur niet meer betalen.',
          themes: ['energie'],
        }).expect(201)
      ).body.signalId as string;
    analysed = await submit();
    for (const [command, body] of [
      ['triage', {}],
      ['assign', { assigneeId: 'proc-1' }],
      ['start-analysis', {}],
      ['record-analysis', { conclusion: 'Structureel probleem bij oude huurwoningen.', structural: true }],
    ] as const)
      await post('lead', `/signals/${analysed}/${command}`, body).expect(200);
    triaged = await submit();
    await post('lead', `/signals/${triaged}/triage`, {}).expect(200);
  }, 30_000);
  afterAll(() => t.close());

  it('400 without its body field, 403 for a processor, 409 in another state, 412 for a stale If-Match, 422 for a reused key', async () => {
    const path = `/signals/${analysed}/start-consultation`;
    expect(await answer(post('lead', path, {}))).toBe('400 VALIDATION_FAILED');
    expect(await answer(post('processor', path, { body: 'werkgroep energie' }))).toBe('403 ROLE_NOT_ALLOWED');
    expect(
      await answer(post('lead', `/signals/${triaged}/start-consultation`, { body: 'werkgroep energie' })),
    ).toBe('409 TRANSITION_NOT_ALLOWED');
    expect(await answer(post('lead', path, { body: 'werkgroep energie' }, { 'If-Match': '"1"' }))).toBe(
      '412 PRECONDITION_FAILED',
    );
    const started = await post(
      'lead',
      path,
      { body: 'werkgroep energie' },
      { 'Idempotency-Key': 'overleg-1' },
    );
    expect(started.body).toMatchObject({ state: 'in-consultation' });
    expect(
      await answer(post('lead', path, { body: 'overlegtafel armoede' }, { 'Idempotency-Key': 'overleg-1' })),
    ).toBe('422 IDEMPOTENCY_KEY_REUSED');
  });
});

describe("the submission's and the escalation's documented refusals", () => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  const post = postAs(() => t, tokens);
  const signal = {
    title: 'Wachtlijst voor sociale huurwoningen',
    description: 'Gezinnen wachten meer dan vier jaar op een sociale huurwoning.',
    themes: ['wonen'],
  };
  let analysed = '';
  let revision = '';

  beforeAll(async () => {
    t = await startTestApp();
    tokens['giver'] = await t.token({ sub: 'giver-1', tenant: 'gent', roles: ['signal-giver'] });
    tokens['lead'] = await t.token({ sub: 'lead-1', tenant: 'gent', roles: ['lead-processor'] });
    analysed = (await post('giver', '/signals', signal).expect(201)).body.signalId as string;
    for (const [command, body] of [
      ['triage', {}],
      ['assign', { assigneeId: 'proc-1' }],
      ['start-analysis', {}],
      ['record-analysis', { conclusion: 'Structureel tekort aan huurwoningen.', structural: true }],
    ] as const) {
      const response = await post('lead', `/signals/${analysed}/${command}`, body).expect(200);
      revision = response.headers['etag'] as string;
    }
  }, 30_000);
  afterAll(() => t.close());

  /**
   * Runs `request` while another writer wins every append to a signal stream (as another process
   * would, each time first): the command is decided again after each loss, then given up.
   */
  async function losingEveryRace<T>(request: () => Promise<T>): Promise<{ result: T; attempts: number }> {
    const append = t.store.append.bind(t.store);
    let attempts = 0;
    const losing = jest.spyOn(t.store, 'append').mockImplementation((stream, events, options) => {
      if (!stream.startsWith('signal-')) return append(stream, events, options);
      attempts += 1;
      return Promise.reject(new ConcurrencyError(stream, options?.expectedRevision ?? 'any', 99n));
    });
    try {
      return { result: await request(), attempts };
    } finally {
      losing.mockRestore();
    }
  }

  it('409 CONCURRENCY_CONFLICT for a submission and a note that lose every race, nothing recorded; then they go through', async () => {
    const before = await t.head();
    const submitted = await losingEveryRace(() => answer(post('giver', '/signals', signal)));
    expect(submitted).toMatchObject({ result: '409 CONCURRENCY_CONFLICT' });
    const noted = await losingEveryRace(() =>
      answer(post('lead', `/signals/${analysed}/add-note`, { note: 'Navragen bij het woonloket.' })),
    );
    expect(noted).toMatchObject({ result: '409 CONCURRENCY_CONFLICT' });
    // Decided again after each loss (a bounded number of times), then given up.
    expect(submitted.attempts).toBeGreaterThan(1);
    expect(noted.attempts).toBe(submitted.attempts);
    expect(await t.head()).toBe(before);
    const noteAdded = await post('lead', `/signals/${analysed}/add-note`, {
      note: 'Navragen bij het woonloket.',
    }).expect(200);
    revision = noteAdded.headers['etag'] as string;
  });

  it('412 for a submission sent with an If-Match (a new signal has no revision yet)', async () => {
    expect(await answer(post('giver', '/signals', signal, { 'If-Match': '"0"' }))).toBe(
      '412 PRECONDITION_FAILED',
    );
  });

  it('412 for an escalation with a stale If-Match, 422 for personal data in its motivation', async () => {
    const path = `/signals/${analysed}/escalate`;
    const escalation = {
      level: 'local',
      body: 'gemeenteraad',
      motivation: 'Het tekort aan sociale huurwoningen treft honderden gezinnen.',
    };
    expect(revision).toMatch(/^"\d+"$/);
    const stale = `"${Number(revision.slice(1, -1)) - 1}"`;
    expect(await answer(post('lead', path, escalation, { 'If-Match': stale }))).toBe(
      '412 PRECONDITION_FAILED',
    );
    expect(
      await answer(
        post('lead', path, {
          ...escalation,
          motivation: 'Bel mevrouw Janssens op 0475 12 34 56 voor details.',
        }),
      ),
    ).toBe('422 PERSONAL_DATA_DETECTED');
    // Neither refusal changed the signal: the escalation with the current revision goes through.
    const escalated = await post('lead', path, escalation, { 'If-Match': revision }).expect(200);
    expect(escalated.body).toMatchObject({ state: 'escalated' });
  });
});
