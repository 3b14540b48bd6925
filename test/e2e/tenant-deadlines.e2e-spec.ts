import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { deadlineAt } from '../../workflows/calendar/working-days.js';
import { signalStream } from '../../src/signals/signal.events.js';
import { TenantDeadlinePolicy } from '../../src/tenants/tenant-deadline-policy.js';
import { TenantsService } from '../../src/tenants/tenants.service.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const SIGNAL = {
  title: 'Wachtlijst voor budgetbegeleiding',
  description: 'Gezinnen wachten maanden op een eerste gesprek bij de budgetbegeleiding.',
  themes: ['armoede-en-inkomen'],
};

/**
 * A tenant's deadline overrides reach the signal's due date in the inbox and detail (not only the
 * deadline timers): the command stamps the tenant's deadline on the event it records.
 */
describe('tenant deadline overrides in the read models', () => {
  let t: TestApp;
  const token: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp();
    const tenants = t.app.get(TenantsService);
    const platform = { id: 'platform-admin', role: 'platform-admin' };
    for (const [tenantId, name] of [
      ['gent', 'Gent'],
      ['eeklo', 'Eeklo'],
    ] as const) {
      await tenants.createTenant(platform, {
        tenantId,
        name,
        nisCode: String(90000 + Object.keys(token).length),
        populationBand: 'gt-100000',
      });
      token[`${tenantId}-giver`] = await t.token({
        sub: `${tenantId}-giver`,
        tenant: tenantId,
        roles: ['signal-giver'],
      });
      token[`${tenantId}-lead`] = await t.token({
        sub: `${tenantId}-lead`,
        tenant: tenantId,
        roles: ['lead-processor'],
      });
    }
    const admin = await t.token({ sub: 'gent-admin', tenant: 'gent', roles: ['tenant-admin'] });
    await t.http
      .patch('/tenant/settings')
      .set('Authorization', `Bearer ${admin}`)
      .send({ deadlineOverrides: { submitted: 7, triaged: 1 } })
      .expect(200);
    // What the policy's 30-second refresh does.
    await t.app.get(TenantDeadlinePolicy).refresh();
  }, 30_000);
  afterAll(() => t.close());

  const submit = async (tenantId: string) => {
    const response = await t.http
      .post('/signals')
      .set('Authorization', `Bearer ${token[`${tenantId}-giver`]}`)
      .send(SIGNAL)
      .expect(201);
    return response.body as { signalId: string; position: string };
  };
  const detail = async (tenantId: string, signalId: string, position: string) =>
    (
      await t.http
        .get(`/signals/${signalId}`)
        .set('Authorization', `Bearer ${token[`${tenantId}-lead`]}`)
        .set('X-Min-Position', position)
        .expect(200)
    ).body as { dueAt: string | null; submittedAt: string; stateEnteredAt: string };

  it("gives a submitted signal the tenant's deadline (7 working days), another tenant's the definition's (2)", async () => {
    const gent = await submit('gent');
    const eeklo = await submit('eeklo');
    const ofGent = await detail('gent', gent.signalId, gent.position);
    const ofEeklo = await detail('eeklo', eeklo.signalId, eeklo.position);
    expect(ofGent.dueAt).toBe(deadlineAt(ofGent.submittedAt, 'P7D'));
    expect(ofEeklo.dueAt).toBe(deadlineAt(ofEeklo.submittedAt, 'P2D'));
    // The event says so; an event of a tenant without an override carries nothing extra.
    const [gentEvent] = await collect(t.store.readStream(signalStream('gent', gent.signalId)));
    const [eekloEvent] = await collect(t.store.readStream(signalStream('eeklo', eeklo.signalId)));
    expect((gentEvent!.metadata['workflow'] as Record<string, unknown>)['deadline']).toBe('P7D');
    expect(eekloEvent!.metadata['workflow']).not.toHaveProperty('deadline');
  });

  it('follows the state entered: triaged gets the override of triaged', async () => {
    const gent = await submit('gent');
    const triaged = await t.http
      .post(`/signals/${gent.signalId}/triage`)
      .set('Authorization', `Bearer ${token['gent-lead']}`)
      .send({})
      .expect(200);
    const after = await detail('gent', gent.signalId, triaged.body.position as string);
    expect(after.dueAt).toBe(deadlineAt(after.stateEnteredAt, 'P1D'));
  });

  it("keeps the dashboard's counts when a signal leaves a state whose deadline was the tenant's", async () => {
    const lead = (path: string) => t.http.post(path).set('Authorization', `Bearer ${token['gent-lead']}`);
    const gent = await submit('gent');
    await lead(`/signals/${gent.signalId}/triage`).send({}).expect(200);
    const assigned = await lead(`/signals/${gent.signalId}/assign`)
      .send({ policyDomain: 'zorg' })
      .expect(200);
    // The step out of submitted (7 working days in Gent, 2 by the definition) and out of triaged.
    const [, triage, assign] = await collect(t.store.readStream(signalStream('gent', gent.signalId)));
    expect((triage!.metadata['workflow'] as Record<string, unknown>)['fromDeadline']).toBe('P7D');
    expect((assign!.metadata['workflow'] as Record<string, unknown>)['fromDeadline']).toBe('P1D');
    const dashboard = await t.http
      .get('/dashboard')
      .set('Authorization', `Bearer ${token['gent-lead']}`)
      .set('X-Min-Position', assigned.body.position as string)
      .expect(200);
    expect(dashboard.body.byState).toMatchObject({ assigned: 1 });
    expect(dashboard.body.byPolicyDomain).toMatchObject({ zorg: 1 });
    const health = await t.http.get('/health').expect(200);
    const parked = (health.body.projections as Array<{ name: string; parked: number }>).filter(
      (projection) => projection.parked > 0,
    );
    expect(parked).toEqual([]);
  });
});

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

