import { Box, Table, Text } from '@mantine/core';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { TopLevelSpec } from 'vega-lite';
import {
  groupedBarSpec,
  lineSpec,
  type ChartOptions,
  type ChartRow,
} from '../../../../reporting/render/chart-specs';
import { formatNumber } from '../format';
import { InsightAlert } from '../InsightAlert';

/** A value in the chart's table: a number, or a word for what is not shown ("< drempel"). */
export type TableValue = number | string | null;

export interface ChartTable {
  /** Column headings after the category column (the series, in order). */
  columns: readonly string[];
  rows: ReadonlyArray<{ category: string; values: readonly TableValue[] }>;
}

export interface ChartProps {
  kind: 'bar' | 'line';
  rows: readonly ChartRow[];
  options: ChartOptions;
  /** Heading of the table's first column ("Thema", "Maand", …). */
  categoryTitle: string;
  /** The table, when it must show more than the chart (suppressed cells); default: from `rows`. */
  table?: ChartTable;
  /** What the chart shows when it has no rows. */
  emptyText?: string;
}

/** The table of a chart's rows: one line per category, one column per series. */
export function tableOf(rows: readonly ChartRow[], series: readonly string[]): ChartTable {
  const byCategory = new Map<string, Map<string, number>>();
  for (const row of rows) {
    let values = byCategory.get(row.category);
    if (!values) byCategory.set(row.category, (values = new Map()));
    values.set(row.series, row.value);
  }
  return {
    columns: series,
    rows: [...byCategory].map(([category, values]) => ({
      category,
      values: series.map((name) => values.get(name) ?? null),
    })),
  };
}

/**
 * A chart as a figure: its accessible name is the title, the drawing is SVG rendered by Vega in
 * the browser (loaded on first use, CSP-safe), and a <details> holds the same numbers as a table
 * for screen readers and for anyone who wants the figures.
 */
export function Chart({ kind, rows, options, categoryTitle, table, emptyText }: ChartProps) {
  const titleId = useId();
  const container = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);
  const spec: TopLevelSpec = useMemo(() => {
    const full = kind === 'bar' ? groupedBarSpec(rows, options) : lineSpec(rows, options);
    // On screen the figcaption carries the title (the same words as on paper), so not twice.
    const { title: _title, ...withoutTitle } = full as TopLevelSpec & { title?: unknown };
    return withoutTitle as TopLevelSpec;
    // Keyed on the options' content: a screen may pass a new object with the same words each render.
  }, [kind, rows, JSON.stringify(options)]);
  const shownTable = table ?? tableOf(rows, options.series);

  useEffect(() => {
    const element = container.current;
    if (!element || rows.length === 0) return;
    let release: (() => void) | undefined;
    let cancelled = false;
    setFailed(false);
    import('./render-vega')
      .then(({ renderChart }) => renderChart(element, spec))
      .then((finalize) => {
        if (cancelled) finalize();
        else release = finalize;
      })
      .catch(() => {
        if (!cancelled) setFailed(true);
      });
    return () => {
      cancelled = true;
      release?.();
      element.replaceChildren();
    };
  }, [spec, rows.length]);

  return (
    <Box component="figure" m={0} aria-labelledby={titleId} className="insight-chart">
      <Text component="figcaption" id={titleId} fw={600} mb="xs">
        {options.title}
      </Text>
      {rows.length === 0 ? (
        <Text c="dimmed">{emptyText ?? 'Nog geen cijfers.'}</Text>
      ) : (
        <>
          <div ref={container} data-chart={options.title} />
          {failed && (
            <InsightAlert color="yellow" title="Grafiek niet getoond">
              De grafiek kon niet getekend worden; de cijfers staan in de tabel hieronder.
            </InsightAlert>
          )}
        </>
      )}
      {shownTable.rows.length > 0 && (
        <details>
          <summary>Cijfers als tabel: {options.title}</summary>
          <Table striped withTableBorder mt="xs" aria-label={`Cijfers: ${options.title}`}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{categoryTitle}</Table.Th>
                {shownTable.columns.map((column) => (
                  <Table.Th key={column} scope="col" ta="right">
                    {column}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shownTable.rows.map((row) => (
                <Table.Tr key={row.category}>
                  <Table.Th scope="row" fw={400}>
                    {row.category}
                  </Table.Th>
                  {row.values.map((value, index) => (
                    <Table.Td key={shownTable.columns[index]} ta="right">
                      {typeof value === 'number' ? formatNumber(value) : (value ?? '–')}
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </details>
      )}
    </Box>
  );
}
