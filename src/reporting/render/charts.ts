import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { BriefContent } from '../brief-content.js';
import { groupedBarSpec, lineSpec, seriesRows } from './chart-specs.js';

export interface BriefCharts {
  /** Received and closed signals per theme, this period (grouped bars). */
  themes: string;
  /** Received and closed signals per month of the period (lines). */
  monthly: string;
  /** Open and overdue signals per policy domain at the end of the period (bars). */
  backlog: string;
}

const COUNT = 'aantal signalen';

/** The brief's three charts as Vega-Lite specs (the web app's dashboard draws the same specs). */
export function briefChartSpecs(content: BriefContent): Record<keyof BriefCharts, TopLevelSpec> {
  return {
    themes: groupedBarSpec(
      seriesRows(content.byTheme, (row) => row.key, {
        ontvangen: (row) => row.received.current,
        afgesloten: (row) => row.closed.current,
      }),
      { title: 'Signalen per thema', valueTitle: COUNT, series: ['ontvangen', 'afgesloten'] },
    ),
    monthly: lineSpec(
      seriesRows(
        content.monthly,
        (row) => row.month,
        { ontvangen: (row) => row.received, afgesloten: (row) => row.closed },
        Number.MAX_SAFE_INTEGER,
      ),
      { title: 'Verloop per maand', valueTitle: COUNT, series: ['ontvangen', 'afgesloten'] },
    ),
    backlog: groupedBarSpec(
      seriesRows(content.backlog.byPolicyDomain, (row) => row.key, {
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

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
