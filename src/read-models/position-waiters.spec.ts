import { describe, expect, it } from '@jest/globals';
import { PositionWaiters } from './position-waiters.js';

/** A progress source whose reads the test answers one by one. */
function controlledProgress() {
  const pending: ((progress: bigint | null) => void)[] = [];
  return {
    pending,
    source: () => new Promise<bigint | null>((resolve) => pending.push(resolve)),
    answer(progress: bigint | null) {
      pending.shift()!(progress);
    },
  };
}

const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

describe('PositionWaiters', () => {
  it('has one read under way at a time; a waiter that came during it gets a read begun after it came', async () => {
    const progress = controlledProgress();
    const waiters = new PositionWaiters(progress.source, 10_000);
    const first = waiters.wait(5n, 5000);
    await tick();
    expect(progress.pending).toHaveLength(1);
    const second = waiters.wait(5n, 5000);
    await tick();
    expect(progress.pending).toHaveLength(1); // no second read while one is under way
    // The read under way began before the second waiter came: it answers the first only.
    progress.answer(5n);
    expect(await first).toBe(true);
    await tick();
    expect(progress.pending).toHaveLength(1); // the next read begins at once, not after the interval
    progress.answer(5n);
    expect(await second).toBe(true);
    expect(waiters.size).toBe(0);
  });

  it('answers a waiter whose deadline passed before its first read from that read', async () => {
    const progress = controlledProgress();
    const waiters = new PositionWaiters(progress.source);
    const reached = waiters.wait(3n, 0);
    const stale = waiters.wait(4n, 0);
    await tick(20);
    progress.answer(3n);
    expect(await reached).toBe(true);
    expect(await stale).toBe(false);
  });

  it('reads every interval while anyone waits, and stops reading when nobody does', async () => {
    let reads = 0;
    let at = 0n;
    const waiters = new PositionWaiters(async () => {
      reads++;
      return at;
    }, 10);
    const waiting = waiters.wait(1n, 5000);
    await tick(100);
    expect(reads).toBeGreaterThanOrEqual(3);
    expect(reads).toBeLessThanOrEqual(12);
    at = 1n;
    expect(await waiting).toBe(true);
    const after = reads;
    await tick(60);
    expect(reads).toBe(after);
  });
});
