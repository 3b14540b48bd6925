import type { IndexDeclaration } from '../../src/platform/read-store/read-store.port.js';
import { SIGNAL_EVENT_TYPES } from '../../src/signals/signal.events.js';
import type { Projection } from '../projection.js';
import {
  applyToSummary,
  documentIdOfSignal,
  readForSignal,
  summaryOf,
  type SignalSummary,
} from '../shared/signal-summary.js';

export type SignalInboxDocument = SignalSummary;

/**
 * Every index leads with the tenant (the partition key). Sorts and ranges (the three instants)
 * and the selective filters have an index; flags and small enumerations only narrow what those
 * found; giver and organisation are reached through the scope keys.
 */
const INDEXES: readonly IndexDeclaration[] = [
  { field: 'tenantId', type: 'string', indexed: false },
  { field: 'state', type: 'string' },
  { field: 'open', type: 'boolean', indexed: false },
  { field: 'themes', type: 'string[]' },
  { field: 'policyDomain', type: 'string' },
  { field: 'assigneeId', type: 'string' },
  { field: 'givenBy', type: 'string', indexed: false },
  { field: 'organisationId', type: 'string', indexed: false },
  { field: 'urgency', type: 'string', indexed: false },
  { field: 'area', type: 'string', indexed: false },
  { field: 'areaType', type: 'string', indexed: false },
  { field: 'submittedAt', type: 'string' },
  // The default inbox: open signals, last changed first (a page, however long the history).
  { field: 'updatedAt', type: 'string', behind: ['open'] },
  // The retention sweep: closed signals whose text is not erased, by the time they closed.
  { field: 'stateEnteredAt', type: 'string' },
  { field: 'erased', type: 'boolean', indexed: false },
  { field: 'dueAt', type: 'string' },
  { field: 'scopeKeys', type: 'string[]' },
];

/** One document per signal (`tenantId:signalId`): the processors' work list, filtered and sorted by index. */
export const signalInboxProjection: Projection<SignalInboxDocument> = {
  name: 'signal-inbox',
  // 4: the title as the event store keeps it, sealed under the signal's key (SealedText): a
  // version 3 read model holds it in plaintext, and is rebuilt beside and dropped. 5: a migration
  // back to a version without the state it leaves is applied (version 4 parked it, and every later
  // event of that signal). 6: due dates count working days of Brussels, not UTC days (version 5
  // holds due dates of the old rule, which a rebuild would not give).
  schemaVersion: 6,
  handles: SIGNAL_EVENT_TYPES,
  indexes: INDEXES,
  partitionKey: 'tenantId',
  documentId: documentIdOfSignal,
  // A closed signal: reopened now and then, otherwise only its text is erased one day.
  settled: (document) => !document.open,
  evolve(document, event) {
    const step = readForSignal(document, event);
    if (step.document === null) return summaryOf(step.view);
    applyToSummary(step.document, step.view);
    return step.document;
  },
};