/**
 * The dashboard's overdue count moves a signal's deadline day in when it enters a state and out
 * when it leaves it: both must be the tenant's deadline (stamped on the entering event), or a
 * signal that left a state stays counted on the tenant's day and is taken off the definition's.
 */
describe("the dashboard's overdue count under a tenant's deadline overrides", () => {
  let t: TestApp;
  let now = new Date('2026-03-02T09:00:00.000Z'); // a Monday
  let last = '0';
  const token: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp({ clock: { now: () => now } });
    const platform = { id: 'platform-admin', role: 'platform-admin' };
    await t.app.get(TenantsService).createTenant(platform, {
      tenantId: 'gent',
      name: 'Gent',
      nisCode: '44021',
      populationBand: 'gt-100000',
    });
    token['giver'] = await t.token({ sub: 'gent-giver', tenant: 'gent', roles: ['signal-giver'] });
    token['lead'] = await t.token({ sub: 'gent-lead', tenant: 'gent', roles: ['lead-processor'] });
    const admin = await t.token({ sub: 'gent-admin', tenant: 'gent', roles: ['tenant-admin'] });
    await t.http
      .patch('/tenant/settings')
      .set('Authorization', `Bearer ${admin}`)
      .send({ deadlineOverrides: { submitted: 7, triaged: 8 } })
      .expect(200);
    await t.app.get(TenantDeadlinePolicy).refresh();
  }, 30_000);
  afterAll(() => t.close());

  const post = async (path: string, role: string, body: object) => {
    const response = await t.http.post(path).set('Authorization', `Bearer ${token[role]}`).send(body);
    expect(response.status).toBeLessThan(300);
    last = response.body.position as string;
    return response.body as { signalId: string };
  };
  const dashboard = async () =>
    (
      await t.http
        .get('/dashboard')
        .set('Authorization', `Bearer ${token['lead']}`)
        .set('X-Min-Position', last)
        .expect(200)
    ).body as { overdue: number; open: number };
  const overdueInInbox = async () =>
    (
      (
        await t.http
          .get('/signals?overdue=true&count=true')
          .set('Authorization', `Bearer ${token['lead']}`)
          .set('X-Min-Position', last)
          .expect(200)
      ).body as { total: number }
    ).total;

  it('agrees with the inbox after signals left states whose deadline the tenant set', async () => {
    const signal = { ...SIGNAL };
    // Left alone: due 7 working days out (Wednesday 11 March).
    await post('/signals', 'giver', signal);
    // Triaged the same day (submitted's deadline day leaves), then rejected (triaged's leaves).
    const moved = await post('/signals', 'giver', signal);
    await post(`/signals/${moved.signalId}/triage`, 'lead', {});
    await post(`/signals/${moved.signalId}/reject`, 'lead', {
      reason: 'Individuele vraag',
      feedback: 'Doorverwezen naar het OCMW.',
    });
    // Friday 6 March: past the definition's two days, before the tenant's seven.
    now = new Date('2026-03-06T12:00:00.000Z');
    expect(await overdueInInbox()).toBe(0);
    expect(await dashboard()).toMatchObject({ open: 1, overdue: 0 });
    // Thursday 12 March: past the tenant's deadline of the one left open.
    now = new Date('2026-03-12T12:00:00.000Z');
    expect(await overdueInInbox()).toBe(1);
    expect(await dashboard()).toMatchObject({ open: 1, overdue: 1 });
  });
});
