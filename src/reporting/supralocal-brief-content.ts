import { themeLabel, type Patterns, type ThemeSeries } from '../supralocal/core/patterns.js';
import type { Published, SuppressionRules } from '../supralocal/core/suppression.js';
import type { SupralocalEscalation } from '../supralocal/supralocal-queries.js';
import { describePeriod, parsePeriod } from './period.js';

/**
 * The quarterly supra-local pattern brief for VVSG, computed only from what the supra-local
 * queries answer (SupralocalQueries): every figure in it was published by the same suppression
 * as the API, and a hidden entry reaches this module only as `{ suppressed: true }`, never as a
 * number. In the content a hidden figure is `null` ("< drempel" in the documents).
 */

/** What the brief reads, all through SupralocalQueries with the analyst's scope. */
export interface SupralocalBriefInput {
  quarter: string;
  /** The pattern view of the quarter over every participating municipality. */
  patterns: Patterns;
  /** The same view limited to each population band (the whole table's suppression, no new totals). */
  bands: Array<{ band: string; patterns: Patterns }>;
  /** The followed themes over the last quarters (`trendThemes`), oldest quarter first. */
  series: ThemeSeries[];
  /** Dossiers escalated to the supra-local level in the quarter, with their public summary. */
  escalations: SupralocalEscalation[];
}

export interface SupralocalThemeRow {
  theme: string;
  label: string;
  /** Signals of the quarter over all municipalities; null when the total is hidden ("< drempel"). */
  signals: number | null;
  previousSignals: number | null;
  /** Growth against the quarter before in percent (one decimal); null when either total is hidden. */
  growthPercent: number | null;
  /** Municipalities with a published cell for the theme. */
  municipalities: number;
  /** Municipalities whose published cell rose against their published cell of the quarter before. */
  risingIn: number;
  /** Cells of the theme not published (below the threshold or hidden to protect one that is). */
  hiddenCells: number;
}

export interface SupralocalBandRow {
  band: string;
  label: string;
  municipalities: number;
  themes: Array<{
    theme: string;
    label: string;
    /** Municipalities of the band with a published cell for the theme. */
    publishedCells: number;
    /** Sum of those published cells: a lower bound for the band, never a hidden figure. */
    signalsInPublishedCells: number;
    hiddenCells: number;
  }>;
}

export interface SupralocalBriefContent {
  kind: 'supralocal';
  period: { label: string; from: string; to: string; description: string };
  previousPeriod: { label: string; description: string };
  generatedAt: string;
  rules: SuppressionRules;
  participants: {
    count: number;
    byPopulationBand: Array<{ band: string; label: string; count: number }>;
  };
  /** All signals of the participants in the quarter; null when not published. */
  totalSignals: number | null;
  cells: { published: number; hidden: number };
  themes: SupralocalThemeRow[];
  /** The themes with a published growth above zero, highest growth first. */
  rising: SupralocalThemeRow[];
  cooccurrence: Array<{ themes: [string, string]; labels: [string, string]; signals: number }>;
  targetGroups: Array<{
    theme: string;
    themeLabel: string;
    targetGroup: string;
    label: string;
    signals: number;
  }>;
  areaTypes: Array<{ theme: string; themeLabel: string; areaType: string; label: string; signals: number }>;
  /** The quarter by month of submission over all participants; a hidden figure is null. */
  months: {
    periods: string[];
    themes: Array<{ theme: string; label: string; signals: Array<number | null> }>;
    totals: Array<number | null>;
  };
  populationBands: SupralocalBandRow[];
  trend: {
    quarters: string[];
    themes: Array<{ theme: string; label: string; signals: Array<number | null> }>;
  };
  escalations: Array<{
    municipality: string;
    title: string;
    summary: string;
    themes: string[];
    body: string;
    escalatedAt: string;
    signalCount: number;
  }>;
}

/** Population bands as the tenant settings name them, in order, with their Dutch label. */
export const POPULATION_BAND_LABELS: ReadonlyArray<readonly [string, string]> = [
  ['lt-10000', 'minder dan 10.000 inwoners'],
  ['10000-25000', '10.000 tot 25.000 inwoners'],
  ['25000-50000', '25.000 tot 50.000 inwoners'],
  ['50000-100000', '50.000 tot 100.000 inwoners'],
  ['gt-100000', 'meer dan 100.000 inwoners'],
];
const BAND_LABEL = new Map(POPULATION_BAND_LABELS);
const BAND_ORDER = new Map(POPULATION_BAND_LABELS.map(([band], index) => [band, index]));
export const UNKNOWN_BAND_LABEL = 'inwonersklasse niet opgegeven';

export function populationBandLabel(band: string | null): string {
  return band === null ? UNKNOWN_BAND_LABEL : (BAND_LABEL.get(band) ?? band);
}

/** How many themes the trend over quarters follows (one line each). */
export const TREND_THEMES = 5;
/** How many themes the population-band comparison shows. */
export const BAND_THEMES = 8;

/**
 * The themes the brief follows over the quarters: the rising ones first (as the pattern view
 * orders them), then the largest; only themes whose total of this quarter is published.
 */
export function trendThemes(patterns: Patterns, count = TREND_THEMES): string[] {
  return patterns.themes
    .filter((trend) => {
      const total = published(trend.total);
      return total !== null && total > 0;
    })
    .slice(0, count)
    .map((trend) => trend.theme);
}

