import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { aLifecycleEvent, aSignalHistory, GIVER, type ActorRef } from '../testing/builders.js';
import { apply, documentOf, given } from '../testing/given.js';
import { historySteps, playSteps } from '../testing/random-history.js';
import { readSignalEvent, readTransitionFacts } from '../shared/signal-event.js';
import {
  BOUNDED_GIVERS,
  digestOf,
  NOT_COUNTED_STATES,
  quarterOf,
  supralocalCellsProjection as cells,
  type SupralocalCellsDocument,
} from './supralocal-cells.projection.js';

const OTHER_GIVER: ActorRef = { id: 'giver-2', role: 'signal-giver', organisationId: 'org-2' };
const Q1 = 'gent|2026-Q1';

/** The document's distinct counts agree with its tallies (what the tally says is there). */
function expectConsistent(document: SupralocalCellsDocument): void {
  const sizes = (tallies: Record<string, Record<string, number>>) =>
    Object.fromEntries(Object.entries(tallies).map(([key, tally]) => [key, Object.keys(tally).length]));
  expect(document.givers).toEqual(sizes(document.tally.givers));
  expect(document.organisations).toEqual(sizes(document.tally.organisations));
  expect(document.targetGroupGivers).toEqual(sizes(document.tally.targetGroupGivers));
  expect(document.pairGivers).toEqual(sizes(document.tally.pairGivers));
  expect(document.areaTypeGivers).toEqual(sizes(document.tally.areaTypeGivers));
  expect(document.monthGivers).toEqual(sizes(document.tally.monthGivers));
  expect(document.monthAllGivers).toEqual(sizes(document.tally.monthAllGivers));
  expect(document.monthOrganisations).toEqual(sizes(document.tally.monthOrganisations));
  expect(document.monthAllOrganisations).toEqual(sizes(document.tally.monthAllOrganisations));
  expect(document.monthDossiers).toEqual(sizes(document.tally.monthDossiers));
  // Every theme's months add up to its quarter count.
  const byTheme: Record<string, number> = {};
  for (const [key, count] of Object.entries(document.months)) {
    const theme = key.split('|')[1]!;
    byTheme[theme] = (byTheme[theme] ?? 0) + count;
  }
  expect(byTheme).toEqual(document.signals);
  expect(document.allGivers).toBe(Object.keys(document.tally.allGivers).length);
  expect(document.allOrganisations).toBe(Object.keys(document.tally.allOrganisations).length);
  for (const tallies of Object.values(document.tally))
    for (const value of Object.values(tallies))
      if (typeof value === 'object') expect(Object.keys(value).length).toBeGreaterThan(0);
}

/** Signals s0… of as many givers (giver-0…), each on the theme pair energie|wonen for target group ouderen. */
function pairsOfGivers(count: number) {
  const history = aSignalHistory('gent');
  for (let i = 0; i < count; i++) {
    history.submit(`s${i}`, {
      by: { id: `giver-${i}`, role: 'signal-giver' },
      fields: { themes: ['wonen', 'energie'], targetGroups: ['ouderen'] },
    });
  }
  return history;
}

