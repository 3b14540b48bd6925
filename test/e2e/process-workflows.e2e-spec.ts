import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { verifyStore } from '../../src/audit/verify-store.js';
import { uuidv7 } from '../../src/platform/ids.js';
import { appendDossierEvent, eventsOfType } from '../support/process-harness.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

async function eventually<T>(
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('process workflows in the running app', () => {
  let t: TestApp;
  let giver: string;
  let lead: string;
  beforeAll(async () => {
    t = await startTestApp({ processes: true });
    giver = await t.token({ sub: 'giver-1', tenant: 'gent', roles: ['signal-giver'], org: 'caw' });
    lead = await t.token({ sub: 'lead-1', tenant: 'gent', roles: ['lead-processor'] });
  });
  afterAll(() => t.close());

  async function submit(): Promise<string> {
    const response = await t.http
      .post('/signals')
      .set('Authorization', `Bearer ${giver}`)
      .send({
        title: 'Wachtlijst jeugdhulp',
        description: 'Jongeren wachten meer dan een jaar op een eerste gesprek.',
        themes: ['jeugd'],
      });
    expect(response.status).toBe(201);
    return response.body.signalId as string;
  }

  it('a submitted signal gets its deadline timers recorded', async () => {
    const signalId = await submit();
    const handled = await eventually(
      () => eventsOfType(t.store, 'ProcessInputHandled'),
      (events) => events.some((e) => (e.data['record'] as { signalId?: string }).signalId === signalId),
    );
    const decision = handled.find((e) => (e.data['record'] as { signalId?: string }).signalId === signalId)!;
    expect((decision.data['intents'] as Array<{ kind: string }>).map((i) => i.kind)).toEqual([
      'schedule',
      'schedule',
    ]);
  });

  it('a dossier escalation reaches its members through the command path; a person cannot fire the system command', async () => {
    const members = [await submit(), await submit()];
    await appendDossierEvent(t.store, uuidv7(), 'DossierEscalated', members, new Date());
    const recorded = await eventually(
      () => eventsOfType(t.store, 'SignalDossierEscalated'),
      (events) => events.length === 2,
    );
    expect(recorded.map((e) => e.data['signalId']).sort()).toEqual([...members].sort());
    expect(recorded.every((e) => e.metadata.actor.role === 'system')).toBe(true);

    const forged = await t.http
      .post(`/signals/${members[0]}/record-dossier-escalation`)
      .set('Authorization', `Bearer ${lead}`)
      .send({ dossierId: uuidv7(), level: 'local', body: 'college', motivation: 'Zelf geschreven.' });
    expect(forged.status).toBe(403);
    expect(forged.body.code).toBe('ROLE_NOT_ALLOWED');
  });

  it('the audit verifier accepts the system commands and the process streams', async () => {
    const report = await verifyStore(t.store);
    expect(report.violations).toEqual([]);
  });
});
