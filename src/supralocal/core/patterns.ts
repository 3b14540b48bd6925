import type { SupralocalCellsFigures } from '../../../projections/index.js';
import { TAXONOMY } from '../../../workflows/taxonomy/taxonomy.js';
import {
  isPublishable,
  suppressTable,
  type Published,
  type RawCell,
  type RawMonths,
  type RawTable,
  type SuppressedTable,
  type SuppressionRules,
} from './suppression.js';
import type {
  AreaTypeRow,
  CellRow,
  MonthRow,
  PairRow,
  Participant,
  Patterns,
  SuppressedCellRow,
  TargetGroupRow,
  ThemeSeries,
  ThemeTrend,
} from '../supralocal-answers.js';

export type { Participant, Patterns, ThemeSeries };

const QUARTER = /^(\d{4})-Q([1-4])$/;

export function isQuarter(value: string): boolean {
  return QUARTER.test(value);
}

export function previousQuarter(quarter: string): string {
  const match = QUARTER.exec(quarter);
  if (!match) throw new Error(`not a quarter: ${quarter}`);
  const year = Number(match[1]);
  const q = Number(match[2]);
  return q === 1 ? `${year - 1}-Q4` : `${year}-Q${q - 1}`;
}

/** The three months (`YYYY-MM`) of a quarter, in order. */
export function monthsOf(quarter: string): [string, string, string] {
  const match = QUARTER.exec(quarter);
  if (!match) throw new Error(`not a quarter: ${quarter}`);
  const first = (Number(match[2]) - 1) * 3 + 1;
  const month = (n: number) => `${match[1]}-${String(n).padStart(2, '0')}`;
  return [month(first), month(first + 1), month(first + 2)];
}

/** The quarters up to and including `quarter`, oldest first. */
export function quartersUpTo(quarter: string, count: number): string[] {
  const quarters = [quarter];
  while (quarters.length < count) quarters.unshift(previousQuarter(quarters[0]!));
  return quarters;
}

const THEME_LABELS = new Map(TAXONOMY.themes.map((entry) => [entry.code, entry.label]));
const TARGET_GROUP_LABELS = new Map(TAXONOMY.targetGroups.map((entry) => [entry.code, entry.label]));
const AREA_TYPE_LABELS = new Map(TAXONOMY.areaTypes.map((entry) => [entry.code, entry.label]));

export function themeLabel(code: string): string {
  return THEME_LABELS.get(code) ?? code;
}

/**
 * The themes × municipalities table of one quarter, with each theme split by month of submission
 * over all participants, from the participants' cells documents only (documents of tenants that
 * did not opt in are ignored, whatever the caller passes). The month split is always part of the
 * table, so that every view of a quarter is suppressed as one set of equations.
 */
export function rawTable(
  documents: readonly SupralocalCellsFigures[],
  participants: readonly Participant[],
  quarter: string,
): RawTable {
  const columns = participants.map((participant) => participant.tenantId);
  const taking = new Set(columns);
  const cells = new Map<string, Map<string, RawCell>>();
  const columnDistinct = new Map<string, { givers: number; organisations: number }>();
  const months = monthsOf(quarter);
  const monthCells = new Map<string, Map<string, RawCell>>();
  const monthDistinct = new Map<string, { givers: number; organisations: number }>();
  // Documents of the version before the month split (active until the new one is rebuilt): none.
  let split = true;
  for (const document of documents) {
    if (document.quarter !== quarter || !taking.has(document.tenantId)) continue;
    if (document.months === undefined) split = false;
    // Givers are digests per tenant: distinct counts of different tenants add up exactly.
    for (const [key, signals] of Object.entries(document.months ?? {})) {
      const [month, theme] = key.split('|') as [string, string];
      let row = monthCells.get(theme);
      if (row === undefined) monthCells.set(theme, (row = new Map()));
      const cell = row.get(month) ?? { signals: 0, givers: 0, organisations: 0, escalations: 0, dossiers: 0 };
      cell.signals += signals;
      cell.givers += own(document.monthGivers ?? {}, key) ?? 0;
      cell.organisations += own(document.monthOrganisations ?? {}, key) ?? 0;
      cell.escalations += own(document.monthEscalations ?? {}, key) ?? 0;
      cell.dossiers += own(document.monthDossiers ?? {}, key) ?? 0;
      row.set(month, cell);
    }
    for (const [month, givers] of Object.entries(document.monthAllGivers ?? {})) {
      const distinct = monthDistinct.get(month) ?? { givers: 0, organisations: 0 };
      distinct.givers += givers;
      distinct.organisations += own(document.monthAllOrganisations ?? {}, month) ?? 0;
      monthDistinct.set(month, distinct);
    }
    columnDistinct.set(document.tenantId, {
      givers: document.allGivers,
      organisations: document.allOrganisations,
    });
    for (const [theme, signals] of Object.entries(document.signals)) {
      let row = cells.get(theme);
      if (row === undefined) cells.set(theme, (row = new Map()));
      row.set(document.tenantId, {
        signals,
        givers: own(document.givers, theme) ?? 0,
        organisations: own(document.organisations, theme) ?? 0,
        escalations: own(document.escalations, theme) ?? 0,
        dossiers: own(document.dossiers, theme) ?? 0,
      });
    }
  }
  const rows = [...cells.keys()].sort();
  if (!split) return { rows, columns, cells, columnDistinct };
  const byMonth: RawMonths = { months, cells: monthCells, monthDistinct };
  return { rows, columns, cells, columnDistinct, months: byMonth };
}

