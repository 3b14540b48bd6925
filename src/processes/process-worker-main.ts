import { dossierFanOutWorkflow } from '../../workflows/dossier-fan-out/dossier-fan-out.js';
import type { NotificationIntent, SignalCommandIntent } from '../../workflows/process.js';
import { createSignalDeadlinesWorkflow } from '../../workflows/signal-deadlines/signal-deadlines.js';
import { PlatformLogger } from '../platform/logger.js';
import { openEventStore } from '../platform/open-stores.js';
import {
  ProcessRunner,
  type CommandGateway,
  type NotificationSender,
} from '../platform/processes/process-runner.js';
import { deadlineFromOverrides } from '../tenants/deadline-overrides.js';
import type {
  FromProcessWorker,
  ProcessPort,
  ProcessWorkerData,
  ToProcessWorker,
} from './process-worker-protocol.js';

/** How often the thread's own connection looks for commits of the app's (ms, SQLite). */
const POLL_MS = 10;

/**
 * The process workflows in a thread of their own (`process-worker.ts`), on their own event store
 * connection: inputs are read and decisions appended there, as stored (no workflow reads a
 * signal's text, and process events hold none). What needs the app goes to the host through the
 * port and waits for its answer: a signal command (the app's command handler) and a notification
 * (recipients resolved from the signal, the channel). A failed answer is thrown here, so the
 * runner retries it as it retries any I/O failure.
 */
export async function runProcessWorker(
  port: ProcessPort,
  data: ProcessWorkerData,
): Promise<{ stopped: Promise<void> }> {
  const logger = new PlatformLogger('Processes');
  let overrides = new Map(data.overrides);
  const store = await openEventStore(data.eventStore, { pollIntervalMs: POLL_MS });
  let nextId = 0;
  const pending = new Map<number, { resolve(result: unknown): void; reject(error: Error): void }>();
  const send = (message: FromProcessWorker) => port.postMessage(message);
  const ask = <T>(message: (id: number) => FromProcessWorker): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = ++nextId;
      pending.set(id, { resolve: resolve as (result: unknown) => void, reject });
      send(message(id));
    });
  const commands: CommandGateway = {
    send: (commandId: string, command: SignalCommandIntent, correlationId: string) =>
      ask((id) => ({ kind: 'command', id, commandId, command, correlationId })),
  };
  const notifier: NotificationSender = {
    send: (notification: NotificationIntent) => ask((id) => ({ kind: 'notify', id, notification })),
  };
  const runner = new ProcessRunner(
    store,
    [
      createSignalDeadlinesWorkflow((tenantId, workflow, state) =>
        deadlineFromOverrides(overrides, tenantId, workflow, state),
      ),
      dossierFanOutWorkflow,
    ],
    commands,
    notifier,
    { pollMs: data.pollMs },
  );
  let stopping: Promise<void> | null = null;
  let markStopped!: () => void;
  const stopped = new Promise<void>((resolve) => {
    markStopped = resolve;
  });
  port.on('message', (message: ToProcessWorker) => {
    if (message.kind === 'overrides') {
      overrides = new Map(message.overrides);
    } else if (message.kind === 'reply') {
      const request = pending.get(message.id);
      pending.delete(message.id);
      if (message.ok) request?.resolve(message.result);
      else request?.reject(new Error(message.message));
    } else if (message.kind === 'stop') {
      stopping ??= (async () => {
        await runner.stop();
        for (const request of pending.values()) request.reject(new Error('the process thread is stopping'));
        pending.clear();
        await store.close();
        send({ kind: 'stopped' });
        markStopped();
      })();
    }
  });
  try {
    await runner.start();
  } catch (error) {
    logger.error(`process workflows failed to start: ${String(error)}`);
    send({ kind: 'failed', message: (error as Error).message });
    await store.close().catch(() => undefined);
    return { stopped: Promise.resolve() };
  }
  send({ kind: 'started' });
  return { stopped };
}
