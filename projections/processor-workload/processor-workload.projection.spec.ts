import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { signalInboxProjection } from '../signal-inbox/signal-inbox.projection.js';
import type { JsonObject } from '../../src/platform/json.js';
import { aLifecycleEvent, aSignalHistory } from '../testing/builders.js';
import { apply, documentOf, given, jsonCopy } from '../testing/given.js';
import { historySteps, playManySignals, playSteps } from '../testing/random-history.js';
import { processorWorkloadProjection as workload, workloadView } from './processor-workload.projection.js';

function assigned(signalId: string, fields: { assigneeId?: string; policyDomain?: string }) {
  return aSignalHistory('gent')
    .submit(signalId)
    .fire(signalId, 'triage')
    .fire(signalId, 'assign', { fields });
}

describe('processor-workload projection', () => {
  it('handles what changes a state or an assignment; no notes, decisions nor erasures', () => {
    expect(workload.handles).toEqual([
      'SignalSubmitted',
      'SignalTriaged',
      'SignalRejected',
      'SignalMerged',
      'SignalAssigned',
      'SignalReassigned',
      'InformationRequested',
      'InformationProvided',
      'AnalysisStarted',
      'AnalysisRecorded',
      'SignalEscalated',
      'SignalClosed',
      'SignalReopened',
      'ConsultationStarted',
      'SignalWorkflowMigrated',
    ]);
    expect(workload.indexes).toEqual([{ field: 'tenantId', type: 'string' }]);
    expect(workload.schemaVersion).toBe(4);
  });

  it('given a submission, then an unassigned open signal', () => {
    const history = aSignalHistory('gent').submit('s1', { at: '2026-03-02T09:00:00.000Z' });
    expect(documentOf(given(workload, history.events), 'gent')).toEqual({
      tenantId: 'gent',
      updatedAt: '2026-03-02T09:00:00.000Z',
      byAssignee: {},
      byPolicyDomain: {},
      unassigned: 1,
      open: 1,
    });
  });

  it('given an assignment, then it counts for the assignee and the domain', () => {
    const history = assigned('s1', { assigneeId: 'proc-1', policyDomain: 'jeugd' });
    expect(documentOf(given(workload, history.events), 'gent')).toMatchObject({
      byAssignee: { 'proc-1': 1 },
      byPolicyDomain: { jeugd: 1 },
      unassigned: 0,
      open: 1,
    });
  });

  it('given reassignments, then the counts move with the signal', () => {
    const history = assigned('s1', { assigneeId: 'proc-1', policyDomain: 'jeugd' })
      .fire('s1', 'reassign', { fields: { assigneeId: 'proc-2', policyDomain: 'jeugd' } })
      .fire('s1', 'start-analysis')
      .fire('s1', 'reassign', { fields: { policyDomain: 'wonen' } });
    expect(documentOf(given(workload, history.events), 'gent')).toMatchObject({
      byAssignee: {},
      byPolicyDomain: { wonen: 1 },
      unassigned: 0,
      open: 1,
    });
  });

  it('given a question to the giver and the answer, then the signal stays in the workload', () => {
    const history = assigned('s1', { assigneeId: 'proc-1' }).fire('s1', 'request-info');
    expect(documentOf(given(workload, history.events), 'gent').byAssignee).toEqual({ 'proc-1': 1 });
    history.fire('s1', 'provide-info');
    expect(documentOf(given(workload, history.events), 'gent').byAssignee).toEqual({ 'proc-1': 1 });
  });

  it('given a close and a reopen, then the signal leaves the workload and comes back to its assignee', () => {
    const history = assigned('s1', { assigneeId: 'proc-1', policyDomain: 'jeugd' }).path(
      's1',
      'start-analysis',
      'record-analysis',
      'close',
    );
    expect(documentOf(given(workload, history.events), 'gent')).toMatchObject({
      byAssignee: {},
      byPolicyDomain: {},
      unassigned: 0,
      open: 0,
    });
    // The reopen's metadata says who the signal was assigned to (assignmentBefore).
    history.fire('s1', 'reopen');
    expect(documentOf(given(workload, history.events), 'gent')).toMatchObject({
      byAssignee: { 'proc-1': 1 },
      byPolicyDomain: { jeugd: 1 },
      unassigned: 0,
      open: 1,
    });
  });

  it('given a merge and a rejection of unassigned signals, then they leave the lead processor queue', () => {
    const history = aSignalHistory('gent')
      .submit('s1')
      .submit('s2')
      .submit('s3')
      .fire('s1', 'merge-into')
      .fire('s2', 'reject');
    expect(documentOf(given(workload, history.events), 'gent')).toMatchObject({
      unassigned: 1,
      open: 1,
    });
  });

  it('refuses events it cannot count, leaving the document untouched', () => {
    expect(() =>
      given(workload, [aLifecycleEvent('triage', { signalId: 'ghost', from: 'submitted' })]),
    ).toThrow(/signal ghost of tenant gent is unknown/);
    const documents = given(workload, assigned('s1', { assigneeId: 'proc-1' }).events);
    const before = jsonCopy(documentOf(documents, 'gent'));
    // Without a memory of each signal, a missing or stale event shows as a count dropping below zero.
    expect(() =>
      apply(workload, documents, aLifecycleEvent('reject', { signalId: 'ghost', from: 'submitted' }), {
        copy: false,
      }),
    ).toThrow(/unassigned\["unassigned"\] would drop below zero/);
    const closedByAnother = aLifecycleEvent('close', {
      signalId: 's1',
      from: 'analysed',
      assignmentBefore: { assigneeId: 'proc-2', policyDomain: 'jeugd' },
    });
    expect(() => apply(workload, documents, closedByAnother, { copy: false })).toThrow(
      /byAssignee\["proc-2"\] would drop below zero/,
    );
    // Metadata the counts move with is missing.
    const bare = aLifecycleEvent('close', { signalId: 's1', from: 'analysed' });
    const { assignmentBefore: _dropped, ...workflow } = bare.metadata['workflow'] as Record<string, unknown>;
    expect(() =>
      apply(
        workload,
        documents,
        { ...bare, metadata: { ...bare.metadata, workflow: workflow as JsonObject } },
        { copy: false },
      ),
    ).toThrow(/assignmentBefore needs assigneeId and policyDomain/);
    expect(documentOf(documents, 'gent')).toEqual(before);
  });

  it('views the workload largest first', () => {
    const history = aSignalHistory('gent')
      .submit('s1')
      .path('s1', 'triage')
      .fire('s1', 'assign', { fields: { assigneeId: 'proc-2', policyDomain: 'jeugd' } })
      .submit('s2')
      .path('s2', 'triage')
      .fire('s2', 'assign', { fields: { assigneeId: 'proc-2', policyDomain: 'wonen' } })
      .submit('s3')
      .path('s3', 'triage')
      .fire('s3', 'assign', { fields: { assigneeId: 'proc-1' } })
      .submit('s4');
    expect(workloadView(documentOf(given(workload, history.events), 'gent'))).toEqual({
      tenantId: 'gent',
      open: 4,
      unassigned: 1,
      byAssignee: [
        { assigneeId: 'proc-2', open: 2 },
        { assigneeId: 'proc-1', open: 1 },
      ],
      byPolicyDomain: [
        { policyDomain: 'jeugd', open: 1 },
        { policyDomain: 'wonen', open: 1 },
      ],
    });
  });

  it("agrees with the inbox's open signals over random lives", () => {
    fc.assert(
      fc.property(historySteps, (steps) => {
        const history = playSteps(steps);
        const document = given(workload, history.events).get('gent');
        const open = [...given(signalInboxProjection, history.events).values()].filter(
          (signal) => signal.open,
        );
        const tally = (values: Array<string | null>) => {
          const counts: Record<string, number> = {};
          for (const value of values) if (value !== null) counts[value] = (counts[value] ?? 0) + 1;
          return counts;
        };
        expect(document?.byAssignee ?? {}).toEqual(tally(open.map((signal) => signal.assigneeId)));
        expect(document?.byPolicyDomain ?? {}).toEqual(tally(open.map((signal) => signal.policyDomain)));
        expect(document?.unassigned ?? 0).toBe(
          open.filter((signal) => signal.assigneeId === null && signal.policyDomain === null).length,
        );
        expect(document?.open ?? 0).toBe(open.length);
        expect(document ? workloadView(document).open : 0).toBe(open.length);
      }),
      { numRuns: 120 },
    );
  });

  it('stays bounded: the document does not grow with the number of signals', () => {
    const history = playManySignals(2_000);
    const document = documentOf(given(workload, history.events), 'gent');
    const json = JSON.stringify(document);
    expect(json.length).toBeLessThan(64 * 1024);
    expect(json).not.toMatch(/"s\d+"/);
    const open = [...given(signalInboxProjection, history.events).values()].filter((signal) => signal.open);
    expect(document.open).toBe(open.length);
  });
});
