import { SIGNAL_WORKFLOW_MIGRATED } from '../../src/signals/signal.events.js';
import type { IndexDeclaration } from '../../src/platform/read-store/read-store.port.js';
import type { Projection } from '../projection.js';
import { ProjectionEventError } from '../shared/projection-error.js';
import { CountChanges, type Counts } from '../shared/records.js';
import type { WorkloadView } from '../../src/dashboard/dashboard-answer.js';
import {
  changesState,
  readSignalEvent,
  readTransitionFacts,
  recordsAnyOf,
  signalEventTypesWhere,
  signalKeyOf,
  type Assignment,
} from '../shared/signal-event.js';

export type { Assignment } from '../shared/signal-event.js';

/**
 * The workload of one tenant, BOUNDED: counts only, no entry per signal, so its size depends on
 * the number of assignees and policy domains, not on the tenant's history. Counts move with what
 * the event's `metadata.workflow` says: whether the signal was open before (from) and is after
 * (to), and its assignment before (assignmentBefore) and after (overridden by the event's
 * assigneeId / policyDomain). A stale or duplicated event is only noticed when a count would drop
 * below zero.
 */
export type ProcessorWorkloadDocument = {
  tenantId: string;
  updatedAt: string;
  /** Open signals (not in a terminal state) per assignee and per policy domain; a signal may count in both. */
  byAssignee: Counts;
  byPolicyDomain: Counts;
  /** Open signals with neither an assignee nor a policy domain: the lead processor's queue. */
  unassigned: number;
  /** Open signals. */
  open: number;
};

const INDEXES: readonly IndexDeclaration[] = [{ field: 'tenantId', type: 'string' }];

/** One document per tenant (`tenantId`): how many open signals each processor and policy domain holds. */
export const processorWorkloadProjection: Projection<ProcessorWorkloadDocument> = {
  name: 'processor-workload',
  // 4: a migration back to a version without the state it leaves is counted (version 3 parked it).
  schemaVersion: 4,
  // A migration to another lifecycle version may move the signal to another state.
  handles: [
    ...signalEventTypesWhere(
      (command) => changesState(command) || recordsAnyOf('assigneeId', 'policyDomain')(command),
    ),
    SIGNAL_WORKFLOW_MIGRATED,
  ],
  indexes: INDEXES,
  documentId: (event) => signalKeyOf(event).tenantId,
  evolve(document, event) {
    const view = readSignalEvent(event);
    const fail = (reason: string) => new ProjectionEventError(event, reason);
    if (view.kind === 'erased') throw fail('the workload holds no text to erase');
    const facts = readTransitionFacts(view);
    if (document === null && view.kind !== 'submitted') {
      throw fail(
        `signal ${view.signalId} of tenant ${view.tenantId} is unknown (its submission is missing or parked)`,
      );
    }
    const workload = document ?? emptyWorkload(view.tenantId);
    // Plan, check together, then change: a refused event leaves the document as it was.
    const totals: Counts = { open: workload.open, unassigned: workload.unassigned };
    const changes = new CountChanges();
    if (facts.openBefore && facts.assignmentBefore !== null)
      count(changes, workload, totals, facts.assignmentBefore, -1);
    if (facts.openAfter) count(changes, workload, totals, facts.assignmentAfter, 1);
    changes.check(fail);
    changes.apply();
    workload.open = totals['open'] ?? 0;
    workload.unassigned = totals['unassigned'] ?? 0;
    workload.updatedAt = view.at;
    return workload;
  },
};

export function emptyWorkload(tenantId: string): ProcessorWorkloadDocument {
  return { tenantId, updatedAt: '', byAssignee: {}, byPolicyDomain: {}, unassigned: 0, open: 0 };
}

function count(
  changes: CountChanges,
  workload: ProcessorWorkloadDocument,
  totals: Counts,
  assignment: Assignment,
  delta: 1 | -1,
): void {
  changes.add(totals, 'open', 'open', delta);
  if (assignment.assigneeId !== null)
    changes.add(workload.byAssignee, 'byAssignee', assignment.assigneeId, delta);
  if (assignment.policyDomain !== null)
    changes.add(workload.byPolicyDomain, 'byPolicyDomain', assignment.policyDomain, delta);
  if (assignment.assigneeId === null && assignment.policyDomain === null)
    changes.add(totals, 'unassigned', 'unassigned', delta);
}

export type { WorkloadView };

/** The workload as served: largest first, ties by name. */
export function workloadView(document: ProcessorWorkloadDocument): WorkloadView {
  return {
    tenantId: document.tenantId,
    open: document.open,
    unassigned: document.unassigned,
    byAssignee: ranked(document.byAssignee).map(([assigneeId, open]) => ({ assigneeId, open })),
    byPolicyDomain: ranked(document.byPolicyDomain).map(([policyDomain, open]) => ({ policyDomain, open })),
  };
}

function ranked(counts: Counts): Array<[string, number]> {
  return Object.entries(counts).sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
}
