import type { JsonObject } from '../json.js';
import type { ProcessIntent } from '../../../workflows/process.js';

/** Process instances live in `process-<workflow>-<tenant>-<key>` streams. */
export const PROCESS_CATEGORY = 'process';

/** Recorded before any effect of a decision on an input: what was decided (the outbox). */
export const PROCESS_INPUT_HANDLED = 'ProcessInputHandled';
/** Recorded before any effect of a due timer. */
export const PROCESS_TIMER_FIRED = 'ProcessTimerFired';
/** Every effect of a decision was carried out; each command's outcome. */
export const PROCESS_INTENTS_DISPATCHED = 'ProcessIntentsDispatched';
/** A notification left through the notifier. */
export const NOTIFICATION_SENT = 'NotificationSent';

export const PROCESS_EVENT_TYPES = [
  PROCESS_INPUT_HANDLED,
  PROCESS_TIMER_FIRED,
  PROCESS_INTENTS_DISPATCHED,
  NOTIFICATION_SENT,
] as const;

export interface ProcessInputHandledData extends JsonObject {
  instance: { tenantId: string; key: string };
  input: { id: string; type: string; stream: string; position: string; occurredAt: string };
  record: JsonObject;
  intents: ProcessIntent[] & JsonObject[];
  /**
   * Every input up to this `$all` position was handled when this one was decided (inputs are
   * decided side by side): where a restart reads inputs again from. Absent (read it as
   * `string | undefined`) on decisions recorded before, which were taken one input at a time.
   */
  handledThrough: string;
}

export interface ProcessTimerFiredData extends JsonObject {
  instance: { tenantId: string; key: string };
  timer: { timerId: string; at: string; payload: JsonObject };
  intents: ProcessIntent[] & JsonObject[];
}

export interface CommandOutcome extends JsonObject {
  commandId: string;
  ok: boolean;
  code: string | null;
}

export interface ProcessIntentsDispatchedData extends JsonObject {
  decisionId: string;
  commands: CommandOutcome[];
  notifications: number;
}

export interface NotificationSentData extends JsonObject {
  notificationId: string;
  topic: string;
  channel: string;
  /** Resolved recipients (user ids or a role), never addresses. */
  recipients: string[];
  signalId: string | null;
}
