import type { RecordedEvent } from '../../src/platform/event-store/event-store.port.js';
import type { JsonValue } from '../../src/platform/json.js';
import {
  DOSSIER_CATEGORY,
  ESCALATION_LEVELS,
  type EscalationLevel,
} from '../../src/dossiers/dossier.events.js';
import { ProjectionEventError } from './projection-error.js';
import { LastRead } from './last-read.js';
import { isUnsafeKey } from './records.js';
import { normaliseInstant } from './time.js';

interface Common {
  event: RecordedEvent;
  tenantId: string;
  dossierId: string;
  at: string;
  actor: { id: string; role: string };
  /** metadata.dossier.title: the dossier's title when the event was decided. */
  title: string;
  /** The dossier's phase after the event (metadata.dossier.to). */
  phase: string;
}

export type DossierEventView = Common &
  (
    | { kind: 'created'; summary: string; themes: string[]; signalIds: string[] }
    | { kind: 'signal-added'; signalId: string }
    | { kind: 'signal-removed'; signalId: string; reason: string }
    | { kind: 'analysis'; conclusion: string; structural: boolean; themes: string[] }
    | {
        kind: 'escalated';
        level: EscalationLevel;
        body: string;
        motivation: string;
        memberSignalIds: string[];
      }
    | { kind: 'decision'; decision: string; actions: string[]; feedback: string; memberSignalIds: string[] }
    | { kind: 'closed'; outcome: string }
  );

/** The last event's view (LastRead): read once for the read models that take it one after the other. */
const views = new LastRead<RecordedEvent, DossierEventView>();

/** The tenant and dossier an event is about: all a document id needs. */
export function dossierKeyOf(event: RecordedEvent): { tenantId: string; dossierId: string } {
  const tenantId = event.metadata.tenantId;
  if (typeof tenantId !== 'string' || tenantId === '')
    throw new ProjectionEventError(event, 'metadata.tenantId is missing');
  const dossierId = event.data['dossierId'];
  if (typeof dossierId !== 'string' || dossierId === '' || isUnsafeKey(dossierId))
    throw new ProjectionEventError(event, 'data.dossierId is missing or not a usable id');
  return { tenantId, dossierId };
}

/** Reads and checks a dossier event completely (once per event) before any document is touched. */
export function readDossierEvent(event: RecordedEvent): DossierEventView {
  return views.of(event, readUncached);
}

function readUncached(event: RecordedEvent): DossierEventView {
  const fail = (reason: string): never => {
    throw new ProjectionEventError(event, reason);
  };
  const { tenantId, dossierId } = dossierKeyOf(event);
  if (event.stream !== `${DOSSIER_CATEGORY}-${tenantId}-${dossierId}`)
    fail(`expected in stream of dossier ${dossierId} of tenant ${tenantId}`);
  const at =
    (typeof event.metadata.occurredAt === 'string' ? normaliseInstant(event.metadata.occurredAt) : null) ??
    fail('metadata.occurredAt is not an ISO-8601 instant');
  const actor = event.metadata.actor as JsonValue;
  if (!isObject(actor) || typeof actor['id'] !== 'string' || typeof actor['role'] !== 'string')
    fail('metadata.actor needs an id and a role');
  const facts = event.metadata['dossier'];
  if (!isObject(facts) || typeof facts['title'] !== 'string' || typeof facts['to'] !== 'string')
    fail('metadata.dossier needs the title and the phase after the event');
  const { data } = event;
  const text = (key: string): string =>
    typeof data[key] === 'string' ? (data[key] as string) : fail(`data.${key} is not text`);
  const list = (key: string): string[] => {
    const value = data[key];
    if (!Array.isArray(value) || !value.every((item) => typeof item === 'string' && !isUnsafeKey(item)))
      return fail(`data.${key} is not a list of texts`);
    return [...(value as string[])];
  };
  const common: Common = {
    event,
    tenantId,
    dossierId,
    at,
    actor: { id: (actor as Record<string, string>)['id']!, role: (actor as Record<string, string>)['role']! },
    title: (facts as Record<string, string>)['title']!,
    phase: (facts as Record<string, string>)['to']!,
  };
  switch (event.type) {
    case 'DossierCreated':
      return {
        ...common,
        kind: 'created',
        title: text('title'),
        summary: text('summary'),
        themes: list('themes'),
        signalIds: list('signalIds'),
      };
    case 'DossierSignalAdded':
      return { ...common, kind: 'signal-added', signalId: signalIdOf(text('signalId'), fail) };
    case 'DossierSignalRemoved':
      return {
        ...common,
        kind: 'signal-removed',
        signalId: signalIdOf(text('signalId'), fail),
        reason: text('reason'),
      };
    case 'DossierAnalysisRecorded': {
      const structural = data['structural'];
      if (typeof structural !== 'boolean') return fail('data.structural is not true or false');
      return {
        ...common,
        kind: 'analysis',
        conclusion: text('conclusion'),
        structural,
        themes: list('themes'),
      };
    }
    case 'DossierEscalated':
      return {
        ...common,
        kind: 'escalated',
        level: levelOf(data['level'], fail),
        body: text('body'),
        motivation: text('motivation'),
        memberSignalIds: list('memberSignalIds'),
      };
    case 'DossierPolicyDecisionRecorded':
      return {
        ...common,
        kind: 'decision',
        decision: text('decision'),
        actions: list('actions'),
        feedback: text('feedback'),
        memberSignalIds: list('memberSignalIds'),
      };
    case 'DossierClosed':
      return { ...common, kind: 'closed', outcome: text('outcome') };
    default:
      return fail('not a dossier event');
  }
}

export function levelOf(value: unknown, fail: (reason: string) => never): EscalationLevel {
  return ESCALATION_LEVELS.includes(value as EscalationLevel)
    ? (value as EscalationLevel)
    : fail('data.level is not local or supralocal');
}

function signalIdOf(value: string, fail: (reason: string) => never): string {
  return value === '' || isUnsafeKey(value) ? fail('data.signalId is not a usable id') : value;
}

function isObject(value: unknown): value is Record<string, JsonValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
