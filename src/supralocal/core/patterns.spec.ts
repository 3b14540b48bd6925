import { describe, expect, it } from '@jest/globals';
import type { SupralocalCellsFigures } from '../../../projections/index.js';
import { patterns, previousQuarter, quartersUpTo, themeSeries, type Participant } from './patterns.js';
import { allInFirstMonth } from './cells-fixture.js';
import { suppressionRules } from './suppression.js';

const RULES = suppressionRules();

/** A cells document as queries read it: theme → [signals, distinct givers, escalations]. */
function cells(
  tenantId: string,
  quarter: string,
  themes: Record<string, [number, number, number?]>,
  pairs: Record<string, [number, number]> = {},
): SupralocalCellsFigures {
  const each = (pick: (figures: [number, number, number?]) => number | undefined) =>
    Object.fromEntries(
      Object.entries(themes)
        .map(([theme, figures]) => [theme, pick(figures)] as const)
        .filter(([, value]) => value !== undefined && value !== 0),
    ) as Record<string, number>;
  return {
    tenantId,
    quarter,
    updatedAt: '',
    signals: each(([signals]) => signals),
    givers: each(([, givers]) => givers),
    organisations: {},
    escalations: each(([, , escalations]) => escalations),
    dossiers: {},
    targetGroups: {},
    targetGroupGivers: {},
    pairs: Object.fromEntries(Object.entries(pairs).map(([key, [signals]]) => [key, signals])),
    pairGivers: Object.fromEntries(Object.entries(pairs).map(([key, [, n]]) => [key, n])),
    allGivers: Math.max(0, ...Object.values(themes).map(([, givers]) => givers)),
    allOrganisations: 0,
    ...allInFirstMonth(
      quarter,
      each(([signals]) => signals),
      each(([, givers]) => givers),
      Math.max(0, ...Object.values(themes).map(([, givers]) => givers)),
    ),
  };
}

const PARTICIPANTS: Participant[] = [
  { tenantId: 'gent', name: 'Gent', populationBand: '100000+' },
  { tenantId: 'aalst', name: 'Aalst', populationBand: '50000-100000' },
  { tenantId: 'ieper', name: 'Ieper', populationBand: '25000-50000' },
];

