import { describe, expect, it } from '@jest/globals';
import type { SupralocalCellsFigures } from '../../projections/index.js';
import {
  patterns,
  quartersUpTo,
  rawTable,
  themeSeries,
  type Participant,
  type Patterns,
} from '../supralocal/core/patterns.js';
import { allInFirstMonth } from '../supralocal/core/cells-fixture.js';
import { suppressionRules, suppressTable } from '../supralocal/core/suppression.js';
import type { SupralocalEscalation } from '../supralocal/supralocal-queries.js';
import { renderSupralocalCharts, supralocalChartSpecs } from './render/charts.js';
import { renderHtml } from './render/html.js';
import { renderMarkdown } from './render/markdown.js';
import { buildSupralocalBriefDocument, HIDDEN } from './render/supralocal-brief-document.js';
import {
  computeSupralocalBrief,
  participantBands,
  trendThemes,
  type SupralocalBriefInput,
} from './supralocal-brief-content.js';

const RULES = suppressionRules();
const NOW = new Date('2026-10-05T08:00:00.000Z');

/** A cells document as the supra-local queries read it: theme → [signals, distinct givers]. */
function cells(
  tenantId: string,
  quarter: string,
  themes: Record<string, [number, number]>,
  extra: Partial<SupralocalCellsFigures> = {},
): SupralocalCellsFigures {
  const pick = (index: 0 | 1) =>
    Object.fromEntries(Object.entries(themes).map(([theme, figures]) => [theme, figures[index]]));
  return {
    tenantId,
    quarter,
    updatedAt: '',
    signals: pick(0),
    givers: pick(1),
    organisations: {},
    escalations: {},
    dossiers: {},
    targetGroups: {},
    targetGroupGivers: {},
    pairs: {},
    pairGivers: {},
    allGivers: Math.max(0, ...Object.values(themes).map(([, givers]) => givers)),
    allOrganisations: 0,
    ...allInFirstMonth(
      quarter,
      pick(0),
      pick(1),
      Math.max(0, ...Object.values(themes).map(([, givers]) => givers)),
    ),
    ...extra,
  };
}

const PARTICIPANTS: Participant[] = [
  { tenantId: 'aalst', name: 'Aalst', populationBand: '50000-100000' },
  { tenantId: 'gent', name: 'Gent', populationBand: 'gt-100000' },
  { tenantId: 'ieper', name: 'Ieper', populationBand: '25000-50000' },
  { tenantId: 'lier', name: 'Lier', populationBand: '25000-50000' },
];

/**
 * 2026-Q3: Gent's wonen cell (613 signals from 2 givers) is below the threshold, and so is
 * Ieper's jeugd (4 signals); the secondary suppression hides more. Brugge did not opt in (its
 * 9,871 signals must never show). Figures are chosen so no published number contains a hidden one.
 */
const DOCUMENTS: SupralocalCellsFigures[] = [
  cells('gent', '2026-Q2', { wonen: [302, 60], jeugd: [120, 40], energie: [97, 30] }),
  cells('aalst', '2026-Q2', { wonen: [181, 50], jeugd: [150, 45], energie: [80, 20] }),
  cells('ieper', '2026-Q2', { wonen: [101, 30], energie: [66, 25] }),
  cells('lier', '2026-Q2', { wonen: [90, 22], energie: [50, 12] }),
  cells(
    'gent',
    '2026-Q3',
    { wonen: [613, 2], jeugd: [151, 40], energie: [97, 30] },
    {
      targetGroups: { 'wonen|ouderen': 58, 'jeugd|jongeren': 2 },
      targetGroupGivers: { 'wonen|ouderen': 12, 'jeugd|jongeren': 1 },
    },
  ),
  cells(
    'aalst',
    '2026-Q3',
    { wonen: [211, 50], jeugd: [173, 45], energie: [89, 20] },
    {
      pairs: { 'energie|wonen': 55, 'jeugd|wonen': 29 },
      pairGivers: { 'energie|wonen': 12, 'jeugd|wonen': 2 },
    },
  ),
  cells('ieper', '2026-Q3', { wonen: [131, 35], jeugd: [4, 3], energie: [67, 25] }),
  cells('lier', '2026-Q3', { wonen: [109, 28], energie: [43, 11] }),
  cells('brugge', '2026-Q3', { wonen: [9871, 99] }),
];

