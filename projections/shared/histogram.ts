import { addAt, emptySeries, type Series } from './series.js';

/**
 * A log-bucket histogram: bucket i holds values in [BASE^i, BASE^(i+1)). Bucket counts simply add,
 * so histograms of several stages, tenants or periods merge exactly. A quantile is read as the
 * bucket's geometric middle, which is within sqrt(1.1) - 1 ≈ 4.9% of any value in it. Values below
 * ZERO_BELOW (one second, in minutes) count as zero: the timestamps carry no finer meaning.
 */
export type Histogram = {
  count: number;
  zero: number;
  /** Number of values per bucket index (which may be negative), densely from the lowest used. */
  buckets: Series;
};

export const HISTOGRAM_BASE = 1.1;
export const ZERO_BELOW = 1 / 60;

const LOG_BASE = Math.log(HISTOGRAM_BASE);

export function emptyHistogram(): Histogram {
  return { count: 0, zero: 0, buckets: emptySeries() };
}

export function bucketIndex(value: number): number {
  return Math.floor(Math.log(value) / LOG_BASE);
}

/** The value a bucket stands for: its geometric middle. */
export function bucketValue(index: number): number {
  return HISTOGRAM_BASE ** (index + 0.5);
}

/** Counts `value` in `histogram`, changing it in place (callers own the document it is part of). */
export function recordValue(histogram: Histogram, value: number): void {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`cannot record ${value} in a histogram`);
  histogram.count += 1;
  if (value < ZERO_BELOW) {
    histogram.zero += 1;
    return;
  }
  addAt(histogram.buckets, bucketIndex(value), 1);
}

export function mergeHistograms(...histograms: readonly Histogram[]): Histogram {
  const merged = emptyHistogram();
  for (const histogram of histograms) {
    merged.count += histogram.count;
    merged.zero += histogram.zero;
    const { from, counts } = histogram.buckets;
    for (let i = 0; i < counts.length; i++) addAt(merged.buckets, from + i, counts[i]!);
  }
  return merged;
}

/** The nearest-rank q-quantile (0 ≤ q ≤ 1) of the recorded values, as estimated; null when empty. */
export function quantile(histogram: Histogram, q: number): number | null {
  return quantiles(histogram, [q])[0]!;
}

/** Several quantiles of one histogram (as `quantile` gives each), in one walk over its buckets. */
export function quantiles(histogram: Histogram, qs: readonly number[]): Array<number | null> {
  for (const q of qs) if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile ${q} is not between 0 and 1`);
  if (histogram.count === 0) return qs.map(() => null);
  const { from, counts } = histogram.buckets;
  return qs.map((q) => {
    const rank = Math.max(1, Math.ceil(q * histogram.count));
    let seen = histogram.zero;
    if (rank <= seen) return 0;
    for (let i = 0; i < counts.length; i++) {
      seen += counts[i]!;
      if (rank <= seen) return bucketValue(from + i);
    }
    // Only reachable when count disagrees with the buckets: answer with the largest value known.
    return counts.length === 0 ? 0 : bucketValue(from + counts.length - 1);
  });
}
