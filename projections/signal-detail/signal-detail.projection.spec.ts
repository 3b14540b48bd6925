import { describe, expect, it } from '@jest/globals';
import { SIGNAL_EVENT_TYPES } from '../../src/signals/signal.events.js';
import { aLifecycleEvent, aSignalHistory, aSignalTextErased, PROCESSOR } from '../testing/builders.js';
import { apply, documentOf, given, jsonCopy } from '../testing/given.js';
import { signalInboxProjection } from '../signal-inbox/signal-inbox.projection.js';
import { signalDetailOf, signalDetailProjection as detail } from './signal-detail.projection.js';
import { signalTimeline } from './signal-timeline.js';
import { aDossierHistory, aFanOutEvent } from '../testing/dossier-builders.js';
import { ProjectionEventError } from '../shared/projection-error.js';

const SUBMITTED_AT = '2026-03-02T09:00:00.000Z';

/** The signal's page after `events`: its inbox document and its signal-detail document together. */
function pageOf(events: Parameters<typeof given>[1], id: string) {
  const key = `gent:${id}`;
  return signalDetailOf(
    documentOf(given(signalInboxProjection, events), key),
    given(detail, events).get(key) ?? null,
  );
}
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
  it('handles the events that can change what it keeps, not every step of the signal; read by id only (no query index)', () => {
    // Once the fan-out's events record one of its fields as well, they are listed once.
    expect(detail.handles).toEqual([
      ...new Set([
        'SignalSubmitted',
        'SignalMerged',
        'SignalTextErased',
        'DossierCreated',
        'DossierSignalAdded',
        'DossierSignalRemoved',
        'SignalDossierEscalated',
        'SignalDossierDecisionRecorded',
      ]),
    ]);
    expect(SIGNAL_EVENT_TYPES.filter((type) => !detail.handles.includes(type))).toContain('SignalTriaged');
    expect(detail.indexes).toEqual([{ field: 'tenantId', type: 'string', indexed: false }]);
  });

  it('given a submission, then the description and people affected; the page has the inbox fields too, and a first timeline entry', () => {
    const history = submittedHistory();
    const [submitted] = history.events;
    expect(documentOf(given(detail, history.events), 'gent:s1')).toEqual({
      tenantId: 'gent',
      signalId: 's1',
      description: 'Huurders van slecht geïsoleerde woningen kunnen de energiefactuur niet betalen.',
      estimatedPeopleAffected: 40,
      mergedInto: null,
      dossier: null,
    });
    expect(pageOf(history.events, 's1')).toEqual({
      ...documentOf(given(signalInboxProjection, history.events), 'gent:s1'),
      description: 'Huurders van slecht geïsoleerde woningen kunnen de energiefactuur niet betalen.',
      estimatedPeopleAffected: 40,
      mergedInto: null,
      dossier: null,
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

  it('given no signal-detail document yet (a read store whose two commits are not atomic), then the page has the inbox fields and nothing beyond', () => {
    const summary = documentOf(given(signalInboxProjection, submittedHistory().events), 'gent:s1');
    expect(signalDetailOf(summary, null)).toEqual({
      ...summary,
      description: null,
      estimatedPeopleAffected: null,
      mergedInto: null,
      dossier: null,
    });
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
    const document = pageOf(history.events, 's1');
    // Written at the submission and seldom after: settled, as the runner sees it when memory runs short.
    expect(detail.settled?.(documentOf(given(detail, history.events), 'gent:s1'))).toBe(true);
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
    expect(pageOf(history.events, 's1')).toMatchObject({
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
    const document = pageOf(history.events, 's1');
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
    const document = pageOf(history.events, 's1');
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
    const document = pageOf(history.events, 's1');
    const timeline = signalTimeline(history.events);
    expect(document.erased).toBe(true);
    expect(timeline.at(-1)!.fields).toEqual({ note: 'Nieuwe notitie zonder persoonsgegevens.' });
  });

  describe('refuses events it cannot make sense of', () => {
    it('a merge or an erasure for an unknown signal', () => {
      expect(() =>
        given(detail, [
          aLifecycleEvent('merge-into', {
            signalId: 'ghost',
            from: 'submitted',
            fields: { targetSignalId: TARGET },
          }),
        ]),
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

describe('signal-detail: the dossier a signal is in, and what the dossier fed back to it', () => {
  const signals = () =>
    aSignalHistory('gent')
      .submit('s1')
      .submit('s2')
      .submit('s3')
      .path('s1', 'triage')
      .path('s2', 'triage')
      .path('s3', 'triage');
  const escalation = { level: 'local', body: 'college', motivation: 'Beleidskeuze nodig.' };
  /** The signals, a dossier of `members`, and the fan-out's escalation and decision on s1's stream. */
  const fannedOut = (members: string[]) => [
    ...signals().events,
    ...aDossierHistory('d1').created(members).events,
    aFanOutEvent(
      'SignalDossierEscalated',
      { signalId: 's1', dossierId: 'd1', ...escalation },
      { revision: 2, at: '2026-03-05T10:00:00.000Z' },
    ),
    aFanOutEvent(
      'SignalDossierDecisionRecorded',
      {
        signalId: 's1',
        dossierId: 'd1',
        decision: 'Huurpremie uitgebreid.',
        feedback: 'Dank voor uw signaal.',
      },
      { revision: 3, at: '2026-03-09T10:00:00.000Z' },
    ),
  ];

  it('given a dossier created with two signals, then both documents name it; one added later too', () => {
    const history = signals();
    const dossier = aDossierHistory('d1')
      .created(['s1', 's2'])
      .record('DossierSignalAdded', { signalId: 's3' });
    const documents = given(detail, [...history.events, ...dossier.events]);
    for (const id of ['s1', 's2', 's3']) {
      expect(documentOf(documents, `gent:${id}`).dossier).toEqual({
        dossierId: 'd1',
        title: 'Betaalbaar wonen voor grote gezinnen',
        addedAt: '2026-03-02T09:00:00.000Z',
        escalations: [],
        decisions: [],
      });
    }
    // Membership is dossier news: the signal's own revision (its If-Match) stays.
    expect(pageOf([...history.events, ...dossier.events], 's1').revision).toBe(1);
  });

  it('given a removal, then the signal is in no dossier; given another dossier later, then that one', () => {
    const history = signals();
    const first = aDossierHistory('d1').created(['s1', 's2']);
    first.record('DossierSignalRemoved', { signalId: 's1', reason: 'Ander probleem.' });
    let documents = given(detail, [...history.events, ...first.events]);
    expect(documentOf(documents, 'gent:s1').dossier).toBeNull();
    expect(documentOf(documents, 'gent:s2').dossier?.dossierId).toBe('d1');
    const second = aDossierHistory('d2', 'gent', 'Energiearmoede').created(['s1']);
    documents = given(detail, [...history.events, ...first.events, ...second.events]);
    expect(documentOf(documents, 'gent:s1').dossier).toMatchObject({
      dossierId: 'd2',
      title: 'Energiearmoede',
    });
  });

  it('given the fan-out events on the member stream, then the escalation and the decision under its dossier, revision moved', () => {
    const events = fannedOut(['s1', 's2']);
    const document = documentOf(given(detail, events), 'gent:s1');
    expect(document.dossier).toEqual({
      dossierId: 'd1',
      title: 'Betaalbaar wonen voor grote gezinnen',
      addedAt: '2026-03-02T09:00:00.000Z',
      escalations: [{ ...escalation, at: '2026-03-05T10:00:00.000Z' }],
      decisions: [
        {
          decision: 'Huurpremie uitgebreid.',
          feedback: 'Dank voor uw signaal.',
          at: '2026-03-09T10:00:00.000Z',
        },
      ],
    });
    expect(pageOf(events, 's1')).toMatchObject({
      revision: 3,
      state: 'triaged',
      updatedAt: '2026-03-09T10:00:00.000Z',
      dossier: document.dossier,
    });
    expect(documentOf(given(detail, events), 'gent:s2').dossier?.escalations).toEqual([]);
  });

  it("given the fan-out's feedback and then an erasure of the signal's text, then the feedback reads [gewist] too, the organ and level stay", () => {
    const events = [
      ...fannedOut(['s1']),
      aSignalTextErased({ signalId: 's1', revision: 4, at: '2026-04-01T09:00:00.000Z' }),
    ];
    expect(documentOf(given(detail, events), 'gent:s1').dossier).toMatchObject({
      escalations: [{ level: 'local', body: 'college', motivation: '[gewist]' }],
      decisions: [{ decision: '[gewist]', feedback: '[gewist]', at: '2026-03-09T10:00:00.000Z' }],
    });
  });

  it('refuses fan-out events off the signal stream, with a bad level, or for an unknown signal; the document stays', () => {
    const history = signals();
    const documents = given(detail, [...history.events, ...aDossierHistory('d1').created(['s1']).events]);
    const before = jsonCopy(documents.get('gent:s1'));
    const good = aFanOutEvent(
      'SignalDossierEscalated',
      { signalId: 's1', dossierId: 'd1', ...escalation },
      { revision: 2 },
    );
    for (const bad of [
      { ...good, stream: 'signal-gent-s2' },
      { ...good, data: { ...good.data, level: 'federaal' } },
      { ...good, data: { ...good.data, body: 7 } },
    ]) {
      expect(() => apply(detail, documents, bad, { copy: false })).toThrow(ProjectionEventError);
      expect(documents.get('gent:s1')).toEqual(before);
    }
    const unknown = aFanOutEvent(
      'SignalDossierEscalated',
      { signalId: 's9', dossierId: 'd1', ...escalation },
      { revision: 1 },
    );
    expect(() => apply(detail, documents, unknown, { copy: false })).toThrow(/no document for signal s9/);
    const orphanDossier = aDossierHistory('d2').created(['s9']).events;
    expect(() => given(detail, orphanDossier)).toThrow(/member signal has no document/);
  });
});
