import { addAt, countAt, MAX_SERIES_SPAN, spanAfter, type Series } from './series.js';

/**
 * Maps keyed by data (signal ids, areas, assignees) are plain JSON objects: reads go through
 * `own` so that a key such as `constructor` never finds a prototype member.
 */
export type Counts = Record<string, number>;

export function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/**
 * An empty record for keys that come from data (digests, ids): an object without prototype, which
 * V8 keeps as a hash table from the start. A plain `{}` that keeps getting new keys takes a new
 * hidden class with each one, and look-ups over thousands of such shapes take V8's slow path: the
 * supra-local cells' tallies of digests cost a quarter more that way (test/bench/PROJECTIONS.md).
 * Serialised as JSON like any object; `own` and `countOf` read it as a plain one.
 */
export function dictionary<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** A record's entries in a new `dictionary` (a record read back from JSON is a plain object). */
export function asDictionary<T>(record: Record<string, T>): Record<string, T> {
  const copy = dictionary<T>();
  for (const key of Object.keys(record)) copy[key] = record[key]!;
  return copy;
}

/**
 * A count by key, as `own` finds it but in one look-up: no member of Object.prototype is a
 * number, so a key such as `constructor` is never taken for a count.
 */
export function countOf(counts: Counts, key: string): number | undefined {
  const value = counts[key];
  return typeof value === 'number' ? value : undefined;
}

/** A key a JSON document cannot hold as a plain own property. */
export function isUnsafeKey(key: string): boolean {
  return key === '__proto__';
}

/** Throws when a value about to become a key is one a JSON document cannot hold. */
export function assertUsableKeys(
  values: ReadonlyArray<string | null | undefined>,
  fail: (reason: string) => Error,
): void {
  const unusable = values.find((value) => typeof value === 'string' && isUnsafeKey(value));
  if (unusable !== undefined) throw fail(`"${unusable}" cannot be counted under`);
}

/** Adds `delta` to a count; a count that reaches zero is removed so documents do not fill with zeros. */
export function addCount(counts: Counts, key: string, delta: number): void {
  const next = (countOf(counts, key) ?? 0) + delta;
  if (next === 0) delete counts[key];
  else counts[key] = next;
}

/** A copy with keys in sorted order (months, states), for views. */
export function sortedCounts(counts: Counts): Counts {
  const sorted: Counts = {};
  for (const key of Object.keys(counts).sort()) sorted[key] = counts[key]!;
  return sorted;
}

/**
 * The count changes one event makes, planned first and checked together: a count that would drop
 * below zero means an earlier event is missing or parked (or this one is stale), so the event is
 * refused before any count has moved. Changes to the same count are netted before the check.
 * Counts are kept in objects keyed by text (`add`) or in dense series (`addAt`).
 */
export class CountChanges {
  private readonly changes: Array<{
    counts: Counts | Series;
    name: string;
    key: string | number;
    delta: number;
    /** How a series key is named in a refusal (as a day, a month). */
    label?: (key: number) => string;
  }> = [];

  add(counts: Counts, name: string, key: string, delta: number): this {
    this.changes.push({ counts, name, key, delta });
    return this;
  }

  addAt(series: Series, name: string, key: number, delta: number, label: (key: number) => string): this {
    this.changes.push({ counts: series, name, key, delta, label });
    return this;
  }

  /** Throws `fail(reason)` naming the first count that would drop below zero; changes nothing. */
  check(fail: (reason: string) => Error): void {
    // An event plans a handful of changes: netting them pairwise is cheaper than building maps.
    const { changes } = this;
    for (let i = 0; i < changes.length; i++) {
      const { counts, key } = changes[i]!;
      let delta = 0;
      let first = true;
      for (let j = 0; j < changes.length; j++) {
        const other = changes[j]!;
        if (other.counts !== counts || other.key !== key) continue;
        if (j < i) first = false;
        delta += other.delta;
      }
      if (!first || delta === 0) continue;
      if (typeof key === 'number' && spanAfter(counts as Series, key) > MAX_SERIES_SPAN)
        throw fail(`${this.named(i)} lies more than ${MAX_SERIES_SPAN} steps from the other counts`);
      // A count is never below zero (this check keeps it so): only a decrease can take it there,
      // and only a decrease needs the count looked up.
      if (delta > 0) continue;
      const current =
        typeof key === 'number' ? countAt(counts as Series, key) : (countOf(counts as Counts, key) ?? 0);
      if (current + delta < 0) {
        throw fail(
          `${this.named(i)} would drop below zero (${current} ${delta}): an earlier event is missing or parked, or this one is stale`,
        );
      }
    }
  }

  /** The count of change `i` as a refusal names it: `byState["submitted"]`, `openByDueDay["2026-03-02"]`. */
  private named(i: number): string {
    const { name, key, label } = this.changes[i]!;
    return `${name}["${typeof key === 'number' && label ? label(key) : key}"]`;
  }

  apply(): void {
    for (const { counts, key, delta } of this.changes) {
      if (typeof key === 'number') addAt(counts as Series, key, delta);
      else addCount(counts as Counts, key, delta);
    }
  }
}
