import type { EventStore } from '../platform/event-store/event-store.port.js';
import { ExecuteSignalCommand } from '../signals/execute-signal-command/execute-signal-command.command.js';
import { ExecuteSignalCommandHandler } from '../signals/execute-signal-command/execute-signal-command.handler.js';
import { currentSignalWorkflow, SignalRepository } from '../signals/signal.repository.js';
import {
  DEMO_WORKFLOW,
  planDemoData,
  type DemoCluster,
  type DemoOptions,
  type PlannedCommand,
  type ResolvedDemoOptions,
} from './plan.js';
import { SimulatedClock } from './simulated-clock.js';

/**
 * Writes a demo plan through the real command path: the signal command handler, with a clock set
 * to each command's simulated time, each command under its idempotency key. Never an event or a
 * read model directly. Commands go in time order with up to `concurrency` in flight, so the
 * store's group commit batches their appends; the handler queues commands on one signal in the
 * order they are sent, and a merge waits until its target's submit is stored.
 *
 * The same options give the same events (ids included). Running it again on a store that holds
 * the same run replays every command to its recorded result and writes nothing, so an
 * interrupted run can be resumed.
 */

export interface SeedProgress {
  signalsSubmitted: number;
  signalsTotal: number;
  commandsDone: number;
  elapsedMs: number;
  signalsPerSecond: number;
  /** Seconds left at the current rate; null until there is a rate. */
  etaSeconds: number | null;
}

export interface SeedOptions extends DemoOptions {
  /** Commands in flight at once (default 256: each commit of the store then carries ~250 appends). */
  concurrency?: number;
  onProgress?: (progress: SeedProgress) => void;
  /** How often onProgress is called at most (default 1000 ms). */
  progressIntervalMs?: number;
}

export interface SeedFailure {
  tenantId: string;
  signalIndex: number;
  signalId: string;
  step: number;
  command: string;
  code: string;
  message: string;
}

export interface SeedSummary {
  options: ResolvedDemoOptions;
  tenants: Array<{ tenantId: string; name: string; signals: number }>;
  clusters: readonly DemoCluster[];
  signals: number;
  commands: number;
  /** Events appended by this run (replayed commands append none). */
  eventsWritten: number;
  /** Commands the store already held under their idempotency key. */
  replayed: number;
  /** Signals per state after the run, as the handler reported it. */
  byState: Record<string, number>;
  byCommand: Record<string, number>;
  failureCount: number;
  /** Stopped early: too many commands failed. */
  aborted: boolean;
  /** The first failures (at most 20). */
  failures: SeedFailure[];
  /** Signals whose state after the run differs from the plan's (0 unless commands failed). */
  stateMismatches: number;
  elapsedMs: number;
}

export class DemoWorkflowMismatchError extends Error {
  readonly code = 'DEMO_WORKFLOW_MISMATCH';
}

const MAX_FAILURES_KEPT = 20;
/** Past this many failed commands something is broken (store, definition): stop sending. */
const MAX_FAILURES = 1000;

