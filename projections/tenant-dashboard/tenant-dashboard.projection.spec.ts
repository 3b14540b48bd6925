import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { RecordedEvent } from '../../src/platform/event-store/event-store.port.js';
import type { JsonObject } from '../../src/platform/json.js';
import { quantile } from '../shared/histogram.js';
import { monthKey } from '../shared/series.js';
import { dayNumber } from '../shared/time.js';
import { dashboardAsVersion4 } from '../testing/dashboard-version4.js';
import { signalInboxProjection } from '../signal-inbox/signal-inbox.projection.js';
import { aLifecycleEvent, aSignalHistory, aSignalTextErased, V1 } from '../testing/builders.js';
import { apply, documentOf, given, jsonCopy } from '../testing/given.js';
import { historySteps, playManySignals, playSteps } from '../testing/random-history.js';
import { tenantDashboardProjection as dashboard } from './tenant-dashboard.projection.js';
import { readDashboardDocument } from './tenant-dashboard.stored.js';
import { dashboardView } from './tenant-dashboard.view.js';

const HOUR = 60;

function expectAbout(actual: number | null, expected: number): void {
  expect(actual).not.toBeNull();
  expect(Math.abs(actual! - expected) / expected).toBeLessThanOrEqual(0.05);
}

/** A copy of the event whose `metadata.workflow` is changed by `change`. */
function withWorkflowMetadata(event: RecordedEvent, change: (workflow: JsonObject) => void): RecordedEvent {
  const workflow = jsonCopy(event.metadata['workflow']) as JsonObject;
  change(workflow);
  return { ...event, metadata: { ...event.metadata, workflow } };
}

/** The document as a person reads it (keys as text, as version 4 stored it). */
const readable = dashboardAsVersion4;

/** The document of two submissions in gent (the first test), keys as text. */
const TWO_SUBMISSIONS_IN_GENT = {
  tenantId: 'gent',
  updatedAt: '2026-04-01T09:00:00.000Z',
  byState: { submitted: 2 },
  byTheme: { energie: 1, wonen: 2 },
  byPolicyDomain: {},
  submittedPerMonth: { '2026-03': 1, '2026-04': 1 },
  closedPerMonth: {},
  rejectedPerMonth: {},
  mergedPerMonth: {},
  leadTime: { byStage: {}, total: { count: 0, zero: 0, buckets: {} } },
  openBySubmittedDay: { '2026-03-02': 1, '2026-04-01': 1 },
  // The signal due 4 March was overdue by 1 April: folded out of the days.
  openByDueDay: { '2026-04-03': 1 },
  openFolded: { due: 1 },
  foldedBefore: { submitted: '2025-04-01', due: '2026-04-01' },
};

function tally(values: Array<string | null>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) if (value !== null) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

