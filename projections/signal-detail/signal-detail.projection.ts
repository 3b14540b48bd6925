import type { IndexDeclaration } from '../../src/platform/read-store/read-store.port.js';
import { SIGNAL_EVENT_TYPES, SIGNAL_TEXT_ERASED } from '../../src/signals/signal.events.js';
import type { RecordedEvent } from '../../src/platform/event-store/event-store.port.js';
import {
  SIGNAL_DOSSIER_DECISION_RECORDED,
  SIGNAL_DOSSIER_ESCALATED,
  SIGNAL_DOSSIER_EVENT_TYPES,
  type EscalationLevel,
} from '../../src/dossiers/dossier.events.js';
import { levelOf, readDossierEvent } from '../shared/dossier-event.js';
import { normaliseInstant } from '../shared/time.js';
import type { Projection } from '../projection.js';
import { ProjectionEventError } from '../shared/projection-error.js';
import { ERASED_TEXT, type Submitted, type Transitioned } from '../shared/signal-event.js';
import {
  applyToSummary,
  documentIdOfSignal,
  readForSignal,
  summaryOf,
  type SignalSummary,
} from '../shared/signal-summary.js';

/**
 * The dossier (bundel) the signal is in, and what its escalations and policy decisions fed back
 * to it (the fan-out's events on the signal's stream).
 */
export type SignalDossier = {
  dossierId: string;
  title: string;
  addedAt: string;
  escalations: Array<{ level: EscalationLevel; body: string; motivation: string; at: string }>;
  decisions: Array<{ decision: string; feedback: string; at: string }>;
};

export type SignalDetailDocument = SignalSummary & {
  description: string | null;
  estimatedPeopleAffected: number | null;
  mergedInto: string | null;
  /** The dossier that holds the signal (the last one it joined); null when it is in none. */
  dossier: SignalDossier | null;
};

const MEMBERSHIP_EVENTS = ['DossierCreated', 'DossierSignalAdded', 'DossierSignalRemoved'] as const;
const MEMBERSHIP: ReadonlySet<string> = new Set(MEMBERSHIP_EVENTS);
const FAN_OUT: ReadonlySet<string> = new Set(SIGNAL_DOSSIER_EVENT_TYPES);

const INDEXES: readonly IndexDeclaration[] = [{ field: 'tenantId', type: 'string' }];

/**
 * One document per signal (`tenantId:signalId`): everything known of it now. Its history is the
 * signal's own stream, read when asked for (see `signalTimeline`): a document rewritten with a
 * growing timeline on every event would cost more than all other read models together.
 */
export const signalDetailProjection: Projection<SignalDetailDocument> = {
  name: 'signal-detail',
  // 5: title and description as the event store keeps them, sealed under the signal's key
  // (SealedText): a version 4 read model holds them in plaintext, and is rebuilt beside and dropped.
  schemaVersion: 5,
  // A set: once the fan-out's events are signal lifecycle events too, they are listed once.
  handles: [
    ...new Set([
      ...SIGNAL_EVENT_TYPES,
      SIGNAL_TEXT_ERASED,
      ...MEMBERSHIP_EVENTS,
      ...SIGNAL_DOSSIER_EVENT_TYPES,
    ]),
  ],
  indexes: INDEXES,
  documentId: documentIdOfSignal,
  // A closed signal: reopened now and then, otherwise only its text is erased one day.
  settled: (document) => !document.open,
  documentIds(event) {
    if (!MEMBERSHIP.has(event.type)) return [documentIdOfSignal(event)];
    const view = readDossierEvent(event);
    if (view.kind === 'created') return view.signalIds.map((signalId) => `${view.tenantId}:${signalId}`);
    if (view.kind === 'signal-added' || view.kind === 'signal-removed')
      return [`${view.tenantId}:${view.signalId}`];
    return [];
  },
  evolve(document, event) {
    if (MEMBERSHIP.has(event.type)) return applyMembership(document, event);
    if (FAN_OUT.has(event.type)) return applyFanOut(document, event);
    const step = readForSignal(document, event);
    const mergedInto = step.view.kind === 'erased' ? undefined : readMergeTarget(step.view);
    if (step.document === null) {
      const { view } = step;
      // Filled in place: a spread of the summary plus properties is slow on V8.
      const detail = summaryOf(view) as SignalDetailDocument;
      detail.description = view.attributes.description ?? null;
      detail.estimatedPeopleAffected = view.attributes.estimatedPeopleAffected ?? null;
      detail.mergedInto = mergedInto ?? null;
      detail.dossier = null;
      return detail;
    }
    const { view, document: detail } = step;
    applyToSummary(detail, view);
    if (view.kind === 'erased') {
      if (detail.description !== null) detail.description = ERASED_TEXT;
      return detail;
    }
    const { description, estimatedPeopleAffected } = view.attributes;
    if (description !== undefined) detail.description = description;
    if (estimatedPeopleAffected !== undefined) detail.estimatedPeopleAffected = estimatedPeopleAffected;
    if (mergedInto !== undefined) detail.mergedInto = mergedInto;
    return detail;
  },
};

