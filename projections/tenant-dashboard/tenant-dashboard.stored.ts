import type { JsonObject } from '../../src/platform/json.js';
import type { Histogram } from '../shared/histogram.js';
import type { Counts } from '../shared/records.js';
import { addAt, emptySeries, monthKey, type Series } from '../shared/series.js';
import { dayNumber } from '../shared/time.js';
import type { TenantDashboardDocument } from './tenant-dashboard.projection.js';

/**
 * A dashboard document as schema version 4 stored it: the same counts keyed by text (`YYYY-MM`,
 * `YYYY-MM-DD`, a bucket index as a decimal string) and the fold boundaries as days ('' at first).
 */
type StoredVersion4 = Omit<
  TenantDashboardDocument,
  | 'submittedPerMonth'
  | 'closedPerMonth'
  | 'rejectedPerMonth'
  | 'mergedPerMonth'
  | 'openBySubmittedDay'
  | 'openByDueDay'
  | 'leadTime'
  | 'foldedBefore'
> & {
  submittedPerMonth: Counts;
  closedPerMonth: Counts;
  rejectedPerMonth: Counts;
  mergedPerMonth: Counts;
  openBySubmittedDay: Counts;
  openByDueDay: Counts;
  leadTime: { byStage: Record<string, StoredHistogram4>; total: StoredHistogram4 };
  foldedBefore: { submitted: string; due: string };
};

type StoredHistogram4 = Omit<Histogram, 'buckets'> & { buckets: Counts };

/**
 * The dashboard document as the queries read it, from what the store holds for the active version:
 * version 5 as it is, version 4 (active after an upgrade until version 5 has been rebuilt beside
 * it and takes over) turned into the same shape, so GET /dashboard and the public page answer
 * during that rebuild too.
 */
export function readDashboardDocument(stored: JsonObject): TenantDashboardDocument {
  const document = stored as unknown as TenantDashboardDocument | StoredVersion4;
  if (isSeries(document.submittedPerMonth)) return document as TenantDashboardDocument;
  const old = document as StoredVersion4;
  const histogram = (h: StoredHistogram4): Histogram => ({
    count: h.count,
    zero: h.zero,
    buckets: seriesOf(h.buckets, Number),
  });
  const day = (text: string): number | null => (text === '' ? null : dayNumber(text));
  return {
    ...old,
    submittedPerMonth: seriesOf(old.submittedPerMonth, monthKey),
    closedPerMonth: seriesOf(old.closedPerMonth, monthKey),
    rejectedPerMonth: seriesOf(old.rejectedPerMonth, monthKey),
    mergedPerMonth: seriesOf(old.mergedPerMonth, monthKey),
    openBySubmittedDay: seriesOf(old.openBySubmittedDay, dayNumber),
    openByDueDay: seriesOf(old.openByDueDay, dayNumber),
    leadTime: {
      byStage: Object.fromEntries(
        Object.entries(old.leadTime.byStage).map(([stage, h]) => [stage, histogram(h)]),
      ),
      total: histogram(old.leadTime.total),
    },
    foldedBefore: { submitted: day(old.foldedBefore.submitted), due: day(old.foldedBefore.due) },
  };
}

function isSeries(value: unknown): value is Series {
  return typeof value === 'object' && value !== null && Array.isArray((value as Series).counts);
}

function seriesOf(counts: Counts, keyOf: (text: string) => number): Series {
  const series = emptySeries();
  for (const [text, count] of Object.entries(counts)) addAt(series, keyOf(text), count);
  return series;
}
