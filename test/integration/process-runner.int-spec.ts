import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { SqliteEventStore } from '../../src/platform/event-store/sqlite/sqlite-event-store.js';
import { EncryptingEventStore, storedEventsOf } from '../../src/privacy/encrypting-event-store.js';
import { SqliteKeyStore } from '../../src/privacy/key-store/sqlite-key-store.js';
import { SignalRepository } from '../../src/signals/signal.repository.js';
import { ExecuteSignalCommand } from '../../src/signals/execute-signal-command/execute-signal-command.command.js';
import { uuidv7 } from '../../src/platform/ids.js';
import {
  LEAD,
  appendDossierEvent,
  buildProcesses,
  eventsOfType,
  submitSignal,
} from '../support/process-harness.js';

const T0 = Date.parse('2026-03-02T09:00:00.000Z'); // a Monday
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let dir: string;
let store: SqliteEventStore;
let nowMs = T0;
const now = () => new Date(nowMs);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ls-processes-'));
  store = new SqliteEventStore({ file: join(dir, 'events.sqlite'), pollIntervalMs: 5 });
  nowMs = T0;
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function settle(run: () => Promise<void>, until: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 400; i++) {
    await run();
    if (await until()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('did not settle');
}

/** The lead processor triages the signal (no fields); resolves with the event's position. */
async function triage(
  handler: ReturnType<typeof buildProcesses>['handler'],
  signalId: string,
): Promise<bigint> {
  const { result } = await handler.execute(
    new ExecuteSignalCommand({ actor: LEAD, name: 'triage', signalId, fields: {}, correlationId: uuidv7() }),
  );
  return BigInt(result.position);
}

/** The lead processor rejects the signal (an individual question, referred on). */
async function reject(
  handler: ReturnType<typeof buildProcesses>['handler'],
  signalId: string,
): Promise<void> {
  await handler.execute(
    new ExecuteSignalCommand({
      actor: LEAD,
      name: 'reject',
      signalId,
      fields: { reason: 'Individuele vraag', feedback: 'Doorverwezen naar het OCMW.' },
      correlationId: uuidv7(),
    }),
  );
}

describe('process runner on the embedded store', () => {
  it('follows its inputs as stored (no decryption) and times them as through the encrypting store', async () => {
    const keys = new SqliteKeyStore({ file: join(dir, 'keys.sqlite') });
    const encrypted = new EncryptingEventStore(store, keys);
    const { runner, handler } = buildProcesses(encrypted, now, undefined, storedEventsOf(encrypted));
    const signalId = await submitSignal(handler);
    let keyReads = 0;
    const read = keys.key.bind(keys);
    keys.key = (keyId: string) => {
      keyReads += 1;
      return read(keyId);
    };
    await runner.start();
    const head = BigInt((await store.health()).lastPosition!);
    expect(await runner.waitForPosition(head, 5000)).toBe(true);
    expect(runner.pendingTimers().map((t) => [t.stream.endsWith(signalId), t.at])).toEqual([
      [true, '2026-03-04T09:00:00.000Z'],
      [true, '2026-03-10T09:00:00.000Z'],
    ]);
    // The submit's text is ciphertext in the store: the runner never asked for its key.
    expect(keyReads).toBe(0);
    const handled = await eventsOfType(store, 'ProcessInputHandled');
    expect(handled).toHaveLength(1);
    expect(JSON.stringify(handled[0]!.data)).not.toContain('Wachtlijst');
    // The HTTP layer's look-up of the signal's workflow reads no key either.
    await expect(new SignalRepository(encrypted).workflowOf('gent', signalId)).resolves.toEqual({
      name: 'signal-lifecycle',
      version: 1,
    });
    expect(keyReads).toBe(0);
    // Loading the signal for a decision does decrypt (the check can fail).
    const loaded = await new SignalRepository(encrypted).load('gent', signalId);
    expect(loaded.events[0]!.data['title']).toBe('Wachtlijst jeugdhulp 0');
    expect(keyReads).toBe(1);
    await runner.stop();
    await keys.close();
  });

  it('marks a signal overdue once at its deadline, reminds the assignee, escalates at three times it', async () => {
    const { runner, handler, channel } = buildProcesses(store, now);
    const signalId = await submitSignal(handler);
    await runner.start();
    const head = BigInt((await store.health()).lastPosition!);
    expect(await runner.waitForPosition(head, 5000)).toBe(true);
    expect(runner.pendingTimers().map((t) => t.at)).toEqual([
      '2026-03-04T09:00:00.000Z',
      '2026-03-10T09:00:00.000Z',
    ]);

    nowMs = T0 + DAY; // before the deadline: nothing
    await runner.fireDue();
    expect(await eventsOfType(store, 'SignalMarkedOverdue')).toHaveLength(0);

    nowMs = T0 + 2 * DAY + HOUR;
    await runner.fireDue();
    await runner.fireDue(); // a second poll changes nothing
    const marked = await eventsOfType(store, 'SignalMarkedOverdue');
    expect(marked.map((e) => [e.data['signalId'], e.data['deadlineState'], e.metadata.actor.role])).toEqual([
      [signalId, 'submitted', 'system'],
    ]);
    expect(channel.sent.map((m) => [m.topic, m.recipients])).toEqual([['reminder', ['role:lead-processor']]]);
    expect((await eventsOfType(store, 'NotificationSent')).map((e) => e.data['topic'])).toEqual(['reminder']);

    nowMs = T0 + 8 * DAY;
    await runner.fireDue();
    expect(await eventsOfType(store, 'SignalOverdueEscalated')).toHaveLength(1);
    expect(channel.sent.map((m) => m.topic)).toEqual(['reminder', 'deadline-escalation']);
    await runner.stop();
  });

  it('a state change before the deadline cancels its timers; the new state is timed', async () => {
    const { runner, handler } = buildProcesses(store, now);
    await runner.start();
    const signalId = await submitSignal(handler);
    nowMs = T0 + HOUR;
    expect(await runner.waitForPosition(await triage(handler, signalId), 5000)).toBe(true);
    // Triaged Monday 10:00 with three working days: Thursday 5 March.
    expect(runner.pendingTimers().map((t) => t.at)).toEqual([
      '2026-03-05T10:00:00.000Z',
      '2026-03-13T10:00:00.000Z',
    ]);
    nowMs = T0 + 2 * DAY + HOUR; // the submitted deadline has passed, but the signal left that state
    await runner.fireDue();
    expect(await eventsOfType(store, 'SignalMarkedOverdue')).toHaveLength(0);
    await runner.stop();
  });

  it('reads an instance again when its stream moved on elsewhere: the copy it keeps in memory is not trusted past a conflict', async () => {
    const { runner, handler } = buildProcesses(store, now);
    const signalId = await submitSignal(handler);
    // The submission's position, read before the runner appends its decision after it.
    const submitted = BigInt((await store.health()).lastPosition!);
    await runner.start();
    expect(await runner.waitForPosition(submitted, 5000)).toBe(true);
    const [decided] = await eventsOfType(store, 'ProcessInputHandled');
    // Another writer appends to the instance's stream (as a second runner would): the revision the
    // runner keeps for the instance is now stale, and its next decision there must not be lost.
    await store.append(
      decided!.stream,
      [
        {
          id: uuidv7(),
          type: 'NotificationSent',
          data: { notificationId: 'elders', topic: 'reminder', channel: 'log', recipients: [], signalId },
          metadata: {
            tenantId: decided!.metadata.tenantId,
            actor: decided!.metadata.actor,
            correlationId: decided!.metadata.correlationId,
            causationId: decided!.id,
            occurredAt: decided!.metadata.occurredAt,
            workflow: decided!.metadata['workflow']!,
          },
        },
      ],
      { expectedRevision: 'any' },
    );
    nowMs = T0 + HOUR;
    expect(await runner.waitForPosition(await triage(handler, signalId), 5000)).toBe(true);
    const decisions = await eventsOfType(store, 'ProcessInputHandled');
    expect(decisions.map((event) => [event.stream, event.revision])).toEqual([
      [decided!.stream, 0n],
      [decided!.stream, 2n],
    ]);
    expect(runner.pendingTimers().map((t) => t.at)).toEqual([
      '2026-03-05T10:00:00.000Z',
      '2026-03-13T10:00:00.000Z',
    ]);
    await runner.stop();
  });

  it('a restarted runner neither repeats a decision nor fires a timer twice', async () => {
    const first = buildProcesses(store, now);
    const signalId = await submitSignal(first.handler);
    await first.runner.start();
    await first.runner.waitForPosition(BigInt((await store.health()).lastPosition!), 5000);
    await first.runner.stop();
    nowMs = T0 + 3 * DAY;
    const second = buildProcesses(store, now);
    await second.runner.start(); // fires what fell due while it was down
    await second.runner.stop();
    const third = buildProcesses(store, now);
    await third.runner.start();
    await third.runner.fireDue();
    await third.runner.stop();
    expect((await eventsOfType(store, 'SignalMarkedOverdue')).map((e) => e.data['signalId'])).toEqual([
      signalId,
    ]);
    expect(await eventsOfType(store, 'ProcessInputHandled')).toHaveLength(1);
  });

  it('given a signal rejected while the runner was down, when it starts after the deadline, then no overdue mark or reminder for it', async () => {
    const first = buildProcesses(store, now);
    const signalId = await submitSignal(first.handler);
    await first.runner.start();
    expect(await first.runner.waitForPosition(BigInt((await store.health()).lastPosition!), 5000)).toBe(true);
    expect(first.runner.pendingTimers()).toHaveLength(2);
    await first.runner.stop();
    // While no runner runs: the lead processor rejects the signal; then its deadline passes.
    nowMs = T0 + HOUR;
    await reject(first.handler, signalId);
    nowMs = T0 + 8 * DAY;
    const rejected = BigInt((await store.health()).lastPosition!);
    const second = buildProcesses(store, now);
    await second.runner.start();
    expect(await second.runner.waitForPosition(rejected, 5000)).toBe(true);
    await second.runner.fireDue();
    expect(await eventsOfType(store, 'SignalMarkedOverdue')).toHaveLength(0);
    expect(await eventsOfType(store, 'SignalOverdueEscalated')).toHaveLength(0);
    expect(second.channel.sent).toEqual([]);
    expect(second.runner.pendingTimers()).toEqual([]);
    await second.runner.stop();
  });

  it('given a timer decided but not carried out before a crash, when the signal was rejected meanwhile, then no overdue mark and no reminder', async () => {
    let crash = false;
    const first = buildProcesses(store, now, (point) => {
      if (crash && point === 'after-decision') throw new Error('crashed after the decision');
    });
    const signalId = await submitSignal(first.handler);
    await first.runner.start();
    expect(await first.runner.waitForPosition(BigInt((await store.health()).lastPosition!), 5000)).toBe(true);
    nowMs = T0 + 2 * DAY + HOUR; // past the deadline: the overdue timer is decided, then the process dies
    crash = true;
    await first.runner.fireDue();
    await first.runner.stop();
    expect(await eventsOfType(store, 'ProcessTimerFired')).toHaveLength(1);
    expect(await eventsOfType(store, 'SignalMarkedOverdue')).toHaveLength(0);
    // While no runner runs, the lead processor rejects the signal.
    await reject(first.handler, signalId);
    const second = buildProcesses(store, now);
    await second.runner.start(); // carries out the open decision
    await second.runner.stop();
    expect(await eventsOfType(store, 'SignalMarkedOverdue')).toHaveLength(0);
    expect(second.channel.sent).toEqual([]);
    const [dispatched] = await eventsOfType(store, 'ProcessIntentsDispatched');
    expect(dispatched!.data).toMatchObject({
      commands: [expect.objectContaining({ ok: false, code: 'TRANSITION_NOT_ALLOWED' })],
      notifications: 0,
    });
  });

  it('fans a dossier escalation and decision out to every member once; an unknown member is recorded as refused', async () => {
    const { runner, handler, channel } = buildProcesses(store, now);
    const members = [
      await submitSignal(handler, 1),
      await submitSignal(handler, 2),
      await submitSignal(handler, 3),
    ];
    await runner.start();
    const dossierId = uuidv7();
    const ghost = uuidv7();
    const escalation = await appendDossierEvent(
      store,
      dossierId,
      'DossierEscalated',
      [...members, ghost],
      now(),
    );
    await appendDossierEvent(store, dossierId, 'DossierPolicyDecisionRecorded', members, now());
    await settle(
      () => Promise.resolve(),
      async () => (await eventsOfType(store, 'ProcessIntentsDispatched')).length >= 2,
    );
    const escalated = await eventsOfType(store, 'SignalDossierEscalated');
    expect(escalated.map((e) => e.data['signalId']).sort()).toEqual([...members].sort());
    expect(escalated[0]!.data).toMatchObject({ dossierId, level: 'local' });
    expect(escalated[0]!.metadata['idempotencyKey']).toBe(`${escalation}:${escalated[0]!.data['signalId']}`);
    const decided = await eventsOfType(store, 'SignalDossierDecisionRecorded');
    expect(decided.map((e) => e.data['signalId']).sort()).toEqual([...members].sort());
    expect(channel.sent.filter((m) => m.topic === 'dossier-feedback').map((m) => m.recipients)).toEqual([
      ['giver-1'],
      ['giver-1'],
      ['giver-1'],
    ]);
    const outcomes = (await eventsOfType(store, 'ProcessIntentsDispatched')).flatMap(
      (e) => e.data['commands'] as Array<{ ok: boolean; code: string | null }>,
    );
    expect(outcomes.filter((o) => !o.ok)).toEqual([
      expect.objectContaining({ ok: false, code: 'SIGNAL_NOT_FOUND' }),
    ]);
    await runner.stop();
  });
});
