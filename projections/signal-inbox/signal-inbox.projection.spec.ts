import { describe, expect, it } from '@jest/globals';
import { SIGNAL_EVENT_TYPES } from '../../src/signals/signal.events.js';
import {
  aLifecycleEvent,
  aSignalHistory,
  aSignalSubmitted,
  aSignalTextErased,
  PROCESSOR,
} from '../testing/builders.js';
import { apply, documentOf, given, jsonCopy } from '../testing/given.js';
import { signalInboxProjection as inbox, type SignalInboxDocument } from './signal-inbox.projection.js';

const SUBMITTED_AT = '2026-03-02T09:00:00.000Z';

function submittedHistory() {
  return aSignalHistory('gent').submit('s1', {
    at: SUBMITTED_AT,
    fields: {
      title: 'Energiearmoede bij huurders',
      description: 'Huurders van slecht geïsoleerde woningen kunnen de energiefactuur niet betalen.',
      themes: ['energie', 'wonen'],
      targetGroups: ['gezinnen'],
      area: 'Ledeberg',
      areaType: 'deelgemeente',
      urgency: 'normal',
    },
  });
}

describe('signal-inbox projection', () => {
  it('handles every signal event and the erasure', () => {
    expect(inbox.handles).toEqual(SIGNAL_EVENT_TYPES);
    expect(inbox.handles).toContain('SignalTextErased');
  });

  it('given a submission, then a document for the signal', () => {
    const documents = given(inbox, submittedHistory().events);
    expect(documents.size).toBe(1);
    const expected: SignalInboxDocument = {
      tenantId: 'gent',
      signalId: 's1',
      title: 'Energiearmoede bij huurders',
      state: 'submitted',
      open: true,
      themes: ['energie', 'wonen'],
      targetGroups: ['gezinnen'],
      policyDomain: null,
      assigneeId: null,
      givenBy: 'giver-1',
      organisationId: 'org-1',
      area: 'Ledeberg',
      areaType: 'deelgemeente',
      urgency: 'normal',
      structural: null,
      submittedAt: SUBMITTED_AT,
      updatedAt: SUBMITTED_AT,
      stateEnteredAt: SUBMITTED_AT,
      dueAt: '2026-03-04T09:00:00.000Z',
      overdue: null,
      workflow: { name: 'signal-lifecycle', version: 1 },
      revision: 0,
      erased: false,
      scopeKeys: ['giver:giver-1', 'org:org-1'],
    };
    expect(documentOf(documents, 'gent:s1')).toEqual(expected);
  });

  it('given a triage, then the new state, its deadline and the reclassification', () => {
    const history = submittedHistory().fire('s1', 'triage', {
      at: '2026-03-03T10:00:00.000Z',
      fields: { themes: ['energie'], urgency: 'high' },
    });
    expect(documentOf(given(inbox, history.events), 'gent:s1')).toMatchObject({
      state: 'triaged',
      open: true,
      themes: ['energie'],
      urgency: 'high',
      stateEnteredAt: '2026-03-03T10:00:00.000Z',
      updatedAt: '2026-03-03T10:00:00.000Z',
      dueAt: '2026-03-06T10:00:00.000Z',
      revision: 1,
      submittedAt: SUBMITTED_AT,
    });
  });

  it('given an assignment and a reassignment to a policy domain only, then the assignee is cleared', () => {
    const history = submittedHistory()
      .fire('s1', 'triage')
      .fire('s1', 'assign', { fields: { assigneeId: 'proc-1', policyDomain: 'wonen' } });
    expect(documentOf(given(inbox, history.events), 'gent:s1')).toMatchObject({
      state: 'assigned',
      assigneeId: 'proc-1',
      policyDomain: 'wonen',
    });
    const enteredAssigned = documentOf(given(inbox, history.events), 'gent:s1').stateEnteredAt;

    history.fire('s1', 'reassign', { at: '2026-03-05T09:00:00.000Z', fields: { policyDomain: 'welzijn' } });
    const reassigned = documentOf(given(inbox, history.events), 'gent:s1');
    expect(reassigned).toMatchObject({
      state: 'assigned',
      assigneeId: null,
      policyDomain: 'welzijn',
      updatedAt: '2026-03-05T09:00:00.000Z',
      revision: 3,
    });
    // Reassignment within `assigned` is no state change: the state's clock keeps running.
    expect(reassigned.stateEnteredAt).toBe(enteredAssigned);
  });

  it('given the deadline timer marks it overdue and escalates it, then the inbox shows both until the state changes', () => {
    const system = { id: 'system', role: 'system' };
    const history = submittedHistory()
      .path('s1', 'triage', 'assign')
      .fire('s1', 'mark-overdue', {
        at: '2026-03-11T09:00:00.000Z',
        by: system,
        fields: { deadlineState: 'assigned', dueAt: '2026-03-10T09:00:00.000Z' },
      });
    expect(documentOf(given(inbox, history.events), 'gent:s1').overdue).toEqual({
      state: 'assigned',
      dueAt: '2026-03-10T09:00:00.000Z',
      markedAt: '2026-03-11T09:00:00.000Z',
      escalatedAt: null,
    });
    history.fire('s1', 'escalate-overdue', {
      at: '2026-03-24T09:00:00.000Z',
      by: system,
      fields: { deadlineState: 'assigned', dueAt: '2026-03-10T09:00:00.000Z' },
    });
    expect(documentOf(given(inbox, history.events), 'gent:s1').overdue).toMatchObject({
      markedAt: '2026-03-11T09:00:00.000Z',
      escalatedAt: '2026-03-24T09:00:00.000Z',
    });
    // A mark for a state the signal has left changes nothing; a new state clears the mark.
    history.fire('s1', 'mark-overdue', {
      by: system,
      fields: { deadlineState: 'triaged', dueAt: '2026-03-06T09:00:00.000Z' },
    });
    expect(documentOf(given(inbox, history.events), 'gent:s1').overdue?.state).toBe('assigned');
    history.fire('s1', 'start-analysis');
    expect(documentOf(given(inbox, history.events), 'gent:s1').overdue).toBeNull();
  });

  it('given a question to the giver and the answer, then awaiting-info and back where it was', () => {
    const history = submittedHistory()
      .path('s1', 'triage', 'assign')
      .fire('s1', 'request-info', { at: '2026-03-10T09:00:00.000Z' });
    expect(documentOf(given(inbox, history.events), 'gent:s1')).toMatchObject({
      state: 'awaiting-info',
      open: true,
      stateEnteredAt: '2026-03-10T09:00:00.000Z',
      dueAt: '2026-03-24T09:00:00.000Z',
    });

    history.fire('s1', 'provide-info', {
      at: '2026-03-12T15:00:00.000Z',
      by: { id: 'giver-1', role: 'signal-giver' },
    });
    expect(documentOf(given(inbox, history.events), 'gent:s1')).toMatchObject({
      state: 'assigned',
      stateEnteredAt: '2026-03-12T15:00:00.000Z',
      dueAt: '2026-03-19T15:00:00.000Z',
    });
  });

  it('given a note, then only updatedAt and revision change', () => {
    const history = submittedHistory().fire('s1', 'triage');
    const before = documentOf(given(inbox, history.events), 'gent:s1');
    history.fire('s1', 'add-note', { at: '2026-03-20T09:00:00.000Z', by: PROCESSOR });
    expect(documentOf(given(inbox, history.events), 'gent:s1')).toEqual({
      ...before,
      updatedAt: '2026-03-20T09:00:00.000Z',
      revision: 2,
    });
  });

  it('given an analysis and an escalation, then structural and the long deadline', () => {
    const history = submittedHistory()
      .path('s1', 'triage', 'assign', 'start-analysis')
      .fire('s1', 'record-analysis', {
        fields: { structural: true, conclusion: 'Te weinig sociale woningen.' },
      })
      .fire('s1', 'escalate', { at: '2026-04-01T09:00:00.000Z' });
    expect(documentOf(given(inbox, history.events), 'gent:s1')).toMatchObject({
      state: 'escalated',
      structural: true,
      dueAt: '2026-06-30T09:00:00.000Z',
    });
  });

  it('given a merge, then the signal is no longer open and has no deadline', () => {
    const history = submittedHistory().fire('s1', 'merge-into', { at: '2026-03-02T12:00:00.000Z' });
    expect(documentOf(given(inbox, history.events), 'gent:s1')).toMatchObject({
      state: 'merged',
      open: false,
      stateEnteredAt: '2026-03-02T12:00:00.000Z',
      dueAt: null,
    });
  });

  it('given a close and a reopen, then open again with the reopened deadline, keeping the assignee', () => {
    const history = submittedHistory()
      .path('s1', 'triage')
      .fire('s1', 'assign', { fields: { assigneeId: 'proc-1' } })
      .path('s1', 'start-analysis', 'record-analysis', 'close');
    const closed = documentOf(given(inbox, history.events), 'gent:s1');
    expect(closed).toMatchObject({ state: 'closed', open: false, dueAt: null });
    // Closed, the document is settled (the runner writes it first when memory runs short).
    expect(inbox.settled?.(closed)).toBe(true);

    history.fire('s1', 'reopen', { at: '2026-06-01T09:00:00.000Z' });
    const reopened = documentOf(given(inbox, history.events), 'gent:s1');
    expect(reopened).toMatchObject({
      state: 'reopened',
      open: true,
      assigneeId: 'proc-1',
      stateEnteredAt: '2026-06-01T09:00:00.000Z',
      dueAt: '2026-06-03T09:00:00.000Z',
    });
    expect(inbox.settled?.(reopened)).toBe(false);
  });

  it('given a rejection, then closed to the inbox', () => {
    const history = submittedHistory().fire('s1', 'reject');
    expect(documentOf(given(inbox, history.events), 'gent:s1')).toMatchObject({
      state: 'rejected',
      open: false,
      dueAt: null,
    });
  });

  it('given an erasure, then the title reads [gewist], the area (a place, not erasable) and the rest stay', () => {
    const history = submittedHistory().fire('s1', 'triage');
    const before = documentOf(given(inbox, history.events), 'gent:s1');
    history.erase('s1', { at: '2026-04-01T09:00:00.000Z' });
    expect(documentOf(given(inbox, history.events), 'gent:s1')).toEqual({
      ...before,
      title: '[gewist]',
      erased: true,
      updatedAt: '2026-04-01T09:00:00.000Z',
      revision: 2,
    });
  });

  it('keeps signals of tenants apart', () => {
    const gent = aSignalHistory('gent').submit('s1');
    const eeklo = aSignalHistory('eeklo').submit('s1').fire('s1', 'triage');
    const documents = given(inbox, [...gent.events, ...eeklo.events]);
    expect([...documents.keys()].sort()).toEqual(['eeklo:s1', 'gent:s1']);
    expect(documentOf(documents, 'gent:s1').state).toBe('submitted');
    expect(documentOf(documents, 'eeklo:s1').state).toBe('triaged');
  });

  it('declares indexes on top-level fields of the declared types', () => {
    const document = documentOf(
      given(inbox, submittedHistory().fire('s1', 'triage').events),
      'gent:s1',
    ) as Record<string, unknown>;
    for (const { field, type } of inbox.indexes) {
      const value = document[field];
      expect(field in document).toBe(true);
      if (value === null) continue;
      if (type === 'string[]') expect(Array.isArray(value)).toBe(true);
      else expect(typeof value).toBe(type);
    }
  });

  describe('refuses events it cannot make sense of, leaving the document untouched', () => {
    it('a lifecycle event for an unknown signal', () => {
      const triaged = aLifecycleEvent('triage', { signalId: 'ghost', from: 'submitted' });
      expect(() => given(inbox, [triaged])).toThrow(
        /SignalTriaged at position \d+ .*no document for signal ghost/,
      );
    });

    it('an erasure for an unknown signal', () => {
      expect(() => given(inbox, [aSignalTextErased({ signalId: 'ghost' })])).toThrow(
        /no document for signal ghost/,
      );
    });

    it('a second submission', () => {
      expect(() =>
        given(inbox, [...submittedHistory().events, aSignalSubmitted({ signalId: 's1' })]),
      ).toThrow(/already submitted/);
    });

    it('an event that leaves another state than the signal is in (an earlier one is missing)', () => {
      const documents = given(inbox, submittedHistory().events);
      const before = jsonCopy(documentOf(documents, 'gent:s1'));
      const assigned = aLifecycleEvent('start-analysis', { signalId: 's1', from: 'assigned', revision: 3 });
      expect(() => apply(inbox, documents, assigned, { copy: false })).toThrow(
        /leaves "assigned" but the signal is in "submitted"/,
      );
      expect(documentOf(documents, 'gent:s1')).toEqual(before);
    });

    it('an event without transition metadata or with malformed data', () => {
      const documents = given(inbox, submittedHistory().events);
      const before = jsonCopy(documentOf(documents, 'gent:s1'));
      const noWorkflow = aLifecycleEvent('triage', { signalId: 's1', from: 'submitted' });
      delete noWorkflow.metadata['workflow'];
      expect(() => apply(inbox, documents, noWorkflow, { copy: false })).toThrow(
        /metadata.workflow is missing/,
      );
      const badThemes = aLifecycleEvent('triage', {
        signalId: 's1',
        from: 'submitted',
        fields: { themes: 'energie' },
      });
      expect(() => apply(inbox, documents, badThemes, { copy: false })).toThrow(
        /data.themes is not a list of codes/,
      );
      const noSignalId = aLifecycleEvent('triage', { signalId: 's1', from: 'submitted' });
      delete noSignalId.data['signalId'];
      expect(() => apply(inbox, documents, noSignalId, { copy: false })).toThrow(/data.signalId is missing/);
      expect(documentOf(documents, 'gent:s1')).toEqual(before);
    });

    it('an event of a workflow version that is not shipped', () => {
      const submitted = aSignalSubmitted({ signalId: 's9' });
      Object.assign(submitted.metadata['workflow'] as object, { version: 99 });
      expect(() => given(inbox, [submitted])).toThrow(/Unknown version 99 of workflow "signal-lifecycle"/);
    });
  });
});

describe('signal-inbox scope keys', () => {
  it('follow the assignee and the policy domain as the signal is assigned and reassigned', () => {
    const assigned = submittedHistory()
      .fire('s1', 'triage', { at: '2026-03-03T10:00:00.000Z' })
      .fire('s1', 'assign', {
        at: '2026-03-03T11:00:00.000Z',
        fields: { assigneeId: 'proc-1', policyDomain: 'wonen' },
      });
    expect(documentOf(given(inbox, assigned.events), 'gent:s1').scopeKeys).toEqual([
      'giver:giver-1',
      'assignee:proc-1',
      'domain:wonen',
      'org:org-1',
    ]);
    const reassigned = assigned.fire('s1', 'reassign', {
      at: '2026-03-04T11:00:00.000Z',
      fields: { assigneeId: null, policyDomain: 'zorg' },
    });
    expect(documentOf(given(inbox, reassigned.events), 'gent:s1').scopeKeys).toEqual([
      'giver:giver-1',
      'domain:zorg',
      'org:org-1',
    ]);
  });
});
