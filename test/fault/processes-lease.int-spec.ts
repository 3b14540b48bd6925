import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { SqliteEventStore } from '../../src/platform/event-store/sqlite/sqlite-event-store.js';
import { buildProcesses, eventsOfType, submitSignal } from '../support/process-harness.js';
import { startTsChild, type RunningChild } from '../support/processes.js';

const CHILD = 'test/fault/children/leased-process-runner.ts';
const dir = mkdtempSync(join(tmpdir(), 'ls-fault-lease-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const T0 = '2026-03-02T09:00:00.000Z'; // a Monday; submitted is due two working days later
const AFTER_DEADLINE = '2026-03-05T09:00:00.000Z';
/** 12 s before the deadline (Wednesday 09:00): the leader's timers fall due once the standby is up. */
const BEFORE_DEADLINE = '2026-03-04T08:59:48.000Z';
const TTL_MS = 1500;

async function stopChild(child: RunningChild): Promise<void> {
  if (child.child.exitCode === null && child.child.signalCode === null) child.child.kill('SIGKILL');
  await child.exited;
}

function countBy<T>(items: T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

async function signalsSubmitted(file: string, n: number): Promise<string[]> {
  const store = new SqliteEventStore({ file });
  const { handler } = buildProcesses(store, () => new Date(T0));
  const signals: string[] = [];
  for (let i = 0; i < n; i++) signals.push(await submitSignal(handler, i));
  await store.close();
  return signals;
}

describe('process workflows behind their lease, two instances (real child processes)', () => {
  it('one instance runs them; when it is killed mid-firing the other takes over within the lease time, each timer fired once', async () => {
    const file = join(dir, 'crash.sqlite');
    const leases = join(dir, 'crash-leases.sqlite');
    const N = 30;
    const signals = await signalsSubmitted(file, N);

    // A leads; its timers fall due 12 s after its start, and it kills itself after a third of the
    // overdue marks. B stands by meanwhile.
    const a = startTsChild(CHILD, [file, leases, BEFORE_DEADLINE, String(TTL_MS), String(N / 3)]);
    let b: RunningChild | null = null;
    try {
      await a.waitForLine((line) => line === 'leading', 30_000);
      b = startTsChild(CHILD, [file, leases, AFTER_DEADLINE, String(TTL_MS)]);
      await b.waitForLine((line) => line === 'standby', 30_000);
      const exit = await a.exited;
      const killedAt = Date.now();
      expect(exit.signal).toBe('SIGKILL');
      expect(b.lines).not.toContain('leading');
      await b.waitForLine((line) => line === 'leading', 10_000);
      const takeOverMs = Date.now() - killedAt;
      // Within the lease's time after A's last extension, plus one of B's tries and its start.
      expect(takeOverMs).toBeLessThan(TTL_MS + TTL_MS / 3 + 2000);
      await b.waitForLine((line) => line.startsWith('idle'), 60_000);

      const check = new SqliteEventStore({ file });
      const marked = countBy(await eventsOfType(check, 'SignalMarkedOverdue'), (e) =>
        String(e.data['signalId']),
      );
      const decisions = countBy(await eventsOfType(check, 'ProcessInputHandled'), (e) =>
        String((e.data['input'] as { id: string }).id),
      );
      await check.close();
      expect([...marked.keys()].sort()).toEqual([...signals].sort());
      const twice = [...marked.values()].filter((count) => count > 1).length;
      expect(twice).toBe(0);
      expect([...decisions.values()].filter((count) => count > 1)).toHaveLength(0);
      console.log(
        `lease: ${N} timers, leader SIGKILLed after ${N / 3} marks; standby took over in ${takeOverMs} ms (lease ${TTL_MS} ms); ${marked.size} marked, ${twice} twice`,
      );
    } finally {
      await stopChild(a);
      if (b) await stopChild(b);
    }
  }, 180_000);

  it('a leader that stops cleanly releases the lease: the standby takes over at its next try', async () => {
    const file = join(dir, 'clean.sqlite');
    const leases = join(dir, 'clean-leases.sqlite');
    await signalsSubmitted(file, 3);
    const ttl = 10_000; // long: a takeover well within it shows the release
    const a = startTsChild(CHILD, [file, leases, T0, String(ttl)]);
    let b: RunningChild | null = null;
    try {
      await a.waitForLine((line) => line === 'leading', 30_000);
      b = startTsChild(CHILD, [file, leases, T0, String(ttl)]);
      await b.waitForLine((line) => line === 'standby', 30_000);
      a.child.kill('SIGTERM');
      const stoppedAt = Date.now();
      expect((await a.exited).code).toBe(0);
      await b.waitForLine((line) => line === 'leading', 10_000);
      const takeOverMs = Date.now() - stoppedAt;
      expect(takeOverMs).toBeLessThan(ttl / 3 + 2000);
      console.log(`lease: clean stop, standby took over in ${takeOverMs} ms (lease ${ttl} ms)`);
    } finally {
      await stopChild(a);
      if (b) await stopChild(b);
    }
  }, 120_000);
});
