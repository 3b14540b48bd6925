import { dutchDay } from '../../src/platform/dutch-months.js';
import type { JsonObject } from '../../src/platform/json.js';
import { SIGNAL_CATEGORY, SIGNAL_EVENT_TYPES, type WorkflowRef } from '../../src/signals/signal.events.js';
import { deadlineAt, multipleDeadlineAt } from '../calendar/working-days.js';
import type { IsoDuration } from '../definition.js';
import { parseIsoDuration } from '../load-definition.js';
import type { DueTimer, ProcessFact, ProcessIntent, ProcessWorkflow } from '../process.js';
import { getWorkflow } from '../registry.js';

/**
 * How long a signal may stay in a state, per tenant: the lifecycle definition's deadline unless
 * the tenant overrides it. Must be pure (answer from data it holds), as the workflow is.
 */
export type DeadlinePolicy = (tenantId: string, workflow: WorkflowRef, state: string) => IsoDuration | null;

export const definitionDeadlines: DeadlinePolicy = (_tenantId, workflow, state) =>
  getWorkflow(workflow.name, workflow.version).states[state]?.deadline ?? null;

/** Signalen's rule: flag at the deadline, escalate to the lead processor at three times it. */
export const ESCALATION_MULTIPLE = 3;

export type DeadlineState =
  | { status: 'none' }
  | {
      status: 'running';
      tenantId: string;
      signalId: string;
      workflow: WorkflowRef;
      state: string;
      enteredAt: string;
      /** Timers of the current state not yet fired (ids). */
      pending: string[];
    };

interface Transition {
  name: string;
  version: number;
  from: string | null;
  to: string;
  deadline?: IsoDuration;
}

function transitionOf(data: JsonObject): Transition | null {
  const raw = data['workflow'];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return null;
  const { name, version, from, to, deadline } = raw;
  if (typeof name !== 'string' || typeof version !== 'number' || typeof to !== 'string') return null;
  return {
    name,
    version,
    from: typeof from === 'string' ? from : null,
    to,
    // The tenant's deadline for the state entered, when the command stamped one (see the handler).
    ...(typeof deadline === 'string' && parseIsoDuration(deadline) !== null ? { deadline } : {}),
  };
}

const timerIds = (inputId: string) => [`${inputId}:overdue`, `${inputId}:escalate`];

/**
 * Per-state deadlines of the signal lifecycle as durable timers. Every state change cancels the
 * timers of the state left and schedules two for the state entered (when it has a deadline): at
 * the deadline the signal is marked overdue and its assignee reminded, at three times the
 * deadline it is escalated to the lead processors. Days count working days.
 */
