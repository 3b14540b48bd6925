/**
 * A tiny seeded PRNG: the same seed gives the same sequence on every machine and every Node
 * version (no Math.random). The demo data (src/demo/prng.ts), the tenant split of a rebuild
 * (tenant-shares.ts) and the benches (test/bench/prng.ts) draw from it.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
