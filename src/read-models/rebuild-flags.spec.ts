import { describe, expect, it } from '@jest/globals';
import type {
  EventStore,
  EventStoreHealth,
  ReadAllOptions,
  RecordedEvent,
} from '../platform/event-store/event-store.port.js';
import {
  LANE_GC_FLAG,
  lanesTakeEveryCore,
  rebuildV8Flags,
  SHORT_REBUILD_EVENTS,
  SHORT_REBUILD_FLAG,
} from './rebuild-flags.js';

/** A log of events at positions 1..n with these tenants, on a store of the given adapter. */
function storeOf(tenants: readonly string[], adapter: EventStoreHealth['adapter'] = 'sqlite'): EventStore {
  return {
    async health(): Promise<EventStoreHealth> {
      return { adapter, ok: true, lastPosition: String(tenants.length), detail: '' };
    },
    async *readAll({ fromPosition = 'start', limit = Infinity }: ReadAllOptions = {}) {
      const from = fromPosition === 'start' ? 1 : Number(fromPosition);
      for (let p = from; p <= tenants.length && p < from + limit; p++)
        yield { position: BigInt(p), metadata: { tenantId: tenants[p - 1] } } as unknown as RecordedEvent;
    },
  } as unknown as EventStore;
}

const twoTenants = Array.from({ length: 200 }, (_, i) => (i % 3 === 0 ? 'gent' : 'kortrijk'));

describe('lanesTakeEveryCore', () => {
  it('holds for two lanes or more that leave no core over', () => {
    expect(lanesTakeEveryCore(2, 2)).toBe(true);
    expect(lanesTakeEveryCore(2, 1)).toBe(true);
    expect(lanesTakeEveryCore(3, 2)).toBe(true);
  });

  it('does not hold for one runner, nor for lanes with a core to spare', () => {
    expect(lanesTakeEveryCore(1, 1)).toBe(false);
    expect(lanesTakeEveryCore(1, 2)).toBe(false);
    expect(lanesTakeEveryCore(2, 4)).toBe(false);
  });
});

describe('rebuildV8Flags', () => {
  const long = Array.from({ length: SHORT_REBUILD_EVENTS }, (_, i) => (i % 3 === 0 ? 'gent' : 'kortrijk'));

  it('wants the collector in the lanes when two lanes on two cores split the tenants of an embedded log', async () => {
    expect(await rebuildV8Flags(storeOf(long), 2, 2)).toEqual([LANE_GC_FLAG]);
  });

  it('turns inlining off as well when that log is short', async () => {
    expect(await rebuildV8Flags(storeOf(twoTenants), 2, 2)).toEqual([LANE_GC_FLAG, SHORT_REBUILD_FLAG]);
    expect(await rebuildV8Flags(storeOf(long.slice(1)), 2, 2)).toEqual([LANE_GC_FLAG, SHORT_REBUILD_FLAG]);
  });

  it('wants nothing when one runner rebuilds: one tenant, EventStoreDB, an empty log, one lane', async () => {
    expect(await rebuildV8Flags(storeOf(twoTenants.map(() => 'gent')), 2, 2)).toEqual([]);
    expect(await rebuildV8Flags(storeOf(twoTenants, 'eventstoredb'), 2, 2)).toEqual([]);
    expect(await rebuildV8Flags(storeOf([]), 2, 2)).toEqual([]);
    expect(await rebuildV8Flags(storeOf(twoTenants), 1, 2)).toEqual([]);
  });

  it('wants nothing when the machine has cores beyond the lanes, however short the log', async () => {
    expect(await rebuildV8Flags(storeOf(twoTenants), 2, 8)).toEqual([]);
    expect(await rebuildV8Flags(storeOf(long), 2, 3)).toEqual([]);
  });
});
