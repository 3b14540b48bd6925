import type { IndexDeclaration } from '../../src/platform/read-store/read-store.port.js';
import type { Projection } from '../projection.js';
import { ProjectionEventError } from '../shared/projection-error.js';
import { addCount, assertUsableKeys, own, type Counts } from '../shared/records.js';
import {
  changesState,
  readSignalEvent,
  recordsAnyOf,
  signalEventTypesWhere,
  signalKeyOf,
} from '../shared/signal-event.js';

export type Assignment = { assigneeId: string | null; policyDomain: string | null };

export type ProcessorWorkloadDocument = {
  tenantId: string;
  updatedAt: string;
  /** Open signals (not in a terminal state) per assignee and per policy domain; a signal may count in both. */
  byAssignee: Counts;
  byPolicyDomain: Counts;
  /** Open signals with neither an assignee nor a policy domain: the lead processor's queue. */
  unassigned: number;
  /** Open signals and what they count under, to know what to decrement when that changes. */
  open: Record<string, Assignment>;
  /**
   * Signals in a terminal state with their last assignment: a reopened signal keeps its assignee
   * (as in the inbox), so it counts for them again.
   */
  terminal: Record<string, Assignment>;
};

const INDEXES: readonly IndexDeclaration[] = [{ field: 'tenantId', type: 'string' }];

/** One document per tenant (`tenantId`): how many open signals each processor and policy domain holds. */
export const processorWorkloadProjection: Projection<ProcessorWorkloadDocument> = {
  name: 'processor-workload',
  schemaVersion: 1,
  handles: signalEventTypesWhere(
    (command) => changesState(command) || recordsAnyOf('assigneeId', 'policyDomain')(command),
  ),
  indexes: INDEXES,
  documentId: (event) => signalKeyOf(event).tenantId,
  evolve(document, event) {
    const view = readSignalEvent(event);
    const fail = (reason: string) => new ProjectionEventError(event, reason);
    if (view.kind === 'erased') throw fail('the workload holds no text to erase');
    const { signalId, transition, attributes } = view;
    assertUsableKeys([attributes.assigneeId, attributes.policyDomain], fail);
    const workload = document ?? emptyWorkload(view.tenantId);
    const wasOpen = own(workload.open, signalId);
    const wasTerminal = own(workload.terminal, signalId);
    const before = wasOpen ?? wasTerminal;
    if (view.kind === 'submitted') {
      if (before !== undefined) throw fail(`signal ${signalId} was already submitted`);
    } else if (before === undefined) {
      throw fail(
        `signal ${signalId} of tenant ${view.tenantId} is unknown (its submission is missing or parked)`,
      );
    } else if ((wasTerminal !== undefined) !== transition.fromTerminal) {
      throw fail(
        `the event leaves "${transition.from}", which does not match the signal being ${wasOpen ? 'open' : 'ended'}`,
      );
    }
    const after: Assignment = {
      assigneeId: attributes.assigneeId !== undefined ? attributes.assigneeId : (before?.assigneeId ?? null),
      policyDomain:
        attributes.policyDomain !== undefined ? attributes.policyDomain : (before?.policyDomain ?? null),
    };
    if (wasOpen) {
      count(workload, wasOpen, -1);
      delete workload.open[signalId];
    } else {
      delete workload.terminal[signalId];
    }
    if (transition.toTerminal) {
      workload.terminal[signalId] = after;
    } else {
      workload.open[signalId] = after;
      count(workload, after, 1);
    }
    workload.updatedAt = view.at;
    return workload;
  },
};

export function emptyWorkload(tenantId: string): ProcessorWorkloadDocument {
  return {
    tenantId,
    updatedAt: '',
    byAssignee: {},
    byPolicyDomain: {},
    unassigned: 0,
    open: {},
    terminal: {},
  };
}

function count(workload: ProcessorWorkloadDocument, assignment: Assignment, delta: 1 | -1): void {
  if (assignment.assigneeId !== null) addCount(workload.byAssignee, assignment.assigneeId, delta);
  if (assignment.policyDomain !== null) addCount(workload.byPolicyDomain, assignment.policyDomain, delta);
  if (assignment.assigneeId === null && assignment.policyDomain === null) workload.unassigned += delta;
}

export type WorkloadView = {
  tenantId: string;
  open: number;
  unassigned: number;
  byAssignee: Array<{ assigneeId: string; open: number }>;
  byPolicyDomain: Array<{ policyDomain: string; open: number }>;
};

/** The workload as served: largest first, ties by name. */
export function workloadView(document: ProcessorWorkloadDocument): WorkloadView {
  return {
    tenantId: document.tenantId,
    open: Object.keys(document.open).length,
    unassigned: document.unassigned,
    byAssignee: ranked(document.byAssignee).map(([assigneeId, open]) => ({ assigneeId, open })),
    byPolicyDomain: ranked(document.byPolicyDomain).map(([policyDomain, open]) => ({ policyDomain, open })),
  };
}

function ranked(counts: Counts): Array<[string, number]> {
  return Object.entries(counts).sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
}
