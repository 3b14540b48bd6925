import { describe, expect, it } from '@jest/globals';
import { computeBrief, NO_DOMAIN, type BriefSignal } from './brief-content.js';
import { foldDossiers } from './dossier-summary-source.js';
import { parsePeriod, previousPeriod } from './period.js';
import type { RecordedEvent } from '../platform/event-store/event-store.port.js';

const Q3 = parsePeriod('2026-Q3');

let signals = 0;
function aSignal(overrides: Partial<BriefSignal> = {}): BriefSignal {
  signals += 1;
  return {
    signalId: `s${signals}`,
    themes: ['wonen'],
    policyDomain: 'wonen',
    state: 'assigned',
    open: true,
    submittedAt: '2026-07-10T09:00:00.000Z',
    stateEnteredAt: '2026-07-11T09:00:00.000Z',
    dueAt: '2026-07-16T09:00:00.000Z',
    structural: null,
    title: null,
    ...overrides,
  };
}

function brief(signals: BriefSignal[], now = '2026-11-28T00:00:00.000Z') {
  return computeBrief({
    tenantId: 'gent',
    period: Q3,
    previous: previousPeriod(Q3),
    now: new Date(now),
    signals,
    dossiers: [],
  });
}

describe('computeBrief', () => {
  it('counts received and closed per theme and policy domain with the trend against the previous period', () => {
    const content = brief([
      aSignal(),
      aSignal({ themes: ['wonen', 'energie'], submittedAt: '2026-08-01T00:00:00.000Z' }),
      aSignal({
        submittedAt: '2026-05-01T00:00:00.000Z',
        state: 'closed',
        open: false,
        stateEnteredAt: '2026-07-05T00:00:00.000Z',
      }),
      aSignal({ submittedAt: '2026-04-01T00:00:00.000Z', policyDomain: null }),
      aSignal({ submittedAt: '2026-10-01T00:00:00.000Z' }),
    ]);
    expect(content.totals.received).toEqual({ current: 2, previous: 2, delta: 0, percent: 0 });
    expect(content.totals.closed).toEqual({ current: 1, previous: 0, delta: 1, percent: null });
    expect(content.byTheme.find((row) => row.key === 'wonen')).toMatchObject({
      received: { current: 2, previous: 2 },
      closed: { current: 1, previous: 0 },
    });
    expect(content.byTheme.find((row) => row.key === 'energie')?.received.current).toBe(1);
    expect(content.byPolicyDomain.find((row) => row.key === NO_DOMAIN)?.received).toMatchObject({
      current: 0,
      previous: 1,
    });
    expect(content.monthly).toEqual([
      { month: '2026-07', received: 1, closed: 1 },
      { month: '2026-08', received: 1, closed: 0 },
      { month: '2026-09', received: 0, closed: 0 },
    ]);
    expect(content.leadTimes).toMatchObject({ closed: 1, medianDays: 65 });
  });

  it('counts the backlog at the end of a past period, including signals that ended after it', () => {
    const content = brief([
      aSignal({ dueAt: '2026-09-01T00:00:00.000Z' }),
      aSignal({ state: 'closed', open: false, stateEnteredAt: '2026-10-15T00:00:00.000Z', dueAt: null }),
      aSignal({ state: 'closed', open: false, stateEnteredAt: '2026-09-15T00:00:00.000Z', dueAt: null }),
      aSignal({ submittedAt: '2026-10-02T00:00:00.000Z' }),
    ]);
    expect(content.backlog).toMatchObject({ open: 2, overdue: 1, asOf: '2026-10-01T00:00:00.000Z' });
  });

  it('shows structural signals by title only, and never one erased', () => {
    const content = brief([
      aSignal({ structural: true, title: 'Wachtlijst sociale huur' }),
      aSignal({ structural: true, title: null }),
      aSignal({ structural: false, title: 'niet structureel' }),
    ]);
    expect(content.structuralSignals).toMatchObject({
      count: 2,
      titles: [{ title: 'Wachtlijst sociale huur', themes: ['wonen'] }],
    });
    expect(JSON.stringify(content)).not.toContain('niet structureel');
  });
});

function event(
  type: string,
  data: Record<string, unknown>,
  occurredAt: string,
  tenantId = 'gent',
): RecordedEvent {
  return {
    id: `${type}-${occurredAt}`,
    type,
    data: data as RecordedEvent['data'],
    metadata: {
      tenantId,
      actor: { id: 'l', role: 'lead-processor' },
      correlationId: 'c',
      causationId: 'c',
      occurredAt,
    },
    stream: `dossier-${tenantId}-${String(data['dossierId'])}`,
    revision: 0n,
    position: 0n,
    recordedAt: new Date(occurredAt),
  };
}

describe('foldDossiers', () => {
  it('folds the dossier contract events up to the end of the period', () => {
    const summaries = foldDossiers(
      [
        event(
          'DossierCreated',
          {
            dossierId: 'd1',
            title: 'Energiearmoede',
            summary: 'geheim',
            themes: ['energie'],
            signalIds: ['a', 'b'],
          },
          '2026-06-01T00:00:00.000Z',
        ),
        event('DossierSignalAdded', { dossierId: 'd1', signalId: 'c' }, '2026-07-01T00:00:00.000Z'),
        event(
          'DossierSignalRemoved',
          { dossierId: 'd1', signalId: 'a', reason: 'dubbel' },
          '2026-07-02T00:00:00.000Z',
        ),
        event(
          'DossierAnalysisRecorded',
          { dossierId: 'd1', conclusion: 'Structureel', structural: true, themes: ['energie'] },
          '2026-07-03T00:00:00.000Z',
        ),
        event(
          'DossierEscalated',
          {
            dossierId: 'd1',
            level: 'supralocal',
            body: 'VVSG',
            motivation: 'm',
            memberSignalIds: ['b', 'c'],
          },
          '2026-08-01T00:00:00.000Z',
        ),
        event(
          'DossierPolicyDecisionRecorded',
          {
            dossierId: 'd1',
            decision: 'Premie',
            actions: ['a1'],
            feedback: 'f',
            memberSignalIds: ['b', 'c'],
          },
          '2026-10-05T00:00:00.000Z',
        ),
        event(
          'DossierCreated',
          { dossierId: 'd2', title: 'Oud', summary: '', themes: [], signalIds: [] },
          '2025-01-01T00:00:00.000Z',
        ),
        event('DossierClosed', { dossierId: 'd2', outcome: 'klaar' }, '2025-02-01T00:00:00.000Z'),
      ],
      Q3,
    );
    expect(summaries).toHaveLength(1);
    expect(summaries[0]).toMatchObject({
      title: 'Energiearmoede',
      signalCount: 2,
      analyses: [{ conclusion: 'Structureel', structural: true }],
      escalations: [{ level: 'supralocal', body: 'VVSG', memberCount: 2 }],
      decisions: [],
    });
    expect(JSON.stringify(summaries)).not.toContain('geheim');
  });
});