describe('supra-local patterns', () => {
  it('counts quarters', () => {
    expect(previousQuarter('2026-Q1')).toBe('2025-Q4');
    expect(previousQuarter('2026-Q3')).toBe('2026-Q2');
    expect(quartersUpTo('2026-Q2', 4)).toEqual(['2025-Q3', '2025-Q4', '2026-Q1', '2026-Q2']);
  });

  it('puts themes rising across municipalities first, with growth and in how many municipalities', () => {
    const documents = [
      cells('gent', '2026-Q2', { wonen: [40, 9], energie: [30, 9] }),
      cells('aalst', '2026-Q2', { wonen: [20, 6], energie: [20, 6] }),
      cells('ieper', '2026-Q2', { wonen: [10, 4], energie: [10, 4] }),
      cells('gent', '2026-Q3', { wonen: [40, 9], energie: [60, 9, 2] }),
      cells('aalst', '2026-Q3', { wonen: [20, 6], energie: [30, 6] }),
      cells('ieper', '2026-Q3', { wonen: [10, 4], energie: [15, 4] }),
    ];
    const view = patterns(documents, PARTICIPANTS, '2026-Q3', RULES);
    expect(view.previousPeriod).toBe('2026-Q2');
    expect(
      view.themes.map((trend) => [trend.theme, trend.growth, trend.municipalities, trend.risingIn]),
    ).toEqual([
      ['energie', 0.75, 3, 3],
      ['wonen', 0, 3, 0],
    ]);
    expect(view.themes[0]!.total).toMatchObject({ suppressed: false, signals: 105, escalations: 2 });
    expect(view.grandTotal).toMatchObject({ signals: 175 });
  });

  it('ignores documents of tenants that did not opt in', () => {
    const documents = [
      cells('gent', '2026-Q3', { wonen: [40, 9] }),
      cells('aalst', '2026-Q3', { wonen: [20, 6] }),
      cells('brugge', '2026-Q3', { wonen: [999, 99] }),
    ];
    const view = patterns(documents, PARTICIPANTS.slice(0, 2), '2026-Q3', RULES);
    expect(view.cells.map((cell) => cell.tenantId)).toEqual(['gent', 'aalst']);
    expect(view.grandTotal).toMatchObject({ signals: 60 });
  });

  it('shows a subset of municipalities with the suppression of the whole table, and no new totals', () => {
    const documents = [
      cells('gent', '2026-Q3', { wonen: [40, 9], jeugd: [3, 3] }),
      cells('aalst', '2026-Q3', { wonen: [20, 6], jeugd: [30, 6] }),
      cells('ieper', '2026-Q3', { wonen: [10, 4], jeugd: [12, 4] }),
    ];
    const whole = patterns(documents, PARTICIPANTS, '2026-Q3', RULES);
    const own = patterns(documents, PARTICIPANTS, '2026-Q3', RULES, {
      columns: new Set(['ieper']),
      totals: false,
    });
    const inWhole = whole.cells.filter((cell) => cell.tenantId === 'ieper');
    expect(own.cells).toEqual(inWhole);
    expect(own.grandTotal).toBeNull();
    expect(own.themes.every((trend) => trend.total === null)).toBe(true);
    expect(whole.cells.find((cell) => cell.tenantId === 'gent' && cell.theme === 'jeugd')).toEqual({
      theme: 'jeugd',
      tenantId: 'gent',
      suppressed: true,
    });
    // The jeugd row holds a small cell: a second one hides with it (or the row total does).
    const hiddenJeugd = whole.cells.filter((cell) => cell.theme === 'jeugd' && 'suppressed' in cell).length;
    const jeugdTotal = whole.themes.find((trend) => trend.theme === 'jeugd')!.total;
    expect(hiddenJeugd + (jeugdTotal?.suppressed ? 1 : 0)).toBeGreaterThanOrEqual(2);
  });

  it('lists co-occurring themes only above the thresholds', () => {
    const documents = [
      cells(
        'gent',
        '2026-Q3',
        { wonen: [40, 9], energie: [30, 9] },
        { 'energie|wonen': [4, 2], 'jeugd|wonen': [9, 5] },
      ),
      cells('aalst', '2026-Q3', { wonen: [20, 6] }, { 'energie|wonen': [3, 2] }),
    ];
    const view = patterns(documents, PARTICIPANTS, '2026-Q3', RULES);
    expect(view.cooccurrence).toEqual([
      { themes: ['jeugd', 'wonen'], signals: 9 },
      { themes: ['energie', 'wonen'], signals: 7 },
    ]);
  });

  it('does not narrow the lists without totals by population band: band minus whole would reveal a hidden entry', () => {
    const documents = [
      {
        ...cells('gent', '2026-Q3', { wonen: [40, 9] }, { 'energie|wonen': [4, 3] }),
        targetGroups: { 'wonen|gezinnen': 4 },
        targetGroupGivers: { 'wonen|gezinnen': 3 },
        areaTypes: { 'wonen|wijk': 2 },
        areaTypeGivers: { 'wonen|wijk': 2 },
      },
      {
        ...cells('aalst', '2026-Q3', { wonen: [20, 6] }, { 'energie|wonen': [5, 3] }),
        targetGroups: { 'wonen|gezinnen': 6 },
        targetGroupGivers: { 'wonen|gezinnen': 3 },
        areaTypes: { 'wonen|wijk': 5 },
        areaTypeGivers: { 'wonen|wijk': 3 },
      },
    ];
    const whole = patterns(documents, PARTICIPANTS, '2026-Q3', RULES);
    const band = patterns(documents, PARTICIPANTS, '2026-Q3', RULES, { columns: new Set(['aalst']) });
    expect(whole.cooccurrence).toEqual([{ themes: ['energie', 'wonen'], signals: 9 }]);
    expect(whole.targetGroups.map((row) => row.signals)).toEqual([10]);
    expect(whole.areaTypes.map((row) => row.signals)).toEqual([7]);
    // Aalst's own 5, 6 and 5 would give Gent's 4, 4 and 2 (below the threshold) by difference.
    expect(band.cooccurrence).toEqual(whole.cooccurrence);
    expect(band.targetGroups).toEqual(whole.targetGroups);
    expect(band.areaTypes).toEqual(whole.areaTypes);
  });

  it('gives one theme over quarters, each its own table row', () => {
    const documents = [
      cells('gent', '2026-Q2', { wonen: [40, 9] }),
      cells('gent', '2026-Q3', { wonen: [50, 9] }),
      cells('aalst', '2026-Q3', { wonen: [20, 6] }),
    ];
    const series = themeSeries('wonen', documents, PARTICIPANTS, ['2026-Q2', '2026-Q3'], RULES);
    expect(series.label).toBe('Wonen');
    expect(series.quarters.map((quarter) => [quarter.period, quarter.cells.length])).toEqual([
      ['2026-Q2', 1],
      ['2026-Q3', 2],
    ]);
  });

  it('splits each theme by month of submission over all participants, suppressed with the quarter table', () => {
    const spread = (tenantId: string, wonen: [number, number, number], givers: [number, number, number]) => ({
      ...cells(tenantId, '2026-Q3', {
        wonen: [wonen[0] + wonen[1] + wonen[2], givers[0] + givers[1] + givers[2]],
      }),
      months: { '2026-07|wonen': wonen[0], '2026-08|wonen': wonen[1], '2026-09|wonen': wonen[2] },
      monthGivers: { '2026-07|wonen': givers[0], '2026-08|wonen': givers[1], '2026-09|wonen': givers[2] },
      monthAllGivers: { '2026-07': givers[0], '2026-08': givers[1], '2026-09': givers[2] },
    });
    const documents = [
      spread('gent', [20, 12, 1], [6, 5, 1]),
      spread('aalst', [10, 8, 0], [4, 3, 0]),
      spread('ieper', [6, 5, 0], [3, 3, 0]),
    ];
    const view = patterns(documents, PARTICIPANTS, '2026-Q3', RULES);
    expect(view.months!.periods).toEqual(['2026-07', '2026-08', '2026-09']);
    const [wonen] = view.months!.themes;
    expect(wonen!.label).toBe('Wonen');
    expect(wonen!.months[0]).toEqual({
      period: '2026-07',
      figures: { suppressed: false, signals: 36, givers: 13, organisations: 0, escalations: 0, dossiers: 0 },
    });
    // September holds one signal: hidden, and with it a second entry of its row (or the row total).
    expect(wonen!.months[2]!.figures).toEqual({ suppressed: true, reason: 'small' });
    const hiddenInRow = wonen!.months.filter((month) => month.figures?.suppressed).length;
    const total = view.themes[0]!.total;
    expect(hiddenInRow + (total?.suppressed ? 1 : 0)).toBeGreaterThanOrEqual(2);
    expect(view.months!.totals.map((month) => month.total?.suppressed)).toContain(true);
    // The same split per quarter in the theme series; none for a lead processor.
    const series = themeSeries('wonen', documents, PARTICIPANTS, ['2026-Q3'], RULES);
    expect(series.quarters[0]!.months).toEqual(wonen!.months);
    const own = patterns(documents, PARTICIPANTS, '2026-Q3', RULES, {
      columns: new Set(['gent']),
      totals: false,
    });
    expect(own.months).toBeNull();
    expect(
      themeSeries('wonen', documents, PARTICIPANTS, ['2026-Q3'], RULES, { totals: false }).quarters[0]!
        .months,
    ).toBeNull();
  });

  it('lists themes by area type only above the thresholds, summed over municipalities', () => {
    const documents = [
      {
        ...cells('gent', '2026-Q3', { wonen: [40, 9] }),
        areaTypes: { 'wonen|wijk': 4, 'wonen|deelgemeente': 2 },
        areaTypeGivers: { 'wonen|wijk': 2, 'wonen|deelgemeente': 2 },
      },
      {
        ...cells('aalst', '2026-Q3', { wonen: [20, 6] }),
        areaTypes: { 'wonen|wijk': 3, 'wonen|deelgemeente': 2 },
        areaTypeGivers: { 'wonen|wijk': 2, 'wonen|deelgemeente': 1 },
      },
    ];
    const view = patterns(documents, PARTICIPANTS, '2026-Q3', RULES);
    expect(view.areaTypes).toEqual([{ theme: 'wonen', areaType: 'wijk', label: 'Wijk', signals: 7 }]);
    expect(patterns(documents, PARTICIPANTS, '2026-Q3', RULES, { totals: false }).areaTypes).toEqual([]);
  });

  it('answers from documents of the version before the month split (active until it is rebuilt): no months, no area types', () => {
    const older = (tenantId: string, figures: [number, number]) => {
      const { months, monthGivers, monthAllGivers, areaTypes, areaTypeGivers, ...rest } = cells(
        tenantId,
        '2026-Q3',
        { wonen: figures },
      );
      void [months, monthGivers, monthAllGivers, areaTypes, areaTypeGivers];
      return rest;
    };
    const documents = [older('gent', [40, 9]), older('aalst', [20, 6])];
    const view = patterns(documents, PARTICIPANTS, '2026-Q3', RULES);
    expect(view.months).toBeNull();
    expect(view.areaTypes).toEqual([]);
    expect(view.grandTotal).toMatchObject({ suppressed: false, signals: 60 });
    expect(themeSeries('wonen', documents, PARTICIPANTS, ['2026-Q3'], RULES).quarters[0]!.months).toBeNull();
  });
});