export function createSignalDeadlinesWorkflow(
  policy: DeadlinePolicy = definitionDeadlines,
): ProcessWorkflow<DeadlineState> {
  return {
    name: 'signal-deadlines',
    version: 1,
    inputs: SIGNAL_EVENT_TYPES,
    instanceOf(input) {
      const signalId = input.data['signalId'];
      if (!input.stream.startsWith(`${SIGNAL_CATEGORY}-`) || typeof signalId !== 'string') return null;
      const transition = transitionOf({ workflow: input.metadata['workflow'] ?? null });
      // Notes, marks and fan-out records change no state: nothing to time.
      if (!transition || transition.from === transition.to) return null;
      return { tenantId: input.metadata.tenantId, key: signalId };
    },
    record(input) {
      const transition = transitionOf({ workflow: input.metadata['workflow'] ?? null });
      return {
        tenantId: input.metadata.tenantId,
        signalId: input.data['signalId'] ?? null,
        inputId: input.id,
        workflow: transition
          ? { name: transition.name, version: transition.version, from: transition.from, to: transition.to }
          : null,
      };
    },
    initialState: { status: 'none' },
    evolve(state, fact: ProcessFact): DeadlineState {
      if (fact.kind === 'timer-fired') {
        if (state.status !== 'running') return state;
        return { ...state, pending: state.pending.filter((id) => id !== fact.timer.timerId) };
      }
      const transition = transitionOf(fact.data);
      const signalId = fact.data['signalId'];
      const inputId = fact.data['inputId'];
      const tenantId = fact.data['tenantId'];
      if (!transition || typeof signalId !== 'string' || typeof inputId !== 'string') return state;
      if (typeof tenantId !== 'string') return state;
      return {
        status: 'running',
        tenantId,
        signalId,
        workflow: { name: transition.name, version: transition.version },
        state: transition.to,
        enteredAt: fact.at,
        pending: timerIds(inputId),
      };
    },
    decide(input, state): ProcessIntent[] {
      const transition = transitionOf({ workflow: input.metadata['workflow'] ?? null });
      if (!transition) return [];
      const intents: ProcessIntent[] = [];
      if (state.status === 'running') {
        for (const timerId of state.pending) intents.push({ kind: 'cancel', timerId });
      }
      const deadline =
        transition.deadline ??
        policy(
          input.metadata.tenantId,
          { name: transition.name, version: transition.version },
          transition.to,
        );
      if (deadline === null) return intents;
      const enteredAt = input.metadata.occurredAt;
      const dueAt = deadlineAt(enteredAt, deadline);
      const [overdueId, escalateId] = timerIds(input.id) as [string, string];
      intents.push(
        {
          kind: 'schedule',
          timerId: overdueId,
          at: dueAt,
          payload: { kind: 'overdue', state: transition.to, dueAt },
        },
        {
          kind: 'schedule',
          timerId: escalateId,
          at: multipleDeadlineAt(enteredAt, deadline, ESCALATION_MULTIPLE),
          payload: { kind: 'escalate', state: transition.to, dueAt },
        },
      );
      return intents;
    },
    onTimer(timer: DueTimer, state): ProcessIntent[] {
      if (state.status !== 'running') return [];
      const { kind, state: timedState, dueAt } = timer.payload;
      // The signal left the state the timer was set for: the cancel was recorded, but be sure.
      if (timedState !== state.state || typeof dueAt !== 'string') return [];
      const { tenantId } = state;
      const signalId = state.signalId;
      const fields = { deadlineState: state.state, dueAt };
      const label =
        getWorkflow(state.workflow.name, state.workflow.version).states[state.state]?.label ?? state.state;
      if (kind === 'overdue') {
        return [
          {
            kind: 'send',
            commandId: timer.timerId,
            command: { target: 'signal', tenantId, signalId, name: 'mark-overdue', fields },
          },
          {
            kind: 'notify',
            notificationId: `${timer.timerId}:reminder`,
            ifAccepted: timer.timerId,
            notification: {
              tenantId,
              recipient: { kind: 'assignee', signalId },
              topic: 'reminder',
              signalId,
              subject: `Herinnering: termijn verstreken voor een signaal (${label})`,
              body: `Het signaal ${signalId} staat sinds ${dutchDay(state.enteredAt)} in de toestand '${label}'. De termijn verstreek op ${dutchDay(dueAt)}.`,
            },
          },
        ];
      }
      if (kind === 'escalate') {
        return [
          {
            kind: 'send',
            commandId: timer.timerId,
            command: { target: 'signal', tenantId, signalId, name: 'escalate-overdue', fields },
          },
          {
            kind: 'notify',
            notificationId: `${timer.timerId}:lead`,
            ifAccepted: timer.timerId,
            notification: {
              tenantId,
              recipient: { kind: 'lead-processors' },
              topic: 'deadline-escalation',
              signalId,
              subject: `Escalatie: signaal drie keer over de termijn (${label})`,
              body: `Het signaal ${signalId} staat sinds ${dutchDay(state.enteredAt)} in de toestand '${label}', drie keer langer dan de termijn (verstreken op ${dutchDay(dueAt)}).`,
            },
          },
        ];
      }
      return [];
    },
  };
}
