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
  REBUILD_MALLOC_ENV,
  rebuildProcess,
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

describe('rebuildProcess', () => {
  const long = Array.from({ length: SHORT_REBUILD_EVENTS }, (_, i) => (i % 3 === 0 ? 'gent' : 'kortrijk'));
  const none = { flags: [], env: {} };

  it('wants the collector in the lanes and the allocator kept when two lanes on two cores split the tenants of an embedded log', async () => {
    expect(await rebuildProcess(storeOf(long), 2, 2)).toEqual({
      flags: [LANE_GC_FLAG],
      env: REBUILD_MALLOC_ENV,
    });
  });

  it('turns inlining off as well when that log is short', async () => {
    const short = { flags: [LANE_GC_FLAG, SHORT_REBUILD_FLAG], env: REBUILD_MALLOC_ENV };
    expect(await rebuildProcess(storeOf(twoTenants), 2, 2)).toEqual(short);
    expect(await rebuildProcess(storeOf(long.slice(1)), 2, 2)).toEqual(short);
  });

  it('wants nothing when one runner rebuilds: one tenant, EventStoreDB, an empty log, one lane', async () => {
    expect(await rebuildProcess(storeOf(twoTenants.map(() => 'gent')), 2, 2)).toEqual(none);
    expect(await rebuildProcess(storeOf(twoTenants, 'eventstoredb'), 2, 2)).toEqual(none);
    expect(await rebuildProcess(storeOf([]), 2, 2)).toEqual(none);
    expect(await rebuildProcess(storeOf(twoTenants), 1, 2)).toEqual(none);
  });

  it('wants nothing when the machine has cores beyond the lanes, however short the log', async () => {
    expect(await rebuildProcess(storeOf(twoTenants), 2, 8)).toEqual(none);
    expect(await rebuildProcess(storeOf(long), 2, 3)).toEqual(none);
  });
});
