import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { quantile } from '../shared/histogram.js';
import { signalInboxProjection } from '../signal-inbox/signal-inbox.projection.js';
import { aLifecycleEvent, aSignalHistory, aSignalTextErased, V1 } from '../testing/builders.js';
import { apply, documentOf, given, jsonCopy } from '../testing/given.js';
import { historySteps, playSteps } from '../testing/random-history.js';
import { tenantDashboardProjection as dashboard } from './tenant-dashboard.projection.js';

const HOUR = 60;

function expectAbout(actual: number | null, expected: number): void {
  expect(actual).not.toBeNull();
  expect(Math.abs(actual! - expected) / expected).toBeLessThanOrEqual(0.05);
}

describe('tenant-dashboard projection', () => {
  it('handles what changes a state or a classification, and the erasure; not notes nor policy decisions', () => {
    expect(dashboard.handles).toEqual([
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
      'SignalTextErased',
    ]);
    expect(dashboard.indexes).toEqual([{ field: 'tenantId', type: 'string' }]);
  });

  it('given submissions, then one document per tenant with counts and the open backlog', () => {
    const gent = aSignalHistory('gent')
      .submit('s1', {
        at: '2026-03-02T09:00:00.000Z',
        fields: { themes: ['energie', 'wonen'], area: 'Ledeberg' },
      })
      .submit('s2', { at: '2026-04-01T09:00:00.000Z', fields: { themes: ['wonen'] } });
    const eeklo = aSignalHistory('eeklo', '2026-05-01T09:00:00.000Z').submit('s1');
    const documents = given(dashboard, [...gent.events, ...eeklo.events]);
    expect([...documents.keys()].sort()).toEqual(['eeklo', 'gent']);
    expect(documentOf(documents, 'gent')).toEqual({
      tenantId: 'gent',
      updatedAt: '2026-04-01T09:00:00.000Z',
      byState: { submitted: 2 },
      byTheme: { energie: 1, wonen: 2 },
      byPolicyDomain: {},
      byArea: { Ledeberg: 1 },
      submittedPerMonth: { '2026-03': 1, '2026-04': 1 },
      closedPerMonth: {},
      rejectedPerMonth: {},
      mergedPerMonth: {},
      leadTime: { byStage: {}, total: { count: 0, zero: 0, buckets: {} } },
      signals: {
        s1: {
          state: 'submitted',
          submittedAt: '2026-03-02T09:00:00.000Z',
          themes: ['energie', 'wonen'],
          policyDomain: null,
          area: 'Ledeberg',
        },
        s2: {
          state: 'submitted',
          submittedAt: '2026-04-01T09:00:00.000Z',
          themes: ['wonen'],
          policyDomain: null,
          area: null,
        },
      },
      openSignals: {
        s1: {
          state: 'submitted',
          stateEnteredAt: '2026-03-02T09:00:00.000Z',
          submittedAt: '2026-03-02T09:00:00.000Z',
          dueAt: '2026-03-04T09:00:00.000Z',
        },
        s2: {
          state: 'submitted',
          stateEnteredAt: '2026-04-01T09:00:00.000Z',
          submittedAt: '2026-04-01T09:00:00.000Z',
          dueAt: '2026-04-03T09:00:00.000Z',
        },
      },
    });
  });

  it('given state changes, then the state counts move and each stage left is measured', () => {
    const history = aSignalHistory('gent')
      .submit('s1', { at: '2026-03-02T09:00:00.000Z' })
      .fire('s1', 'triage', { at: '2026-03-02T11:00:00.000Z' })
      .fire('s1', 'assign', { at: '2026-03-03T11:00:00.000Z', fields: { policyDomain: 'jeugd' } })
      .submit('s2', { at: '2026-03-04T09:00:00.000Z' });
    const document = documentOf(given(dashboard, history.events), 'gent');
    expect(document.byState).toEqual({ assigned: 1, submitted: 1 });
    expect(document.openSignals['s1']).toEqual({
      state: 'assigned',
      stateEnteredAt: '2026-03-03T11:00:00.000Z',
      submittedAt: '2026-03-02T09:00:00.000Z',
      dueAt: '2026-03-08T11:00:00.000Z',
    });
    const { byStage } = document.leadTime;
    expect(Object.keys(byStage).sort()).toEqual(['submitted', 'triaged']);
    expectAbout(quantile(byStage['submitted']!, 0.5), 2 * HOUR);
    expectAbout(quantile(byStage['triaged']!, 0.5), 24 * HOUR);
  });

  it('given a reassignment, then the policy domain counts move', () => {
    const history = aSignalHistory('gent')
      .submit('s1')
      .fire('s1', 'triage')
      .fire('s1', 'assign', { fields: { assigneeId: 'proc-1', policyDomain: 'jeugd' } })
      .submit('s2')
      .fire('s2', 'triage')
      .fire('s2', 'assign', { fields: { policyDomain: 'jeugd' } });
    expect(documentOf(given(dashboard, history.events), 'gent').byPolicyDomain).toEqual({ jeugd: 2 });
    history.fire('s1', 'reassign', { fields: { policyDomain: 'wonen' } });
    const document = documentOf(given(dashboard, history.events), 'gent');
    expect(document.byPolicyDomain).toEqual({ jeugd: 1, wonen: 1 });
    // Reassigned within `assigned`: no state change, no stage measured.
    expect(document.byState).toEqual({ assigned: 2 });
    expect(document.leadTime.byStage['assigned']).toBeUndefined();
  });

  it('given a question and the answer, then awaiting-info is measured and the signal is back in its stage', () => {
    const history = aSignalHistory('gent')
      .submit('s1')
      .path('s1', 'triage', 'assign')
      .fire('s1', 'request-info', { at: '2026-03-10T09:00:00.000Z' })
      .fire('s1', 'provide-info', { at: '2026-03-13T09:00:00.000Z' });
    const document = documentOf(given(dashboard, history.events), 'gent');
    expect(document.byState).toEqual({ assigned: 1 });
    expectAbout(quantile(document.leadTime.byStage['awaiting-info']!, 0.5), 72 * HOUR);
    expect(document.openSignals['s1']).toMatchObject({
      state: 'assigned',
      stateEnteredAt: '2026-03-13T09:00:00.000Z',
    });
  });

  it('given closes, rejections and merges, then per month counts, the total lead time, and they leave the backlog', () => {
    const history = aSignalHistory('gent')
      .submit('s1', { at: '2026-03-02T09:00:00.000Z' })
      .fire('s1', 'triage', { at: '2026-03-03T09:00:00.000Z' })
      .fire('s1', 'close', { at: '2026-04-01T09:00:00.000Z' })
      .submit('s2', { at: '2026-04-02T09:00:00.000Z' })
      .fire('s2', 'reject', { at: '2026-04-03T09:00:00.000Z' })
      .submit('s3', { at: '2026-04-04T09:00:00.000Z' })
      .fire('s3', 'merge-into', { at: '2026-05-01T09:00:00.000Z' });
    const document = documentOf(given(dashboard, history.events), 'gent');
    expect(document.byState).toEqual({ closed: 1, rejected: 1, merged: 1 });
    expect(document.closedPerMonth).toEqual({ '2026-04': 1 });
    expect(document.rejectedPerMonth).toEqual({ '2026-04': 1 });
    expect(document.mergedPerMonth).toEqual({ '2026-05': 1 });
    expect(document.openSignals).toEqual({});
    expect(document.leadTime.total.count).toBe(1);
    expectAbout(quantile(document.leadTime.total, 0.5), 30 * 24 * HOUR);
    expect(document.leadTime.byStage['submitted']!.count).toBe(3);
  });

  it('given a reopen and a new triage, then the signal is open again and its themes are reclassified', () => {
    const history = aSignalHistory('gent')
      .submit('s1', { at: '2026-03-02T09:00:00.000Z', fields: { themes: ['energie'] } })
      .fire('s1', 'reject', { at: '2026-03-03T09:00:00.000Z' })
      .fire('s1', 'reopen', { at: '2026-03-10T09:00:00.000Z' })
      .fire('s1', 'triage', {
        at: '2026-03-11T09:00:00.000Z',
        fields: { themes: ['wonen', 'armoede-en-inkomen'] },
      });
    const document = documentOf(given(dashboard, history.events), 'gent');
    expect(document.byState).toEqual({ triaged: 1 });
    expect(document.byTheme).toEqual({ wonen: 1, 'armoede-en-inkomen': 1 });
    expect(document.rejectedPerMonth).toEqual({ '2026-03': 1 });
    expect(document.openSignals['s1']).toMatchObject({
      state: 'triaged',
      submittedAt: '2026-03-02T09:00:00.000Z',
    });
    // Time in a terminal state is no stage; the reopened stage is.
    expect(Object.keys(document.leadTime.byStage).sort()).toEqual(['reopened', 'submitted']);
  });

  it('given an erasure, then the signal no longer counts under its area', () => {
    const history = aSignalHistory('gent')
      .submit('s1', { fields: { area: 'Ledeberg' } })
      .submit('s2', { fields: { area: 'Ledeberg' } })
      .erase('s1');
    const document = documentOf(given(dashboard, history.events), 'gent');
    expect(document.byArea).toEqual({ Ledeberg: 1 });
    expect(document.signals['s1']!.area).toBeNull();
    expect(document.byState).toEqual({ submitted: 2 });
  });

  it('keeps areas named like object members apart from the prototype, and refuses one JSON cannot hold', () => {
    const history = aSignalHistory('gent').submit('s1', { fields: { area: 'constructor' } });
    expect(documentOf(given(dashboard, history.events), 'gent').byArea).toEqual({ constructor: 1 });
    history.erase('s1');
    expect(documentOf(given(dashboard, history.events), 'gent').byArea).toEqual({});
    const proto = aSignalHistory('gent').submit('s2', { fields: { area: '__proto__' } });
    expect(() => given(dashboard, proto.events)).toThrow(/"__proto__" cannot be counted under/);
  });

  describe('refuses events it cannot make sense of, leaving the document untouched', () => {
    it('a lifecycle event for a tenant without signals', () => {
      expect(() =>
        given(dashboard, [aLifecycleEvent('triage', { signalId: 'ghost', from: 'submitted' })]),
      ).toThrow(/SignalTriaged at position \d+ .*signal ghost of tenant gent is unknown/);
    });

    it('a lifecycle event or an erasure for an unknown signal of a known tenant', () => {
      const documents = given(dashboard, aSignalHistory('gent').submit('s1').events);
      const before = jsonCopy(documentOf(documents, 'gent'));
      const poison = [
        aLifecycleEvent('triage', { signalId: 'ghost', from: 'submitted' }),
        aLifecycleEvent('triage', { signalId: 'constructor', from: 'submitted' }),
        aSignalTextErased({ signalId: 'ghost' }),
      ];
      for (const event of poison) {
        expect(() => apply(dashboard, documents, event, { copy: false })).toThrow(/is unknown/);
      }
      expect(documentOf(documents, 'gent')).toEqual(before);
    });

    it('an event that leaves another state than the signal is in, or a second submission', () => {
      const history = aSignalHistory('gent').submit('s1').fire('s1', 'triage');
      const documents = given(dashboard, history.events);
      const before = jsonCopy(documentOf(documents, 'gent'));
      const stale = aLifecycleEvent('triage', { signalId: 's1', from: 'submitted' });
      expect(() => apply(dashboard, documents, stale, { copy: false })).toThrow(
        /leaves "submitted" but the signal is in "triaged"/,
      );
      const again = aSignalHistory('gent').submit('s1').events[0]!;
      expect(() => apply(dashboard, documents, again, { copy: false })).toThrow(/already submitted/);
      expect(documentOf(documents, 'gent')).toEqual(before);
    });
  });

  it('keeps its counts consistent over random lives of several signals', () => {
    const terminal = new Set(Object.keys(V1.states).filter((state) => V1.states[state]!.terminal));
    fc.assert(
      fc.property(historySteps, (steps) => {
        const history = playSteps(steps);
        const states = history.states();
        const documents = given(dashboard, history.events);
        if (states.size === 0) {
          expect(documents.size).toBe(0);
          return;
        }
        const document = documentOf(documents, 'gent');
        const open = [...states].filter(([, state]) => !terminal.has(state));

        const byState = Object.values(document.byState).reduce((sum, count) => sum + count, 0);
        expect(byState).toBe(states.size);
        expect(Object.keys(document.openSignals)).toHaveLength(open.length);
        const nonTerminalCounts = Object.entries(document.byState)
          .filter(([state]) => !terminal.has(state))
          .reduce((sum, [, count]) => sum + count, 0);
        expect(Object.keys(document.openSignals)).toHaveLength(nonTerminalCounts);
        for (const [signalId, state] of open) expect(document.openSignals[signalId]?.state).toBe(state);
        expect(Object.values(document.closedPerMonth).reduce((sum, count) => sum + count, 0)).toBe(
          document.leadTime.total.count,
        );

        // The counts by classification agree with the signals' own documents.
        const inbox = [...given(signalInboxProjection, history.events).values()];
        const tally = (values: Array<string | null>) => {
          const counts: Record<string, number> = {};
          for (const value of values) if (value !== null) counts[value] = (counts[value] ?? 0) + 1;
          return counts;
        };
        expect(document.byTheme).toEqual(tally(inbox.flatMap((signal) => signal.themes)));
        expect(document.byPolicyDomain).toEqual(tally(inbox.map((signal) => signal.policyDomain)));
        expect(document.byArea).toEqual(tally(inbox.map((signal) => signal.area)));
        expect(document.byState).toEqual(tally(inbox.map((signal) => signal.state)));
      }),
      { numRuns: 120 },
    );
  });
});
