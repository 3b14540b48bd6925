import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { SqliteEventStore } from '../../src/platform/event-store/sqlite/sqlite-event-store.js';
import { uuidv7 } from '../../src/platform/ids.js';
import { ExecuteSignalCommand } from '../../src/signals/execute-signal-command/execute-signal-command.command.js';
import {
  appendDossierEvent,
  buildProcesses,
  eventsOfType,
  LEAD,
  submitSignal,
} from '../support/process-harness.js';
import { startTsChild, type RunningChild } from '../support/processes.js';

const CHILD = 'test/fault/children/process-runner.ts';
const dir = mkdtempSync(join(tmpdir(), 'ls-fault-processes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const T0 = '2026-03-02T09:00:00.000Z'; // a Monday; submitted is due two working days later

async function runUntilIdle(file: string, now: string): Promise<void> {
  const child = startTsChild(CHILD, [file, now]);
  try {
    await child.waitForLine((line) => line.startsWith('idle'), 60_000);
  } finally {
    child.child.kill('SIGKILL');
    await child.exited;
  }
}

async function runUntilKilled(child: RunningChild): Promise<string> {
  const exit = await child.exited;
  return exit.signal ?? String(exit.code);
}

function perSignal(events: Array<{ data: Record<string, unknown> }>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const event of events) {
    const id = event.data['signalId'] as string;
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

describe('process workflows across crashes (real child processes, SIGKILL)', () => {
  it('timers survive restarts: scheduled before a kill, fired after the deadline by a new process, once each', async () => {
    const file = join(dir, 'timers.sqlite');
    const N = 20;
    const store = new SqliteEventStore({ file });
    const { handler } = buildProcesses(store, () => new Date(T0));
    const signals: string[] = [];
    for (let i = 0; i < N; i++) signals.push(await submitSignal(handler, i));
    await store.close();

    // 1. A runner schedules the timers an hour after submission, and is killed before any is due.
    await runUntilIdle(file, '2026-03-02T10:00:00.000Z');
    let check = new SqliteEventStore({ file });
    expect(await eventsOfType(check, 'ProcessInputHandled')).toHaveLength(N);
    expect(await eventsOfType(check, 'SignalMarkedOverdue')).toHaveLength(0);
    await check.close();

    // 2. After the deadline, a new runner fires them; it is killed after a third of the commands.
    const killed = startTsChild(CHILD, [file, '2026-03-05T09:00:00.000Z', String(Math.ceil(N / 3))]);
    expect(await runUntilKilled(killed)).toBe('SIGKILL');

    // 3. and 4. Two more runners after the deadline: the rest fires, nothing fires again.
    await runUntilIdle(file, '2026-03-05T09:00:00.000Z');
    await runUntilIdle(file, '2026-03-05T10:00:00.000Z');

    check = new SqliteEventStore({ file });
    const marked = perSignal(await eventsOfType(check, 'SignalMarkedOverdue'));
    const reminders = await eventsOfType(check, 'NotificationSent');
    await check.close();
    expect([...marked.keys()].sort()).toEqual([...signals].sort());
    const duplicates = [...marked.values()].filter((count) => count > 1).length;
    expect(duplicates).toBe(0);
    // A reminder is sent at least once; one killed between sending and recording may be sent again.
    expect(reminders.length).toBeGreaterThanOrEqual(N);
    console.log(
      `${N} timers across restarts, each fired once (${duplicates} duplicates, 3 restarts, 1 SIGKILL mid-firing)`,
    );
  }, 180_000);

  it('a dossier fan-out interrupted by a crash completes exactly once per member', async () => {
    const file = join(dir, 'fan-out.sqlite');
    const M = 30;
    const store = new SqliteEventStore({ file });
    const { handler } = buildProcesses(store, () => new Date(T0));
    const members: string[] = [];
    for (let i = 0; i < M; i++) members.push(await submitSignal(handler, i));
    const dossierId = uuidv7();
    await appendDossierEvent(store, dossierId, 'DossierEscalated', members, new Date(T0));
    await store.close();

    // Killed after half of the member commands; the next runner finishes; a third finds nothing to do.
    const killed = startTsChild(CHILD, [file, '2026-03-02T10:00:00.000Z', String(M / 2)]);
    expect(await runUntilKilled(killed)).toBe('SIGKILL');
    let check = new SqliteEventStore({ file });
    const midway = (await eventsOfType(check, 'SignalDossierEscalated')).length;
    await check.close();
    expect(midway).toBeGreaterThanOrEqual(M / 2);
    expect(midway).toBeLessThan(M);

    await runUntilIdle(file, '2026-03-02T10:00:00.000Z');
    await runUntilIdle(file, '2026-03-02T10:00:00.000Z');

    check = new SqliteEventStore({ file });
    const escalated = await eventsOfType(check, 'SignalDossierEscalated');
    await check.close();
    const counts = perSignal(escalated);
    const duplicates = [...counts.values()].filter((count) => count > 1).length;
    expect([...counts.keys()].sort()).toEqual([...members].sort());
    expect(escalated).toHaveLength(M);
    expect(duplicates).toBe(0);
    console.log(
      `fan-out to ${M} members with a crash midway, ${escalated.length} events, ${duplicates} duplicates`,
    );
  }, 180_000);

  it('inputs decided side by side: a kill with many in flight loses none and decides none twice', async () => {
    const file = join(dir, 'inputs.sqlite');
    const N = 150;
    const store = new SqliteEventStore({ file });
    const { handler } = buildProcesses(store, () => new Date(T0));
    // Each signal submitted and at once triaged: its two inputs are side by side in $all, and the
    // triage waits for its instance while the inputs after it are decided. A kill then leaves
    // earlier inputs undecided behind later ones, which a restart must read again.
    for (let i = 0; i < N; i++) {
      const signalId = await submitSignal(handler, i);
      await handler.execute(
        new ExecuteSignalCommand({
          actor: LEAD,
          name: 'triage',
          signalId,
          fields: { motivation: 'Structureel: meerdere gezinnen.' },
          correlationId: uuidv7(),
        }),
      );
    }
    const inputs =
      (await eventsOfType(store, 'SignalSubmitted')).length +
      (await eventsOfType(store, 'SignalTriaged')).length;
    await store.close();
    expect(inputs).toBe(2 * N);

    const killed = startTsChild(CHILD, [file, '2026-03-02T10:00:00.000Z', '30', 'after-decision']);
    expect(await runUntilKilled(killed)).toBe('SIGKILL');
    let check = new SqliteEventStore({ file });
    const midway = (await eventsOfType(check, 'ProcessInputHandled')).length;
    await check.close();
    expect(midway).toBeGreaterThanOrEqual(30);
    expect(midway).toBeLessThan(inputs);

    await runUntilIdle(file, '2026-03-02T10:00:00.000Z');
    await runUntilIdle(file, '2026-03-02T10:00:00.000Z');

    check = new SqliteEventStore({ file });
    const decisions = await eventsOfType(check, 'ProcessInputHandled');
    await check.close();
    const perInput = new Map<string, number>();
    for (const decision of decisions) {
      const input = (decision.data['input'] as { id: string }).id;
      perInput.set(input, (perInput.get(input) ?? 0) + 1);
    }
    const duplicates = [...perInput.values()].filter((count) => count > 1).length;
    const lost = inputs - perInput.size;
    expect(lost).toBe(0);
    expect(duplicates).toBe(0);
    expect(decisions).toHaveLength(inputs);
    console.log(
      `${inputs} inputs decided side by side, killed after ${midway} decisions: ${decisions.length} decisions, ${lost} lost, ${duplicates} twice`,
    );
  }, 180_000);
});