function readMergeTarget(view: Submitted | Transitioned): string | undefined {
  const target = view.fields['targetSignalId'];
  if (target === undefined) return undefined;
  if (typeof target !== 'string')
    throw new ProjectionEventError(view.event, 'data.targetSignalId is not an id');
  return target;
}

function applyMembership(document: SignalDetailDocument | null, event: RecordedEvent): SignalDetailDocument {
  const view = readDossierEvent(event);
  if (document === null) {
    throw new ProjectionEventError(
      event,
      'a member signal has no document (its submission is missing or parked)',
    );
  }
  if (view.kind === 'signal-removed') {
    if (document.dossier?.dossierId === view.dossierId) document.dossier = null;
    return document;
  }
  document.dossier = {
    dossierId: view.dossierId,
    title: view.title,
    addedAt: view.at,
    escalations: [],
    decisions: [],
  };
  return document;
}

/**
 * The fan-out's events (recorded by the dossier fan-out workflow on the member's stream): they
 * move the signal's revision, not its state; the feedback shows under the dossier it is about.
 */
function applyFanOut(document: SignalDetailDocument | null, event: RecordedEvent): SignalDetailDocument {
  const fail = (reason: string): never => {
    throw new ProjectionEventError(event, reason);
  };
  const { data } = event;
  const text = (key: string): string =>
    typeof data[key] === 'string' ? (data[key] as string) : fail(`data.${key} is not text`);
  const tenantId =
    typeof event.metadata.tenantId === 'string'
      ? event.metadata.tenantId
      : fail('metadata.tenantId is missing');
  const signalId = text('signalId');
  const dossierId = text('dossierId');
  if (event.stream !== `signal-${tenantId}-${signalId}`) fail(`expected in stream of signal ${signalId}`);
  const at =
    (typeof event.metadata.occurredAt === 'string' ? normaliseInstant(event.metadata.occurredAt) : null) ??
    fail('metadata.occurredAt is not an ISO-8601 instant');
  const entry =
    event.type === SIGNAL_DOSSIER_ESCALATED
      ? {
          kind: 'escalation' as const,
          level: levelOf(data['level'], fail),
          body: text('body'),
          motivation: text('motivation'),
        }
      : event.type === SIGNAL_DOSSIER_DECISION_RECORDED
        ? { kind: 'decision' as const, decision: text('decision'), feedback: text('feedback') }
        : fail('not a dossier fan-out event');
  if (document === null)
    return fail(`no document for signal ${signalId} (its submission is missing or parked)`);
  document.revision = Number(event.revision);
  document.updatedAt = at;
  const dossier = document.dossier;
  // Feedback of a dossier the signal has since left is in its history, not under its dossier.
  if (dossier === null || dossier.dossierId !== dossierId) return document;
  if (entry.kind === 'escalation') {
    dossier.escalations.push({ level: entry.level, body: entry.body, motivation: entry.motivation, at });
  } else {
    dossier.decisions.push({ decision: entry.decision, feedback: entry.feedback, at });
  }
  return document;
}
