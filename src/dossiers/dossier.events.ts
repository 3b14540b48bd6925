import type { RecordedEvent } from '../platform/event-store/event-store.port.js';
import type { JsonObject } from '../platform/json.js';
import { streamName } from '../platform/event-store/stream-name.js';

/**
 * A dossier (bundel): many signals of one tenant about one structural problem. Its stream is
 * `dossier-<tenantId>-<dossierId>`. Event names and data are the contract shared with the
 * dossier fan-out workflow (workflows/dossier-fan-out/): stable strings, never derived from classes.
 */
export const DOSSIER_EVENT_TYPES = [
  'DossierCreated',
  'DossierSignalAdded',
  'DossierSignalRemoved',
  'DossierAnalysisRecorded',
  'DossierEscalated',
  'DossierPolicyDecisionRecorded',
  'DossierClosed',
] as const;

export type DossierEventType = (typeof DOSSIER_EVENT_TYPES)[number];

export const DOSSIER_CATEGORY = 'dossier';

export type EscalationLevel = 'local' | 'supralocal';
export const ESCALATION_LEVELS: readonly EscalationLevel[] = ['local', 'supralocal'];

export interface DossierCreatedData extends JsonObject {
  dossierId: string;
  title: string;
  summary: string;
  themes: string[];
  signalIds: string[];
}

export interface DossierSignalAddedData extends JsonObject {
  dossierId: string;
  signalId: string;
}

export interface DossierSignalRemovedData extends JsonObject {
  dossierId: string;
  signalId: string;
  reason: string;
}

export interface DossierAnalysisRecordedData extends JsonObject {
  dossierId: string;
  conclusion: string;
  structural: boolean;
  themes: string[];
}

/** `memberSignalIds`: the members at that moment, so that the fan-out needs no other read. */
export interface DossierEscalatedData extends JsonObject {
  dossierId: string;
  level: EscalationLevel;
  body: string;
  motivation: string;
  memberSignalIds: string[];
}

export interface DossierPolicyDecisionRecordedData extends JsonObject {
  dossierId: string;
  decision: string;
  actions: string[];
  feedback: string;
  memberSignalIds: string[];
}

export interface DossierClosedData extends JsonObject {
  dossierId: string;
  outcome: string;
}

export interface DossierEventDataByType {
  DossierCreated: DossierCreatedData;
  DossierSignalAdded: DossierSignalAddedData;
  DossierSignalRemoved: DossierSignalRemovedData;
  DossierAnalysisRecorded: DossierAnalysisRecordedData;
  DossierEscalated: DossierEscalatedData;
  DossierPolicyDecisionRecorded: DossierPolicyDecisionRecordedData;
  DossierClosed: DossierClosedData;
}

/**
 * What the decider records of the dossier around an event (metadata.dossier), so that a read
 * model keyed by signal can show the dossier's title from a membership event alone.
 */
export interface DossierFactsMetadata extends JsonObject {
  title: string;
  command: string;
  from: string | null;
  to: string;
}

/**
 * Recorded on a member signal's stream by the dossier fan-out (owned by the process workflows):
 * system events that leave the signal's state as it is. Read models of this capability consume them.
 */
export const SIGNAL_DOSSIER_ESCALATED = 'SignalDossierEscalated';
export const SIGNAL_DOSSIER_DECISION_RECORDED = 'SignalDossierDecisionRecorded';
export const SIGNAL_DOSSIER_EVENT_TYPES = [
  SIGNAL_DOSSIER_ESCALATED,
  SIGNAL_DOSSIER_DECISION_RECORDED,
] as const;

export interface SignalDossierEscalatedData extends JsonObject {
  signalId: string;
  dossierId: string;
  level: EscalationLevel;
  body: string;
  motivation: string;
}

export interface SignalDossierDecisionRecordedData extends JsonObject {
  signalId: string;
  dossierId: string;
  decision: string;
  feedback: string;
}

export type DossierEvent = RecordedEvent<string, JsonObject>;

export function dossierStream(tenantId: string, dossierId: string): string {
  return streamName(DOSSIER_CATEGORY, tenantId, dossierId);
}
