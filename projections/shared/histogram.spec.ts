import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { emptyHistogram, mergeHistograms, quantile, recordValue, type Histogram } from './histogram.js';

function histogramOf(values: readonly number[]): Histogram {
  const histogram = emptyHistogram();
  for (const value of values) recordValue(histogram, value);
  return histogram;
}

/** The exact nearest-rank quantile the histogram estimates. */
function exactQuantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1]!;
}

const minutes = fc.double({ min: 1 / 60, max: 10_000_000, noNaN: true });

describe('log-bucket histogram', () => {
  it('has no quantile when empty', () => {
    expect(quantile(emptyHistogram(), 0.5)).toBeNull();
  });

  it('counts values under a second as zero', () => {
    const histogram = histogramOf([0, 0.001, 120]);
    expect(histogram).toMatchObject({ count: 3, zero: 2 });
    expect(quantile(histogram, 0.5)).toBe(0);
  });

  it('estimates every quantile within 10% (5% by construction)', () => {
    fc.assert(
      fc.property(
        fc.array(minutes, { minLength: 1, maxLength: 200 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (values, q) => {
          const estimate = quantile(histogramOf(values), q)!;
          const exact = exactQuantile(values, q);
          expect(Math.abs(estimate - exact) / exact).toBeLessThanOrEqual(0.05);
        },
      ),
    );
  });

  it('merges by adding bucket counts: the merge equals the histogram of all values', () => {
    fc.assert(
      fc.property(fc.array(minutes), fc.array(minutes), (a, b) => {
        expect(mergeHistograms(histogramOf(a), histogramOf(b))).toEqual(histogramOf([...a, ...b]));
      }),
    );
  });

  it('refuses a quantile outside 0..1 and values it cannot hold', () => {
    expect(() => quantile(histogramOf([1]), 1.5)).toThrow(RangeError);
    expect(() => recordValue(emptyHistogram(), -1)).toThrow(RangeError);
    expect(() => recordValue(emptyHistogram(), Number.NaN)).toThrow(RangeError);
  });
});
