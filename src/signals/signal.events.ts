import type { RecordedEvent } from '../platform/event-store/event-store.port.js';
import type { JsonObject } from '../platform/json.js';
import { streamName } from '../platform/event-store/stream-name.js';

/**
 * Privacy: the signal's free text is erased (its data keys destroyed). No workflow command; it
 * moves no state. Data: SignalTextErasedData.
 */
export const SIGNAL_TEXT_ERASED = 'SignalTextErased';

/**
 * The event types a signal's stream holds, as stored: stable names, never derived from classes.
 * Lifecycle events are named by the workflow definitions; a spec checks every definition's
 * events are listed here. SignalTextErased is the one event no definition names.
 */
export const SIGNAL_EVENT_TYPES = [
  'SignalSubmitted',
  'SignalTriaged',
  'SignalRejected',
  'SignalMerged',
  'SignalAssigned',
  'SignalReassigned',
  'InformationRequested',
  'InformationProvided',
  'AnalysisStarted',
  'AnalysisRecorded',
  'SignalEscalated',
  'PolicyDecisionRecorded',
  'SignalClosed',
  'SignalReopened',
  'NoteAdded',
  SIGNAL_TEXT_ERASED,
  'ConsultationStarted',
  'SignalMarkedOverdue',
  'SignalOverdueEscalated',
  'SignalDossierEscalated',
  'SignalDossierDecisionRecorded',
  'SignalWorkflowMigrated',
] as const;

/**
 * Moves a running signal from one version of its lifecycle to another. No command of a
 * definition records it (it crosses versions): `metadata.workflow` names the target version with
 * the command `migrate-workflow`, and `migratedFrom` the version left.
 */
export const SIGNAL_WORKFLOW_MIGRATED = 'SignalWorkflowMigrated';
export const MIGRATE_WORKFLOW_COMMAND = 'migrate-workflow';

export interface SignalWorkflowMigratedData extends SignalEventData {
  from: { name: string; version: number; state: string };
  to: { name: string; version: number; state: string };
  /** The whole mapping the migration was run with, old state → new state. */
  stateMapping: { [state: string]: string };
}

export type SignalEventType = (typeof SIGNAL_EVENT_TYPES)[number];

export const SIGNAL_CATEGORY = 'signal';

export interface WorkflowRef {
  name: string;
  version: number;
}

/** Data of every signal event: the signal's id plus the command's fields. */
export interface SignalEventData extends JsonObject {
  signalId: string;
}

/** SignalSubmitted also pins the workflow version and the giver's organisation. */
export interface SignalSubmittedData extends SignalEventData {
  workflow: { name: string; version: number };
  organisationId: string | null;
}

/**
 * Metadata of signal events: which transition of which definition the decision made, plus what
 * the signal was before it (when it was submitted, since when it was in the from-state, who it
 * was assigned to) so that read models can move counts and measure lead times from the event
 * alone, without remembering every signal.
 */
export interface TransitionMetadata extends JsonObject {
  name: string;
  version: number;
  command: string;
  from: string | null;
  to: string;
  submittedAt: string;
  fromEnteredAt: string | null;
  assignmentBefore: { assigneeId: string | null; policyDomain: string | null } | null;
  /**
   * The signal's classification and who gave it, before the event (null on submission), so that
   * cross-tenant read models can move theme counts from the event alone. Absent on events
   * recorded before it was introduced.
   */
  classificationBefore: ClassificationBefore | null;
}
// Also, only where the tenant overrides the definition's deadline for the state entered:
// `deadline`, an ISO-8601 duration that read models and timers take over the definition's; and
// only where the state left had such a deadline stamped: `fromDeadline`, that duration, so that a
// read model without memory of the signal finds the due date it leaves (the tenant dashboard).
// Events recorded before 3 December 2026 lack `fromDeadline`.

export interface ClassificationBefore extends JsonObject {
  themes: string[];
  targetGroups: string[];
  /** The area type code, or null; absent on events recorded before area types existed (read: null). */
  areaType: string | null;
  givenBy: string;
  organisationId: string | null;
}

/**
 * SignalTextErased: why (checked for personal data like any free text, and kept readable for the
 * audit) and which data keys the erasure destroyed, so that a sweep can finish the destruction
 * when a crash came between recording the event and destroying the keys.
 */
export interface SignalTextErasedData extends SignalEventData {
  reason: string;
  keyIds: string[];
}

export type SignalEvent = RecordedEvent<string, SignalEventData>;

export function signalStream(tenantId: string, signalId: string): string {
  return streamName(SIGNAL_CATEGORY, tenantId, signalId);
}
