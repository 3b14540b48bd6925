import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { CommandBus } from '@nestjs/cqrs';
import { deadlineAt } from '../../workflows/calendar/working-days.js';
import type { EventStore } from '../../src/platform/event-store/event-store.port.js';
import { SqliteEventStore } from '../../src/platform/event-store/sqlite/sqlite-event-store.js';
import type { ProcessInputHandledData } from '../../src/platform/processes/process.events.js';
import { ResolvingNotifier } from '../../src/processes/notifier/resolving-notifier.js';
import { ThreadProcessHost, type ProcessThread } from '../../src/processes/process-host.js';
import { runProcessWorker } from '../../src/processes/process-worker-main.js';
import type { FromProcessWorker, ProcessWorkerData } from '../../src/processes/process-worker-protocol.js';
import { SignalCommandGateway } from '../../src/processes/signal-command-gateway.js';
import { uuidv7 } from '../../src/platform/ids.js';
import { SignalRepository } from '../../src/signals/signal.repository.js';
import {
  appendDossierEvent,
  buildProcesses,
  eventsOfType,
  submitSignal,
} from '../support/process-harness.js';

/**
 * The process thread's protocol end to end, on a MessageChannel in this thread (ts-jest cannot
 * start a worker thread from TypeScript): the thread side runs exactly what `process-worker.ts`
 * runs, on its own connection to the store file; the host carries out its commands and
 * notifications through the app's gateway and notifier.
 */

let dir: string;
let file: string;
let store: SqliteEventStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ls-process-thread-'));
  file = join(dir, 'events.sqlite');
  store = new SqliteEventStore({ file, pollIntervalMs: 5 });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A "thread" on a MessageChannel: the worker side runs here, as the real entry runs it. */
function channelThread(data: ProcessWorkerData): ProcessThread & { messages: FromProcessWorker[] } {
  const { port1, port2 } = new MessageChannel();
  const exits = new EventEmitter();
  const messages: FromProcessWorker[] = [];
  port1.on('message', (message: FromProcessWorker) => messages.push(message));
  void runProcessWorker(port2, data).then(async ({ stopped }) => {
    await stopped;
    // As a thread: its last messages are delivered before it is gone.
    setTimeout(() => {
      port2.close();
      exits.emit('exit', 0);
    }, 20);
  });
  return {
    messages,
    postMessage: (message) => port1.postMessage(message),
    on: (event, listener) => port1.on(event, listener),
    once: (event, listener) => exits.once(event, listener),
    terminate: () => {
      port1.close();
      return Promise.resolve(0);
    },
  };
}

