import type { JsonObject } from '../src/platform/json.js';

/**
 * Process workflows: long-running reactions to events (deadline timers, dossier fan-out). A
 * workflow is pure: it folds what its instance recorded and turns an input event or a due timer
 * into intents. The runner (src/platform/processes) records the intents in the instance's own
 * stream before it carries them out, so a crash or a redelivered input never loses nor doubles
 * an effect: every intent has a deterministic id.
 */

/** An event of the store as a workflow sees it. */
export interface ProcessInput {
  id: string;
  type: string;
  stream: string;
  /** Global position, as text. */
  position: string;
  data: JsonObject;
  metadata: { tenantId: string; occurredAt: string; actor: { id: string; role: string } } & JsonObject;
}

/** A command of a capability, issued by the engine (actor `system`). */
export interface SignalCommandIntent {
  target: 'signal';
  tenantId: string;
  signalId: string;
  /** The command's name in the signal's lifecycle definition. */
  name: string;
  fields: JsonObject;
}

/** Who receives a notification; the notifier resolves people from the signal. */
export type Recipient =
  | { kind: 'signal-giver'; signalId: string }
  | { kind: 'assignee'; signalId: string }
  | { kind: 'lead-processors' };

export interface NotificationIntent {
  tenantId: string;
  recipient: Recipient;
  /** What the notification is about: `reminder`, `deadline-escalation`, `dossier-feedback`, … */
  topic: string;
  /** Dutch subject and text; may hold free text of the signal (feedback), never logged. */
  subject: string;
  body: string;
  signalId?: string;
}

export type ProcessIntent =
  | { kind: 'send'; commandId: string; command: SignalCommandIntent }
  | { kind: 'schedule'; timerId: string; at: string; payload: JsonObject }
  | { kind: 'cancel'; timerId: string }
  | {
      kind: 'notify';
      notificationId: string;
      notification: NotificationIntent;
      /** Sent only when the command of this id (sent before it in the same decision) was accepted. */
      ifAccepted?: string;
    }
  | { kind: 'complete' };

export interface DueTimer {
  timerId: string;
  at: string;
  payload: JsonObject;
}

/** What an instance recorded, as its workflow folds it. */
export type ProcessFact =
  | { kind: 'input'; type: string; at: string; data: JsonObject }
  | { kind: 'timer-fired'; timer: DueTimer; at: string };

export interface InstanceRef {
  tenantId: string;
  /** Unique within the workflow and tenant: a signal id, a dossier id. */
  key: string;
}

export interface ProcessWorkflow<State> {
  name: string;
  version: number;
  /** Event types it reacts to. */
  inputs: readonly string[];
  /** The instance an input belongs to; null to ignore the input. */
  instanceOf(input: ProcessInput): InstanceRef | null;
  /** What of an input the instance keeps (no free text it does not need: erasure cannot reach it). */
  record(input: ProcessInput): JsonObject;
  initialState: State;
  evolve(state: State, fact: ProcessFact): State;
  /** Decides on an input; `state` is the instance before it. */
  decide(input: ProcessInput, state: State): ProcessIntent[];
  /** Decides on a timer of the instance that is due. */
  onTimer(timer: DueTimer, state: State): ProcessIntent[];
}

/** Folds an instance's facts (tests and the runner). */
export function foldFacts<State>(workflow: ProcessWorkflow<State>, facts: readonly ProcessFact[]): State {
  return facts.reduce((state, fact) => workflow.evolve(state, fact), workflow.initialState);
}
