import { describe, expect, it } from '@jest/globals';
import type { EventStore, ReadAllOptions, RecordedEvent } from '../event-store/event-store.port.js';
import { splitTenants } from './tenant-shares.js';

/** A log of events at positions 1..n with these tenants ('' for an event without one); readAll only. */
function logOf(tenants: readonly string[]): { store: EventStore; reads: () => number } {
  let reads = 0;
  const store = {
    async *readAll({ fromPosition = 'start', limit = Infinity }: ReadAllOptions = {}) {
      reads++;
      const from = fromPosition === 'start' ? 1 : Number(fromPosition);
      for (let p = from; p <= tenants.length && p < from + limit; p++) {
        const metadata = tenants[p - 1] === '' ? {} : { tenantId: tenants[p - 1] };
        yield { position: BigInt(p), metadata } as unknown as RecordedEvent;
      }
    },
  } as unknown as EventStore;
  return { store, reads: () => reads };
}

/** Which share each event of the log goes to (-1: none, 2+ shares at once: a bug). */
function assignment(
  tenants: readonly string[],
  shares: Array<{ tenants: readonly string[]; except?: boolean }>,
) {
  return tenants.map((tenant) => {
    const takers = shares.filter((share) => share.tenants.includes(tenant) !== (share.except === true));
    return takers.length === 1 ? shares.indexOf(takers[0]!) : -1;
  });
}

describe('splitTenants', () => {
  const weights: Record<string, number> = {
    gent: 40,
    kortrijk: 22,
    berlaar: 8,
    eeklo: 12,
    mortsel: 10,
    oud: 8,
  };
  // Interleaved over time, as the tenants' work is.
  const log: string[] = [];
  for (let round = 0; round < 100; round++)
    for (const [tenant, weight] of Object.entries(weights)) if (round < weight) log.push(tenant);

  it('gives every event to exactly one share, events without a tenant included', async () => {
    const withStrays = [...log, '', 'late-tenant', ''];
    for (const lanes of [2, 3, 4]) {
      const shares = await splitTenants(logOf(withStrays).store, 0n, BigInt(withStrays.length), lanes, 64);
      expect(shares.length).toBe(lanes);
      expect(assignment(withStrays, shares).every((share) => share >= 0)).toBe(true);
      expect(shares.filter((share) => share.except === true)).toHaveLength(1);
    }
  });

  it('balances the shares by the weight of their tenants in a sample, one look-up per sampled event', async () => {
    // The same mix ten times over: 1,000 events, 200 of them looked at.
    const long = Array.from({ length: 10 }, () => log).flat();
    const { store, reads } = logOf(long);
    const shares = await splitTenants(store, 0n, BigInt(long.length), 2, 200);
    expect(reads()).toBe(200);
    const sizes = [0, 0];
    for (const share of assignment(long, shares)) sizes[share]!++;
    // gent (400) and a small tenant or two against the rest (50/50 is possible): within a tenth.
    expect(Math.abs(sizes[0]! - sizes[1]!)).toBeLessThanOrEqual(100);
  });

  it('evens out what taking the heaviest tenants first leaves uneven', async () => {
    // The demo log of 1M events in thousands per tenant: heaviest-first alone gives 514 against 475.
    const demo: Record<string, number> = {
      gent: 228,
      'sint-niklaas': 125,
      kortrijk: 124,
      roeselare: 112,
      dendermonde: 96,
      mortsel: 72,
      eeklo: 65,
      bornem: 65,
      'oud-turnhout': 53,
      berlaar: 49,
    };
    const mixed: string[] = [];
    for (let round = 0; round < 228; round++)
      for (const [tenant, weight] of Object.entries(demo)) if (round < weight) mixed.push(tenant);
    // Fewer events than samples: every one is looked at, the weights are exact.
    const shares = await splitTenants(logOf(mixed).store, 0n, BigInt(mixed.length), 2, 4096);
    const sizes = [0, 0];
    for (const share of assignment(mixed, shares)) sizes[share]!++;
    expect(sizes[0]! + sizes[1]!).toBe(989);
    expect(Math.abs(sizes[0]! - sizes[1]!)).toBeLessThanOrEqual(10);
  });

  it('samples only what is left to apply, and every position once when there are few', async () => {
    const { store, reads } = logOf(log);
    // Only gent's and kortrijk's events after position 70: two shares, one tenant each.
    expect(new Set(log.slice(70))).toEqual(new Set(['gent', 'kortrijk']));
    const shares = await splitTenants(store, 70n, BigInt(log.length), 2);
    expect(reads()).toBe(log.length - 70);
    expect(shares).toEqual([{ tenants: ['gent'] }, { tenants: ['gent'], except: true }]);
  });

  it('looks at one event in 64 of those left, at least 512 and at most 4,096', async () => {
    const big = (n: number) => Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 'gent' : 'eeklo'));
    for (const [events, looked] of [
      [10_000, 512],
      [100_000, 1_563],
      [1_000_000, 4_096],
    ] as const) {
      const { store, reads } = logOf(big(events));
      await splitTenants(store, 0n, BigInt(events), 2);
      expect(reads()).toBe(looked);
    }
  });

  it("asks a store's tenant index for the sample when it has one (TenantSampler): the same shares, no event read", async () => {
    const long = Array.from({ length: 10 }, () => log).flat();
    const { store: reader } = logOf(long);
    const { store, reads } = logOf(long);
    const asked: bigint[] = [];
    Object.assign(store, {
      tenantsFrom: (positions: readonly bigint[]) => {
        asked.push(...positions);
        return Promise.resolve(
          positions.map((p) => (p <= BigInt(long.length) ? long[Number(p) - 1]! : null)),
        );
      },
    });
    const shares = await splitTenants(store, 0n, BigInt(long.length), 2, 200);
    expect(reads()).toBe(0);
    expect(asked).toHaveLength(200);
    expect(shares).toEqual(await splitTenants(reader, 0n, BigInt(long.length), 2, 200));
  });

  it('makes no shares for one lane, one tenant or nothing left to apply', async () => {
    expect(await splitTenants(logOf(log).store, 0n, BigInt(log.length), 1)).toEqual([]);
    expect(await splitTenants(logOf(['gent', 'gent', 'gent']).store, 0n, 3n, 2)).toEqual([]);
    expect(await splitTenants(logOf(log).store, 100n, 100n, 2)).toEqual([]);
  });
});
