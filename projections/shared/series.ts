/**
 * Counts over consecutive whole-number keys (days, months, histogram buckets), stored densely:
 * `counts[i]` is the count of key `from + i`. Against a JSON object keyed by text ("2026-03-02":
 * 4) it takes a few bytes per key instead of fifteen, reads back without hashing a key, and keeps
 * its keys in order, so a reader walks it without sorting. The ends are kept non-zero (an empty
 * series is `{ from: 0, counts: [] }`): equal counts always give equal documents.
 */
export type Series = { from: number; counts: number[] };

/**
 * The most keys a series may span (11 years of days): a key that would stretch it further is
 * refused (`spanAfter`), so that one event stamped centuries off cannot blow a document up.
 */
export const MAX_SERIES_SPAN = 4096;

export function emptySeries(): Series {
  return { from: 0, counts: [] };
}

/** The count of `key` (0 outside the series). */
export function countAt(series: Series, key: number): number {
  const index = key - series.from;
  return index >= 0 && index < series.counts.length ? series.counts[index]! : 0;
}

/** How many keys the series would span once `key` is in it. */
export function spanAfter(series: Series, key: number): number {
  const { from, counts } = series;
  if (counts.length === 0) return 1;
  return Math.max(from + counts.length, key + 1) - Math.min(from, key);
}

/**
 * Adds `delta` to the count of `key`, growing the series at either end as needed and trimming
 * zeros from its ends afterwards. Changes the series in place (callers own its document).
 */
export function addAt(series: Series, key: number, delta: number): void {
  if (!Number.isSafeInteger(key)) throw new RangeError(`a series key must be a whole number, not ${key}`);
  if (delta === 0) return;
  if (spanAfter(series, key) > MAX_SERIES_SPAN)
    throw new RangeError(`key ${key} would stretch the series beyond ${MAX_SERIES_SPAN} keys`);
  const { counts } = series;
  if (counts.length === 0) {
    series.from = key;
    counts.push(delta);
    return;
  }
  if (key < series.from) {
    const gap = series.from - key;
    counts.unshift(delta, ...new Array<number>(gap - 1).fill(0));
    series.from = key;
  } else {
    const index = key - series.from;
    while (counts.length <= index) counts.push(0);
    counts[index] = counts[index]! + delta;
  }
  trim(series);
}

/** Removes the keys before `key` and answers the sum of their counts. */
export function takeBefore(series: Series, key: number): number {
  const drop = Math.min(series.counts.length, key - series.from);
  if (drop <= 0) return 0;
  let sum = 0;
  for (let i = 0; i < drop; i++) sum += series.counts[i]!;
  series.counts.splice(0, drop);
  series.from += drop;
  trim(series);
  return sum;
}

/** The non-zero counts as an object keyed by `label(key)`, in key order (as schema version 4 kept them). */
export function labelled(series: Series, label: (key: number) => string): Record<string, number> {
  const out: Record<string, number> = {};
  const { from, counts } = series;
  for (let i = 0; i < counts.length; i++) if (counts[i] !== 0) out[label(from + i)] = counts[i]!;
  return out;
}

/** Drops zeros at both ends; an emptied series goes back to `{ from: 0, counts: [] }`. */
function trim(series: Series): void {
  const { counts } = series;
  let end = counts.length;
  while (end > 0 && counts[end - 1] === 0) end--;
  let start = 0;
  while (start < end && counts[start] === 0) start++;
  if (start === end) {
    series.from = 0;
    counts.length = 0;
    return;
  }
  if (end < counts.length) counts.length = end;
  if (start > 0) {
    counts.splice(0, start);
    series.from += start;
  }
}

/**
 * `YYYY-MM` ↔ month number (months since January of year 0); also of the month an instant's
 * text starts with. Digits are read in place (no substrings: the dashboard asks this per event).
 */
export function monthKey(month: string): number {
  let year = 0;
  for (let i = 0; i < 4; i++) {
    const digit = month.charCodeAt(i) - 48;
    if (!(digit >= 0 && digit <= 9)) return Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
    year = year * 10 + digit;
  }
  const tens = month.charCodeAt(5) - 48;
  const ones = month.charCodeAt(6) - 48;
  if (!(tens >= 0 && tens <= 9 && ones >= 0 && ones <= 9)) return year * 12 + Number(month.slice(5, 7)) - 1;
  return year * 12 + tens * 10 + ones - 1;
}

const monthLabels = new Map<number, string>();

export function monthLabel(key: number): string {
  let label = monthLabels.get(key);
  if (label === undefined) {
    const year = Math.floor(key / 12);
    const month = key - year * 12 + 1;
    label = `${String(year).padStart(4, '0')}-${month < 10 ? '0' : ''}${month}`;
    // Labels are asked for a few hundred months at most; the bound only guards against misuse.
    if (monthLabels.size < 10_000) monthLabels.set(key, label);
  }
  return label;
}