describe('supralocal-cells projection', () => {
  it('keys documents by tenant and quarter of submission', () => {
    expect(quarterOf('2026-01-01T00:00:00.000Z')).toBe('2026-Q1');
    expect(quarterOf('2026-03-31T23:59:59.999Z')).toBe('2026-Q1');
    expect(quarterOf('2026-04-01T00:00:00.000Z')).toBe('2026-Q2');
    expect(quarterOf('2026-12-31T12:00:00.000Z')).toBe('2026-Q4');
    expect(cells.indexes).toEqual([
      { field: 'quarter', type: 'string' },
      { field: 'tenantId', type: 'string' },
    ]);
  });

  it('given submissions, then signals, distinct givers, organisations, target groups and pairs per theme', () => {
    const history = aSignalHistory('gent', '2026-03-02T09:00:00.000Z')
      .submit('s1', { fields: { themes: ['wonen', 'energie'], targetGroups: ['ouderen'] } })
      .submit('s2', { fields: { themes: ['wonen'], targetGroups: ['ouderen'] } })
      .submit('s3', { by: OTHER_GIVER, fields: { themes: ['wonen'] } });
    const document = documentOf(given(cells, history.events), Q1);
    expect(document.signals).toEqual({ wonen: 3, energie: 1 });
    expect(document.givers).toEqual({ wonen: 2, energie: 1 });
    expect(document.tally.givers['wonen']).toEqual({
      [digestOf('gent', 'giver-1')]: 2,
      [digestOf('gent', 'giver-2')]: 1,
    });
    expect(document.organisations).toEqual({ wonen: 2, energie: 1 });
    expect(document.targetGroups).toEqual({ 'wonen|ouderen': 2, 'energie|ouderen': 1 });
    expect(document.targetGroupGivers).toEqual({ 'wonen|ouderen': 1, 'energie|ouderen': 1 });
    expect(document.pairs).toEqual({ 'energie|wonen': 1 });
    expect(document.pairGivers).toEqual({ 'energie|wonen': 1 });
    expect(document.allGivers).toBe(2);
    expect(document.allOrganisations).toBe(2);
    expect(document.escalations).toEqual({});
    expectConsistent(document);
  });

  it('given submissions in different months of the quarter, then signals and exact distinct givers per theme and month', () => {
    const history = aSignalHistory('gent', '2026-01-15T09:00:00.000Z')
      .submit('s1', { fields: { themes: ['wonen', 'energie'] } })
      .submit('s2', { by: OTHER_GIVER, fields: { themes: ['wonen'] } })
      .submit('s3', { at: '2026-03-30T10:00:00.000Z', fields: { themes: ['wonen'] } });
    const document = documentOf(given(cells, history.events), Q1);
    expect(document.months).toEqual({ '2026-01|wonen': 2, '2026-01|energie': 1, '2026-03|wonen': 1 });
    expect(document.monthGivers).toEqual({ '2026-01|wonen': 2, '2026-01|energie': 1, '2026-03|wonen': 1 });
    expect(document.monthAllGivers).toEqual({ '2026-01': 2, '2026-03': 1 });
    expect(document.monthOrganisations).toEqual({
      '2026-01|wonen': 2,
      '2026-01|energie': 1,
      '2026-03|wonen': 1,
    });
    expect(document.monthAllOrganisations).toEqual({ '2026-01': 2, '2026-03': 1 });
    // A later reclassification moves the signal within its month of submission, not into the month of the step.
    history.fire('s2', 'triage', { at: '2026-04-02T10:00:00.000Z', fields: { themes: ['energie'] } });
    const moved = documentOf(given(cells, history.events), Q1);
    expect(moved.months).toEqual({ '2026-01|wonen': 1, '2026-01|energie': 2, '2026-03|wonen': 1 });
    expect(moved.monthGivers).toEqual({ '2026-01|wonen': 1, '2026-01|energie': 2, '2026-03|wonen': 1 });
    expect(moved.monthAllGivers).toEqual({ '2026-01': 2, '2026-03': 1 });
    history.fire('s1', 'reject');
    const rejected = documentOf(given(cells, history.events), Q1);
    expect(rejected.months).toEqual({ '2026-01|energie': 1, '2026-03|wonen': 1 });
    expect(rejected.monthAllGivers).toEqual({ '2026-01': 1, '2026-03': 1 });
    expectConsistent(rejected);
  });

  it('given area types, then signals and givers per theme and area type; a signal without one is not counted there', () => {
    const history = aSignalHistory('gent', '2026-02-02T09:00:00.000Z')
      .submit('s1', { fields: { themes: ['wonen', 'energie'], area: 'Ledeberg', areaType: 'deelgemeente' } })
      .submit('s2', {
        by: OTHER_GIVER,
        fields: { themes: ['wonen'], area: 'Brugse Poort', areaType: 'wijk' },
      })
      .submit('s3', { fields: { themes: ['wonen'], area: 'Ledeberg' } });
    let document = documentOf(given(cells, history.events), Q1);
    expect(document.areaTypes).toEqual({
      'wonen|deelgemeente': 1,
      'energie|deelgemeente': 1,
      'wonen|wijk': 1,
    });
    expect(document.areaTypeGivers).toEqual({
      'wonen|deelgemeente': 1,
      'energie|deelgemeente': 1,
      'wonen|wijk': 1,
    });
    expect(document.signals).toEqual({ wonen: 3, energie: 1 });
    // Reclassified at triage: the area type comes along from classificationBefore.
    history.fire('s1', 'triage', { fields: { themes: ['energie'] } }).fire('s2', 'merge-into');
    document = documentOf(given(cells, history.events), Q1);
    expect(document.areaTypes).toEqual({ 'energie|deelgemeente': 1 });
    expect(document.areaTypeGivers).toEqual({ 'energie|deelgemeente': 1 });
    expectConsistent(document);
    expect(JSON.stringify(document)).not.toContain('Ledeberg');
  });

  it('holds no person id and no text', () => {
    const history = aSignalHistory('gent').submit('s1', { fields: { themes: ['wonen'] } });
    const text = JSON.stringify(documentOf(given(cells, history.events), Q1));
    expect(text).not.toContain(GIVER.id);
    expect(text).not.toContain('org-1');
    expect(text).not.toContain('wachtlijsten');
    expect(text).not.toContain('s1');
  });

  it('given a reclassification at triage, then the signal moves to its new themes', () => {
    const history = aSignalHistory('gent')
      .submit('s1', { fields: { themes: ['wonen'] } })
      .fire('s1', 'triage', { fields: { themes: ['energie', 'armoede-en-inkomen'] } });
    const document = documentOf(given(cells, history.events), Q1);
    expect(document.signals).toEqual({ energie: 1, 'armoede-en-inkomen': 1 });
    expect(document.givers).toEqual({ energie: 1, 'armoede-en-inkomen': 1 });
    expect(document.tally.givers['wonen']).toBeUndefined();
    expect(document.pairs).toEqual({ 'armoede-en-inkomen|energie': 1 });
    expect(document.allGivers).toBe(1);
    expectConsistent(document);
  });

  it('given a rejection or a merge, then the signal no longer counts; a reopen counts it again', () => {
    const history = aSignalHistory('gent')
      .submit('s1', { fields: { themes: ['wonen'] } })
      .submit('s2', { fields: { themes: ['wonen'] } })
      .fire('s1', 'reject')
      .fire('s2', 'merge-into');
    const emptied = documentOf(given(cells, history.events), Q1);
    expect(emptied.signals).toEqual({});
    expect(emptied.givers).toEqual({});
    expect(emptied.allGivers).toBe(0);
    expect(emptied.tally).toEqual({
      dossiers: {},
      givers: {},
      organisations: {},
      targetGroupGivers: {},
      areaTypeGivers: {},
      pairGivers: {},
      monthGivers: {},
      monthOrganisations: {},
      monthAllGivers: {},
      monthAllOrganisations: {},
      monthDossiers: {},
      allGivers: {},
      allOrganisations: {},
      freed: {},
    });
    expect(emptied.months).toEqual({});
    expect(emptied.monthAllGivers).toEqual({});
    expect([...NOT_COUNTED_STATES]).toEqual(['rejected', 'merged']);
    const reopened = aSignalHistory('gent')
      .submit('s1', { fields: { themes: ['wonen'] } })
      .fire('s1', 'reject')
      .fire('s1', 'reopen');
    expect(documentOf(given(cells, reopened.events), Q1).signals).toEqual({ wonen: 1 });
  });

  it('given an escalation to the supra-local level, then it counts under the themes; a local one does not', () => {
    const history = aSignalHistory('gent')
      .submit('s1', { fields: { themes: ['wonen', 'energie'] } })
      .submit('s2', { fields: { themes: ['wonen'] } })
      .path('s1', 'triage', 'assign', 'start-analysis', 'record-analysis')
      .path('s2', 'triage', 'assign', 'start-analysis', 'record-analysis')
      .fire('s1', 'escalate', { fields: { level: 'supralocal' } })
      .fire('s2', 'escalate', { fields: { level: 'local' } });
    const document = documentOf(given(cells, history.events), Q1);
    expect(document.escalations).toEqual({ wonen: 1, energie: 1 });
    // And in the month the signal was submitted in.
    const month = Object.keys(document.months)[0]!.split('|')[0]!;
    expect(document.monthEscalations).toEqual({ [`${month}|wonen`]: 1, [`${month}|energie`]: 1 });
  });

  it('given dossier escalations of member signals, then distinct dossiers per theme', () => {
    const system = { id: 'system', role: 'system' };
    const D1 = '0195f3c2-7b1a-7c3e-8d4f-5a6b7c8d9e11';
    const D2 = '0195f3c2-7b1a-7c3e-8d4f-5a6b7c8d9e12';
    const history = aSignalHistory('gent')
      .submit('s1', { fields: { themes: ['wonen', 'energie'] } })
      .submit('s2', { fields: { themes: ['wonen'] } })
      .fire('s1', 'record-dossier-escalation', { by: system, fields: { dossierId: D1 } })
      .fire('s2', 'record-dossier-escalation', { by: system, fields: { dossierId: D1 } })
      .fire('s2', 'record-dossier-escalation', {
        by: system,
        fields: { dossierId: D2, level: 'supralocal' },
      });
    const document = documentOf(given(cells, history.events), Q1);
    expect(document.dossiers).toEqual({ wonen: 2, energie: 1 });
    expect(document.tally.dossiers['wonen']).toEqual({ [D1]: 2, [D2]: 1 });
    expect(JSON.stringify(document.dossiers)).not.toContain(D1);
    const month = Object.keys(document.months)[0]!.split('|')[0]!;
    expect(document.monthDossiers).toEqual({ [`${month}|wonen`]: 2, [`${month}|energie`]: 1 });
    expect(JSON.stringify(document.monthDossiers)).not.toContain(D1);
  });

  it('follows at most 16 givers of a theme pair or target group: a lower bound, never above the truth', () => {
    const history = pairsOfGivers(20);
    let document = documentOf(given(cells, history.events), Q1);
    expect(BOUNDED_GIVERS).toBe(16);
    expect(document.pairs).toEqual({ 'energie|wonen': 20 });
    expect(document.pairGivers).toEqual({ 'energie|wonen': 16 });
    expect(document.targetGroupGivers).toEqual({ 'wonen|ouderen': 16, 'energie|ouderen': 16 });
    expect(document.givers).toEqual({ wonen: 20, energie: 20 });
    // Rejected: a followed giver's signal (the bound drops to 15) and an unfollowed one's (no change); 18 givers remain.
    history.fire('s0', 'reject').fire('s19', 'reject');
    document = documentOf(given(cells, history.events), Q1);
    expect(document.pairGivers).toEqual({ 'energie|wonen': 15 });
    expect(document.givers).toEqual({ wonen: 18, energie: 18 });
    expectConsistent(document);
    // A step that keeps the classification of an unfollowed giver's signal: the free place is taken.
    history.fire('s17', 'triage', { fields: { themes: ['wonen', 'energie'] } });
    document = documentOf(given(cells, history.events), Q1);
    expect(document.pairGivers).toEqual({ 'energie|wonen': 16 });
    expect(document.tally.pairGivers['energie|wonen']).toHaveProperty(digestOf('gent', 'giver-17'), 1);
    expect(document.givers).toEqual({ wonen: 18, energie: 18 });
    expectConsistent(document);
  });

  it('lets a turned-away giver take a place only where a full tally freed one, and not once it is full again', () => {
    const history = pairsOfGivers(18);
    let document = documentOf(given(cells, history.events), Q1);
    // Full, never freed: a step of a turned-away giver's signal takes nothing, and nothing is marked.
    expect(document.tally.freed).toEqual({});
    history.fire('s16', 'triage', { fields: { themes: ['wonen', 'energie'] } });
    document = documentOf(given(cells, history.events), Q1);
    expect(document.pairGivers).toEqual({ 'energie|wonen': 16 });
    expect(document.tally.pairGivers['energie|wonen']).not.toHaveProperty(digestOf('gent', 'giver-16'));
    // A followed giver's signal is rejected: each full tally it was in frees a place.
    history.fire('s0', 'reject');
    document = documentOf(given(cells, history.events), Q1);
    expect(document.tally.freed).toEqual({
      pairGivers: { 'energie|wonen': 1 },
      targetGroupGivers: { 'wonen|ouderen': 1, 'energie|ouderen': 1 },
    });
    // A new signal of a new giver takes the places first: full again, nothing left to take.
    history.submit('s18', {
      by: { id: 'giver-18', role: 'signal-giver' },
      fields: { themes: ['wonen', 'energie'], targetGroups: ['ouderen'] },
    });
    document = documentOf(given(cells, history.events), Q1);
    expect(document.tally.freed).toEqual({});
    history.fire('s17', 'triage', { fields: { themes: ['wonen', 'energie'] } });
    document = documentOf(given(cells, history.events), Q1);
    expect(document.pairGivers).toEqual({ 'energie|wonen': 16 });
    expect(document.tally.pairGivers['energie|wonen']).not.toHaveProperty(digestOf('gent', 'giver-17'));
    expectConsistent(document);
    // Another followed giver leaves: the next step of a turned-away giver's signal takes the place.
    history.fire('s1', 'reject').fire('s17', 'assign');
    document = documentOf(given(cells, history.events), Q1);
    expect(document.tally.pairGivers['energie|wonen']).toHaveProperty(digestOf('gent', 'giver-17'), 1);
    expect(document.targetGroupGivers).toEqual({ 'wonen|ouderen': 16, 'energie|ouderen': 16 });
    expect(document.tally.freed).toEqual({});
    expectConsistent(document);
  });

  it("on random histories, an event's document id read from its submission instant alone is the one its full read gives", () => {
    fc.assert(
      fc.property(historySteps, (steps) => {
        for (const event of playSteps(steps).events) {
          const view = readSignalEvent(event);
          const expected =
            view.kind === 'erased'
              ? null
              : `${view.tenantId}|${quarterOf(readTransitionFacts(view).submittedAt)}`;
          expect(cells.documentId(event)).toBe(expected);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('reads an id whose submission instant is missing or odd as the full read does', () => {
    const odd = aLifecycleEvent('triage', { from: 'submitted', submittedAt: '2026-03-31T23:30:00-02:00' });
    expect(cells.documentId(odd)).toBe('gent|2026-Q2');
    const missing = aLifecycleEvent('triage', { from: 'submitted' });
    delete (missing.metadata['workflow'] as Record<string, unknown>)['submittedAt'];
    expect(() => cells.documentId(missing)).toThrow(/metadata.workflow.submittedAt is missing/);
  });

  it('given a lifecycle event recorded without classificationBefore, then nothing moves', () => {
    const submitted = aSignalHistory('gent').submit('s1', { fields: { themes: ['wonen'] } });
    const old = aLifecycleEvent('reject', { from: 'submitted' });
    expect(old.metadata['workflow']).not.toHaveProperty('classificationBefore');
    const document = documentOf(given(cells, [...submitted.events, old]), Q1);
    expect(document.signals).toEqual({ wonen: 1 });
  });

  it('refuses a removal it cannot have counted, leaving the document as it was', () => {
    const submitted = aSignalHistory('gent').submit('s1', { fields: { themes: ['wonen'] } });
    const stale = aLifecycleEvent('reject', {
      from: 'submitted',
      signalId: 's9',
      classificationBefore: { themes: ['energie'], targetGroups: [], givenBy: 'x', organisationId: null },
    });
    const documents = given(cells, submitted.events);
    const before = JSON.stringify(documentOf(documents, Q1));
    expect(() => given(cells, [...submitted.events, stale])).toThrow(/would drop below zero/);
    expect(JSON.stringify(documentOf(documents, Q1))).toBe(before);
  });

  it('on random histories, counts equal a recount of each signal as it ends', () => {
    fc.assert(
      fc.property(historySteps, (steps) => {
        const history = playSteps(steps);
        const documents = given(cells, history.events);
        const expected = new Map<string, number>();
        const themesOf = new Map<string, readonly string[]>();
        for (const event of history.events) {
          const signalId = event.data['signalId'] as string;
          if (Array.isArray(event.data['themes'])) themesOf.set(signalId, event.data['themes'] as string[]);
        }
        for (const [signalId, state] of history.states()) {
          if (NOT_COUNTED_STATES.has(state)) continue;
          for (const theme of new Set(themesOf.get(signalId) ?? [])) {
            const first = history.events.find((event) => event.data['signalId'] === signalId)!;
            const key = `${history.tenantId}|${quarterOf(first.metadata.occurredAt)}|${theme}`;
            expected.set(key, (expected.get(key) ?? 0) + 1);
          }
        }
        const actual = new Map<string, number>();
        for (const [id, document] of documents as Map<string, SupralocalCellsDocument>) {
          expectConsistent(document);
          for (const [theme, count] of Object.entries(document.signals)) actual.set(`${id}|${theme}`, count);
        }
        expect(actual).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });

  it("on random histories, a document kept in memory between events (the runner's cache) equals one read back from the store at every event", () => {
    fc.assert(
      fc.property(historySteps, (steps) => {
        const history = playSteps(steps);
        const kept = new Map<string, SupralocalCellsDocument>();
        for (const event of history.events) apply(cells, kept, event, { copy: false });
        const readBack = given(cells, history.events);
        expect([...kept.keys()].sort()).toEqual([...readBack.keys()].sort());
        for (const [id, document] of kept)
          expect(JSON.stringify(document)).toBe(JSON.stringify(readBack.get(id)));
      }),
      { numRuns: 60 },
    );
  });
});
