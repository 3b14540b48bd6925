import { quantiles, type Histogram } from '../shared/histogram.js';
import { sortedCounts, type Counts } from '../shared/records.js';
import { labelled, monthLabel, type Series } from '../shared/series.js';
import { dayNumber } from '../shared/time.js';
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
  submittedPerMonth: Counts;
  closedPerMonth: Counts;
  rejectedPerMonth: Counts;
  mergedPerMonth: Counts;
  leadTimeHours: { total: LeadTimeSummary; byStage: Record<string, LeadTimeSummary> };
  aging: AgingBuckets;
};

/** First day of each aging bucket, counted back from today: 0-7 calendar days ago (or later), 8-30, 31-90, 91-365. */
const AGING_FROM: ReadonlyArray<[number, keyof AgingBuckets]> = [
  [7, '0-7d'],
  [30, '8-30d'],
  [90, '31-90d'],
  [365, '91-365d'],
];

/** What GET /dashboard serves: the stored counts plus what depends on `now` (aging, overdue). */
export function dashboardView(document: TenantDashboardDocument, now: Date): DashboardView {
  const asOf = now.toISOString();
  const today = dayNumber(asOf.slice(0, 10));
  const aging: AgingBuckets = { '0-7d': 0, '8-30d': 0, '31-90d': 0, '91-365d': 0, '>365d': 0 };
  // The days walk newest first, so each bucket's days come after the younger buckets' days.
  const submitted = document.openBySubmittedDay;
  let open = 0;
  let bucket = 0;
  for (let i = submitted.counts.length - 1; i >= 0; i--) {
    const count = submitted.counts[i]!;
    if (count === 0) continue;
    const day = submitted.from + i;
    while (bucket < AGING_FROM.length && day < today - AGING_FROM[bucket]![0]) bucket++;
    aging[bucket < AGING_FROM.length ? AGING_FROM[bucket]![1] : '>365d'] += count;
    open += count;
  }
  const due = document.openByDueDay;
  let overdue = 0;
  for (let i = 0; i < due.counts.length && due.from + i < today; i++) overdue += due.counts[i]!;
  // Folded counts: submitted over a year before the latest event, due before its day.
  const olderThanAYear = document.openFolded['submitted'] ?? 0;
  open += olderThanAYear;
  aging['>365d'] += olderThanAYear;
  overdue += document.openFolded['due'] ?? 0;
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
    submittedPerMonth: perMonth(document.submittedPerMonth),
    closedPerMonth: perMonth(document.closedPerMonth),
    rejectedPerMonth: perMonth(document.rejectedPerMonth),
    mergedPerMonth: perMonth(document.mergedPerMonth),
    leadTimeHours: { total: leadTimeSummary(document.leadTime.total), byStage },
    aging,
  };
}

/** Counts per `YYYY-MM`, in month order (months without any left out). */
export function perMonth(series: Series): Counts {
  return labelled(series, monthLabel);
}

function leadTimeSummary(minutes: Histogram): LeadTimeSummary {
  const [median, p90] = quantiles(minutes, [0.5, 0.9]);
  return { count: minutes.count, median: hours(median ?? null), p90: hours(p90 ?? null) };
}

function hours(minutes: number | null): number | null {
  return minutes === null ? null : Math.round((minutes / 60) * 100) / 100;
}
