/**
 * BENCH_LANES: number of lanes of the bench's rebuild (0: one runner in the main thread, as before
 * lanes); undefined: as the CLI takes them. Read by the rebuild child and by the process that
 * starts it (its node flags), from a module of its own: the starter reads package.json when loaded.
 */
export function benchLanes(): number | undefined {
  const raw = process.env['BENCH_LANES'];
  if (raw === undefined || raw === '') return undefined;
  const lanes = Number(raw);
  if (!Number.isInteger(lanes) || lanes < 0) throw new Error(`BENCH_LANES must be 0 or more, got ${raw}`);
  return lanes;
}
