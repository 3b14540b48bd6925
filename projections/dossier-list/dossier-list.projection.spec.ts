import { describe, expect, it } from '@jest/globals';
import { aDossierHistory } from '../testing/dossier-builders.js';
import { apply, documentOf, given, jsonCopy } from '../testing/given.js';
import { dossierListProjection as list } from './dossier-list.projection.js';
import { dossierDetailProjection as detail } from '../dossier-detail/dossier-detail.projection.js';

const AT = '2026-03-03T10:00:00.000Z';

function wholeLife() {
  return aDossierHistory('d1')
    .created(['s1', 's2'])
    .record('DossierSignalAdded', { signalId: 's3' })
    .record('DossierSignalRemoved', { signalId: 's1', reason: 'Gaat over iets anders.' })
    .record(
      'DossierAnalysisRecorded',
      { conclusion: 'Structureel tekort.', structural: true, themes: ['wonen', 'armoede-en-inkomen'] },
      { to: 'analysed' },
    )
    .record(
      'DossierEscalated',
      { level: 'local', body: 'college', motivation: 'Beleidskeuze nodig.', memberSignalIds: ['s2', 's3'] },
      { to: 'escalated' },
    )
    .record(
      'DossierPolicyDecisionRecorded',
      {
        decision: 'Huurpremie uitgebreid.',
        actions: ['Reglement aanpassen'],
        feedback: 'Dank voor uw signaal.',
        memberSignalIds: ['s2', 's3'],
      },
      { to: 'decided', at: AT },
    );
}

describe('dossier-list projection', () => {
  it('given a created dossier, then its list entry with members, open, revision 0', () => {
    const documents = given(list, aDossierHistory('d1').created(['s1', 's2']).events);
    expect(documentOf(documents, 'gent:d1')).toEqual({
      tenantId: 'gent',
      dossierId: 'd1',
      title: 'Betaalbaar wonen voor grote gezinnen',
      themes: ['wonen'],
      state: 'open',
      open: true,
      levels: [],
      memberCount: 2,
      memberSignalIds: ['s1', 's2'],
      createdAt: '2026-03-02T09:00:00.000Z',
      createdBy: 'lead-1',
      updatedAt: '2026-03-02T09:00:00.000Z',
      revision: 0,
    });
  });

  it('given a whole life, then members, themes of the analysis, levels reached and phase follow', () => {
    const documents = given(list, wholeLife().events);
    expect(documentOf(documents, 'gent:d1')).toMatchObject({
      state: 'decided',
      open: true,
      themes: ['wonen', 'armoede-en-inkomen'],
      levels: ['local'],
      memberCount: 2,
      memberSignalIds: ['s2', 's3'],
      updatedAt: AT,
      revision: 5,
    });
    const closed = given(
      list,
      wholeLife().record('DossierClosed', { outcome: 'Klaar.' }, { to: 'closed' }).events,
    );
    expect(documentOf(closed, 'gent:d1')).toMatchObject({ state: 'closed', open: false, revision: 6 });
  });

  it('refuses an event of a dossier whose creation is missing, and a malformed one, leaving the document as it was', () => {
    const orphan = aDossierHistory('d2').created(['s1']).record('DossierSignalAdded', { signalId: 's2' })
      .events[1]!;
    expect(() => given(list, [orphan])).toThrow(/creation is missing/);
    const documents = given(list, aDossierHistory('d1').created(['s1']).events);
    const before = jsonCopy(documents.get('gent:d1'));
    const broken = aDossierHistory('d1')
      .created(['s1'])
      .record('DossierEscalated', {
        level: 'federal',
        body: 'x',
        motivation: 'y',
        memberSignalIds: ['s1'],
      }).events[1]!;
    expect(() => apply(list, documents, broken, { copy: false })).toThrow(/local or supralocal/);
    expect(documents.get('gent:d1')).toEqual(before);
    const noTitle = {
      ...broken,
      type: 'DossierClosed',
      data: { dossierId: 'd1', outcome: 'x' },
      metadata: { ...broken.metadata, dossier: null },
    };
    expect(() => apply(list, documents, noTitle, { copy: false })).toThrow(/metadata.dossier/);
  });
});

describe('dossier-detail projection', () => {
  it('given a whole life, then members, removals, analysis, escalations and decisions with who and when', () => {
    const document = documentOf(given(detail, wholeLife().events), 'gent:d1');
    expect(document).toMatchObject({
      summary: 'Signalen over betaalbare huurwoningen voor grote gezinnen.',
      state: 'decided',
      members: [
        { signalId: 's2', by: 'lead-1' },
        { signalId: 's3', by: 'lead-1' },
      ],
      removed: [{ signalId: 's1', reason: 'Gaat over iets anders.' }],
      analysis: {
        conclusion: 'Structureel tekort.',
        structural: true,
        themes: ['wonen', 'armoede-en-inkomen'],
      },
      escalations: [
        { level: 'local', body: 'college', motivation: 'Beleidskeuze nodig.', memberSignalIds: ['s2', 's3'] },
      ],
      decisions: [
        {
          decision: 'Huurpremie uitgebreid.',
          actions: ['Reglement aanpassen'],
          feedback: 'Dank voor uw signaal.',
          memberSignalIds: ['s2', 's3'],
          at: AT,
        },
      ],
      closed: null,
      revision: 5,
    });
    const closed = documentOf(
      given(detail, wholeLife().record('DossierClosed', { outcome: 'Klaar.' }, { to: 'closed' }).events),
      'gent:d1',
    );
    expect(closed).toMatchObject({
      state: 'closed',
      open: false,
      closed: { outcome: 'Klaar.', by: 'lead-1' },
    });
  });

  it('keeps tenants apart: the same dossier id in two tenants is two documents', () => {
    const documents = given(detail, [
      ...aDossierHistory('d1', 'gent').created(['s1']).events,
      ...aDossierHistory('d1', 'eeklo', 'Ander dossier').created(['s9']).events,
    ]);
    expect(documentOf(documents, 'gent:d1').members.map((m) => m.signalId)).toEqual(['s1']);
    expect(documentOf(documents, 'eeklo:d1').title).toBe('Ander dossier');
  });
});
