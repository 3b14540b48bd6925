import { quantile, type Histogram } from '../shared/histogram.js';
import { sortedCounts, type Counts } from '../shared/records.js';
import { dayNumber, dayOf } from '../shared/time.js';
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

function agingBucket(days: number): keyof AgingBuckets {
  if (days <= 7) return '0-7d';
  if (days <= 30) return '8-30d';
  if (days <= 90) return '31-90d';
  if (days <= 365) return '91-365d';
  return '>365d';
}

/** What GET /dashboard serves: the stored counts plus what depends on `now` (aging, overdue). */
export function dashboardView(document: TenantDashboardDocument, now: Date): DashboardView {
  const asOf = now.toISOString();
  const today = dayOf(asOf);
  const todayNumber = dayNumber(today);
  const aging: AgingBuckets = { '0-7d': 0, '8-30d': 0, '31-90d': 0, '91-365d': 0, '>365d': 0 };
  let open = 0;
  let overdue = 0;
  for (const day in document.openBySubmittedDay) {
    const count = document.openBySubmittedDay[day]!;
    open += count;
    aging[agingBucket(Math.max(0, todayNumber - dayNumber(day)))] += count;
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
  return { count: minutes.count, median: hours(quantile(minutes, 0.5)), p90: hours(quantile(minutes, 0.9)) };
}

function hours(minutes: number | null): number | null {
  return minutes === null ? null : Math.round((minutes / 60) * 100) / 100;
}