/** The population bands the participants belong to, in the order of the settings. */
export function participantBands(patterns: Patterns): string[] {
  const bands = new Set<string>();
  for (const municipality of patterns.municipalities)
    if (municipality.populationBand !== null) bands.add(municipality.populationBand);
  return [...bands].sort(
    (a, b) => (BAND_ORDER.get(a) ?? 99) - (BAND_ORDER.get(b) ?? 99) || a.localeCompare(b),
  );
}

/** Pure: the brief's content from the answers of the supra-local queries. */
export function computeSupralocalBrief(input: SupralocalBriefInput, now: Date): SupralocalBriefContent {
  const { patterns } = input;
  const period = parsePeriod(input.quarter);
  const previous = parsePeriod(patterns.previousPeriod);
  const hiddenByTheme = new Map<string, number>();
  let publishedCells = 0;
  let hiddenCells = 0;
  for (const cell of patterns.cells) {
    if ('suppressed' in cell) {
      hiddenCells++;
      hiddenByTheme.set(cell.theme, (hiddenByTheme.get(cell.theme) ?? 0) + 1);
    } else publishedCells++;
  }
  const themes: SupralocalThemeRow[] = patterns.themes.map((trend) => ({
    theme: trend.theme,
    label: trend.label,
    signals: published(trend.total),
    previousSignals: published(trend.previousTotal),
    growthPercent: trend.growth === null ? null : Math.round(trend.growth * 1000) / 10,
    municipalities: trend.municipalities,
    risingIn: trend.risingIn,
    hiddenCells: hiddenByTheme.get(trend.theme) ?? 0,
  }));
  const byBand = new Map<string, number>();
  for (const municipality of patterns.municipalities) {
    const band = municipality.populationBand ?? '';
    byBand.set(band, (byBand.get(band) ?? 0) + 1);
  }
  const bandThemes = themes
    .filter((row) => row.signals !== null)
    .sort((a, b) => b.signals! - a.signals! || a.theme.localeCompare(b.theme))
    .slice(0, BAND_THEMES);
  return {
    kind: 'supralocal',
    period: {
      label: period.label,
      from: period.from,
      to: period.to,
      description: describePeriod(period),
    },
    previousPeriod: { label: previous.label, description: describePeriod(previous) },
    generatedAt: now.toISOString(),
    rules: { minSignals: patterns.rules.minSignals, minGivers: patterns.rules.minGivers },
    participants: {
      count: patterns.municipalities.length,
      byPopulationBand: [...participantBands(patterns), ...(byBand.has('') ? [''] : [])].map((band) => ({
        band,
        label: populationBandLabel(band === '' ? null : band),
        count: byBand.get(band) ?? 0,
      })),
    },
    totalSignals: published(patterns.grandTotal),
    cells: { published: publishedCells, hidden: hiddenCells },
    themes,
    rising: themes
      .filter((row) => row.growthPercent !== null && row.growthPercent > 0)
      .sort((a, b) => b.growthPercent! - a.growthPercent! || a.theme.localeCompare(b.theme)),
    cooccurrence: patterns.cooccurrence.map((pair) => ({
      themes: pair.themes,
      labels: [themeLabel(pair.themes[0]), themeLabel(pair.themes[1])],
      signals: pair.signals,
    })),
    targetGroups: patterns.targetGroups.map((row) => ({
      theme: row.theme,
      themeLabel: themeLabel(row.theme),
      targetGroup: row.targetGroup,
      label: row.label,
      signals: row.signals,
    })),
    areaTypes: patterns.areaTypes.map((row) => ({
      theme: row.theme,
      themeLabel: themeLabel(row.theme),
      areaType: row.areaType,
      label: row.label,
      signals: row.signals,
    })),
    months: {
      periods: patterns.months?.periods ?? [],
      themes: (patterns.months?.themes ?? []).map((row) => ({
        theme: row.theme,
        label: row.label,
        signals: row.months.map((month) => published(month.figures)),
      })),
      totals: (patterns.months?.totals ?? []).map((month) =>
        month.total === null ? 0 : published(month.total),
      ),
    },
    populationBands: input.bands.map(({ band, patterns: view }) => bandRow(band, view, bandThemes)),
    trend: {
      quarters: input.series[0]?.quarters.map((quarter) => quarter.period) ?? [],
      themes: input.series.map((series) => ({
        theme: series.theme,
        label: series.label,
        signals: series.quarters.map((quarter) => published(quarter.total)),
      })),
    },
    escalations: input.escalations.map((escalation) => ({
      municipality: escalation.municipality,
      title: escalation.title,
      summary: escalation.summary,
      themes: escalation.themes.map((theme) => themeLabel(theme)),
      body: escalation.body,
      escalatedAt: escalation.escalatedAt,
      signalCount: escalation.memberCount,
    })),
  };
}

function bandRow(band: string, view: Patterns, followed: readonly SupralocalThemeRow[]): SupralocalBandRow {
  return {
    band,
    label: populationBandLabel(band),
    municipalities: view.municipalities.length,
    themes: followed.map((row) => {
      let publishedCells = 0;
      let signals = 0;
      let hidden = 0;
      for (const cell of view.cells) {
        if (cell.theme !== row.theme) continue;
        if ('suppressed' in cell) hidden++;
        else {
          publishedCells++;
          signals += cell.signals;
        }
      }
      return {
        theme: row.theme,
        label: row.label,
        publishedCells,
        signalsInPublishedCells: signals,
        hiddenCells: hidden,
      };
    }),
  };
}

/**
 * A published figure, 0 for an entry the table does not have (no signals: a zero is public
 * knowledge), null for a hidden one (below the threshold or hidden to protect another).
 */
function published(entry: Published | null): number | null {
  if (entry === null) return 0;
  return entry.suppressed ? null : entry.signals;
}
