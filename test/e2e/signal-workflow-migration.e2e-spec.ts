import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { verifyStore } from '../../src/audit/verify-store.js';
import { ConcurrencyError } from '../../src/platform/event-store/errors.js';
import { SignalWorkflowMigrator } from '../../src/processes/migrate-signal-workflow/migrate-signal-workflow.js';
import { SignalRepository } from '../../src/signals/signal.repository.js';
import { countEvents, startTestApp, type TestApp } from '../support/test-app.js';

describe('signal-lifecycle v2 and migrating running signals over HTTP', () => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  beforeAll(async () => {
    t = await startTestApp();
    tokens['giver'] = await t.token({ sub: 'giver-1', tenant: 'gent', roles: ['signal-giver'], org: 'caw' });
    tokens['lead'] = await t.token({ sub: 'lead-1', tenant: 'gent', roles: ['lead-processor'] });
    tokens['processor'] = await t.token({ sub: 'proc-1', tenant: 'gent', roles: ['processor'] });
    tokens['eeklo'] = await t.token({ sub: 'lead-9', tenant: 'eeklo', roles: ['lead-processor'] });
  });
  afterAll(() => t.close());

  const post = (who: string, path: string, body: object) =>
    t.http.post(path).set('Authorization', `Bearer ${tokens[who]}`).send(body);

  /**
   * The signal's page as the lead processor reads it once the read model has reached `position`
   * (the store's head by default): the read model follows the store asynchronously.
   */
  const readSignal = async (signalId: string, position?: string) =>
    t.http
      .get(`/signals/${signalId}`)
      .set('Authorization', `Bearer ${tokens['lead']}`)
      .set('X-Min-Position', position ?? (await t.head()));

  async function submit(): Promise<string> {
    const response = await post('giver', '/signals', {
      title: 'Energiearmoede bij huurders',
      description: 'Huurders in oude woningen kunnen hun energiefactuur niet meer betalen.',
      themes: ['energie'],
    });
    expect(response.status).toBe(201);
    return response.body.signalId as string;
  }

  async function fire(signalId: string, command: string, body: object = {}, who = 'lead') {
    const response = await post(who, `/signals/${signalId}/${command}`, body);
    expect({ command, status: response.status, body: response.body }).toMatchObject({ status: 200 });
    return response;
  }

  let analysed: string;
  let triaged: string;

  beforeAll(async () => {
    analysed = await submit();
    await fire(analysed, 'triage');
    await fire(analysed, 'assign', { assigneeId: 'lead-1' });
    await fire(analysed, 'start-analysis');
    await fire(analysed, 'record-analysis', {
      conclusion: 'Structureel probleem bij oude huurwoningen.',
      structural: true,
    });
    triaged = await submit();
    await fire(triaged, 'triage');
  });

  it('new signals still start under v1; a v2 command is refused on them', async () => {
    const response = await post('lead', `/signals/${analysed}/start-consultation`, {
      body: 'werkgroep energie',
    });
    expect(response.status).toBe(404);
    expect(response.body.code).toBe('UNKNOWN_COMMAND');
  });

  it('refuses a plan whose mapping names states that do not exist', async () => {
    const response = await post('lead', '/signal-migrations', {
      fromVersion: 1,
      toVersion: 2,
      stateMapping: { analysed: 'in-overleg' },
      signalIds: [analysed],
    });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('INVALID_STATE_MAPPING');
    expect(response.body.message).toMatch(/geen toestand van versie 2/);
  });

  it('refuses a mapping that would close a running signal or reopen an ended one, and moves nothing', async () => {
    const before = await readSignal(analysed);
    expect(before.status).toBe(200);
    expect(before.headers['x-read-model-stale']).toBeUndefined();
    expect(before.body.state).toBe('analysed');
    for (const [stateMapping, fault] of [
      [{ analysed: 'closed' }, "'analysed' naar 'closed' sluit een lopend signaal af"],
      [
        { closed: 'submitted', analysed: 'in-consultation' },
        "'closed' naar 'submitted' heropent een afgesloten signaal",
      ],
    ] as const) {
      const response = await post('lead', '/signal-migrations', {
        fromVersion: 1,
        toVersion: 2,
        stateMapping,
        signalIds: [analysed],
      });
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('INVALID_STATE_MAPPING');
      expect(response.body.message).toContain(fault);
    }
    const after = await readSignal(analysed);
    expect(after.status).toBe(200);
    expect([after.body.state, after.body.workflow, after.body.revision]).toEqual([
      before.body.state,
      before.body.workflow,
      before.body.revision,
    ]);
  });

  it('refuses bad bodies and other roles', async () => {
    const bad = await post('lead', '/signal-migrations', {
      fromVersion: 1,
      toVersion: 7,
      stateMapping: {},
      signalIds: [],
    });
    expect([bad.status, bad.body.code]).toEqual([400, 'INVALID_MIGRATION_REQUEST']);
    const extra = await post('lead', '/signal-migrations', {
      fromVersion: 1,
      toVersion: 2,
      stateMapping: { analysed: 'analysed' },
      signalIds: [analysed],
      tenantId: 'eeklo',
    });
    expect(extra.status).toBe(400);
    const processor = await post('processor', '/signal-migrations', {
      fromVersion: 1,
      toVersion: 2,
      stateMapping: { analysed: 'analysed' },
      signalIds: [analysed],
    });
    expect(processor.status).toBe(403);
  });

  it('moves the mapped signal to v2, refuses the one in an unmapped state (it stays on v1), and records one event', async () => {
    const before = await countEvents(t.store);
    const response = await post('lead', '/signal-migrations', {
      fromVersion: 1,
      toVersion: 2,
      stateMapping: { analysed: 'analysed', 'in-analysis': 'in-analysis' },
      signalIds: [analysed, triaged],
    });
    expect(response.status).toBe(200);
    expect(response.body.migrated).toEqual([
      expect.objectContaining({ signalId: analysed, from: '1:analysed', to: '2:analysed' }),
    ]);
    expect(response.body.refused).toEqual([
      expect.objectContaining({
        signalId: triaged,
        code: 'NO_STATE_MAPPING',
        message: expect.stringMatching(/Aanvaard als signaal/),
      }),
    ]);
    expect(await countEvents(t.store)).toBe(before + 1);

    // The migrated signal now runs under v2: the consultation step is open to it.
    const consultation = await fire(analysed, 'start-consultation', { body: 'werkgroep energie' });
    expect(consultation.body.state).toBe('in-consultation');
    await fire(analysed, 'escalate', {
      level: 'local',
      body: 'college',
      motivation: 'Vraagt een beleidskeuze.',
    });
    // The other one stays on v1.
    const refused = await post('lead', `/signals/${triaged}/start-consultation`, {
      body: 'werkgroep energie',
    });
    expect(refused.status).toBe(404);

    // A second run finds the signal already on v2.
    const again = await post('lead', '/signal-migrations', {
      fromVersion: 1,
      toVersion: 2,
      stateMapping: { escalated: 'escalated' },
      signalIds: [analysed],
    });
    expect(again.body.refused).toEqual([expect.objectContaining({ code: 'WORKFLOW_VERSION_MISMATCH' })]);
  });

  it('refuses a signal that changes at every attempt, and still migrates the others', async () => {
    const busy = await submit();
    await fire(busy, 'triage');
    const calm = await submit();
    await fire(calm, 'triage');
    // The real store and signals, but every append to the busy signal's stream meets a conflict.
    let conflicts = 0;
    const store = new Proxy(t.store, {
      get(target, key, receiver) {
        if (key !== 'append') return Reflect.get(target, key, receiver) as unknown;
        return (stream: string, ...rest: unknown[]) => {
          if (stream.endsWith(busy)) {
            conflicts++;
            return Promise.reject(new ConcurrencyError(stream, 2n, 3n));
          }
          return (target.append as (...args: unknown[]) => Promise<unknown>).call(target, stream, ...rest);
        };
      },
    });
    const migrator = new SignalWorkflowMigrator(store, new SignalRepository(store));
    const report = await migrator.migrate({
      tenantId: 'gent',
      actorId: 'lead-1',
      workflow: 'signal-lifecycle',
      fromVersion: 1,
      toVersion: 2,
      stateMapping: { triaged: 'triaged' },
      signalIds: [busy, calm],
      correlationId: 'migration-under-load',
    });
    expect(conflicts).toBe(5);
    expect(report.refused).toEqual([
      {
        signalId: busy,
        code: 'CONCURRENCY_CONFLICT',
        message: expect.stringMatching(/blijft zoals het was/),
      },
    ]);
    expect(report.migrated).toEqual([expect.objectContaining({ signalId: calm, to: '2:triaged' })]);
  });

  it('another tenant cannot migrate the signal (not found)', async () => {
    const response = await post('eeklo', '/signal-migrations', {
      fromVersion: 1,
      toVersion: 2,
      stateMapping: { escalated: 'escalated', triaged: 'triaged' },
      signalIds: [triaged],
    });
    expect(response.body.refused).toEqual([expect.objectContaining({ code: 'SIGNAL_NOT_FOUND' })]);
  });

  it('moves a signal to a state only v2 has and back to v1; the read models follow both ways', async () => {
    const signal = await submit();
    await fire(signal, 'triage');
    await fire(signal, 'assign', { assigneeId: 'lead-1' });
    await fire(signal, 'start-analysis');
    await fire(signal, 'record-analysis', { conclusion: 'Structureel.', structural: true });
    const migrate = async (fromVersion: number, toVersion: number, stateMapping: object) => {
      const response = await post('lead', '/signal-migrations', {
        fromVersion,
        toVersion,
        stateMapping,
        signalIds: [signal],
      });
      expect(response.body.migrated).toEqual([expect.objectContaining({ signalId: signal })]);
    };
    await migrate(1, 2, { analysed: 'in-consultation' });
    // in-consultation is v2's only: the way back leaves a state v1 does not have.
    await migrate(2, 1, { 'in-consultation': 'analysed' });
    const read = () => readSignal(signal);
    const back = await read();
    expect(back.headers['x-read-model-stale']).toBeUndefined();
    expect(back.body).toMatchObject({
      state: 'analysed',
      workflow: { name: 'signal-lifecycle', version: 1 },
    });
    expect(back.headers['etag']).toBe('"6"');
    // The signal goes on under v1, and its page follows.
    await fire(signal, 'escalate', { level: 'local', body: 'college', motivation: 'Beleidskeuze.' });
    expect((await read()).body).toMatchObject({ state: 'escalated', revision: 7 });
    const health = await t.http.get('/health');
    expect(
      (health.body.projections as Array<{ name: string; parked: number }>).filter((p) => p.parked > 0),
    ).toEqual([]);
  });

  it("answers each migrated signal's position, so that a read can wait for it (read-your-writes)", async () => {
    const signal = await submit();
    await fire(signal, 'triage');
    const response = await post('lead', '/signal-migrations', {
      fromVersion: 1,
      toVersion: 2,
      stateMapping: { triaged: 'triaged' },
      signalIds: [signal],
    });
    expect(response.status).toBe(200);
    const [migrated] = response.body.migrated as Array<{ position: string; revision: string }>;
    expect(migrated?.position).toMatch(/^\d+$/);
    const read = await readSignal(signal, migrated!.position);
    expect(read.headers['x-read-model-stale']).toBeUndefined();
    expect(read.body).toMatchObject({ workflow: { version: 2 }, revision: Number(migrated!.revision) });
  });

  it('the audit verifier accepts the migrated history and the v2 transitions after it', async () => {
    const report = await verifyStore(t.store);
    expect(report.violations).toEqual([]);
  });
});
