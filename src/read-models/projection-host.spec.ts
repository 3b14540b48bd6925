import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import type { EventStore } from '../platform/event-store/event-store.port.js';
import type { ReadStore } from '../platform/read-store/read-store.port.js';
import { ThreadProjectionHost, type ProjectionWorker, type ThreadHostOptions } from './projection-host.js';

/** A worker thread stand-in: says 'started', and ends when told to stop or when the test says so. */
class FakeWorker extends EventEmitter implements ProjectionWorker {
  readonly messages: unknown[] = [];
  terminated = false;

  constructor() {
    super();
    setImmediate(() => this.emit('message', 'started'));
  }

  postMessage(message: unknown): void {
    this.messages.push(message);
    if (message === 'stop') setImmediate(() => this.emit('exit', 0));
  }

  async terminate(): Promise<number> {
    this.terminated = true;
    return 0;
  }

  crash(code = 1): void {
    this.emit('exit', code);
  }
}

const config = {
  eventStore: { kind: 'sqlite', file: ':memory:', synchronous: 'FULL' },
  readStore: { kind: 'sqlite', file: ':memory:' },
} as unknown as ConstructorParameters<typeof ThreadProjectionHost>[0];
const noStore = {} as EventStore;
const noReadStore = {} as ReadStore;
const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A host whose workers are fakes, with the workers it started. */
function hostWithFakes(options: Omit<ThreadHostOptions, 'createWorker'> = {}, spawn = true) {
  const workers: FakeWorker[] = [];
  const host = new ThreadProjectionHost(config, noStore, noReadStore, spawn, {
    ...options,
    createWorker: () => {
      const worker = new FakeWorker();
      workers.push(worker);
      return worker;
    },
  });
  return { host, workers };
}

describe('ThreadProjectionHost supervision', () => {
  it('starts a worker again, from the checkpoints, when it ends on its own, waiting longer each time', async () => {
    const { host, workers } = hostWithFakes({ restartDelayMs: 100 });
    await host.start();
    expect(workers).toHaveLength(1);
    workers[0]!.crash();
    await tick(300);
    expect(workers).toHaveLength(2);
    expect(host.restarted).toBe(1);
    workers[1]!.crash();
    // The second wait is twice the first: not yet after 30 ms, done after 500 ms.
    await tick(30);
    expect(workers).toHaveLength(2);
    await tick(470);
    expect(workers).toHaveLength(3);
    await host.stop();
    expect(workers[2]!.messages).toEqual(['stop']);
    expect(workers[2]!.terminated).toBe(true);
  });

  it('does not start a worker again after stop, nor when one ends while stopping', async () => {
    const { host, workers } = hostWithFakes({ restartDelayMs: 20 });
    await host.start();
    workers[0]!.crash();
    await host.stop();
    await tick(100);
    expect(workers).toHaveLength(1);
    expect(host.restarted).toBe(0);
  });

  it('spawns nothing when another process keeps the read models', async () => {
    const { host, workers } = hostWithFakes({}, false);
    await host.start();
    await host.stop();
    expect(workers).toHaveLength(0);
  });

  it('with a lease, runs a worker in one instance at a time; another takes over once that one stops', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ls-projection-lease-'));
    const file = join(dir, 'leases.sqlite');
    // Two instances in one process: each names itself (the default name is the process's).
    const instance = (holder: string) =>
      // A 1.2 s lease, renewed every 400 ms: a machine busy with other suites delays a timer by a
      // few hundred ms now and then, which a 300 ms lease does not survive.
      hostWithFakes({ lease: { store: { kind: 'sqlite', file }, ttlMs: 1200, holder } });
    const [a, b] = [instance('a'), instance('b')];
    try {
      await a.host.start();
      await b.host.start();
      expect([a.workers.length, b.workers.length]).toEqual([1, 0]);
      expect([a.host.runner().state, b.host.runner().state]).toEqual(['leading', 'standby']);
      await tick(1300); // past a lease's time: the holder extended it, the standby still waits
      expect(b.workers).toHaveLength(0);
      await a.host.stop();
      expect(a.workers[0]!.terminated).toBe(true);
      await tick(900); // the standby's next try (every 400 ms) finds the lease released
      expect(b.workers).toHaveLength(1);
      expect(b.host.runner()).toMatchObject({ state: 'leading', lease: 'sqlite' });
    } finally {
      await a.host.stop();
      await b.host.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 15_000);
});

/** A read store that answers checkpoints only, counting the reads; `at` moves every read model's checkpoint. */
class CountingReadStore {
  checkpointReads = 0;
  at: bigint | null = 100n;

  async activeVersion(): Promise<number | null> {
    return null;
  }

  async checkpoint(): Promise<bigint | null> {
    this.checkpointReads++;
    return this.at;
  }
}

describe('ThreadProjectionHost read-your-writes waits', () => {
  const standby = (readStore: CountingReadStore) =>
    new ThreadProjectionHost(config, noStore, readStore as unknown as ReadStore, false);

  it('answers at once for a reached position, and false after the timeout for one not reached', async () => {
    const readStore = new CountingReadStore();
    const host = standby(readStore);
    expect(await host.waitForPosition(100n, 2000)).toBe(true);
    const started = Date.now();
    expect(await host.waitForPosition(101n, 150)).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    readStore.at = null; // a read model without a checkpoint has reached nothing
    expect(await host.waitForPosition(1n, 30)).toBe(false);
  });

  it('lets 300 waiting reads share one read of the checkpoints at a time, each with its own deadline', async () => {
    const readStore = new CountingReadStore();
    const host = standby(readStore);
    const perRead = 7; // one checkpoint per read model
    // Positions as bigints beyond 2^53: compared exactly.
    readStore.at = 2n ** 60n;
    const far = 2n ** 60n + 1n;
    const started = Date.now();
    const early = Array.from({ length: 100 }, () => host.waitForPosition(far, 150));
    const late = Array.from({ length: 200 }, () => host.waitForPosition(far, 2000));
    await tick(400);
    // The short deadlines passed (stale), the long ones still wait.
    expect(await Promise.all(early)).toEqual(Array(100).fill(false));
    const reads = readStore.checkpointReads / perRead;
    // One read every 10 ms at most (some 40 in 400 ms; a busy machine gives fewer), not one per
    // waiter: 300 waiters polling on their own read some 12 000 times in 400 ms.
    expect(reads).toBeLessThanOrEqual(60);
    readStore.at = far;
    expect(await Promise.all(late)).toEqual(Array(200).fill(true));
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('fails a wait when the checkpoints cannot be read, as a read of its own would', async () => {
    const readStore = new CountingReadStore();
    readStore.checkpoint = () => Promise.reject(new Error('store went away'));
    await expect(standby(readStore).waitForPosition(1n, 1000)).rejects.toThrow('store went away');
  });
});