async function until(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function hostFor(events: EventStore, overrides: Map<string, Record<string, number>>) {
  const { handler, channel } = buildProcesses(events, () => new Date());
  const commandBus = { execute: (command: never) => handler.execute(command) } as unknown as CommandBus;
  let listener: ((o: ReadonlyMap<string, Readonly<Record<string, number>>>) => void) | null = null;
  const source = {
    follow(next: (o: ReadonlyMap<string, Readonly<Record<string, number>>>) => void) {
      listener = next;
      next(overrides);
      return () => {
        listener = null;
      };
    },
  };
  let thread: ReturnType<typeof channelThread> | null = null;
  const host = new ThreadProcessHost(
    { eventStore: { kind: 'sqlite', file, synchronous: 'NORMAL' }, pollMs: 50 },
    new SignalCommandGateway(commandBus),
    new ResolvingNotifier(new SignalRepository(events), channel),
    source,
    {
      createThread: (data) => {
        thread = channelThread(data);
        return thread;
      },
    },
  );
  return {
    host,
    handler,
    channel,
    thread: () => thread!,
    setOverrides: (next: Map<string, Record<string, number>>) => listener?.(next),
  };
}

describe('process workflows in a thread of their own', () => {
  it("decides the app's inputs on its own connection, with the tenant deadlines the host sends", async () => {
    const { host, handler, setOverrides } = hostFor(store, new Map([['gent', { submitted: 7 }]]));
    await host.start();
    try {
      const first = await submitSignal(handler, 0);
      await until(async () => (await eventsOfType(store, 'ProcessInputHandled')).length === 1);
      // A refresh of the overrides reaches the thread: the next signal gets the new deadline.
      setOverrides(new Map([['gent', { submitted: 3 }]]));
      await new Promise((resolve) => setTimeout(resolve, 50));
      const second = await submitSignal(handler, 1);
      await until(async () => (await eventsOfType(store, 'ProcessInputHandled')).length === 2);

      const decisions = await eventsOfType(store, 'ProcessInputHandled');
      const dueOf = (signalId: string) => {
        const decision = decisions.find((event) =>
          (event.data as ProcessInputHandledData).input.stream.endsWith(signalId),
        )!;
        const data = decision.data as ProcessInputHandledData;
        const overdue = data.intents.find((intent) => intent.kind === 'schedule') as { at: string };
        return { at: overdue.at, submittedAt: data.input.occurredAt };
      };
      const a = dueOf(first);
      const b = dueOf(second);
      expect(a.at).toBe(deadlineAt(a.submittedAt, 'P7D'));
      expect(b.at).toBe(deadlineAt(b.submittedAt, 'P3D'));
    } finally {
      await host.stop();
    }
  }, 60_000);

  it('sends its commands and notifications through the host: a dossier fan-out reaches every member once', async () => {
    const { host, handler, channel, thread } = hostFor(store, new Map());
    await host.start();
    try {
      const members: string[] = [];
      for (let i = 0; i < 5; i++) members.push(await submitSignal(handler, i));
      await appendDossierEvent(store, uuidv7(), 'DossierEscalated', members, new Date());
      await until(async () => (await eventsOfType(store, 'SignalDossierEscalated')).length === 5);
      await until(async () => (await eventsOfType(store, 'ProcessIntentsDispatched')).length >= 1);
      const escalated = await eventsOfType(store, 'SignalDossierEscalated');
      expect(new Set(escalated.map((event) => event.data['signalId'])).size).toBe(5);
      expect(thread().messages.filter((message) => message.kind === 'command')).toHaveLength(5);
      expect(channel.sent.length).toBe(thread().messages.filter((m) => m.kind === 'notify').length);
    } finally {
      await host.stop();
    }
    // Stopped: the thread's side said so and closed its store.
    expect(thread().messages.some((message) => message.kind === 'stopped')).toBe(true);
  }, 60_000);

  it('starts a thread that ended on its own again, with the overrides as they are then', async () => {
    const started: ProcessWorkerData[] = [];
    const exits = new EventEmitter();
    const fakeThread = (data: ProcessWorkerData): ProcessThread => {
      started.push(data);
      const messages = new EventEmitter();
      setImmediate(() => messages.emit('message', { kind: 'started' }));
      return {
        postMessage: (message) => {
          if (message.kind === 'stop') setImmediate(() => messages.emit('message', { kind: 'stopped' }));
        },
        on: (event, listener) => messages.on(event, listener),
        once: (event, listener) => exits.once(event, listener),
        terminate: () => Promise.resolve(0),
      };
    };
    let setOverrides: (o: ReadonlyMap<string, Readonly<Record<string, number>>>) => void = () => undefined;
    const host = new ThreadProcessHost(
      { eventStore: { kind: 'sqlite', file, synchronous: 'NORMAL' }, pollMs: 50 },
      { send: () => Promise.resolve({ ok: true as const }) },
      { send: () => Promise.resolve({ channel: 'test', recipients: [] }) },
      {
        follow(listener) {
          setOverrides = listener;
          listener(new Map());
          return () => undefined;
        },
      },
      { createThread: fakeThread, restartDelayMs: 10 },
    );
    await host.start();
    setOverrides(new Map([['gent', { submitted: 5 }]]));
    exits.emit('exit', 1);
    await until(() => Promise.resolve(started.length === 2), 5000);
    expect(host.restarted).toBe(1);
    expect(started[1]!.overrides).toEqual([['gent', { submitted: 5 }]]);
    await host.stop();
  }, 30_000);
});
