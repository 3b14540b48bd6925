import { Worker } from 'node:worker_threads';
import { Logger } from '@nestjs/common';
import { RestartBackoff } from '../platform/threads/restart-backoff.js';
import type {
  CommandGateway,
  NotificationSender,
  ProcessRunner,
} from '../platform/processes/process-runner.js';
import type {
  DeadlineOverrides,
  FromProcessWorker,
  ProcessWorkerData,
  ToProcessWorker,
} from './process-worker-protocol.js';

/** Where this instance runs its process workflows: in the request thread, or a thread of their own. */
export abstract class ProcessWorkflowHost {
  abstract start(): Promise<void>;
  abstract stop(): Promise<void>;
}

/** The runner in the app's thread (`PROJECTIONS=inline`, the tests). */
export class InlineProcessHost extends ProcessWorkflowHost {
  constructor(private readonly runner: ProcessRunner) {
    super();
  }

  start(): Promise<void> {
    return this.runner.start();
  }

  stop(): Promise<void> {
    return this.runner.stop();
  }
}

/** What the host needs of a thread (a test gives one on a MessageChannel). */
export interface ProcessThread {
  postMessage(message: ToProcessWorker): void;
  on(event: 'message', listener: (message: FromProcessWorker) => void): unknown;
  once(event: 'exit', listener: (code: number) => void): unknown;
  terminate(): Promise<number>;
}

/** The tenants' deadline overrides as the app reads them, now and after every refresh. */
export interface DeadlineOverridesSource {
  follow(listener: (overrides: ReadonlyMap<string, Readonly<Record<string, number>>>) => void): () => void;
}

export interface ThreadProcessHostOptions {
  createThread?: (data: ProcessWorkerData) => ProcessThread;
  /** First wait before a thread that ended on its own is started again; doubles up to 30 s. */
  restartDelayMs?: number;
}

const STOP_TIMEOUT_MS = 10_000;

/**
 * The process runner in a worker thread of its own (`process-worker.ts`): reading inputs, loading
 * instances and appending decisions no longer take the request thread's time (under a load of
 * submits they were about a third of it). The thread asks this host for what needs the app: a
 * signal command through the command bus, a notification through the notifier; the host answers
 * each request, and a failure goes back as one, which the runner retries. The tenants' deadline
 * overrides are sent over when the thread starts and after each refresh. A thread that ends on its
 * own is started again (its state is in the process streams).
 */
export class ThreadProcessHost extends ProcessWorkflowHost {
  private readonly logger = new Logger('Processes');
  private thread: ProcessThread | null = null;
  private stopping = false;
  private overrides: DeadlineOverrides = [];
  private unfollow: (() => void) | null = null;
  private readonly createThread: (data: ProcessWorkerData) => ProcessThread;
  private readonly backoff: RestartBackoff;

  constructor(
    private readonly data: Omit<ProcessWorkerData, 'overrides'>,
    private readonly commands: CommandGateway,
    private readonly notifier: NotificationSender,
    private readonly deadlines: DeadlineOverridesSource,
    options: ThreadProcessHostOptions = {},
  ) {
    super();
    this.backoff = new RestartBackoff(options.restartDelayMs ?? 1000);
    this.createThread =
      options.createThread ??
      ((workerData) => new Worker(new URL('./process-worker.js', import.meta.url), { workerData }));
  }

  async start(): Promise<void> {
    this.stopping = false;
    this.unfollow = this.deadlines.follow((overrides) => {
      this.overrides = [...overrides.entries()].map(([tenantId, days]) => [tenantId, { ...days }]);
      this.thread?.postMessage({ kind: 'overrides', overrides: this.overrides });
    });
    await this.startThread();
  }

  /** Number of times a thread that ended on its own was started again. */
  get restarted(): number {
    return this.backoff.restarts;
  }

  private startThread(): Promise<void> {
    const thread = this.createThread({ ...this.data, overrides: this.overrides });
    this.thread = thread;
    thread.once('exit', (code) => {
      if (this.stopping || this.thread !== thread) return;
      this.thread = null;
      const delay = this.backoff.schedule(() => {
        if (this.stopping) return;
        this.startThread().catch((error: unknown) =>
          this.logger.error(`process thread did not start: ${String(error)}`),
        );
      });
      this.logger.error(`process thread ended (exit code ${code}); starting it again in ${delay} ms`);
    });
    return new Promise<void>((resolve, reject) => {
      thread.on('message', (message) => {
        if (message.kind === 'started') resolve();
        else if (message.kind === 'failed') reject(new Error(message.message));
        else if (message.kind === 'command' || message.kind === 'notify') this.carryOut(thread, message);
      });
    });
  }

  /** Carries out a thread's request and answers it; a failure is answered, not thrown. */
  private carryOut(
    thread: ProcessThread,
    request: Extract<FromProcessWorker, { kind: 'command' | 'notify' }>,
  ): void {
    const done =
      request.kind === 'command'
        ? this.commands.send(request.commandId, request.command, request.correlationId)
        : this.notifier.send(request.notification);
    done.then(
      (result) => thread.postMessage({ kind: 'reply', id: request.id, ok: true, result }),
      (error: unknown) =>
        thread.postMessage({
          kind: 'reply',
          id: request.id,
          ok: false,
          message: error instanceof Error ? error.message : String(error),
        }),
    );
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.unfollow?.();
    this.unfollow = null;
    this.backoff.cancel();
    const thread = this.thread;
    if (!thread) return;
    this.thread = null;
    const stopped = new Promise<void>((resolve) => {
      thread.on('message', (message) => {
        if (message.kind === 'stopped') resolve();
      });
      thread.once('exit', () => resolve());
    });
    thread.postMessage({ kind: 'stop' });
    await Promise.race([stopped, new Promise((resolve) => setTimeout(resolve, STOP_TIMEOUT_MS).unref())]);
    await thread.terminate();
  }
}