/**
 * The pattern view of a quarter for the participants: trends per theme against the quarter
 * before, every cell of the suppressed table, co-occurring themes and target groups (published
 * only above the thresholds; these lists have no totals to derive from). `columns` limits which
 * municipalities' cells are shown (a population band, or a lead processor's own tenant) without
 * computing new totals or narrower lists: the suppression is always that of the whole table.
 */
export function patterns(
  documents: readonly SupralocalCellsFigures[],
  participants: readonly Participant[],
  quarter: string,
  rules: SuppressionRules,
  options: { columns?: ReadonlySet<string>; totals?: boolean } = {},
): Patterns {
  const previous = previousQuarter(quarter);
  const now = suppressTable(rawTable(documents, participants, quarter), rules);
  const before = suppressTable(rawTable(documents, participants, previous), rules);
  const shown = (tenantId: string) => options.columns === undefined || options.columns.has(tenantId);
  const totals = options.totals ?? true;
  const themes = [...new Set([...now.rows, ...before.rows])].sort();
  const trends = themes.map((theme) => trendOf(theme, now, before, shown, totals));
  trends.sort(
    (a, b) =>
      (b.growth ?? -Infinity) - (a.growth ?? -Infinity) ||
      signalsOf(b.total) - signalsOf(a.total) ||
      a.theme.localeCompare(b.theme),
  );
  // The lists without totals (pairs, target groups, area types) are over every participant, as
  // the totals and the month split: narrowed to a population band, the whole list minus the
  // band's would give the other municipalities' entries, below the threshold too.
  const taking = new Set(participants.map((participant) => participant.tenantId));
  const current = documents.filter(
    (document) => document.quarter === quarter && taking.has(document.tenantId),
  );
  return {
    period: quarter,
    previousPeriod: previous,
    rules,
    municipalities: participants.filter((participant) => shown(participant.tenantId)),
    themes: trends,
    cells: cellRows(now, shown),
    grandTotal: totals ? now.grandTotal : null,
    cooccurrence: totals ? pairRows(current, rules) : [],
    targetGroups: totals ? targetGroupRows(current, rules) : [],
    areaTypes: totals ? areaTypeRows(current, rules) : [],
    months: totals ? monthView(now) : null,
  };
}

/** The month split of a quarter's table; null when its documents predate the split. */
function monthView(table: SuppressedTable): Patterns['months'] {
  const split = table.months;
  if (split === null) return null;
  const periods = [...split.months];
  return {
    periods,
    themes: table.rows.map((theme) => ({
      theme,
      label: themeLabel(theme),
      months: monthsOfRow(split, theme),
    })),
    totals: periods.map((period) => ({ period, total: split.monthTotals.get(period) ?? null })),
  };
}

function monthsOfRow(split: NonNullable<SuppressedTable['months']>, theme: string): MonthRow['months'] {
  return split.months.map((period) => ({ period, figures: split.cells.get(theme)?.get(period) ?? null }));
}

function trendOf(
  theme: string,
  now: SuppressedTable,
  before: SuppressedTable,
  shown: (tenantId: string) => boolean,
  totals: boolean,
): ThemeTrend {
  const total = totals ? (now.rowTotals.get(theme) ?? null) : null;
  const previousTotal = totals ? (before.rowTotals.get(theme) ?? null) : null;
  const growth =
    total && !total.suppressed && previousTotal && !previousTotal.suppressed
      ? round((total.signals - previousTotal.signals) / previousTotal.signals)
      : null;
  let municipalities = 0;
  let risingIn = 0;
  for (const [tenantId, cell] of now.cells.get(theme) ?? []) {
    if (cell.suppressed || !shown(tenantId)) continue;
    municipalities++;
    const earlier = before.cells.get(theme)?.get(tenantId);
    if (earlier && !earlier.suppressed && cell.signals > earlier.signals) risingIn++;
  }
  return { theme, label: themeLabel(theme), total, previousTotal, growth, municipalities, risingIn };
}