const ESCALATION: SupralocalEscalation = {
  tenantId: 'aalst',
  municipality: 'Aalst',
  dossierId: 'd-1',
  title: 'Wachtlijsten sociale huur',
  summary: 'Gezinnen wachten gemiddeld vier jaar op een sociale woning.',
  themes: ['wonen'],
  state: 'escalated',
  memberCount: 14,
  escalatedAt: '2026-08-20T10:00:00.000Z',
  body: 'VVSG',
};

/** What SupralocalQueries answers for the analyst, from the same pure functions it calls. */
function input(documents = DOCUMENTS, participants = PARTICIPANTS): SupralocalBriefInput {
  const view: Patterns = patterns(documents, participants, '2026-Q3', RULES);
  return {
    quarter: '2026-Q3',
    patterns: view,
    bands: participantBands(view).map((band) => ({
      band,
      patterns: patterns(documents, participants, '2026-Q3', RULES, {
        columns: new Set(participants.filter((p) => p.populationBand === band).map((p) => p.tenantId)),
      }),
    })),
    series: trendThemes(view).map((theme) =>
      themeSeries(theme, documents, participants, quartersUpTo('2026-Q3', 4), RULES),
    ),
    escalations: [ESCALATION],
  };
}

/** Every entry (cell or total) the whole table hides, with its raw signal count. */
function hiddenEntries(): number[] {
  const raw = rawTable(DOCUMENTS, PARTICIPANTS, '2026-Q3');
  const table = suppressTable(raw, RULES);
  const hidden: number[] = [];
  for (const [theme, row] of table.cells)
    for (const [tenantId, cell] of row)
      if (cell.suppressed) hidden.push(raw.cells.get(theme)!.get(tenantId)!.signals);
  for (const [theme, total] of table.rowTotals)
    if (total.suppressed)
      hidden.push([...raw.cells.get(theme)!.values()].reduce((sum, cell) => sum + cell.signals, 0));
  for (const [tenantId, total] of table.columnTotals)
    if (total.suppressed)
      hidden.push([...raw.cells.values()].reduce((sum, row) => sum + (row.get(tenantId)?.signals ?? 0), 0));
  // And the month split of the quarter, suppressed with the table.
  for (const [theme, row] of table.months!.cells)
    for (const [month, cell] of row)
      if (cell.suppressed) hidden.push(raw.months!.cells.get(theme)!.get(month)!.signals);
  for (const [month, total] of table.months!.monthTotals)
    if (total.suppressed)
      hidden.push(
        [...raw.months!.cells.values()].reduce((sum, row) => sum + (row.get(month)?.signals ?? 0), 0),
      );
  return hidden;
}

function mentions(text: string, value: number): boolean {
  const forms = [String(value), value.toLocaleString('nl-BE')];
  return forms.some((form) =>
    new RegExp(`(?<![\\d.,])${form.replace('.', '\\.')}(?![\\d.,]\\d|\\d)`).test(text),
  );
}

