import { quantiles, type Histogram } from '../shared/histogram.js';
import { sortedCounts, type Counts } from '../shared/records.js';
import { dayNumber, dayOf, isoOf } from '../shared/time.js';
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

/**
 * The aging bucket of a submission day, from the first day of each bucket counting back from
 * today (`YYYY-MM-DD` compares as text): 0-7 calendar days ago (or later), 8-30, 31-90, 91-365, more.
 */
function agingBuckets(todayNumber: number): (day: string) => keyof AgingBuckets {
  const from = (days: number) => isoOf((todayNumber - days) * DAY_MS).slice(0, 10);
  const [week, month, quarter, year] = [from(7), from(30), from(90), from(365)];
  return (day) =>
    day >= week
      ? '0-7d'
      : day >= month
        ? '8-30d'
        : day >= quarter
          ? '31-90d'
          : day >= year
            ? '91-365d'
            : '>365d';
}

const DAY_MS = 86_400_000;

/** What GET /dashboard serves: the stored counts plus what depends on `now` (aging, overdue). */
export function dashboardView(document: TenantDashboardDocument, now: Date): DashboardView {
  const asOf = now.toISOString();
  const today = dayOf(asOf);
  const todayNumber = dayNumber(today);
  const aging: AgingBuckets = { '0-7d': 0, '8-30d': 0, '31-90d': 0, '91-365d': 0, '>365d': 0 };
  const bucketOf = agingBuckets(todayNumber);
  let open = 0;
  let overdue = 0;
  for (const day in document.openBySubmittedDay) {
    const count = document.openBySubmittedDay[day]!;
    open += count;
    aging[bucketOf(day)] += count;
  }
  for (const day in document.openByDueDay) {
    if (day < today) overdue += document.openByDueDay[day]!;
  }
  // Folded counts: submitted over a year before the latest event, due before its day.
  const olderThanAYear = document.openFolded['submitted'] ?? 0;
  open += olderThanAYear;
  aging['>365d'] += olderThanAYear;
  overdue += document.openFolded['due'] ?? 0;
  const byStage: Record<string, LeadTimeSummary> = {};
  for (const stage of Object.keys(document.leadTime.byStage).sort()) {
    byStage[stage] = leadTimeSummary(document.leadTime.byStage[stage]!);
  }
  return {
    tenantId: document.tenantId,
    asOf,
    total: Object.values(document.byState).reduce((sum, count) => sum + count, 0),
    open,
    overdue,
    byState: sortedCounts(document.byState),
    byTheme: sortedCounts(document.byTheme),
    byPolicyDomain: sortedCounts(document.byPolicyDomain),
    submittedPerMonth: sortedCounts(document.submittedPerMonth),
    closedPerMonth: sortedCounts(document.closedPerMonth),
    rejectedPerMonth: sortedCounts(document.rejectedPerMonth),
    mergedPerMonth: sortedCounts(document.mergedPerMonth),
    leadTimeHours: { total: leadTimeSummary(document.leadTime.total), byStage },
    aging,
  };
}

function leadTimeSummary(minutes: Histogram): LeadTimeSummary {
  const [median, p90] = quantiles(minutes, [0.5, 0.9]);
  return { count: minutes.count, median: hours(median ?? null), p90: hours(p90 ?? null) };
}

function hours(minutes: number | null): number | null {
  return minutes === null ? null : Math.round((minutes / 60) * 100) / 100;
}
