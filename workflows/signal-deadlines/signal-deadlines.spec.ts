import { describe, expect, it } from '@jest/globals';
import type { JsonObject } from '../../src/platform/json.js';
import type { DueTimer, ProcessIntent } from '../process.js';
import { anInput, givenProcess } from '../testing/process-given.js';
import { createSignalDeadlinesWorkflow, type DeadlinePolicy } from './signal-deadlines.js';

const SIGNAL = '0195f3c2-7b1a-7c3e-8d4f-5a6b7c8d9e0f';
const STREAM = `signal-gent-${SIGNAL}`;
const workflow = createSignalDeadlinesWorkflow();

function transition(command: string, from: string | null, to: string, at: string, version = 1) {
  return anInput(command === 'submit' ? 'SignalSubmitted' : `Event-${command}`, {
    stream: STREAM,
    at,
    data: { signalId: SIGNAL },
    workflow: { name: 'signal-lifecycle', version, command, from, to } as JsonObject,
  });
}

const schedules = (intents: ProcessIntent[]) =>
  intents.flatMap((intent) =>
    intent.kind === 'schedule' ? [{ at: intent.at, payload: intent.payload }] : [],
  );

describe('signal-deadlines workflow', () => {
  // Monday 2 March 2026, 09:00: submitted has a deadline of two (working) days.
  const submitted = transition('submit', null, 'submitted', '2026-03-02T09:00:00.000Z');

  it('given nothing, when a signal is submitted, then timers at its deadline and at three times it', () => {
    expect(schedules(givenProcess(workflow, []).when(submitted))).toEqual([
      {
        at: '2026-03-04T09:00:00.000Z',
        payload: { kind: 'overdue', state: 'submitted', dueAt: '2026-03-04T09:00:00.000Z' },
      },
      {
        at: '2026-03-10T09:00:00.000Z',
        payload: { kind: 'escalate', state: 'submitted', dueAt: '2026-03-04T09:00:00.000Z' },
      },
    ]);
  });

  it('given a submission, when it is triaged, then its timers are cancelled and the new state timed', () => {
    const triaged = transition('triage', 'submitted', 'triaged', '2026-03-03T10:00:00.000Z');
    const intents = givenProcess(workflow, [submitted]).when(triaged);
    expect(intents.filter((intent) => intent.kind === 'cancel')).toEqual([
      { kind: 'cancel', timerId: `${submitted.id}:overdue` },
      { kind: 'cancel', timerId: `${submitted.id}:escalate` },
    ]);
    // Three working days from Tuesday 3 March: Friday 6 March.
    expect(schedules(intents)[0]?.at).toBe('2026-03-06T10:00:00.000Z');
  });

  it('given a signal closed, then nothing is timed (a terminal state has no deadline)', () => {
    const closed = transition('close', 'triaged', 'closed', '2026-03-03T10:00:00.000Z');
    const intents = givenProcess(workflow, [submitted]).when(closed);
    expect(intents.every((intent) => intent.kind === 'cancel')).toBe(true);
  });

  it('ignores what changes no state: notes, overdue marks, dossier records', () => {
    expect(
      workflow.instanceOf(transition('add-note', 'submitted', 'submitted', '2026-03-03T10:00:00.000Z')),
    ).toBeNull();
  });

  it('given the overdue timer is due while the signal is still in its state, then it is marked and the assignee reminded', () => {
    const timer: DueTimer = {
      timerId: `${submitted.id}:overdue`,
      at: '2026-03-04T09:00:00.000Z',
      payload: { kind: 'overdue', state: 'submitted', dueAt: '2026-03-04T09:00:00.000Z' },
    };
    const intents = givenProcess(workflow, [submitted]).when(timer);
    expect(intents).toEqual([
      {
        kind: 'send',
        commandId: timer.timerId,
        command: {
          target: 'signal',
          tenantId: 'gent',
          signalId: SIGNAL,
          name: 'mark-overdue',
          fields: { deadlineState: 'submitted', dueAt: '2026-03-04T09:00:00.000Z' },
        },
      },
      expect.objectContaining({
        kind: 'notify',
        notificationId: `${timer.timerId}:reminder`,
        notification: expect.objectContaining({
          recipient: { kind: 'assignee', signalId: SIGNAL },
          topic: 'reminder',
        }),
      }),
    ]);
  });

  it('given the escalation timer is due, then escalate-overdue and the lead processors are told', () => {
    const timer: DueTimer = {
      timerId: `${submitted.id}:escalate`,
      at: '2026-03-10T09:00:00.000Z',
      payload: { kind: 'escalate', state: 'submitted', dueAt: '2026-03-04T09:00:00.000Z' },
    };
    const intents = givenProcess(workflow, [submitted]).when(timer);
    expect(intents.map((intent) => (intent.kind === 'send' ? intent.command.name : intent.kind))).toEqual([
      'escalate-overdue',
      'notify',
    ]);
    expect(intents[1]).toMatchObject({ notification: { recipient: { kind: 'lead-processors' } } });
  });

  it('given a signal entered its state after midnight in Brussels, then the reminder gives its days in Dutch, in Brussels time', () => {
    // 22:30 UTC on Tuesday 31 March is 00:30 on Wednesday 1 April in Brussels (summer time).
    const late = transition('submit', null, 'submitted', '2026-03-31T22:30:00.000Z');
    const [overdue, escalate] = schedules(givenProcess(workflow, []).when(late));
    const fired = (kind: 'overdue' | 'escalate', at: string): DueTimer => ({
      timerId: `${late.id}:${kind}`,
      at,
      payload: overdue!.payload as JsonObject,
    });
    const text = (intents: ProcessIntent[]) =>
      intents.flatMap((intent) => (intent.kind === 'notify' ? [intent.notification.body] : []));
    // Due two working days later: 00:30 on Friday 3 April in Brussels.
    expect(text(givenProcess(workflow, [late]).when(fired('overdue', overdue!.at)))).toEqual([
      `Het signaal ${SIGNAL} staat sinds 1 april 2026 in de toestand 'Ingediend'. De termijn verstreek op 3 april 2026.`,
    ]);
    expect(
      text(
        givenProcess(workflow, [late]).when({
          ...fired('escalate', escalate!.at),
          payload: escalate!.payload as JsonObject,
        }),
      ),
    ).toEqual([
      `Het signaal ${SIGNAL} staat sinds 1 april 2026 in de toestand 'Ingediend', drie keer langer dan de termijn (verstreken op 3 april 2026).`,
    ]);
  });

  it('given the signal left the state, when a stale timer fires, then nothing happens', () => {
    const triaged = transition('triage', 'submitted', 'triaged', '2026-03-03T10:00:00.000Z');
    const stale: DueTimer = {
      timerId: `${submitted.id}:overdue`,
      at: '2026-03-04T09:00:00.000Z',
      payload: { kind: 'overdue', state: 'submitted', dueAt: '2026-03-04T09:00:00.000Z' },
    };
    expect(givenProcess(workflow, [submitted, triaged]).when(stale)).toEqual([]);
  });

  it('given a tenant override, then its deadline is the one timed', () => {
    const policy: DeadlinePolicy = (tenantId, _workflow, state) =>
      tenantId === 'gent' && state === 'submitted' ? 'P1D' : null;
    const intents = givenProcess(createSignalDeadlinesWorkflow(policy), []).when(submitted);
    expect(schedules(intents).map((s) => s.at)).toEqual([
      '2026-03-03T09:00:00.000Z',
      '2026-03-05T09:00:00.000Z',
    ]);
  });

  it('given an event that carries the tenant deadline of its step, then that one is timed, whatever the policy says now', () => {
    const stamped = anInput('SignalSubmitted', {
      stream: STREAM,
      at: '2026-03-02T09:00:00.000Z',
      data: { signalId: SIGNAL },
      workflow: {
        name: 'signal-lifecycle',
        version: 1,
        command: 'submit',
        from: null,
        to: 'submitted',
        deadline: 'P3D',
      } as JsonObject,
    });
    const policy: DeadlinePolicy = () => 'P1D';
    const intents = givenProcess(createSignalDeadlinesWorkflow(policy), []).when(stamped);
    expect(schedules(intents).map((s) => s.at)).toEqual([
      '2026-03-05T09:00:00.000Z',
      '2026-03-13T09:00:00.000Z',
    ]);
  });

  it('given a v2 signal entering in-consultation, then the v2 deadline (15 working days)', () => {
    const consultation = transition(
      'start-consultation',
      'analysed',
      'in-consultation',
      '2026-03-02T09:00:00.000Z',
      2,
    );
    expect(schedules(givenProcess(workflow, []).when(consultation))[0]?.at).toBe('2026-03-23T09:00:00.000Z');
  });
});