function cellRows(table: SuppressedTable, shown: (tenantId: string) => boolean) {
  const rows: Array<CellRow | SuppressedCellRow> = [];
  for (const theme of table.rows) {
    for (const tenantId of table.columns) {
      const cell = table.cells.get(theme)?.get(tenantId);
      if (cell === undefined || !shown(tenantId)) continue;
      rows.push(
        cell.suppressed
          ? { theme, tenantId, suppressed: true }
          : {
              theme,
              tenantId,
              signals: cell.signals,
              givers: cell.givers,
              organisations: cell.organisations,
              escalations: cell.escalations,
              dossiers: cell.dossiers,
            },
      );
    }
  }
  return rows;
}

function pairRows(documents: readonly SupralocalCellsFigures[], rules: SuppressionRules): PairRow[] {
  const pairs = unite(documents, (document) => [document.pairs, document.pairGivers]);
  return [...pairs]
    .filter(([, cell]) => isPublishable(cell, rules))
    .map(([key, cell]) => ({
      themes: key.split('|') as [string, string],
      signals: cell.signals,
    }))
    .sort((a, b) => b.signals - a.signals || a.themes.join().localeCompare(b.themes.join()));
}

function targetGroupRows(
  documents: readonly SupralocalCellsFigures[],
  rules: SuppressionRules,
): TargetGroupRow[] {
  const groups = unite(documents, (document) => [document.targetGroups, document.targetGroupGivers]);
  return [...groups]
    .filter(([, cell]) => isPublishable(cell, rules))
    .map(([key, cell]) => {
      const [theme, targetGroup] = key.split('|') as [string, string];
      return {
        theme,
        targetGroup,
        label: TARGET_GROUP_LABELS.get(targetGroup) ?? targetGroup,
        signals: cell.signals,
      };
    })
    .sort(
      (a, b) =>
        b.signals - a.signals || a.theme.localeCompare(b.theme) || a.targetGroup.localeCompare(b.targetGroup),
    );
}

function areaTypeRows(documents: readonly SupralocalCellsFigures[], rules: SuppressionRules): AreaTypeRow[] {
  const areas = unite(documents, (document) => [document.areaTypes ?? {}, document.areaTypeGivers ?? {}]);
  return [...areas]
    .filter(([, cell]) => isPublishable(cell, rules))
    .map(([key, cell]) => {
      const [theme, areaType] = key.split('|') as [string, string];
      return { theme, areaType, label: AREA_TYPE_LABELS.get(areaType) ?? areaType, signals: cell.signals };
    })
    .sort(
      (a, b) =>
        b.signals - a.signals || a.theme.localeCompare(b.theme) || a.areaType.localeCompare(b.areaType),
    );
}

/** Sums counts and distinct givers over tenants (each tenant's givers are its own). */
function unite(
  documents: readonly SupralocalCellsFigures[],
  pick: (document: SupralocalCellsFigures) => [Record<string, number>, Record<string, number>],
): Map<string, { signals: number; givers: number }> {
  const united = new Map<string, { signals: number; givers: number }>();
  for (const document of documents) {
    const [counts, givers] = pick(document);
    for (const [key, count] of Object.entries(counts)) {
      const cell = united.get(key);
      const distinct = own(givers, key) ?? 0;
      if (cell === undefined) united.set(key, { signals: count, givers: distinct });
      else {
        cell.signals += count;
        cell.givers += distinct;
      }
    }
  }
  return united;
}

function own(record: Record<string, number>, key: string): number | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** One theme over several quarters: each quarter's row of its whole suppressed table. */
export function themeSeries(
  theme: string,
  documents: readonly SupralocalCellsFigures[],
  participants: readonly Participant[],
  quarters: readonly string[],
  rules: SuppressionRules,
  options: { columns?: ReadonlySet<string>; totals?: boolean } = {},
): ThemeSeries {
  const shown = (tenantId: string) => options.columns === undefined || options.columns.has(tenantId);
  const totals = options.totals ?? true;
  return {
    theme,
    label: themeLabel(theme),
    rules,
    municipalities: participants.filter((participant) => shown(participant.tenantId)),
    quarters: quarters.map((period) => {
      const table = suppressTable(rawTable(documents, participants, period), rules);
      return {
        period,
        total: totals ? (table.rowTotals.get(theme) ?? null) : null,
        cells: cellRows(table, shown).filter((row) => row.theme === theme),
        months: totals && table.months !== null ? monthsOfRow(table.months, theme) : null,
      };
    }),
  };
}

function signalsOf(published: Published | null): number {
  return published && !published.suppressed ? published.signals : -1;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
