import type { DefinitionRole } from './roles.js';

/** ISO-8601 duration such as `P5D` or `PT12H`. */
export type IsoDuration = string;

export interface StateDefinition {
  /** Dutch label shown to users. */
  label: string;
  /** The signal's life ends here (closed, rejected, merged); a terminal state has no deadline. */
  terminal?: boolean;
  /** How long a signal may stay in this state before it is overdue (SLA). */
  deadline?: IsoDuration;
}

/**
 * `@previous`: back to the state the signal was in before it entered the from-state
 * (an answer to a request for information returns the signal to where it was);
 * `@same`: the state does not change (a note, a policy decision on an escalated signal).
 */
export type TargetState = string;

export interface CommandDefinition {
  /** Dutch label for the button that fires it. */
  label: string;
  /** States it may be fired in; empty for the command that creates the signal, `*` for any state. */
  from: string[];
  to: TargetState;
  roles: DefinitionRole[];
  required: string[];
  optional: string[];
  /** Groups of fields of which at least one must be given. */
  requireOneOf?: string[][];
  /** The stable event type recorded; unique within a definition. */
  event: string;
}

export interface WorkflowDefinition {
  name: string;
  version: number;
  description?: string;
  initialState: string;
  states: Record<string, StateDefinition>;
  commands: Record<string, CommandDefinition>;
}

export const PREVIOUS_STATE = '@previous';
export const SAME_STATE = '@same';
export const ANY_STATE = '*';
