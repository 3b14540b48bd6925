import { quantiles, type Histogram } from '../shared/histogram.js';
import { sortedCounts, type Counts } from '../shared/records.js';
import { monthLabel } from '../shared/series.js';
import { dayNumberOf } from '../shared/time.js';
import type { TenantDashboardDocument } from './tenant-dashboard.projection.js';

export type LeadTimeSummary = {
  /** Number of times a signal left the stage (or was closed, for the total). */
  count: number;
  /** Hours, estimated from the histogram (within 5%); null when nothing was measured. */
  median: number | null;
  p90: number | null;
};

/** Open signals by calendar days (UTC) from the day of submission to today. */
export type AgingBuckets = {
  '0-7d': number;
  '8-30d': number;
  '31-90d': number;
  '91-365d': number;
  '>365d': number;
};

/**
 * Signals per month (UTC) as aligned columns: entry i of every column is month `from` + i, from
 * the first month with a figure to the last (`from` null when there is none): submitted, and
 * entered into closed, rejected and merged. Months without a figure between them are zeros.
 */
export type MonthTable = {
  from: string | null;
  submitted: number[];
  closed: number[];
  rejected: number[];
  merged: number[];
};

export type DashboardView = {
  tenantId: string;
  asOf: string;
  total: number;
  open: number;
  /**
   * Open signals whose state's deadline fell on a day before today (UTC): exact to the day, as the
   * dashboard counts deadlines per day. The inbox's `dueAt` (and its overdue filter) remains exact.
   */
  overdue: number;
  byState: Counts;
  byTheme: Counts;
  byPolicyDomain: Counts;
  perMonth: MonthTable;
  leadTimeHours: { total: LeadTimeSummary; byStage: Record<string, LeadTimeSummary> };
  aging: AgingBuckets;
};

/** The oldest day of each aging bucket but the last, counted back from today: 0-7 calendar days ago (or later), 8-30, 31-90, 91-365. */
const AGING_FROM = [7, 30, 90, 365];

/** What GET /dashboard serves: the stored counts plus what depends on `now` (aging, overdue). */
export function dashboardView(document: TenantDashboardDocument, now: Date): DashboardView {
  const asOf = now.toISOString();
  const today = dayNumberOf(asOf);
  // Per bucket, in AGING_FROM's order and then '>365d'; the days walk newest first.
  const buckets = [0, 0, 0, 0, 0];
  const submitted = document.openBySubmittedDay;
  let bucket = 0;
  for (let i = submitted.counts.length - 1; i >= 0; i--) {
    const day = submitted.from + i;
    while (bucket < AGING_FROM.length && day < today - AGING_FROM[bucket]!) bucket++;
    buckets[bucket] = buckets[bucket]! + submitted.counts[i]!;
  }
  const due = document.openByDueDay;
  let overdue = 0;
  for (let i = 0; i < due.counts.length && due.from + i < today; i++) overdue += due.counts[i]!;
  // Folded counts: submitted over a year before the latest event, due before its day.
  buckets[4] = buckets[4]! + (document.openFolded['submitted'] ?? 0);
  overdue += document.openFolded['due'] ?? 0;
  const aging: AgingBuckets = {
    '0-7d': buckets[0]!,
    '8-30d': buckets[1]!,
    '31-90d': buckets[2]!,
    '91-365d': buckets[3]!,
    '>365d': buckets[4]!,
  };
  const open = buckets[0]! + buckets[1]! + buckets[2]! + buckets[3]! + buckets[4]!;
  const byStage: Record<string, LeadTimeSummary> = {};
  for (const stage of Object.keys(document.leadTime.byStage).sort()) {
    byStage[stage] = leadTimeSummary(document.leadTime.byStage[stage]!);
  }
  let total = 0;
  for (const state in document.byState) total += document.byState[state]!;
  return {
    tenantId: document.tenantId,
    asOf,
    total,
    open,
    overdue,
    byState: sortedCounts(document.byState),
    byTheme: sortedCounts(document.byTheme),
    byPolicyDomain: sortedCounts(document.byPolicyDomain),
    perMonth: monthTable(document),
    leadTimeHours: { total: leadTimeSummary(document.leadTime.total), byStage },
    aging,
  };
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
