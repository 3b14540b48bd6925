import { describe, expect, it } from '@jest/globals';
import { SIGNAL_EVENT_TYPES } from '../../src/signals/signal.events.js';
import { aLifecycleEvent, aSignalHistory, aSignalTextErased, PROCESSOR } from '../testing/builders.js';
import { apply, documentOf, given, jsonCopy } from '../testing/given.js';
import { signalInboxProjection } from '../signal-inbox/signal-inbox.projection.js';
import { signalDetailProjection as detail } from './signal-detail.projection.js';
import { signalTimeline } from './signal-timeline.js';

const SUBMITTED_AT = '2026-03-02T09:00:00.000Z';
const TARGET = '0195f3c2-7b1a-7c3e-8d4f-5a6b7c8d9e10';

function submittedHistory() {
  return aSignalHistory('gent').submit('s1', {
    at: SUBMITTED_AT,
    fields: {
      title: 'Energiearmoede bij huurders',
      description: 'Huurders van slecht geïsoleerde woningen kunnen de energiefactuur niet betalen.',
      themes: ['energie'],
      area: 'Ledeberg',
      estimatedPeopleAffected: 40,
    },
  });
}

describe('signal-detail projection and the signal timeline from its stream', () => {
  it('handles every signal event and the erasure, indexed by tenant', () => {
    expect(detail.handles).toEqual(SIGNAL_EVENT_TYPES);
    expect(detail.handles).toContain('SignalTextErased');
    expect(detail.indexes).toEqual([{ field: 'tenantId', type: 'string' }]);
  });

  it('given a submission, then the inbox fields, the description and a first timeline entry', () => {
    const history = submittedHistory();
    const [submitted] = history.events;
    const document = documentOf(given(detail, history.events), 'gent:s1');
    expect(document).toEqual({
      ...documentOf(given(signalInboxProjection, history.events), 'gent:s1'),
      description: 'Huurders van slecht geïsoleerde woningen kunnen de energiefactuur niet betalen.',
      estimatedPeopleAffected: 40,
      mergedInto: null,
    });
    expect(signalTimeline(history.events)).toEqual([
      {
        position: String(submitted!.position),
        revision: 0,
        type: 'SignalSubmitted',
        command: 'submit',
        from: null,
        to: 'submitted',
        at: SUBMITTED_AT,
        actor: { id: 'giver-1', role: 'signal-giver' },
        fields: {
          title: 'Energiearmoede bij huurders',
          description: 'Huurders van slecht geïsoleerde woningen kunnen de energiefactuur niet betalen.',
          themes: ['energie'],
          area: 'Ledeberg',
          estimatedPeopleAffected: 40,
        },
      },
    ]);
  });

  it('given a whole life, then one timeline entry per event, in order, with who, when and why', () => {
    const history = submittedHistory()
      .fire('s1', 'triage', { fields: { motivation: 'Raakt veel gezinnen in de wijk.' } })
      .fire('s1', 'assign', { fields: { assigneeId: 'proc-1', policyDomain: 'wonen' } })
      .fire('s1', 'request-info', { by: PROCESSOR, fields: { question: 'Over welke straten gaat het?' } })
      .fire('s1', 'provide-info', {
        by: { id: 'giver-1', role: 'signal-giver' },
        fields: { answer: 'De Vlaamse Kaai.' },
      })
      .fire('s1', 'reassign', { fields: { assigneeId: 'proc-2' } })
      .path('s1', 'start-analysis', 'record-analysis', 'escalate', 'record-policy-decision', 'close');
    const document = documentOf(given(detail, history.events), 'gent:s1');
    const timeline = signalTimeline(history.events);
    expect(timeline.map(({ command, from, to }) => [command, from, to])).toEqual([
      ['submit', null, 'submitted'],
      ['triage', 'submitted', 'triaged'],
      ['assign', 'triaged', 'assigned'],
      ['request-info', 'assigned', 'awaiting-info'],
      ['provide-info', 'awaiting-info', 'assigned'],
      ['reassign', 'assigned', 'assigned'],
      ['start-analysis', 'assigned', 'in-analysis'],
      ['record-analysis', 'in-analysis', 'analysed'],
      ['escalate', 'analysed', 'escalated'],
      ['record-policy-decision', 'escalated', 'escalated'],
      ['close', 'escalated', 'closed'],
    ]);
    expect(timeline.map((entry) => entry.revision)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(timeline[3]).toMatchObject({
      type: 'InformationRequested',
      actor: { id: 'proc-1', role: 'processor' },
      fields: { question: 'Over welke straten gaat het?' },
    });
    // A reassignment to an assignee only records the domain as cleared, as the decider does.
    expect(timeline[5]!.fields).toEqual({ assigneeId: 'proc-2', policyDomain: null });
    expect(document).toMatchObject({
      state: 'closed',
      open: false,
      assigneeId: 'proc-2',
      policyDomain: null,
      revision: 10,
    });
  });

  it('given a merge, then mergedInto names the other signal', () => {
    const history = submittedHistory().fire('s1', 'merge-into', { fields: { targetSignalId: TARGET } });
    expect(documentOf(given(detail, history.events), 'gent:s1')).toMatchObject({
      state: 'merged',
      open: false,
      mergedInto: TARGET,
    });
  });

  it('given a rejection and a reopen, then the reasons stay in the timeline', () => {
    const history = submittedHistory()
      .fire('s1', 'reject', {
        fields: { reason: 'Individuele vraag.', feedback: 'Doorverwezen naar het OCMW.' },
      })
      .fire('s1', 'reopen', { fields: { reason: 'Meer gezinnen melden hetzelfde.' } });
    const document = documentOf(given(detail, history.events), 'gent:s1');
    const timeline = signalTimeline(history.events);
    expect(document).toMatchObject({ state: 'reopened', open: true });
    expect(timeline.slice(1).map((entry) => entry.fields)).toEqual([
      { reason: 'Individuele vraag.', feedback: 'Doorverwezen naar het OCMW.' },
      { reason: 'Meer gezinnen melden hetzelfde.' },
    ]);
  });

  it('given an erasure, then every erasable text reads [gewist], area, codes and numbers stay, and the erasure is in the timeline', () => {
    const history = submittedHistory()
      .fire('s1', 'triage', { fields: { themes: ['energie', 'wonen'], motivation: 'Raakt veel gezinnen.' } })
      .fire('s1', 'assign', { fields: { policyDomain: 'wonen' } })
      .fire('s1', 'add-note', { by: PROCESSOR, fields: { note: 'Gebeld met de huurdersbond.' } })
      .erase('s1', { at: '2026-05-01T09:00:00.000Z' });
    const document = documentOf(given(detail, history.events), 'gent:s1');
    const timeline = signalTimeline(history.events);
    expect(document).toMatchObject({
      title: '[gewist]',
      description: '[gewist]',
      area: expect.any(String),
      erased: true,
      themes: ['energie', 'wonen'],
      policyDomain: 'wonen',
      estimatedPeopleAffected: 40,
      state: 'assigned',
      updatedAt: '2026-05-01T09:00:00.000Z',
    });
    expect(timeline.map((entry) => entry.fields)).toEqual([
      {
        title: '[gewist]',
        description: '[gewist]',
        themes: ['energie'],
        area: document.area,
        estimatedPeopleAffected: 40,
      },
      { themes: ['energie', 'wonen'], motivation: '[gewist]' },
      { policyDomain: 'wonen', assigneeId: null },
      { note: '[gewist]' },
      {},
    ]);
    expect(timeline.at(-1)).toMatchObject({
      type: 'SignalTextErased',
      command: null,
      from: 'assigned',
      to: 'assigned',
      at: '2026-05-01T09:00:00.000Z',
      actor: { id: 'lead-1', role: 'lead-processor' },
    });
  });

  it('given text recorded after an erasure, then that new text is shown', () => {
    const history = submittedHistory()
      .erase('s1')
      .fire('s1', 'add-note', { fields: { note: 'Nieuwe notitie zonder persoonsgegevens.' } });
    const document = documentOf(given(detail, history.events), 'gent:s1');
    const timeline = signalTimeline(history.events);
    expect(document.erased).toBe(true);
    expect(timeline.at(-1)!.fields).toEqual({ note: 'Nieuwe notitie zonder persoonsgegevens.' });
  });

  describe('refuses events it cannot make sense of', () => {
    it('a lifecycle event or an erasure for an unknown signal', () => {
      expect(() =>
        given(detail, [aLifecycleEvent('triage', { signalId: 'ghost', from: 'submitted' })]),
      ).toThrow(/no document for signal ghost/);
      expect(() => given(detail, [aSignalTextErased({ signalId: 'ghost' })])).toThrow(
        /no document for signal ghost/,
      );
    });

    it('a merge whose target is no id, leaving the document untouched', () => {
      const documents = given(detail, submittedHistory().events);
      const before = jsonCopy(documentOf(documents, 'gent:s1'));
      const merged = aLifecycleEvent('merge-into', {
        signalId: 's1',
        from: 'submitted',
        fields: { targetSignalId: 42 },
      });
      expect(() => apply(detail, documents, merged, { copy: false })).toThrow(
        /data.targetSignalId is not an id/,
      );
      expect(documentOf(documents, 'gent:s1')).toEqual(before);
    });
  });
});