describe('the supra-local brief', () => {
  it('given a table with hidden cells, when the brief is rendered, then no hidden figure appears in JSON, Markdown or HTML', async () => {
    const hidden = hiddenEntries();
    // Given: the small cells and what the secondary suppression hides to protect them.
    expect(hidden).toEqual(expect.arrayContaining([613, 4]));
    expect(hidden.length).toBeGreaterThan(2);
    // When
    const content = computeSupralocalBrief(input(), NOW);
    const document = buildSupralocalBriefDocument(content);
    const charts = await renderSupralocalCharts(content);
    const outputs = {
      json: JSON.stringify(content),
      md: renderMarkdown(document),
      html: renderHtml(document, charts),
    };
    // Then: no hidden entry of at least two digits (a single digit is in every sentence), nor Brugge.
    for (const [format, text] of Object.entries(outputs)) {
      for (const value of hidden.filter((v) => v >= 10))
        expect({ format, value, shown: mentions(text, value) }).toEqual({ format, value, shown: false });
      expect({ format, brugge: /brugge|9871|9\.871/i.test(text) }).toEqual({ format, brugge: false });
    }
    // …while the published figures are there, and a hidden total reads "< drempel".
    expect(outputs.md).toContain('&lt; drempel');
    expect(outputs.html).toContain('&lt; drempel');
    const view = input().patterns;
    for (const trend of view.themes) {
      const row = content.themes.find((candidate) => candidate.theme === trend.theme)!;
      // Hidden: null ("< drempel"); no entry: 0; published: the API's figure.
      expect(row.signals).toBe(
        trend.total === null ? 0 : trend.total.suppressed ? null : trend.total.signals,
      );
    }
    expect(outputs.json).not.toContain('suppressed');
  });

  it('given two quarters, when the content is computed, then rising themes carry growth and the municipalities they rise in', () => {
    const content = computeSupralocalBrief(input(), NOW);
    expect(content.participants).toEqual({
      count: 4,
      byPopulationBand: [
        { band: '25000-50000', label: '25.000 tot 50.000 inwoners', count: 2 },
        { band: '50000-100000', label: '50.000 tot 100.000 inwoners', count: 1 },
        { band: 'gt-100000', label: 'meer dan 100.000 inwoners', count: 1 },
      ],
    });
    const published = content.themes.filter((row) => row.growthPercent !== null);
    for (const row of published)
      expect(row.growthPercent).toBeCloseTo(
        ((row.signals! - row.previousSignals!) / row.previousSignals!) * 100,
        0,
      );
    expect(content.rising.every((row) => row.growthPercent! > 0)).toBe(true);
    expect(content.rising.map((row) => row.growthPercent)).toEqual(
      [...content.rising.map((row) => row.growthPercent)].sort((a, b) => b! - a!),
    );
    expect(content.cooccurrence).toEqual([
      { themes: ['energie', 'wonen'], labels: ['Energie', 'Wonen'], signals: 55 },
    ]);
    expect(content.targetGroups).toEqual([
      expect.objectContaining({ theme: 'wonen', targetGroup: 'ouderen', signals: 58 }),
    ]);
    expect(content.escalations).toEqual([
      expect.objectContaining({
        municipality: 'Aalst',
        title: 'Wachtlijsten sociale huur',
        summary: ESCALATION.summary,
        themes: ['Wonen'],
        signalCount: 14,
      }),
    ]);
    expect(content.rules).toEqual({ minSignals: 5, minGivers: 3 });
  });

  it('given population bands, when compared, then a band adds up only its published cells', () => {
    const content = computeSupralocalBrief(input(), NOW);
    const view = input().patterns;
    for (const band of content.populationBands) {
      const members = new Set(
        view.municipalities.filter((m) => m.populationBand === band.band).map((m) => m.tenantId),
      );
      for (const theme of band.themes) {
        const own = view.cells.filter((cell) => cell.theme === theme.theme && members.has(cell.tenantId));
        const shown = own.flatMap((cell) => ('suppressed' in cell ? [] : [cell.signals]));
        expect(theme).toMatchObject({
          publishedCells: shown.length,
          signalsInPublishedCells: shown.reduce((a, b) => a + b, 0),
          hiddenCells: own.length - shown.length,
        });
      }
    }
  });

  it('given the trend over four quarters, when charted, then a hidden total is a gap, never a zero', () => {
    const content = computeSupralocalBrief(input(), NOW);
    expect(content.trend.quarters).toEqual(['2025-Q4', '2026-Q1', '2026-Q2', '2026-Q3']);
    const specs = supralocalChartSpecs(content) as unknown as Record<
      string,
      { data: { values: Array<{ categorie: string; reeks: string; aantal: number }> } }
    >;
    const points = specs['trend']!.data.values;
    // No signals before 2026-Q2: a zero is public knowledge and drawn as zero.
    expect(content.trend.themes.map((row) => row.signals.slice(0, 2))).toEqual(
      content.trend.themes.map(() => [0, 0]),
    );
    const hiddenTrend = computeSupralocalBrief(
      {
        ...input(),
        series: [
          {
            ...input().series[0]!,
            quarters: input().series[0]!.quarters.map((q, i) =>
              i === 2 ? { ...q, total: { suppressed: true as const, reason: 'small' as const } } : q,
            ),
          },
        ],
      },
      NOW,
    );
    expect(hiddenTrend.trend.themes[0]!.signals[2]).toBeNull();
    const hiddenPoints = (
      supralocalChartSpecs(hiddenTrend) as unknown as Record<
        string,
        { data: { values: Array<{ categorie: string }> } }
      >
    )['trend']!.data.values;
    expect(hiddenPoints.map((point) => point.categorie)).toEqual(['2025-Q4', '2026-Q1', '2026-Q3']);
    for (const row of content.trend.themes)
      row.signals.forEach((value, index) =>
        expect(
          points.filter((p) => p.reeks === row.label && p.categorie === content.trend.quarters[index]),
        ).toHaveLength(value === null ? 0 : 1),
      );
  });

  it('given the thresholds of the configuration, when the document is built, then the Dutch method section names them and "< drempel"', () => {
    const content = computeSupralocalBrief(input(), NOW);
    const raised = { ...content, rules: { minSignals: 8, minGivers: 4 } };
    const document = buildSupralocalBriefDocument(raised);
    const months = document.sections.find((section) => section.heading === 'Per maand')!;
    const monthTable = months.blocks.find((block) => block.kind === 'table');
    expect(monthTable).toMatchObject({ head: ['thema', 'juli 2026', 'augustus 2026', 'september 2026'] });
    expect(document.title).toBe('Bovenlokale patronen — 3de kwartaal 2026');
    expect(document.sections.map((section) => section.heading)).toEqual([
      'Samenvatting',
      'Deelnemende gemeenten',
      "Stijgende thema's",
      "Alle gedeelde thema's",
      'Verloop per thema',
      'Per maand',
      "Thema's die samen voorkomen",
      'Doelgroepen',
      'Soort gebied',
      'Vergelijking per inwonersklasse',
      'Bovenlokale agenderingen',
      'Methode en onderdrukking van kleine aantallen',
    ]);
    const method = JSON.stringify(document.sections.at(-1));
    expect(method).toContain('minstens 8 signalen van minstens 4 verschillende signaalgevers');
    expect(method).toContain(HIDDEN);
  });

  it('given an escalated dossier of one signal, when the document is built, then it reads "1 signaal"', () => {
    const one = computeSupralocalBrief({ ...input(), escalations: [{ ...ESCALATION, memberCount: 1 }] }, NOW);
    const text = renderMarkdown(buildSupralocalBriefDocument(one));
    expect(text).toContain('naar VVSG; 1 signaal; ');
    expect(text).not.toMatch(/\b1 signalen\b/);
    const many = renderMarkdown(buildSupralocalBriefDocument(computeSupralocalBrief(input(), NOW)));
    expect(many).toContain('naar VVSG; 14 signalen; ');
  });

  it('given signals with several themes, when the summary is written, then it does not call the sum of theme counts the signals received', () => {
    // The grand total adds the cells, so a signal with two themes counts twice: it is no number of signals.
    const content = computeSupralocalBrief(input(), NOW);
    expect(content.totalSignals).toBe(1688);
    const summary = renderMarkdown(buildSupralocalBriefDocument(content)).split('## Deelnemende')[0]!;
    expect(summary).not.toContain('ontvingen ze');
    expect(summary).toContain(
      "Hun signalen noemden samen 1.688 keer een gedeeld thema (een signaal met meer thema's telt bij elk van die thema's).",
    );
  });

  it('given no escalation in the quarter, when the summary is written, then it reads "Geen dossiers", not "0 dossiers"', () => {
    const none = computeSupralocalBrief({ ...input(), escalations: [] }, NOW);
    const text = renderMarkdown(buildSupralocalBriefDocument(none));
    expect(text).not.toContain('0 dossiers');
    expect(text).toContain('Geen dossiers werden dit kwartaal bovenlokaal geagendeerd. ');
    const one = renderMarkdown(buildSupralocalBriefDocument(computeSupralocalBrief(input(), NOW)));
    expect(one).toContain('1 dossier werd dit kwartaal bovenlokaal geagendeerd. ');
  });

  it('given no participating municipality, when the brief is built, then it says so instead of showing figures', () => {
    const content = computeSupralocalBrief(input(DOCUMENTS, []), NOW);
    expect(content.participants.count).toBe(0);
    expect(content.themes).toEqual([]);
    const document = buildSupralocalBriefDocument(content);
    expect(document.sections[0]!.blocks[0]).toEqual({
      kind: 'paragraph',
      text: 'In 3de kwartaal 2026 nam geen enkele gemeente deel aan de bovenlokale analyse; deze brief bevat daarom geen cijfers.',
    });
  });
});
