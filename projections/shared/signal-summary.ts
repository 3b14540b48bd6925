import type { RecordedEvent } from '../../src/platform/event-store/event-store.port.js';
import { MIGRATE_WORKFLOW_COMMAND } from '../../src/signals/signal.events.js';
import type { JsonObject } from '../../src/platform/json.js';
import type { SignalListItem } from '../../src/signals/signal-answers.js';
import { ProjectionEventError } from './projection-error.js';
import {
  ERASABLE_TEXT_FIELDS,
  ERASED_TEXT,
  readSignalEvent,
  signalKeyOf,
  type AttributeChanges,
  type SignalEventView,
  type Submitted,
} from './signal-event.js';

/**
 * What the inbox shows of a signal; its page adds the signal-detail document. GET /signals answers it
 * (SignalListItem, the API's contract) without the scope keys, its overdue mark read as a flag:
 * the fields are declared there once. The erasable text (the title) is kept as the events hold
 * it, sealed under the signal's key: a query opens what it serves (SealedText).
 */
export type SignalSummary = Omit<SignalListItem, 'areaType' | 'overdue'> & {
  /** The area's kind (deelgemeente, wijk, hele-gemeente), when the signal names one. */
  areaType: string | null;
  /**
   * Set when the deadline timer marked the signal overdue in its current state (and when it was
   * escalated to the lead processor at three times the deadline); cleared when the state changes.
   */
  overdue: { state: string; dueAt: string; markedAt: string; escalatedAt: string | null } | null;
  /** Who may see the signal, as keys a query matches with one `in` filter (`scopeKeysOf`). */
  scopeKeys: string[];
};

export type SummaryAttribute = keyof AttributeChanges & keyof SignalSummary;

export const SUMMARY_ATTRIBUTES: readonly SummaryAttribute[] = [
  'title',
  'themes',
  'targetGroups',
  'policyDomain',
  'assigneeId',
  'area',
  'areaType',
  'urgency',
  'structural',
];

export function documentIdOfSignal(event: RecordedEvent): string {
  const { tenantId, signalId } = signalKeyOf(event);
  return `${tenantId}:${signalId}`;
}

export type SignalStep<D extends SignalSummary> =
  { view: Submitted; document: null } | { view: Exclude<SignalEventView, Submitted>; document: D };

/**
 * Reads an event for a per-signal document and checks that it applies to it: a submission only
 * to no document, anything else only to the signal's document, leaving the state it is in.
 */
export function readForSignal<D extends SignalSummary>(
  document: D | null,
  event: RecordedEvent,
): SignalStep<D> {
  const view = readSignalEvent(event);
  const fail = (reason: string) => new ProjectionEventError(event, reason);
  if (view.kind === 'submitted') {
    if (document !== null) throw fail(`signal ${view.signalId} was already submitted`);
    return { view, document };
  }
  if (document === null) {
    throw fail(
      `no document for signal ${view.signalId} of tenant ${view.tenantId} (its submission is missing or parked)`,
    );
  }
  if (view.kind === 'transitioned') {
    const { workflow, from, command } = view.transition;
    // A migration leaves the version the document runs under for another one.
    if (command === MIGRATE_WORKFLOW_COMMAND) {
      const left = view.event.data['from'] as { name?: unknown; version?: unknown } | undefined;
      if (left?.name !== document.workflow.name || left.version !== document.workflow.version)
        throw fail(
          `the migration leaves another version than ${document.workflow.name}@${document.workflow.version}`,
        );
    } else if (workflow.name !== document.workflow.name || workflow.version !== document.workflow.version) {
      throw fail(
        `the signal runs under ${document.workflow.name}@${document.workflow.version}, the event under ${workflow.name}@${workflow.version}`,
      );
    }
    if (from !== document.state) {
      throw fail(
        `the event leaves "${from}" but the signal is in "${document.state}" (an earlier event is missing or parked)`,
      );
    }
  }
  return { view, document };
}

export function summaryOf(view: Submitted): SignalSummary {
  const summary = baseSummaryOf(view);
  summary.scopeKeys = scopeKeysOf(summary);
  return summary;
}

/**
 * Who may see the signal, as keys a query can match with one `in` filter: its giver, its
 * assignee, its policy domain and the giver's organisation (DOMAIN.md's scope rules).
 */
export function scopeKeysOf(summary: SignalSummary): string[] {
  const keys = [`giver:${summary.givenBy}`];
  if (summary.assigneeId) keys.push(`assignee:${summary.assigneeId}`);
  if (summary.policyDomain) keys.push(`domain:${summary.policyDomain}`);
  if (summary.organisationId) keys.push(`org:${summary.organisationId}`);
  return keys;
}

function baseSummaryOf(view: Submitted): SignalSummary {
  const { transition, attributes, at } = view;
  return {
    tenantId: view.tenantId,
    signalId: view.signalId,
    title: attributes.title ?? null,
    state: transition.to,
    open: !transition.toTerminal,
    themes: attributes.themes ?? [],
    targetGroups: attributes.targetGroups ?? [],
    policyDomain: attributes.policyDomain ?? null,
    assigneeId: attributes.assigneeId ?? null,
    givenBy: view.actor.id,
    organisationId: view.organisationId,
    area: attributes.area ?? null,
    areaType: attributes.areaType ?? null,
    urgency: attributes.urgency ?? null,
    structural: attributes.structural ?? null,
    submittedAt: at,
    updatedAt: at,
    stateEnteredAt: at,
    dueAt: transition.dueAt,
    overdue: null,
    workflow: transition.workflow,
    revision: Number(view.event.revision),
    erased: false,
    scopeKeys: [],
  };
}

/** Applies a checked lifecycle or erasure event to the summary, in place. */
export function applyToSummary(document: SignalSummary, view: Exclude<SignalEventView, Submitted>): void {
  document.updatedAt = view.at;
  if (view.inSignalStream) document.revision = Number(view.event.revision);
  if (view.kind === 'erased') {
    for (const field of SUMMARY_ATTRIBUTES) {
      if (ERASABLE_TEXT_FIELDS.has(field) && document[field] !== null)
        Object.assign(document, { [field]: ERASED_TEXT });
    }
    document.erased = true;
    return;
  }
  const { transition, attributes } = view;
  for (const field of SUMMARY_ATTRIBUTES) {
    if (attributes[field] !== undefined) Object.assign(document, { [field]: attributes[field] });
  }
  // Giver and organisation are fixed at submission: only a new assignee or domain moves the scope.
  if (attributes.assigneeId !== undefined || attributes.policyDomain !== undefined)
    document.scopeKeys = scopeKeysOf(document);
  document.workflow = transition.workflow;
  if (transition.changesState) {
    document.state = transition.to;
    document.open = !transition.toTerminal;
    document.stateEnteredAt = view.at;
    document.dueAt = transition.dueAt;
    document.overdue = null;
  }
  applyOverdue(document, view.event.type, view.event.data, view.at);
}

/** The deadline timer's marks count only for the state the signal is still in. */
function applyOverdue(document: SignalSummary, type: string, data: JsonObject, at: string): void {
  if (type !== 'SignalMarkedOverdue' && type !== 'SignalOverdueEscalated') return;
  const state = data['deadlineState'];
  const dueAt = data['dueAt'];
  if (state !== document.state || typeof dueAt !== 'string') return;
  if (type === 'SignalMarkedOverdue') {
    document.overdue = { state, dueAt, markedAt: at, escalatedAt: document.overdue?.escalatedAt ?? null };
  } else {
    document.overdue = { state, dueAt, markedAt: document.overdue?.markedAt ?? at, escalatedAt: at };
  }
}
