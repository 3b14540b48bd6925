import type { Histogram } from '../shared/histogram.js';
import { labelled, monthLabel } from '../shared/series.js';
import { dayLabel } from '../shared/time.js';
import type { TenantDashboardDocument } from '../tenant-dashboard/tenant-dashboard.projection.js';

/**
 * A dashboard document as schema version 4 stored it, and as a person reads it: series of days
 * and months as counts keyed by `YYYY-MM-DD` and `YYYY-MM`, histogram buckets by index, fold
 * boundaries as days ('' before any).
 */
export function dashboardAsVersion4(document: TenantDashboardDocument) {
  const histogram = (h: Histogram) => ({ ...h, buckets: labelled(h.buckets, String) });
  const day = (n: number | null) => (n === null ? '' : dayLabel(n));
  return {
    ...document,
    submittedPerMonth: labelled(document.submittedPerMonth, monthLabel),
    closedPerMonth: labelled(document.closedPerMonth, monthLabel),
    rejectedPerMonth: labelled(document.rejectedPerMonth, monthLabel),
    mergedPerMonth: labelled(document.mergedPerMonth, monthLabel),
    openBySubmittedDay: labelled(document.openBySubmittedDay, dayLabel),
    openByDueDay: labelled(document.openByDueDay, dayLabel),
    foldedBefore: { submitted: day(document.foldedBefore.submitted), due: day(document.foldedBefore.due) },
    leadTime: {
      byStage: Object.fromEntries(
        Object.entries(document.leadTime.byStage).map(([stage, h]) => [stage, histogram(h)]),
      ),
      total: histogram(document.leadTime.total),
    },
  };
}