export async function seedDemoData(store: EventStore, options: SeedOptions = {}): Promise<SeedSummary> {
  const plan = planDemoData(options);
  const current = currentSignalWorkflow();
  if (current.name !== DEMO_WORKFLOW.name || current.version !== DEMO_WORKFLOW.version) {
    throw new DemoWorkflowMismatchError(
      `Demo data follows ${DEMO_WORKFLOW.name} v${DEMO_WORKFLOW.version}, but new signals start under v${current.version}: update src/demo/plan.ts`,
    );
  }
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 256));
  const progressInterval = options.progressIntervalMs ?? 1000;
  const clock = new SimulatedClock();
  const handler = new ExecuteSignalCommandHandler(store, new SignalRepository(store), clock);

  const started = Date.now();
  let lastProgress = started;
  let signalsSubmitted = 0;
  let commandsDone = 0;
  let eventsWritten = 0;
  let replayed = 0;
  let failureCount = 0;
  const failures: SeedFailure[] = [];
  const byCommand: Record<string, number> = {};
  const states = new Map<string, { actual: string; planned: string }>();
  /** Submits of signals others merge into: a merge must not overtake them. */
  const targetSubmits = new Map<string, Promise<void>>();

  const progress = (): SeedProgress => {
    const elapsedMs = Date.now() - started;
    const signalsPerSecond = elapsedMs > 0 ? (signalsSubmitted * 1000) / elapsedMs : 0;
    const left = plan.signalCount - signalsSubmitted;
    return {
      signalsSubmitted,
      signalsTotal: plan.signalCount,
      commandsDone,
      elapsedMs,
      signalsPerSecond,
      etaSeconds: signalsPerSecond > 0 ? left / signalsPerSecond : null,
    };
  };

  const run = async (command: PlannedCommand): Promise<void> => {
    try {
      const { result, replayed: wasReplayed } = await clock.at(command.at, () =>
        handler.execute(
          new ExecuteSignalCommand({
            actor: command.actor,
            name: command.name,
            ...(command.step === 0 ? {} : { signalId: command.signalId }),
            fields: command.fields,
            idempotencyKey: command.idempotencyKey,
            correlationId: command.correlationId,
          }),
        ),
      );
      if (result.signalId !== command.signalId) {
        throw Object.assign(
          new Error(`signal id ${result.signalId} differs from the planned ${command.signalId}`),
          {
            code: 'DEMO_ID_MISMATCH',
          },
        );
      }
      if (wasReplayed) replayed++;
      else eventsWritten += result.events.length;
      const entry = states.get(command.signalId);
      if (entry) entry.actual = result.state;
    } catch (error) {
      failureCount++;
      if (failures.length < MAX_FAILURES_KEPT) {
        failures.push({
          tenantId: command.tenantId,
          signalIndex: command.signalIndex,
          signalId: command.signalId,
          step: command.step,
          command: command.name,
          code: errorCode(error),
          message: error instanceof Error ? error.message : String(error),
        });
      }
    } finally {
      commandsDone++;
    }
  };

  // A counting semaphore: no Promise.race over a growing set.
  let active = 0;
  let wake: (() => void) | null = null;
  const slot = async (): Promise<void> => {
    while (active >= concurrency) {
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  };
  const release = (): void => {
    active--;
    const waiting = wake;
    wake = null;
    waiting?.();
  };
  let idle: (() => void) | null = null;

  let aborted = false;
  for (const command of plan.commands()) {
    if (failureCount >= MAX_FAILURES) {
      aborted = true;
      break;
    }
    if (command.name === 'merge-into') {
      const target = command.signal.mergeTargetId;
      const stored = target ? targetSubmits.get(target) : undefined;
      if (stored) await stored;
    }
    await slot();
    active++;
    byCommand[command.name] = (byCommand[command.name] ?? 0) + 1;
    if (command.step === 0) {
      signalsSubmitted++;
      states.set(command.signalId, { actual: 'none', planned: command.state });
    } else {
      const entry = states.get(command.signalId);
      if (entry) entry.planned = command.state;
    }
    const done = run(command).finally(() => {
      release();
      if (active === 0) idle?.();
    });
    if (command.step === 0 && command.signal.isMergeTarget) targetSubmits.set(command.signalId, done);
    const now = Date.now();
    if (options.onProgress && now - lastProgress >= progressInterval) {
      lastProgress = now;
      options.onProgress(progress());
    }
  }
  if (active > 0) {
    await new Promise<void>((resolve) => {
      idle = resolve;
    });
  }
  options.onProgress?.(progress());

  const byState: Record<string, number> = {};
  let stateMismatches = 0;
  for (const { actual, planned } of states.values()) {
    byState[actual] = (byState[actual] ?? 0) + 1;
    if (actual !== planned) stateMismatches++;
  }
  return {
    options: plan.options,
    tenants: plan.tenants.map(({ tenantId, name, signals }) => ({ tenantId, name, signals })),
    clusters: plan.clusters,
    signals: plan.signalCount,
    commands: commandsDone,
    eventsWritten,
    replayed,
    byState,
    byCommand,
    failureCount,
    aborted,
    failures,
    stateMismatches,
    elapsedMs: Date.now() - started,
  };
}

/** Whether the store holds any event: demo data belongs in an empty store. */
export async function storeHasEvents(store: EventStore): Promise<boolean> {
  for await (const _event of store.readAll({ limit: 1 })) return true;
  return false;
}

function errorCode(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error) return String(error.code);
  return error instanceof Error ? error.name : 'UNKNOWN';
}
