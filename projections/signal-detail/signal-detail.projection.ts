import type { IndexDeclaration } from '../../src/platform/read-store/read-store.port.js';
import { SIGNAL_EVENT_TYPES } from '../../src/signals/signal.events.js';
import type { Projection } from '../projection.js';
import { ProjectionEventError } from '../shared/projection-error.js';
import { SIGNAL_TEXT_ERASED, type Submitted, type Transitioned } from '../shared/signal-event.js';
import {
  applyToSummary,
  documentIdOfSignal,
  readForSignal,
  summaryOf,
  type SignalSummary,
} from '../shared/signal-summary.js';

export type SignalDetailDocument = SignalSummary & {
  description: string | null;
  estimatedPeopleAffected: number | null;
  mergedInto: string | null;
};

const INDEXES: readonly IndexDeclaration[] = [{ field: 'tenantId', type: 'string' }];

/**
 * One document per signal (`tenantId:signalId`): everything known of it now. Its history is the
 * signal's own stream, read when asked for (see `signalTimeline`): a document rewritten with a
 * growing timeline on every event would cost more than all other read models together.
 */
export const signalDetailProjection: Projection<SignalDetailDocument> = {
  name: 'signal-detail',
  schemaVersion: 3,
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
      return detail;
    }
    const { view, document: detail } = step;
    applyToSummary(detail, view);
    if (view.kind === 'erased') {
      detail.description = null;
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
