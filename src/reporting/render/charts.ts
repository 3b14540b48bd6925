import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { BriefContent } from '../brief-content.js';

export interface BriefCharts {
  /** Received and closed signals per theme, this period (grouped bars). */
  themes: string;
  /** Received and closed signals per month of the period (lines). */
  monthly: string;
  /** Open and overdue signals per policy domain at the end of the period (bars). */
  backlog: string;
}

const FONT = 'Helvetica, Arial, sans-serif';
const COLORS = { range: ['#1f5aa6', '#e07b00'] };
const MAX_BARS = 12;

/**
 * Vega-Lite specs compiled to Vega and rendered headless to SVG (no canvas, no browser): a
 * maintained grammar of graphics gives axes, scales and legends that hand-drawn SVG would not.
 */
export async function renderCharts(content: BriefContent): Promise<BriefCharts> {
  const themeRows = content.byTheme.slice(0, MAX_BARS).flatMap((row) => [
    { thema: row.key, reeks: 'ontvangen', aantal: row.received.current },
    { thema: row.key, reeks: 'afgesloten', aantal: row.closed.current },
  ]);
  const monthRows = content.monthly.flatMap((row) => [
    { maand: row.month, reeks: 'ontvangen', aantal: row.received },
    { maand: row.month, reeks: 'afgesloten', aantal: row.closed },
  ]);
  const backlogRows = content.backlog.byPolicyDomain.slice(0, MAX_BARS).flatMap((row) => [
    { domein: row.key, reeks: 'openstaand', aantal: row.open },
    { domein: row.key, reeks: 'over termijn', aantal: row.overdue },
  ]);
  const [themes, monthly, backlog] = await Promise.all([
    toSvg({
      ...base('Signalen per thema'),
      data: { values: themeRows },
      mark: { type: 'bar', tooltip: false },
      encoding: {
        x: { field: 'thema', type: 'nominal', title: null, sort: null, axis: { labelAngle: -35 } },
        xOffset: { field: 'reeks', type: 'nominal', sort: ['ontvangen', 'afgesloten'] },
        y: { field: 'aantal', type: 'quantitative', title: 'aantal signalen' },
        color: {
          field: 'reeks',
          type: 'nominal',
          title: null,
          scale: COLORS,
          sort: ['ontvangen', 'afgesloten'],
        },
      },
    }),
    toSvg({
      ...base('Verloop per maand'),
      data: { values: monthRows },
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'maand', type: 'ordinal', title: null, axis: { labelAngle: 0 } },
        y: { field: 'aantal', type: 'quantitative', title: 'aantal signalen' },
        color: {
          field: 'reeks',
          type: 'nominal',
          title: null,
          scale: COLORS,
          sort: ['ontvangen', 'afgesloten'],
        },
      },
    }),
    toSvg({
      ...base('Openstaand per beleidsdomein'),
      data: { values: backlogRows },
      mark: { type: 'bar' },
      encoding: {
        x: { field: 'domein', type: 'nominal', title: null, sort: null, axis: { labelAngle: -35 } },
        xOffset: { field: 'reeks', type: 'nominal', sort: ['openstaand', 'over termijn'] },
        y: { field: 'aantal', type: 'quantitative', title: 'aantal signalen' },
        color: {
          field: 'reeks',
          type: 'nominal',
          title: null,
          scale: COLORS,
          sort: ['openstaand', 'over termijn'],
        },
      },
    }),
  ]);
  return { themes, monthly, backlog };
}

function base(title: string) {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: 460,
    height: 200,
    config: {
      font: FONT,
      view: { stroke: null },
      axis: { labelFontSize: 10, titleFontSize: 10 },
      legend: { orient: 'bottom', labelFontSize: 10 },
      title: { fontSize: 13, anchor: 'start' },
    },
  } as const;
}

async function toSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
