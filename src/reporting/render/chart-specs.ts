import type { TopLevelSpec } from 'vega-lite';

/**
 * Vega-Lite specs shared by the policy briefs (rendered headless to SVG on the server) and the web
 * app (rendered in the browser), so a chart looks the same on screen and on paper. Pure and
 * browser-safe: data in, spec out; no Node.js and no Vega runtime here.
 */

export const CHART_FONT = 'Helvetica, Arial, sans-serif';
/** Two series colours with ≥ 4.5:1 contrast on white (WCAG 2.1 AA for graphics and text). */
export const CHART_COLORS = ['#1f5aa6', '#b35900', '#2f7d32', '#7b3fa0', '#5c5c5c'] as const;
export const MAX_BARS = 12;

export interface ChartRow {
  /** Category on the x axis (a theme, a month, a policy domain, …). */
  category: string;
  /** The series the value belongs to ("ontvangen", "afgesloten", …). */
  series: string;
  value: number;
}

export interface ChartOptions {
  title: string;
  /** Axis title of the values; Dutch, e.g. "aantal signalen". */
  valueTitle: string;
  /** Series in legend order; also fixes their colours. */
  series: readonly string[];
  /** The categories' order on the x axis; without it, the order of the rows. */
  categories?: readonly string[];
  width?: number;
  height?: number;
}

/** Grouped bars: one group per category, one bar per series (categories keep their input order). */
export function groupedBarSpec(rows: readonly ChartRow[], options: ChartOptions): TopLevelSpec {
  return {
    ...baseSpec(options),
    data: { values: rows.map(toDatum) },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      x: {
        field: 'categorie',
        type: 'nominal',
        title: null,
        sort: categoryOrder(options),
        axis: { labelAngle: -35 },
      },
      xOffset: { field: 'reeks', type: 'nominal', sort: [...options.series] },
      y: { field: 'aantal', type: 'quantitative', title: options.valueTitle },
      color: colorEncoding(options.series),
    },
  } as TopLevelSpec;
}

/** Lines with points: one line per series over ordered categories (months, quarters). */
export function lineSpec(rows: readonly ChartRow[], options: ChartOptions): TopLevelSpec {
  return {
    ...baseSpec(options),
    data: { values: rows.map(toDatum) },
    mark: { type: 'line', point: true, tooltip: true },
    encoding: {
      x: {
        field: 'categorie',
        type: 'ordinal',
        title: null,
        sort: categoryOrder(options),
        // Twelve months side by side ("jan 2026feb 2026…") do not fit upright: slanted beyond six.
        axis: {
          labelAngle: new Set(rows.map((row) => row.category)).size > 6 ? -40 : 0,
          labelOverlap: 'parity',
        },
      },
      y: { field: 'aantal', type: 'quantitative', title: options.valueTitle },
      color: colorEncoding(options.series),
    },
  } as TopLevelSpec;
}

/**
 * Rows for the first `max` categories of a list, one row per named series. A value of null (a
 * figure that is not published, e.g. below the suppression threshold) gives no row: no bar, a
 * gap in a line; it is never drawn as zero.
 */
export function seriesRows<T>(
  items: readonly T[],
  category: (item: T) => string,
  series: Readonly<Record<string, (item: T) => number | null>>,
  max = MAX_BARS,
): ChartRow[] {
  const rows: ChartRow[] = [];
  for (const item of items.slice(0, max)) {
    for (const [name, value] of Object.entries(series)) {
      const figure = value(item);
      if (figure !== null) rows.push({ category: category(item), series: name, value: figure });
    }
  }
  return rows;
}

/**
 * Rows of a table whose series are its items (e.g. one line per theme over the quarters): item ×
 * category → value, categories in the given order; null values are left out as in `seriesRows`.
 */
export function pivotRows<T>(
  items: readonly T[],
  series: (item: T) => string,
  categories: readonly string[],
  value: (item: T, index: number) => number | null,
): ChartRow[] {
  const rows: ChartRow[] = [];
  for (const item of items) {
    const name = series(item);
    categories.forEach((category, index) => {
      const figure = value(item, index);
      if (figure !== null) rows.push({ category, series: name, value: figure });
    });
  }
  return rows;
}

function categoryOrder(options: ChartOptions): string[] | null {
  return options.categories ? [...options.categories] : null;
}

function toDatum(row: ChartRow) {
  return { categorie: row.category, reeks: row.series, aantal: row.value };
}

function colorEncoding(series: readonly string[]) {
  return {
    field: 'reeks',
    type: 'nominal',
    title: null,
    scale: { domain: [...series], range: CHART_COLORS.slice(0, Math.max(series.length, 1)) },
    sort: [...series],
  } as const;
}

function baseSpec(options: ChartOptions) {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: options.title,
    width: options.width ?? 460,
    height: options.height ?? 200,
    config: {
      font: CHART_FONT,
      view: { stroke: null },
      axis: { labelFontSize: 10, titleFontSize: 10 },
      legend: { orient: 'bottom', labelFontSize: 10 },
      title: { fontSize: 13, anchor: 'start' },
    },
  } as const;
}
