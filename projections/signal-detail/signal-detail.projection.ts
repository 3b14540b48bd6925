import type { JsonObject } from '../../src/platform/json.js';
import type { IndexDeclaration } from '../../src/platform/read-store/read-store.port.js';
import { SIGNAL_EVENT_TYPES } from '../../src/signals/signal.events.js';
import type { Projection } from '../projection.js';
import { ProjectionEventError } from '../shared/projection-error.js';
import {
  FREE_TEXT_FIELDS,
  SIGNAL_TEXT_ERASED,
  type SignalEventView,
  type Submitted,
  type TextErased,
  type Transitioned,
} from '../shared/signal-event.js';
import {
  applyToSummary,
  documentIdOfSignal,
  readForSignal,
  summaryOf,
  type SignalSummary,
} from '../shared/signal-summary.js';

export type TimelineEntry = {
  /** Global position, as a string: it may exceed a JSON number's safe range. */
  position: string;
  revision: number;
  type: string;
  /** Null for events that are no workflow command (an erasure). */
  command: string | null;
  from: string | null;
  to: string;
  at: string;
  actor: { id: string; role: string };
  /** The command's fields as recorded; free text becomes null when the signal's text is erased. */
  fields: JsonObject;
};

export type SignalDetailDocument = SignalSummary & {
  description: string | null;
  estimatedPeopleAffected: number | null;
  mergedInto: string | null;
  timeline: TimelineEntry[];
};

const INDEXES: readonly IndexDeclaration[] = [{ field: 'tenantId', type: 'string' }];

/** One document per signal (`tenantId:signalId`): everything known of it, with its history. */
export const signalDetailProjection: Projection<SignalDetailDocument> = {
  name: 'signal-detail',
  schemaVersion: 1,
  handles: [...SIGNAL_EVENT_TYPES, SIGNAL_TEXT_ERASED],
  indexes: INDEXES,
  documentId: documentIdOfSignal,
  evolve(document, event) {
    const step = readForSignal(document, event);
    const mergedInto = step.view.kind === 'erased' ? undefined : readMergeTarget(step.view);
    if (step.document === null) {
      const { view } = step;
      // Filled in place: a spread of the summary plus properties is slow on V8.
      const detail = summaryOf(view) as SignalDetailDocument;
      detail.description = view.attributes.description ?? null;
      detail.estimatedPeopleAffected = view.attributes.estimatedPeopleAffected ?? null;
      detail.mergedInto = mergedInto ?? null;
      detail.timeline = [lifecycleEntry(view)];
      return detail;
    }
    const { view, document: detail } = step;
    if (view.kind === 'erased') {
      detail.timeline.push(erasureEntry(view, detail.state));
      applyToSummary(detail, view);
      detail.description = null;
      for (const entry of detail.timeline) {
        for (const field of Object.keys(entry.fields)) {
          if (FREE_TEXT_FIELDS.has(field)) entry.fields[field] = null;
        }
      }
      return detail;
    }
    applyToSummary(detail, view);
    const { description, estimatedPeopleAffected } = view.attributes;
    if (description !== undefined) detail.description = description;
    if (estimatedPeopleAffected !== undefined) detail.estimatedPeopleAffected = estimatedPeopleAffected;
    if (mergedInto !== undefined) detail.mergedInto = mergedInto;
    detail.timeline.push(lifecycleEntry(view));
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

function entry(
  view: SignalEventView,
  command: string | null,
  from: string | null,
  to: string,
  fields: JsonObject,
): TimelineEntry {
  return {
    position: view.event.position.toString(),
    revision: Number(view.event.revision),
    type: view.event.type,
    at: view.at,
    actor: view.actor,
    command,
    from,
    to,
    fields,
  };
}

function lifecycleEntry(view: Submitted | Transitioned): TimelineEntry {
  const { command, from, to } = view.transition;
  return entry(view, command, from, to, Object.assign({}, view.fields));
}

/** An erasure is no workflow command and changes no state: it shows where the signal stood. */
function erasureEntry(view: TextErased, state: string): TimelineEntry {
  return entry(view, null, state, state, {});
}
