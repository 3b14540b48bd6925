/**
 * Maps keyed by data (signal ids, areas, assignees) are plain JSON objects: reads go through
 * `own` so that a key such as `constructor` never finds a prototype member.
 */
export type Counts = Record<string, number>;

export function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
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
  const next = (own(counts, key) ?? 0) + delta;
  if (next === 0) delete counts[key];
  else counts[key] = next;
}

/** A copy with keys in sorted order (months, states), for views. */
export function sortedCounts(counts: Counts): Counts {
  const sorted: Counts = {};
  for (const key of Object.keys(counts).sort()) sorted[key] = counts[key]!;
  return sorted;
}
