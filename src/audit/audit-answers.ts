import type { SignalAttributes } from '../../workflows/signal-lifecycle/fields.js';
import type { JsonObject } from '../platform/json.js';
import type { Violation, ViolationKind } from './core/violations.js';

/**
 * What the audit endpoints answer: the API's contract, declared once. The audit core builds these
 * types, the controllers answer with them and the web app's audit screen reads them. Types only,
 * importing only the JSON types, the violation kinds (a module without imports) and the field
 * catalogue (which the web reads anyway), so that the web's compiler reads nothing else of the
 * server.
 */

export type { Violation, ViolationKind };

/** One decision: who did what, when, from which state to which, why, under which rules. */
export interface HistoryStep {
  revision: number;
  /** Global position, as a string (it may exceed a JSON number's safe range). */
  position: string;
  /** When it happened in the domain (`metadata.occurredAt`). */
  at: string;
  /** When the store recorded it. */
  recordedAt: string;
  event: string;
  /** The workflow command; null for an event that is no command (an erasure). */
  command: string | null;
  from: string | null;
  fromLabel: string | null;
  to: string | null;
  toLabel: string | null;
  actor: { id: string | null; role: string | null; organisationId: string | null };
  /** The workflow definition the decision was made under. */
  workflow: { name: string; version: number } | null;
  /** The command's `motivation`, or its `reason` where the definition calls it that. */
  motivation: string | null;
  /** The command's fields as recorded; erasable free text recorded before an erasure reads "[gewist]". */
  fields: JsonObject;
  /** The event's chain hash: what the verifier vouches for. */
  hash: string | null;
}

export interface DecisionHistory {
  signalId: string;
  tenantId: string;
  workflow: { name: string; version: number } | null;
  /** Revision of the stream's last event. */
  revision: number;
  erased: boolean;
  steps: HistoryStep[];
}

/** The signal as it stood then: the decider's own state, folded by its own evolve. */
export type SignalAsOfView = {
  signalId: string;
  tenantId: string;
  asOf: { requested: string; revision: number; at: string };
  revision: number;
  state: string;
  stateLabel: string;
  previousState: string | null;
  workflow: { name: string; version: number };
  givenBy: string;
  organisationId: string | null;
  mergedInto: string | null;
  submittedAt: string;
  stateEnteredAt: string;
  erased: boolean;
} & SignalAttributes;

/** What the hash chain and lifecycle verifier found (GET /audit/verify, the CLI). */
export interface VerifyReport {
  ok: boolean;
  events: number;
  streams: number;
  counts: Record<ViolationKind, number>;
  /** Sorted by stream, revision and kind; at most `maxViolations`. */
  violations: Violation[];
  truncated: boolean;
}

export interface StoreVerifyReport extends VerifyReport {
  tenant: string | null;
  /** Events read from the store: all of them, also with a tenant (then `events` are the tenant's). */
  eventsRead: number;
  startedAt: string;
  durationMs: number;
  eventsPerSecond: number;
}

export interface AuditReadEntry {
  revision: number;
  at: string;
  actor: { id: string | null; role: string | null; organisationId: string | null };
  read: string | null;
  signalId: string | null;
  asOf: string | null;
  format: string | null;
  eventsChecked: number | null;
  violations: number | null;
}

export interface AuditReadPage {
  items: AuditReadEntry[];
  /** Pass as `before` for the next (older) page; null when this is the last. */
  next: string | null;
}
