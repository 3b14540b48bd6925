import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { LeaseStore } from './lease-store.port.js';
import { LeasedRole, type Role } from './leased-role.js';
import { SqliteLeaseStore } from './sqlite-lease-store.js';

/** A role that records what happened to it. */
function aRole(options: { failStarts?: number } = {}): Role & { log: string[] } {
  let failures = options.failStarts ?? 0;
  const log: string[] = [];
  return {
    log,
    async start() {
      if (failures > 0) {
        failures -= 1;
        log.push('start failed');
        throw new Error('no connection');
      }
      log.push('start');
    },
    async stop() {
      log.push('stop');
    },
  };
}

/** A store that can be made to fail, over a real one. */
class FlakyStore extends LeaseStore {
  down = false;
  constructor(private readonly inner: LeaseStore) {
    super();
  }
  acquire(name: string, holder: string, ttlMs: number): Promise<boolean> {
    return this.down ? Promise.reject(new Error('store away')) : this.inner.acquire(name, holder, ttlMs);
  }
  release(name: string, holder: string): Promise<void> {
    return this.down ? Promise.reject(new Error('store away')) : this.inner.release(name, holder);
  }
  holder(name: string): Promise<string | null> {
    return this.inner.holder(name);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

describe('LeasedRole', () => {
  let clock = 0;
  const now = () => clock;
  const roles: LeasedRole[] = [];
  let store: SqliteLeaseStore;
  // Ticks are driven by the test; the role's own timer (every 5 s) never fires within a test.
  const leased = (role: Role, holder: string, leases: LeaseStore = store) => {
    const leasedRole = new LeasedRole('process-workflows', leases, role, { ttlMs: 15_000, holder, now });
    roles.push(leasedRole);
    return leasedRole;
  };

  beforeEach(() => {
    clock = 1_000_000;
    store = new SqliteLeaseStore({ file: ':memory:', now });
  });
  afterEach(async () => {
    for (const role of roles.splice(0)) await role.stop();
    await store.close();
  });

  it('given a free lease, when started, then takes it and starts the role', async () => {
    const role = aRole();
    const a = leased(role, 'a');
    await a.start();
    expect(a.status).toEqual({ lease: 'process-workflows', holder: 'a', state: 'leading' });
    expect(role.log).toEqual(['start']);
    expect(await store.holder('process-workflows')).toBe('a');
  });

  it('given another instance leads, when started, then stands by without starting the role', async () => {
    const [roleA, roleB] = [aRole(), aRole()];
    await leased(roleA, 'a').start();
    const b = leased(roleB, 'b');
    await b.start();
    clock += 5_000;
    await b.tick();
    expect(b.status.state).toBe('standby');
    expect(roleB.log).toEqual([]);
  });

  it('given the leader extends its lease, when time passes, then it keeps the role and the standby never gets it', async () => {
    const [roleA, roleB] = [aRole(), aRole()];
    const a = leased(roleA, 'a');
    const b = leased(roleB, 'b');
    await a.start();
    await b.start();
    for (let i = 0; i < 10; i++) {
      clock += 5_000;
      await a.tick();
      await b.tick();
    }
    expect([a.leading, b.leading]).toEqual([true, false]);
    expect(roleA.log).toEqual(['start']);
  });

  it('given the leader died (stopped extending), when its lease runs out, then the standby takes over', async () => {
    const [roleA, roleB] = [aRole(), aRole()];
    const a = leased(roleA, 'a');
    const b = leased(roleB, 'b');
    await a.start();
    await b.start();
    // 'a' is gone without a word: no more ticks, no release.
    clock += 14_999;
    await b.tick();
    expect(b.leading).toBe(false);
    clock += 1;
    await b.tick();
    expect(b.leading).toBe(true);
    expect(roleB.log).toEqual(['start']);
  });

  it('given the leader stops, when the standby asks next, then it takes over at once (the lease was released)', async () => {
    const [roleA, roleB] = [aRole(), aRole()];
    const a = leased(roleA, 'a');
    const b = leased(roleB, 'b');
    await a.start();
    await b.start();
    await a.stop();
    expect(roleA.log).toEqual(['start', 'stop']);
    expect(a.status.state).toBe('stopped');
    await b.tick();
    expect(b.leading).toBe(true);
  });

  it('given the leader stood still past its lease and another took over, when it wakes, then it stops its role', async () => {
    const [roleA, roleB] = [aRole(), aRole()];
    const a = leased(roleA, 'a');
    const b = leased(roleB, 'b');
    await a.start();
    await b.start();
    clock += 20_000; // 'a' paused (a long GC, a frozen VM) past its lease
    await b.tick();
    expect(b.leading).toBe(true);
    await a.tick();
    expect(a.leading).toBe(false);
    expect(roleA.log).toEqual(['start', 'stop']);
    expect(roleB.log).toEqual(['start']);
  });

  it('given another instance holds the lease now (taken over while this one led), when it tries next, then it stops its role at once', async () => {
    const [roleA, roleB] = [aRole(), aRole()];
    const a = leased(roleA, 'a');
    const b = leased(roleB, 'b');
    await a.start();
    await store.release('process-workflows', 'a'); // e.g. an operator cleared it
    await b.start();
    expect(b.leading).toBe(true);
    clock += 5_000; // well within the time 'a' would otherwise keep going on its own
    await a.tick();
    expect(a.leading).toBe(false);
    expect(roleA.log).toEqual(['start', 'stop']);
  });

  it('given the store cannot be reached, when the lease may have run out before the next try, then the leader stops its role', async () => {
    const role = aRole();
    const flaky = new FlakyStore(store);
    const a = leased(role, 'a', flaky);
    await a.start();
    flaky.down = true;
    clock += 5_000;
    await a.tick();
    expect(a.leading).toBe(true); // 5 s without an extension: the lease runs 10 s more
    clock += 5_000;
    await a.tick();
    // 10 s without one: the lease may run out before the next try, 5 s on.
    expect(a.leading).toBe(false);
    expect(role.log).toEqual(['start', 'stop']);
    flaky.down = false;
    clock += 5_000;
    await a.tick();
    expect(a.leading).toBe(true);
    expect(role.log).toEqual(['start', 'stop', 'start']);
  });

  it('given the role fails to start, then the lease is released and the next try starts it', async () => {
    const role = aRole({ failStarts: 1 });
    const other = aRole();
    const a = leased(role, 'a');
    await a.start();
    expect(a.leading).toBe(false);
    expect(await store.holder('process-workflows')).toBeNull();
    // Released: another instance could have taken it meanwhile; here 'a' tries again itself.
    clock += 5_000;
    await a.tick();
    expect(a.leading).toBe(true);
    expect(role.log).toEqual(['start failed', 'stop', 'start']);
    await leased(other, 'b').start();
    expect(other.log).toEqual([]);
  });

  it('given the role is slow to start, then the lease is extended meanwhile and nobody else gets it (real time)', async () => {
    const realStore = new SqliteLeaseStore({ file: ':memory:' });
    let release: (() => void) | undefined;
    const slow: Role = {
      start: () => new Promise<void>((resolve) => (release = resolve)),
      stop: async () => undefined,
    };
    const other = aRole();
    // Renewed every 400 ms, given up after 800 ms without: a machine busy with other suites delays
    // a timer by a few hundred ms now and then (a 300 ms lease lost its holder so in a run with two
    // Jest workers on 2 cores).
    const a = new LeasedRole('process-workflows', realStore, slow, { ttlMs: 1200, holder: 'a' });
    const b = new LeasedRole('process-workflows', realStore, other, { ttlMs: 1200, holder: 'b' });
    const starting = a.start();
    try {
      await b.start();
      await new Promise((resolve) => setTimeout(resolve, 2400)); // two lease times
      expect(a.status.state).toBe('starting');
      expect(b.leading).toBe(false);
      expect(other.log).toEqual([]);
      release!();
      await starting;
      expect(a.leading).toBe(true);
    } finally {
      // A failed expectation must not leave the role's start hanging: stop waits for it.
      release?.();
      await a.stop();
      await b.stop();
      await realStore.close();
    }
  }, 15_000);

  it('refuses a renewal interval that is not shorter than the lease', () => {
    expect(() => new LeasedRole('x', store, aRole(), { ttlMs: 1000, renewEveryMs: 1000 })).toThrow(
      RangeError,
    );
  });
});