describe('tenant-dashboard projection', () => {
  it('handles what changes a state or a policy domain; not notes, policy decisions nor erasures', () => {
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
      'ConsultationStarted',
      'SignalWorkflowMigrated',
    ]);
    expect(dashboard.indexes).toEqual([{ field: 'tenantId', type: 'string' }]);
    expect(dashboard.schemaVersion).toBe(8);
  });

  it('given submissions, then one document per tenant with counts only: no entry per signal, no area', () => {
    const gent = aSignalHistory('gent')
      .submit('s1', {
        at: '2026-03-02T09:00:00.000Z',
        fields: { themes: ['energie', 'wonen'], area: 'Ledeberg' },
      })
      .submit('s2', { at: '2026-04-01T09:00:00.000Z', fields: { themes: ['wonen'] } });
    const eeklo = aSignalHistory('eeklo', '2026-05-01T09:00:00.000Z').submit('s1');
    const documents = given(dashboard, [...gent.events, ...eeklo.events]);
    expect([...documents.keys()].sort()).toEqual(['eeklo', 'gent']);
    const document = documentOf(documents, 'gent');
    expect(readable(document)).toEqual(TWO_SUBMISSIONS_IN_GENT);
    // The area is free text an erasure must be able to blank: the dashboard never holds it.
    expect(JSON.stringify(document)).not.toContain('Ledeberg');
  });

  it('given a year of history, then days fall out of the window into folded counts the view still ages and counts as overdue', () => {
    const history = aSignalHistory('gent')
      .submit('old', { at: '2025-01-10T09:00:00.000Z' })
      .submit('late', { at: '2026-02-20T09:00:00.000Z' })
      .submit('new', { at: '2026-03-01T09:00:00.000Z' });
    let document = documentOf(given(dashboard, history.events), 'gent');
    expect(readable(document).foldedBefore).toEqual({ submitted: '2025-03-01', due: '2026-03-01' });
    expect(readable(document).openBySubmittedDay).toEqual({ '2026-02-20': 1, '2026-03-01': 1 });
    expect(document.openFolded).toEqual({ submitted: 1, due: 2 });
    expect(readable(document).openByDueDay).toEqual({ '2026-03-03': 1 });
    const view = dashboardView(document, new Date('2026-03-02T12:00:00.000Z'));
    expect(view).toMatchObject({ open: 3, overdue: 2 });
    expect(view.aging).toEqual({ '0-7d': 1, '8-30d': 1, '31-90d': 0, '91-365d': 0, '>365d': 1 });

    // Leaving a state with a folded deadline, or closing a signal of a folded day, moves the folded counts.
    const later = history
      .fire('old', 'reject', {
        at: '2026-03-05T09:00:00.000Z',
        fields: { reason: 'Geen signaal.', feedback: 'Dank u.' },
      })
      .fire('late', 'triage', { at: '2026-03-05T10:00:00.000Z' });
    document = documentOf(given(dashboard, later.events), 'gent');
    expect(document.openFolded).toEqual({ due: 1 });
    expect(dashboardView(document, new Date('2026-03-05T12:00:00.000Z'))).toMatchObject({ open: 2 });
  });

  it('given events of one tenant out of time order, then a day already behind the fold counts in the folded count, both ways', () => {
    // s2's submission is stamped before s1's triage (two writers): its deadline day is behind the fold.
    const history = aSignalHistory('gent')
      .submit('s1', { at: '2026-03-10T09:00:00.000Z' })
      .fire('s1', 'triage', { at: '2026-03-20T09:00:00.000Z' })
      .submit('s2', { at: '2026-03-16T09:00:00.000Z' })
      .fire('s2', 'triage', { at: '2026-03-21T09:00:00.000Z' });
    const document = documentOf(given(dashboard, history.events), 'gent');
    expect(readable(document).foldedBefore.due).toBe('2026-03-21');
    expect(document.byState).toEqual({ triaged: 2 });
    const view = dashboardView(document, new Date('2026-03-21T12:00:00.000Z'));
    expect(view.open).toBe(2);
    const dueCounted = Object.values(readable(document).openByDueDay).reduce(
      (total, count) => total + count,
      0,
    );
    expect(dueCounted + (document.openFolded['due'] ?? 0)).toBe(2);
  });

  it('given state changes, then the state counts and due days move and each stage left is measured', () => {
    const history = aSignalHistory('gent')
      .submit('s1', { at: '2026-03-02T09:00:00.000Z' })
      .fire('s1', 'triage', { at: '2026-03-02T11:00:00.000Z' })
      .fire('s1', 'assign', { at: '2026-03-03T11:00:00.000Z', fields: { policyDomain: 'jeugd' } })
      .submit('s2', { at: '2026-03-04T09:00:00.000Z' });
    const document = documentOf(given(dashboard, history.events), 'gent');
    expect(document.byState).toEqual({ assigned: 1, submitted: 1 });
    expect(document.byPolicyDomain).toEqual({ jeugd: 1 });
    expect(readable(document).openBySubmittedDay).toEqual({ '2026-03-02': 1, '2026-03-04': 1 });
    // s1 due five working days after entering assigned, s2 two days after its submission.
    expect(readable(document).openByDueDay).toEqual({ '2026-03-10': 1, '2026-03-06': 1 });
    const { byStage } = document.leadTime;
    expect(Object.keys(byStage).sort()).toEqual(['submitted', 'triaged']);
    expectAbout(quantile(byStage['submitted']!, 0.5), 2 * HOUR);
    expectAbout(quantile(byStage['triaged']!, 0.5), 24 * HOUR);
  });

  it("given a tenant's deadline stamped on entering a state, then leaving it takes the signal off that due day", () => {
    const history = aSignalHistory('gent')
      .submit('s1', { at: '2026-03-02T09:00:00.000Z' })
      .fire('s1', 'triage', { at: '2026-03-02T11:00:00.000Z' });
    // The tenant's 7 working days for submitted (the definition says 2), as the command stamps them.
    const [submitted, triaged] = history.events;
    const events = [
      withWorkflowMetadata(submitted!, (w) => (w['deadline'] = 'P7D')),
      withWorkflowMetadata(triaged!, (w) => (w['fromDeadline'] = 'P7D')),
    ];
    expect(readable(documentOf(given(dashboard, events.slice(0, 1)), 'gent')).openByDueDay).toEqual({
      '2026-03-11': 1,
    });
    const document = documentOf(given(dashboard, events), 'gent');
    expect(document.byState).toEqual({ triaged: 1 });
    // Triaged by the definition: three working days.
    expect(readable(document).openByDueDay).toEqual({ '2026-03-05': 1 });
    const malformed = withWorkflowMetadata(triaged!, (w) => (w['fromDeadline'] = 'zeven dagen'));
    expect(() => given(dashboard, [events[0]!, malformed])).toThrow(
      /fromDeadline must be an ISO-8601 duration/,
    );
  });

  it('given a reassignment, then the open signals per policy domain move', () => {
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
    // Reassigned within `assigned`: no state change, no stage measured, the deadline stays.
    expect(document.byState).toEqual({ assigned: 2 });
    expect(document.leadTime.byStage['assigned']).toBeUndefined();
    expect(Object.values(readable(document).openByDueDay).reduce((sum, count) => sum + count, 0)).toBe(2);
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
    expect(readable(document).openByDueDay).toEqual({ '2026-03-20': 1 });
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
    expect(readable(document).closedPerMonth).toEqual({ '2026-04': 1 });
    expect(readable(document).rejectedPerMonth).toEqual({ '2026-04': 1 });
    expect(readable(document).mergedPerMonth).toEqual({ '2026-05': 1 });
    expect(readable(document).openBySubmittedDay).toEqual({});
    expect(readable(document).openByDueDay).toEqual({});
    expect(document.leadTime.total.count).toBe(1);
    expectAbout(quantile(document.leadTime.total, 0.5), 30 * 24 * HOUR);
    expect(document.leadTime.byStage['submitted']!.count).toBe(3);
  });

  it('given a close of an assigned signal, then it no longer counts under its policy domain', () => {
    const history = aSignalHistory('gent')
      .submit('s1')
      .fire('s1', 'triage')
      .fire('s1', 'assign', { fields: { policyDomain: 'jeugd' } })
      .path('s1', 'start-analysis', 'record-analysis', 'close');
    expect(documentOf(given(dashboard, history.events), 'gent').byPolicyDomain).toEqual({});
    history.fire('s1', 'reopen');
    expect(documentOf(given(dashboard, history.events), 'gent').byPolicyDomain).toEqual({ jeugd: 1 });
  });

  it('given a reclassification at triage and at analysis, then the signal moves to its new themes', () => {
    const history = aSignalHistory('gent')
      .submit('s1', { fields: { themes: ['wonen'] } })
      .submit('s2', { fields: { themes: ['wonen', 'energie'] } })
      .fire('s1', 'triage', { fields: { themes: ['energie', 'armoede-en-inkomen'] } })
      .fire('s2', 'triage')
      .fire('s2', 'assign', { fields: { policyDomain: 'wonen' } })
      .fire('s2', 'start-analysis')
      .fire('s2', 'record-analysis', { fields: { themes: ['energie'] } });
    const document = documentOf(given(dashboard, history.events), 'gent');
    expect(document.byTheme).toEqual({ energie: 2, 'armoede-en-inkomen': 1 });
    expect(dashboardView(document, new Date('2026-03-10T00:00:00.000Z')).byTheme).toEqual({
      'armoede-en-inkomen': 1,
      energie: 2,
    });
  });

  it('given a reclassification recorded without classificationBefore (older events), then the themes stay where they were', () => {
    const submitted = aSignalHistory('gent').submit('s1', { fields: { themes: ['wonen'] } });
    const triage = aLifecycleEvent('triage', {
      signalId: 's1',
      from: 'submitted',
      revision: 1,
      fields: { themes: ['energie'] },
    });
    expect(triage.metadata['workflow']).not.toHaveProperty('classificationBefore');
    const document = documentOf(given(dashboard, [...submitted.events, triage]), 'gent');
    expect(document.byTheme).toEqual({ wonen: 1 });
    expect(document.byState).toEqual({ triaged: 1 });
  });

  it('given a reopen and a new triage, then the signal is open again under its submission day, under its new themes', () => {
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
    // The triage reclassified it: it counts under the themes it has now, as the inbox filters it.
    expect(document.byTheme).toEqual({ wonen: 1, 'armoede-en-inkomen': 1 });
    expect(readable(document).rejectedPerMonth).toEqual({ '2026-03': 1 });
    expect(readable(document).openBySubmittedDay).toEqual({ '2026-03-02': 1 });
    expect(readable(document).openByDueDay).toEqual({ '2026-03-16': 1 });
    // Time in a terminal state is no stage; the reopened stage is.
    expect(Object.keys(document.leadTime.byStage).sort()).toEqual(['reopened', 'submitted']);
  });

  it('keeps policy domains named like object members apart from the prototype, and refuses one JSON cannot hold', () => {
    const history = aSignalHistory('gent')
      .submit('s1')
      .fire('s1', 'triage')
      .fire('s1', 'assign', { fields: { policyDomain: 'constructor' } });
    expect(documentOf(given(dashboard, history.events), 'gent').byPolicyDomain).toEqual({ constructor: 1 });
    const proto = aSignalHistory('gent')
      .submit('s2')
      .fire('s2', 'triage')
      .fire('s2', 'assign', { fields: { policyDomain: '__proto__' } });
    expect(() => given(dashboard, proto.events)).toThrow(/"__proto__" cannot be counted under/);
  });

  describe('refuses events it cannot make sense of, leaving the document untouched', () => {
    it('a lifecycle event for a tenant without signals', () => {
      expect(() =>
        given(dashboard, [aLifecycleEvent('triage', { signalId: 'ghost', from: 'submitted' })]),
      ).toThrow(/SignalTriaged at position \d+ .*signal ghost of tenant gent is unknown/);
    });

    it('an event that leaves a state no signal is in (stale, or an earlier event is missing)', () => {
      const history = aSignalHistory('gent').submit('s1').fire('s1', 'triage');
      const documents = given(dashboard, history.events);
      const before = jsonCopy(documentOf(documents, 'gent'));
      const stale = aLifecycleEvent('triage', { signalId: 's1', from: 'submitted' });
      expect(() => apply(dashboard, documents, stale, { copy: false })).toThrow(
        /byState\["submitted"\] would drop below zero/,
      );
      const notAssigned = aLifecycleEvent('start-analysis', { signalId: 's1', from: 'assigned' });
      expect(() => apply(dashboard, documents, notAssigned, { copy: false })).toThrow(
        /byState\["assigned"\] would drop below zero/,
      );
      const notInDomain = aLifecycleEvent('close', {
        signalId: 's1',
        from: 'triaged',
        assignmentBefore: { assigneeId: null, policyDomain: 'jeugd' },
      });
      expect(() => apply(dashboard, documents, notInDomain, { copy: false })).toThrow(
        /byPolicyDomain\["jeugd"\] would drop below zero/,
      );
      expect(documentOf(documents, 'gent')).toEqual(before);
    });

    it('a submission stamped decades away from the other counts (its days would stretch the document)', () => {
      const history = aSignalHistory('gent').submit('s1', { at: '2026-03-02T09:00:00.000Z' });
      const documents = given(dashboard, history.events);
      const before = jsonCopy(documentOf(documents, 'gent'));
      const far = aSignalHistory('gent').submit('s2', { at: '2090-03-02T09:00:00.000Z' }).events[0]!;
      expect(() => apply(dashboard, documents, far, { copy: false })).toThrow(
        /openBy(Due|Submitted)Day\["2090-03-0\d"\] lies more than 4096 steps from the other counts/,
      );
      expect(documentOf(documents, 'gent')).toEqual(before);
    });

    it('an event without the metadata the counts move with, or under an unknown workflow version', () => {
      const history = aSignalHistory('gent').submit('s1').fire('s1', 'triage');
      const documents = given(dashboard, history.events);
      const before = jsonCopy(documentOf(documents, 'gent'));
      const next = history.fire('s1', 'assign', { fields: { policyDomain: 'jeugd' } }).events.at(-1)!;
      const broken: Array<[RecordedEvent, RegExp]> = [
        [withWorkflowMetadata(next, (w) => delete w['submittedAt']), /submittedAt is missing/],
        [withWorkflowMetadata(next, (w) => (w['fromEnteredAt'] = null)), /fromEnteredAt is missing/],
        [withWorkflowMetadata(next, (w) => delete w['assignmentBefore']), /assignmentBefore needs/],
        [
          withWorkflowMetadata(next, (w) => (w['assignmentBefore'] = { assigneeId: 7, policyDomain: null })),
          /assignmentBefore needs/,
        ],
        [withWorkflowMetadata(next, (w) => (w['version'] = 99)), /Unknown version 99/],
      ];
      for (const [event, message] of broken) {
        expect(() => apply(dashboard, documents, event, { copy: false })).toThrow(message);
      }
      const erased = aSignalTextErased({ signalId: 's1' });
      expect(() => dashboard.evolve(documents.get('gent')!, erased)).toThrow(/no text to erase/);
      expect(documentOf(documents, 'gent')).toEqual(before);
      apply(dashboard, documents, next, { copy: false });
      expect(documentOf(documents, 'gent').byPolicyDomain).toEqual({ jeugd: 1 });
    });
  });

  it('keeps its counts consistent with the signals over random lives', () => {
    const terminal = new Set(Object.keys(V1.states).filter((state) => V1.states[state]!.terminal));
    fc.assert(
      fc.property(historySteps, fc.integer({ min: 0, max: 400 }), (steps, daysLater) => {
        const history = playSteps(steps);
        const states = history.states();
        const documents = given(dashboard, history.events);
        if (states.size === 0) {
          expect(documents.size).toBe(0);
          return;
        }
        const document = documentOf(documents, 'gent');
        const sum = (counts: Record<string, number>) =>
          Object.values(counts).reduce((total, count) => total + count, 0);
        const open = [...states].filter(([, state]) => !terminal.has(state));

        expect(sum(document.byState)).toBe(states.size);
        expect(sum(readable(document).openBySubmittedDay) + (document.openFolded['submitted'] ?? 0)).toBe(
          open.length,
        );
        const nonTerminalCounts = Object.entries(document.byState)
          .filter(([state]) => !terminal.has(state))
          .reduce((total, [, count]) => total + count, 0);
        expect(nonTerminalCounts).toBe(open.length);
        expect(sum(readable(document).closedPerMonth)).toBe(document.leadTime.total.count);
        expect(Object.values(document.byState).every((count) => count > 0)).toBe(true);

        // The counts agree with the signals' own documents.
        const inbox = [...given(signalInboxProjection, history.events).values()];
        const openInbox = inbox.filter((signal) => signal.open);
        expect(document.byState).toEqual(tally(inbox.map((signal) => signal.state)));
        expect(document.byPolicyDomain).toEqual(tally(openInbox.map((signal) => signal.policyDomain)));
        // Per day within the window; before it, folded into one count.
        const { submitted: submittedBoundary, due: dueBoundary } = readable(document).foldedBefore;
        const submittedDays = openInbox.map((s) => s.submittedAt.slice(0, 10));
        const dueDays = openInbox.flatMap((s) => (s.dueAt === null ? [] : [s.dueAt.slice(0, 10)]));
        expect(readable(document).openBySubmittedDay).toEqual(
          tally(submittedDays.filter((d) => d >= submittedBoundary)),
        );
        expect(readable(document).openByDueDay).toEqual(tally(dueDays.filter((d) => d >= dueBoundary)));
        expect(document.openFolded['submitted'] ?? 0).toBe(
          submittedDays.filter((d) => d < submittedBoundary).length,
        );
        expect(document.openFolded['due'] ?? 0).toBe(dueDays.filter((d) => d < dueBoundary).length);
        expect(readable(document).foldedBefore.due).toBe(document.updatedAt.slice(0, 10));
        // Every signal under the themes it has now, as its inbox document says.
        expect(document.byTheme).toEqual(tally(inbox.flatMap((signal) => signal.themes)));

        // At query time: open and overdue (exact to the day) as the inbox says.
        const now = new Date(Date.parse(document.updatedAt) + daysLater * 86_400_000);
        const today = now.toISOString().slice(0, 10);
        const view = dashboardView(document, now);
        expect(view.open).toBe(openInbox.length);
        expect(view.total).toBe(inbox.length);
        expect(view.overdue).toBe(
          openInbox.filter((signal) => signal.dueAt !== null && signal.dueAt.slice(0, 10) < today).length,
        );
        expect(sum(view.aging)).toBe(openInbox.length);
      }),
      { numRuns: 120 },
    );
  });

  it('reads a document stored by version 4 (counts keyed by text) as the same version 5 document, for the queries during the rebuild beside it', () => {
    // As version 4 stored the first test's document, with lead times of two signals leaving `submitted`.
    const stored = {
      ...TWO_SUBMISSIONS_IN_GENT,
      leadTime: {
        byStage: { submitted: { count: 2, zero: 0, buckets: { '71': 1, '74': 1 } } },
        total: { count: 0, zero: 0, buckets: {} },
      },
    };
    const document = readDashboardDocument(stored);
    expect(document.submittedPerMonth).toEqual({ from: monthKey('2026-03'), counts: [1, 1] });
    expect(document.openBySubmittedDay.counts).toHaveLength(31);
    expect(document.leadTime.byStage['submitted']!.buckets).toEqual({ from: 71, counts: [1, 0, 0, 1] });
    expect(document.foldedBefore).toEqual({
      submitted: dayNumber('2025-04-01'),
      due: dayNumber('2026-04-01'),
    });
    expect(readable(document)).toEqual(stored);
    // A version 5 document is read as it is.
    expect(readDashboardDocument(document)).toBe(document);

    fc.assert(
      fc.property(historySteps, (steps) => {
        const documents = given(dashboard, playSteps(steps).events);
        for (const current of documents.values()) {
          const asVersion4 = jsonCopy(readable(current));
          expect(readDashboardDocument(asVersion4)).toEqual(current);
          const now = new Date('2026-06-01T00:00:00.000Z');
          expect(dashboardView(readDashboardDocument(asVersion4), now)).toEqual(dashboardView(current, now));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('stays bounded: the document does not grow with the number of signals', () => {
    const history = playManySignals(2_000);
    expect(history.states().size).toBe(2_000);
    const document = documentOf(given(dashboard, history.events), 'gent');
    const json = JSON.stringify(document);
    expect(json.length).toBeLessThan(64 * 1024);
    expect(json).not.toMatch(/"s\d+"/);
    expect(Object.values(document.byState).reduce((sum, count) => sum + count, 0)).toBe(2_000);
  });
});
