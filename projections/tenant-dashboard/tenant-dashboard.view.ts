import type {
  ServedForm,
  ServedInts,
  StoredServedForm,
} from '../../src/platform/read-store/read-store.port.js';
import { quantiles, type Histogram } from '../shared/histogram.js';
import { sortedCounts } from '../shared/records.js';
import { monthLabel } from '../shared/series.js';
import { dayNumberOf } from '../shared/time.js';
import type { TenantDashboardDocument } from './tenant-dashboard.projection.js';
import type {
  AgingBuckets,
  DashboardView,
  LeadTimeSummary,
  MonthTable,
} from '../../src/dashboard/dashboard-answer.js';

export type { AgingBuckets, DashboardView, LeadTimeSummary, MonthTable };

/** The oldest day of each aging bucket but the last, counted back from today: 0-7 calendar days ago (or later), 8-30, 31-90, 91-365. */
const AGING_FROM = [7, 30, 90, 365] as const;

/** What GET /dashboard serves and does not depend on the moment of asking. */
export type DashboardFigures = Pick<
  DashboardView,
  'total' | 'open' | 'byState' | 'byTheme' | 'byPolicyDomain' | 'perMonth' | 'leadTimeHours'
>;

/** What GET /dashboard serves: the stored counts plus what depends on `now` (aging, overdue). */
export function dashboardView(document: TenantDashboardDocument, now: Date): DashboardView {
  const { asOf, overdue, aging } = dashboardMoment(backlogOf(document), now);
  return { tenantId: document.tenantId, asOf, ...dashboardFigures(document), overdue, aging };
}

/** The figures of a dashboard document: counts, months, lead times (the same at any moment). */
export function dashboardFigures(document: TenantDashboardDocument): DashboardFigures {
  let total = 0;
  for (const state in document.byState) total += document.byState[state]!;
  const byStage: Record<string, LeadTimeSummary> = {};
  for (const stage of Object.keys(document.leadTime.byStage).sort()) {
    byStage[stage] = leadTimeSummary(document.leadTime.byStage[stage]!);
  }
  const submitted = document.openBySubmittedDay.counts;
  let open = document.openFolded['submitted'] ?? 0;
  for (let i = 0; i < submitted.length; i++) open += submitted[i]!;
  return {
    total,
    open,
    byState: sortedCounts(document.byState),
    byTheme: sortedCounts(document.byTheme),
    byPolicyDomain: sortedCounts(document.byPolicyDomain),
    perMonth: monthTable(document),
    leadTimeHours: { total: leadTimeSummary(document.leadTime.total), byStage },
  };
}

/**
 * The open backlog as integers read at fixed places, so that the aging and overdue counts of any
 * moment take a few look-ups whatever the number of days: for the days of submission and then
 * the due days, the first day, the number of days and the count folded out of them, followed by
 * the prefix sums of both series (entry k: open signals on the series' first k days).
 */
export function backlogOf(document: TenantDashboardDocument): Int32Array {
  const submitted = document.openBySubmittedDay;
  const due = document.openByDueDay;
  const ints = new Int32Array(BACKLOG_HEADER + submitted.counts.length + 1 + due.counts.length + 1);
  ints.set([
    submitted.from,
    submitted.counts.length,
    document.openFolded['submitted'] ?? 0,
    due.from,
    due.counts.length,
    document.openFolded['due'] ?? 0,
  ]);
  let at = BACKLOG_HEADER;
  for (const { counts } of [submitted, due]) {
    let sum = 0;
    ints[at++] = 0;
    for (let i = 0; i < counts.length; i++) ints[at++] = sum += counts[i]!;
  }
  return ints;
}

const BACKLOG_HEADER = 6;

/** Aging and overdue at `now`, from `backlogOf`'s integers (as computed, or as a store reads them). */
export function dashboardMoment(
  backlog: ServedInts,
  now: Date,
): { asOf: string; overdue: number; aging: AgingBuckets } {
  const int = (index: number): number => backlog.at(index)!;
  if (backlog.length < BACKLOG_HEADER + 2 || backlog.length !== BACKLOG_HEADER + int(1) + int(4) + 2)
    throw new RangeError('not the integers of a dashboard backlog');
  const asOf = now.toISOString();
  const today = dayNumberOf(asOf);
  const submittedSums = BACKLOG_HEADER;
  const dueSums = BACKLOG_HEADER + int(1) + 1;
  // Open signals submitted (due) on a day before `day`.
  const submittedBefore = (day: number) => prefix(backlog, submittedSums, int(0), int(1), day);
  const week = submittedBefore(today - AGING_FROM[0]);
  const month = submittedBefore(today - AGING_FROM[1]);
  const quarter = submittedBefore(today - AGING_FROM[2]);
  const year = submittedBefore(today - AGING_FROM[3]);
  const aging: AgingBuckets = {
    '0-7d': int(submittedSums + int(1)) - week,
    '8-30d': week - month,
    '31-90d': month - quarter,
    '91-365d': quarter - year,
    // Folded: submitted over a year before the latest event.
    '>365d': year + int(2),
  };
  // Folded: due before the latest event's day.
  const overdue = prefix(backlog, dueSums, int(3), int(4), today) + int(5);
  return { asOf, overdue, aging };
}

/** From prefix sums at `sums` of a series of `length` days from day `from`: the count on days before `day`. */
function prefix(ints: ServedInts, sums: number, from: number, length: number, day: number): number {
  const k = day - from;
  return ints.at(sums + (k <= 0 ? 0 : k >= length ? length : k))!;
}

function monthTable(document: TenantDashboardDocument): MonthTable {
  const series = [
    document.submittedPerMonth,
    document.closedPerMonth,
    document.rejectedPerMonth,
    document.mergedPerMonth,
  ];
  let first = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  for (const { from, counts } of series) {
    if (counts.length === 0) continue;
    if (from < first) first = from;
    if (from + counts.length > end) end = from + counts.length;
  }
  if (end < first) return { from: null, submitted: [], closed: [], rejected: [], merged: [] };
  const [submitted, closed, rejected, merged] = series.map(({ from, counts }) => {
    const column = new Array<number>(end - first).fill(0);
    for (let i = 0; i < counts.length; i++) column[from - first + i] = counts[i]!;
    return column;
  }) as [number[], number[], number[], number[]];
  return { from: monthLabel(first), submitted, closed, rejected, merged };
}

function leadTimeSummary(minutes: Histogram): LeadTimeSummary {
  const [median, p90] = quantiles(minutes, [0.5, 0.9]);
  return { count: minutes.count, median: hours(median ?? null), p90: hours(p90 ?? null) };
}

function hours(minutes: number | null): number | null {
  return minutes === null ? null : Math.round((minutes / 60) * 100) / 100;
}

/**
 * The dashboard's served form (`Projection.serve`): the figures as JSON members, without braces,
 * and the backlog's integers. Stored with each document, so GET /dashboard parses nothing.
 */
export function serveDashboard(document: TenantDashboardDocument): ServedForm {
  const figures = JSON.stringify(dashboardFigures(document));
  return { json: figures.slice(1, -1), ints: backlogOf(document) };
}

/**
 * `dashboardView` without its `tenantId`, as JSON members without braces, from a served form:
 * the stored figures as they are, with the moment's aging and overdue counts beside them.
 */
export function servedDashboardMembers(form: Pick<StoredServedForm, 'json' | 'ints'>, now: Date): string {
  const { asOf, overdue, aging } = dashboardMoment(form.ints, now);
  return `"asOf":"${asOf}",${form.json},"overdue":${overdue},"aging":${JSON.stringify(aging)}`;
}
