import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { BriefContent } from '../brief-content.js';
import type { SupralocalBriefContent } from '../supralocal-brief-content.js';
import { dutchMonth } from '../../platform/dutch-months.js';
import { domainName, themeName } from './brief-document.js';
import { groupedBarSpec, lineSpec, pivotRows, seriesRows } from './chart-specs.js';

export type BriefCharts = {
  /** Received and closed signals per theme, this period (grouped bars). */
  themes: string;
  /** Received and closed signals per month of the period (lines). */
  monthly: string;
  /** Open and overdue signals per policy domain at the end of the period (bars). */
  backlog: string;
};

const COUNT = 'aantal signalen';

/** The brief's three charts as Vega-Lite specs (the web app's dashboard draws the same specs). */
export function briefChartSpecs(content: BriefContent): Record<keyof BriefCharts, TopLevelSpec> {
  return {
    themes: groupedBarSpec(
      seriesRows(content.byTheme, (row) => themeName(row.key), {
        ontvangen: (row) => row.received.current,
        afgesloten: (row) => row.closed.current,
      }),
      { title: 'Signalen per thema', valueTitle: COUNT, series: ['ontvangen', 'afgesloten'] },
    ),
    monthly: lineSpec(
      seriesRows(
        content.monthly,
        (row) => dutchMonth(row.month),
        { ontvangen: (row) => row.received, afgesloten: (row) => row.closed },
        Number.MAX_SAFE_INTEGER,
      ),
      { title: 'Verloop per maand', valueTitle: COUNT, series: ['ontvangen', 'afgesloten'] },
    ),
    backlog: groupedBarSpec(
      seriesRows(content.backlog.byPolicyDomain, (row) => domainName(row.key), {
        openstaand: (row) => row.open,
        'over termijn': (row) => row.overdue,
      }),
      {
        title: 'Openstaand per beleidsdomein',
        valueTitle: COUNT,
        series: ['openstaand', 'over termijn'],
      },
    ),
  };
}

/**
 * Vega-Lite specs compiled to Vega and rendered headless to SVG (no canvas, no browser): a
 * maintained grammar of graphics gives axes, scales and legends that hand-drawn SVG would not.
 */
export async function renderCharts(content: BriefContent): Promise<BriefCharts> {
  const specs = briefChartSpecs(content);
  const [themes, monthly, backlog] = await Promise.all([
    renderSvg(specs.themes),
    renderSvg(specs.monthly),
    renderSvg(specs.backlog),
  ]);
  return { themes, monthly, backlog };
}

export type SupralocalBriefCharts = {
  /** Themes rising across municipalities: this quarter against the quarter before (grouped bars). */
  rising: string;
  /** The followed themes over the last quarters (one line per theme; hidden totals are gaps). */
  trend: string;
  /** Per theme, the signals in published cells of each population band (grouped bars). */
  bands: string;
};

/** The supra-local brief's charts, from published figures only (a null is left out, never a zero). */
export function supralocalChartSpecs(
  content: SupralocalBriefContent,
): Record<keyof SupralocalBriefCharts, TopLevelSpec> {
  const previous = `vorig kwartaal (${content.previousPeriod.label})`;
  const current = `dit kwartaal (${content.period.label})`;
  const bandThemes = content.populationBands[0]?.themes.map((row) => row.label) ?? [];
  return {
    rising: groupedBarSpec(
      seriesRows(content.rising, (row) => row.label, {
        [previous]: (row) => row.previousSignals,
        [current]: (row) => row.signals,
      }),
      { title: "Stijgende thema's over de gemeenten heen", valueTitle: COUNT, series: [previous, current] },
    ),
    trend: lineSpec(
      pivotRows(
        content.trend.themes,
        (row) => row.label,
        content.trend.quarters,
        (row, index) => row.signals[index] ?? null,
      ),
      {
        title: 'Verloop per thema over de kwartalen',
        valueTitle: COUNT,
        series: content.trend.themes.map((row) => row.label),
        categories: content.trend.quarters,
      },
    ),
    bands: groupedBarSpec(
      pivotRows(
        content.populationBands,
        (band) => band.label,
        bandThemes,
        (band, index) => {
          const row = band.themes[index];
          return row !== undefined && row.publishedCells > 0 ? row.signalsInPublishedCells : null;
        },
      ),
      {
        title: 'Signalen per thema en inwonersklasse (gepubliceerde cellen)',
        valueTitle: COUNT,
        series: content.populationBands.map((band) => band.label),
        categories: bandThemes,
      },
    ),
  };
}

export async function renderSupralocalCharts(
  content: SupralocalBriefContent,
): Promise<SupralocalBriefCharts> {
  const specs = supralocalChartSpecs(content);
  const [rising, trend, bands] = await Promise.all([
    renderSvg(specs.rising),
    renderSvg(specs.trend),
    renderSvg(specs.bands),
  ]);
  return { rising, trend, bands };
}

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
