import { PlatformLogger } from '../logger.js';
import type { Projection } from '../../../projections/projection.js';
import { samplesTenants, type EventStore, type TenantSelection } from '../event-store/event-store.port.js';
import { mulberry32 } from '../prng.js';
import type { ReadStore } from '../read-store/read-store.port.js';
import { finishCatchUp, prepareReadModel } from './projection-runner.js';

/**
 * Events looked at to weigh the tenants against each other (splitTenants): one in 64 of those
 * left to apply, at least 512 and at most 4,096 (the 1M demo log's two lanes then differ by 2%,
 * 490k against 499k events). ~8 µs each from the SQLite store's tenant index (TenantSampler);
 * 55–175 µs through readAll, which reads and decodes the event.
 */
export const TENANT_SAMPLES = 4096;
const MIN_SAMPLES = 512;

/**
 * Splits the tenants of the events after `after` up to `head` into at most `shares` selections of
 * about equal weight, for runners that each apply one share (ProjectionRunnerOptions.share). The
 * weights come from events at positions spread over the range (one look-up each, not a read of
 * the whole log); the tenants are then grouped by balancedGroups. The lightest share takes every
 * event of no listed tenant (`except`): tenants the sample missed and events without one. So the
 * selections cover every event exactly once. Fewer than two shares with tenants: [].
 */
export async function splitTenants(
  store: EventStore,
  after: bigint,
  head: bigint,
  shares: number,
  samples?: number,
): Promise<TenantSelection[]> {
  const span = head - after;
  if (shares < 2 || span <= 0n) return [];
  const wanted = samples ?? Math.min(TENANT_SAMPLES, Math.max(MIN_SAMPLES, Math.ceil(Number(span) / 64)));
  const count = span < BigInt(wanted) ? Number(span) : wanted;
  const random = mulberry32(0x5eed);
  const positions: bigint[] = [];
  for (let k = 0; k < count; k++) {
    // A position drawn within the k-th of `count` equal stretches of (after, head]: spread like
    // evenly spaced ones, without falling into step with a log where tenants take turns.
    const start = (BigInt(k) * span) / BigInt(count);
    const end = (BigInt(k + 1) * span) / BigInt(count);
    positions.push(after + 1n + start + BigInt(Math.floor(random() * Number(end - start))));
  }
  const weights = new Map<string, number>();
  for (const tenant of await tenantsFrom(store, positions)) {
    if (typeof tenant === 'string' && tenant !== '') weights.set(tenant, (weights.get(tenant) ?? 0) + 1);
  }
  const groups = balancedGroups(weights, shares);
  const filled = groups.filter((group) => group.tenants.length > 0).sort((a, b) => b.weight - a.weight);
  if (filled.length < 2) return [];
  const listed = filled.slice(0, -1).map((group) => group.tenants.sort());
  return [...listed.map((tenants) => ({ tenants })), { tenants: listed.flat().sort(), except: true }];
}

/** The tenant of the first event at or after each position: from the store's index where it has one. */
async function tenantsFrom(store: EventStore, positions: readonly bigint[]): Promise<unknown[]> {
  if (samplesTenants(store)) return store.tenantsFrom(positions);
  const tenants: unknown[] = [];
  for (const position of positions) {
    for await (const event of store.readAll({ fromPosition: position, limit: 1 }))
      tenants.push(event.metadata.tenantId);
  }
  return tenants;
}

interface Group {
  weight: number;
  tenants: string[];
}

/**
 * Tenants in `count` groups of about equal weight: heaviest first, each to the lightest group so
 * far; then, while it makes the heaviest group lighter, a tenant moved from it to the lightest or
 * swapped with a lighter one there (a few tenants make up most of the events: greedy alone left
 * 514k against 475k events of the 1M demo log).
 */
function balancedGroups(weights: ReadonlyMap<string, number>, count: number): Group[] {
  const groups: Group[] = Array.from({ length: count }, () => ({ weight: 0, tenants: [] }));
  const heaviestFirst = [...weights].sort(([a, wa], [b, wb]) => wb - wa || (a < b ? -1 : a > b ? 1 : 0));
  for (const [tenant, weight] of heaviestFirst) {
    const lightest = groups.reduce((min, group) => (group.weight < min.weight ? group : min));
    lightest.tenants.push(tenant);
    lightest.weight += weight;
  }
  const weightOf = (tenant: string) => weights.get(tenant)!;
  for (let round = 0; round < 100; round++) {
    const heavy = groups.reduce((max, group) => (group.weight > max.weight ? group : max));
    const light = groups.reduce((min, group) => (group.weight < min.weight ? group : min));
    const gap = heavy.weight - light.weight;
    // The exchange that best evens the two out: moving `from` (and taking `to` back, if any)
    // shifts `delta` of weight, which helps when 0 < delta < gap, most when delta = gap / 2.
    let best: { from: string; to: string | null; delta: number } | null = null;
    for (const from of heavy.tenants) {
      for (const to of [null, ...light.tenants]) {
        const delta = weightOf(from) - (to === null ? 0 : weightOf(to));
        if (delta <= 0 || delta >= gap) continue;
        if (best === null || Math.abs(gap - 2 * delta) < Math.abs(gap - 2 * best.delta))
          best = { from, to, delta };
      }
    }
    if (best === null) break;
    heavy.tenants.splice(heavy.tenants.indexOf(best.from), 1);
    light.tenants.push(best.from);
    if (best.to !== null) {
      light.tenants.splice(light.tenants.indexOf(best.to), 1);
      heavy.tenants.push(best.to);
    }
    heavy.weight -= best.delta;
    light.weight += best.delta;
  }
  return groups;
}

/**
 * Finishes a catch-up done in tenant shares, once every share has applied its events up to at
 * least `head` (the store's last position before the shares started): each read model gets `head`
 * as its checkpoint and is marked caught up, then gets its query indexes and, when it was built
 * beside an older version, takes its place, as one runner would have done. Before this, the
 * read models' checkpoints are where they were: a crash in between makes the next runner read
 * the shares' events again, and the documents' positions make that change nothing.
 */
export async function sealShares(
  readStore: ReadStore,
  projections: readonly Projection[],
  head: bigint,
  logger = new PlatformLogger('Projections'),
): Promise<void> {
  for (const projection of projections) {
    const { spec, status, replaces } = await prepareReadModel(readStore, projection);
    await readStore.commit([
      { collection: spec, puts: [], deletes: [], parked: [], checkpoint: head, caughtUp: true },
    ]);
    await finishCatchUp(readStore, spec, !status.caughtUp, replaces, logger);
  }
}
