import { PlatformLogger } from '../logger.js';
import type {
  DueTimer,
  NotificationIntent,
  ProcessFact,
  ProcessInput,
  ProcessIntent,
  ProcessWorkflow,
  SignalCommandIntent,
} from '../../../workflows/process.js';
import type {
  AllSubscription,
  EventStore,
  NewEvent,
  RecordedEvent,
} from '../event-store/event-store.port.js';
import { streamName } from '../event-store/stream-name.js';
import { deterministicUuid } from '../ids.js';
import { KeyedLock } from '../keyed-lock.js';
import type { JsonObject } from '../json.js';
import {
  NOTIFICATION_SENT,
  PROCESS_CATEGORY,
  PROCESS_INPUT_HANDLED,
  PROCESS_INTENTS_DISPATCHED,
  PROCESS_TIMER_FIRED,
  type CommandOutcome,
  type NotificationSentData,
  type ProcessInputHandledData,
  type ProcessIntentsDispatchedData,
  type ProcessTimerFiredData,
} from './process.events.js';

/** Carries out a command intent; idempotent on `commandId`. Refusals come back, they are not thrown. */
export interface CommandGateway {
  send(
    commandId: string,
    command: SignalCommandIntent,
    correlationId: string,
  ): Promise<{ ok: true } | { ok: false; code: string }>;
}

/** Sends a notification; returns the channel and the resolved recipients. */
export interface NotificationSender {
  send(notification: NotificationIntent): Promise<{ channel: string; recipients: string[] }>;
}

export type ProcessFaultPoint = 'after-decision' | 'after-command';

export interface ProcessRunnerOptions {
  now?: () => Date;
  /** How often due timers are looked for (ms). */
  pollMs?: number;
  /** Wait before retrying a step that failed on I/O (ms, doubled up to 30 s). */
  retryMs?: number;
  /**
   * Inputs decided side by side (default 64): each instance still takes one step at a time, but
   * inputs of different instances do not wait for each other's appends, which the store then
   * commits together instead of one commit (and one fsync) per input.
   */
  concurrency?: number;
  /** Fault tests only: called at the named points (the test kills the process there). */
  faultHook?: (point: ProcessFaultPoint) => void;
  /**
   * The store whose `$all` the runner follows for inputs (default: `store`). The app passes the
   * events as stored, so that no input is decrypted: no workflow reads a signal's free text (an
   * input's erasable text fields then hold ciphertext). Process streams are always read and
   * written through `store`.
   */
  inputStore?: EventStore;
}

type AnyWorkflow = ProcessWorkflow<unknown>;

interface PendingTimer extends DueTimer {
  stream: string;
  workflow: string;
}

interface Decision {
  id: string;
  stream: string;
  workflow: string;
  tenantId: string;
  correlationId: string;
  intents: ProcessIntent[];
}

interface Instance {
  state: unknown;
  revision: bigint | 'no-stream';
  decisions: Set<string>;
  dispatched: Set<string>;
  notified: Set<string>;
  /** The stream's first event (its instance, tenant and correlation id), null before any. */
  first: RecordedEvent | null;
  /** Per stream the instance's inputs came from: the `$all` position of the last one decided. */
  inputs: Map<string, bigint>;
}

/**
 * Instances kept in memory after a step (each a few hundred bytes of ids and state): a signal's
 * next input finds its instance there instead of reading and folding its stream again.
 */
const INSTANCE_CACHE_SIZE = 10_000;

const SYSTEM_ACTOR = { id: 'system', role: 'system' };

/**
 * Runs process workflows durably. Each instance's facts live in its own stream: a decision (with
 * every intent) is appended at the exact revision before any effect, effects carry deterministic
 * ids, and a `ProcessIntentsDispatched` closes the decision. At start the runner reads the process
 * streams once: timers still pending, decisions not yet carried out (done again: idempotent), and
 * per workflow the last input handled (its checkpoint); then it follows `$all` from there. A
 * timer is a fact in the stream, so a restart after its time fires it, once.
 */
export class ProcessRunner {
  private readonly logger = new PlatformLogger('Processes');
  private readonly now: () => Date;
  private readonly pollMs: number;
  private readonly retryMs: number;
  private readonly concurrency: number;
  /** One step at a time per instance stream: an instance is never decided on twice at once. */
  private readonly instances = new KeyedLock();
  /** Inputs being handled, in `$all` order; the front ones that are done advance processedPosition. */
  private readonly inFlight: Array<{ position: bigint; done: boolean }> = [];
  private readonly faultHook: ProcessRunnerOptions['faultHook'];
  private readonly inputStore: EventStore;
  private readonly byName: Map<string, AnyWorkflow>;
  private readonly timers = new Map<string, PendingTimer>();
  private readonly undone = new Map<string, Decision>();
  private readonly checkpoints = new Map<string, bigint>();
  private subscription: AllSubscription | null = null;
  private follow: Promise<void> | null = null;
  private poller: NodeJS.Timeout | null = null;
  private queue: Promise<void> = Promise.resolve();
  private stopped = true;
  private pollQueued = false;
  private processedPosition: bigint = -1n;
  private readonly positionWaiters = new Set<() => void>();
  /**
   * Instances as this runner last loaded or appended to them, least recently used first. Only the
   * runner appends to its instances' streams (one runner holds the lease), and each instance is
   * stepped under its lock; an entry is dropped when an append to its stream fails, and all at
   * every start (another runner may have stepped them meanwhile).
   */
  private readonly instanceCache = new Map<string, Instance>();

  constructor(
    private readonly store: EventStore,
    workflows: readonly AnyWorkflow[],
    private readonly commands: CommandGateway,
    private readonly notifier: NotificationSender,
    options: ProcessRunnerOptions = {},
  ) {
    this.byName = new Map(workflows.map((workflow) => [workflow.name, workflow]));
    this.now = options.now ?? (() => new Date());
    this.pollMs = options.pollMs ?? 1000;
    this.retryMs = options.retryMs ?? 250;
    this.concurrency = Math.max(1, options.concurrency ?? 64);
    this.faultHook = options.faultHook;
    this.inputStore = options.inputStore ?? store;
  }

  async start(): Promise<void> {
    this.stopped = false;
    this.instanceCache.clear();
    await this.scan();
    for (const decision of [...this.undone.values()]) await this.retrying(() => this.dispatch(decision));
    await this.retrying(() => this.fireDueTimers());
    const inputs = [...new Set([...this.byName.values()].flatMap((workflow) => workflow.inputs))];
    let from: bigint | null = null;
    for (const name of this.byName.keys()) {
      const checkpoint = this.checkpoints.get(name);
      if (checkpoint === undefined) {
        from = null;
        break;
      }
      from = from === null || checkpoint < from ? checkpoint : from;
    }
    if (from !== null) this.processedPosition = from;
    this.subscription = this.inputStore.subscribeToAll({
      fromPosition: from ?? 'start',
      filter: { eventTypes: inputs },
    });
    this.follow = this.followInputs(this.subscription);
    this.poller = setInterval(() => this.queuePoll(), this.pollMs);
    this.poller.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.poller) clearInterval(this.poller);
    this.poller = null;
    await this.subscription?.stop();
    await this.follow;
    await this.queue;
    for (const wake of this.positionWaiters) wake();
  }

  /** Timers not yet fired, soonest first (status and tests). */
  pendingTimers(): Array<{ stream: string; timerId: string; at: string }> {
    return [...this.timers.values()]
      .map(({ stream, timerId, at }) => ({ stream, timerId, at }))
      .sort((a, b) => a.at.localeCompare(b.at));
  }

  /** Fires every timer due now (the poller does this every `pollMs`). */
  async fireDue(): Promise<void> {
    await this.enqueue(() => this.retrying(() => this.fireDueTimers()));
  }

  /** Resolves true once every input up to `position` was handled, false after `timeoutMs`. */
  async waitForPosition(position: bigint, timeoutMs: number): Promise<boolean> {
    if (this.processedPosition >= position) return true;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.positionWaiters.delete(check);
        resolve(false);
      }, timeoutMs);
      const check = (): void => {
        if (this.processedPosition < position && !this.stopped) return;
        clearTimeout(timer);
        this.positionWaiters.delete(check);
        resolve(this.processedPosition >= position);
      };
      this.positionWaiters.add(check);
    });
  }

  /**
   * Handles inputs side by side, up to `concurrency` at once (each instance one step at a time).
   * `processedPosition` only moves past an input once it and every input before it are handled,
   * and each decision records that position (`handledThrough`): the checkpoint a restart goes
   * back to, so an input still in flight when the process stopped is read again (one already
   * decided is recognised by its decision id and skipped).
   */
  private async followInputs(subscription: AllSubscription): Promise<void> {
    const running = new Set<Promise<void>>();
    try {
      for await (const event of subscription) {
        if (this.stopped) break;
        const entry = { position: event.position, done: false };
        this.inFlight.push(entry);
        const task = this.retrying(() => this.handle(event)).then(() => {
          entry.done = true;
          this.advance();
        });
        running.add(task);
        void task.finally(() => running.delete(task));
        if (running.size >= this.concurrency) await Promise.race(running);
      }
    } catch (error) {
      if (!this.stopped)
        this.logger.error(`process runner stopped following: ${(error as Error).stack ?? String(error)}`);
    } finally {
      await Promise.all(running);
    }
  }

  /** Moves processedPosition over the inputs at the front that are done, and wakes the waiters. */
  private advance(): void {
    let moved = false;
    while (this.inFlight.length > 0 && this.inFlight[0]!.done) {
      this.processedPosition = this.inFlight.shift()!.position;
      moved = true;
    }
    if (moved) for (const wake of this.positionWaiters) wake();
  }

  private queuePoll(): void {
    if (this.pollQueued || this.stopped) return;
    this.pollQueued = true;
    void this.enqueue(async () => {
      this.pollQueued = false;
      await this.retrying(() => this.fireDueTimers());
    });
  }

  /** Inputs and timers run one at a time: an instance is never decided on twice at once. */
  private enqueue(step: () => Promise<void>): Promise<void> {
    const next = this.queue.then(step, step);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** I/O failures are retried with a doubling wait until the runner stops; nothing is skipped. */
  private async retrying(step: () => Promise<void>): Promise<void> {
    let wait = this.retryMs;
    for (;;) {
      try {
        await step();
        return;
      } catch (error) {
        if (this.stopped) return;
        this.logger.warn(`process step failed, retrying in ${wait} ms: ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, wait));
        wait = Math.min(wait * 2, 30_000);
      }
    }
  }

  private async scan(): Promise<void> {
    this.timers.clear();
    this.undone.clear();
    this.checkpoints.clear();
    for await (const event of this.store.readAll({ filter: { categories: [PROCESS_CATEGORY] } })) {
      const workflow = workflowNameOf(event);
      if (workflow === null || !this.byName.has(workflow)) continue;
      this.remember(event, workflow);
    }
  }

  /** Keeps the timer index and the open decisions up to date with a process event. */
  private remember(event: RecordedEvent, workflow: string): void {
    if (event.type === PROCESS_INPUT_HANDLED || event.type === PROCESS_TIMER_FIRED) {
      const data = event.data as ProcessInputHandledData | ProcessTimerFiredData;
      if (event.type === PROCESS_INPUT_HANDLED) {
        // Every input up to `handledThrough` was handled when this one was decided; decisions
        // recorded before inputs were handled side by side name only their own input.
        const { handledThrough, input } = data as ProcessInputHandledData;
        const position = BigInt((handledThrough as string | undefined) ?? input.position);
        const known = this.checkpoints.get(workflow);
        if (position >= 0n && (known === undefined || position > known))
          this.checkpoints.set(workflow, position);
      } else {
        this.timers.delete(timerKey(event.stream, (data as ProcessTimerFiredData).timer.timerId));
      }
      for (const intent of data.intents) {
        if (intent.kind === 'schedule') {
          this.timers.set(timerKey(event.stream, intent.timerId), {
            stream: event.stream,
            workflow,
            timerId: intent.timerId,
            at: intent.at,
            payload: intent.payload,
          });
        } else if (intent.kind === 'cancel') {
          this.timers.delete(timerKey(event.stream, intent.timerId));
        }
      }
      if (data.intents.some((intent) => intent.kind === 'send' || intent.kind === 'notify')) {
        this.undone.set(event.id, {
          id: event.id,
          stream: event.stream,
          workflow,
          tenantId: event.metadata.tenantId,
          correlationId: event.metadata.correlationId,
          intents: data.intents,
        });
      }
    } else if (event.type === PROCESS_INTENTS_DISPATCHED) {
      this.undone.delete((event.data as ProcessIntentsDispatchedData).decisionId);
    }
  }

  private async handle(event: RecordedEvent): Promise<void> {
    for (const workflow of this.byName.values()) {
      if (!workflow.inputs.includes(event.type)) continue;
      const checkpoint = this.checkpoints.get(workflow.name);
      if (checkpoint !== undefined && event.position <= checkpoint) continue;
      const input = toInput(event);
      const ref = workflow.instanceOf(input);
      if (ref === null) continue;
      const stream = streamName(PROCESS_CATEGORY, workflow.name, ref.tenantId, ref.key);
      await this.instances.run(stream, () => this.decideOnInput(workflow, event, input, ref, stream));
    }
  }

  private async decideOnInput(
    workflow: AnyWorkflow,
    event: RecordedEvent,
    input: ProcessInput,
    ref: { tenantId: string; key: string },
    stream: string,
  ): Promise<void> {
    const instance = await this.load(workflow, stream);
    const decisionId = deterministicUuid(PROCESS_CATEGORY, workflow.name, 'input', event.id);
    if (instance.decisions.has(decisionId)) return; // a redelivery: its decision stands (and is redone if open)
    const intents = workflow.decide(input, instance.state);
    const data: ProcessInputHandledData = {
      instance: { tenantId: ref.tenantId, key: ref.key },
      input: {
        id: event.id,
        type: event.type,
        stream: event.stream,
        position: String(event.position),
        occurredAt: event.metadata.occurredAt,
      },
      record: workflow.record(input),
      intents: intents as ProcessInputHandledData['intents'],
      handledThrough: String(this.processedPosition),
    };
    const recorded = await this.append(workflow, stream, instance.revision, {
      id: decisionId,
      type: PROCESS_INPUT_HANDLED,
      data,
      metadata: this.metadata(workflow, ref.tenantId, event.metadata.correlationId, event.id),
    });
    this.remember(recorded, workflow.name);
    this.faultHook?.('after-decision');
    const decision = this.undone.get(decisionId);
    if (decision) await this.dispatch(decision);
  }

  private async fireDueTimers(): Promise<void> {
    const now = this.now().toISOString();
    const due = [...this.timers.values()]
      .filter((timer) => timer.at <= now)
      .sort((a, b) => a.at.localeCompare(b.at));
    // Side by side like inputs (`concurrency` at a time), each under its instance's lock.
    for (let from = 0; from < due.length && !this.stopped; from += this.concurrency) {
      await Promise.all(
        due
          .slice(from, from + this.concurrency)
          .map((timer) => this.instances.run(timer.stream, () => this.fireTimer(timer))),
      );
    }
  }

  private async fireTimer(timer: PendingTimer): Promise<void> {
    // An input handled since the timers were listed may have cancelled it.
    if (this.stopped || !this.timers.has(timerKey(timer.stream, timer.timerId))) return;
    const workflow = this.byName.get(timer.workflow)!;
    const instance = await this.load(workflow, timer.stream);
    const decisionId = deterministicUuid(
      PROCESS_CATEGORY,
      workflow.name,
      'timer',
      timer.stream,
      timer.timerId,
    );
    if (instance.decisions.has(decisionId)) {
      this.timers.delete(timerKey(timer.stream, timer.timerId));
      return;
    }
    // An input of this instance recorded but not yet decided (a signal closed while no runner ran,
    // or just now) comes first: it may cancel the timer. The timer stays and a later poll fires it.
    if (await this.inputWaiting(workflow, instance)) return;
    const { stream, workflow: _name, ...dueTimer } = timer;
    const intents = workflow.onTimer(dueTimer, instance.state);
    const { first } = instance;
    const tenantId = first?.metadata.tenantId ?? '';
    const data: ProcessTimerFiredData = {
      instance: (first?.data as ProcessInputHandledData | undefined)?.instance ?? { tenantId, key: '' },
      timer: dueTimer,
      intents: intents as ProcessTimerFiredData['intents'],
    };
    const recorded = await this.append(workflow, stream, instance.revision, {
      id: decisionId,
      type: PROCESS_TIMER_FIRED,
      data,
      metadata: this.metadata(workflow, tenantId, first?.metadata.correlationId ?? decisionId, decisionId),
    });
    this.remember(recorded, workflow.name);
    this.faultHook?.('after-decision');
    const decision = this.undone.get(decisionId);
    if (decision) await this.dispatch(decision);
  }

  /**
   * Whether a stream the instance's inputs come from holds, after the last input decided, one
   * more of its inputs (read backwards from the stream's end, so only what came after is read).
   */
  private async inputWaiting(workflow: AnyWorkflow, instance: Instance): Promise<boolean> {
    const own = (instance.first?.data as ProcessInputHandledData | undefined)?.instance;
    if (own === undefined) return false;
    for (const [stream, decided] of instance.inputs) {
      for await (const event of this.inputStore.readStream(stream, { from: 'end', direction: 'backwards' })) {
        if (event.position <= decided) break;
        if (!workflow.inputs.includes(event.type)) continue;
        const ref = workflow.instanceOf(toInput(event));
        if (ref !== null && ref.tenantId === own.tenantId && ref.key === own.key) return true;
      }
    }
    return false;
  }

  /** Carries out a recorded decision's effects; safe to repeat (deterministic ids everywhere). */
  private async dispatch(decision: Decision): Promise<void> {
    const workflow = this.byName.get(decision.workflow)!;
    const instance = await this.load(workflow, decision.stream);
    if (instance.dispatched.has(decision.id)) {
      this.undone.delete(decision.id);
      return;
    }
    const outcomes: CommandOutcome[] = [];
    let notifications = 0;
    for (const intent of decision.intents) {
      if (intent.kind === 'send') {
        const outcome = await this.commands.send(intent.commandId, intent.command, decision.correlationId);
        outcomes.push({
          commandId: intent.commandId,
          ok: outcome.ok,
          code: outcome.ok ? null : outcome.code,
        });
        if (!outcome.ok) {
          this.logger.warn(
            `${workflow.name}: command ${intent.command.name} ${intent.commandId} refused: ${outcome.code}`,
          );
        }
        this.faultHook?.('after-command');
      } else if (intent.kind === 'notify') {
        // A reminder of a command the signal refused (it left the state meanwhile) is not sent.
        const after = intent.ifAccepted;
        if (after !== undefined && !outcomes.some((o) => o.commandId === after && o.ok)) continue;
        const id = deterministicUuid(PROCESS_CATEGORY, workflow.name, 'notification', intent.notificationId);
        notifications += 1;
        if (instance.notified.has(id)) continue;
        const sent = await this.notifier.send(intent.notification);
        const data: NotificationSentData = {
          notificationId: intent.notificationId,
          topic: intent.notification.topic,
          channel: sent.channel,
          recipients: sent.recipients,
          signalId: intent.notification.signalId ?? null,
        };
        await this.append(workflow, decision.stream, 'any', {
          id,
          type: NOTIFICATION_SENT,
          data,
          metadata: this.metadata(workflow, decision.tenantId, decision.correlationId, decision.id),
        });
      }
    }
    const data: ProcessIntentsDispatchedData = { decisionId: decision.id, commands: outcomes, notifications };
    await this.append(workflow, decision.stream, 'any', {
      id: deterministicUuid(PROCESS_CATEGORY, workflow.name, 'dispatched', decision.id),
      type: PROCESS_INTENTS_DISPATCHED,
      data,
      metadata: this.metadata(workflow, decision.tenantId, decision.correlationId, decision.id),
    });
    this.undone.delete(decision.id);
  }

  private async load(workflow: AnyWorkflow, stream: string): Promise<Instance> {
    const cached = this.instanceCache.get(stream);
    if (cached !== undefined) {
      this.instanceCache.delete(stream); // to the back: the most recently used
      this.instanceCache.set(stream, cached);
      return cached;
    }
    const instance: Instance = {
      state: workflow.initialState,
      revision: 'no-stream',
      decisions: new Set(),
      dispatched: new Set(),
      notified: new Set(),
      first: null,
      inputs: new Map(),
    };
    for await (const event of this.store.readStream(stream)) foldInto(instance, workflow, event);
    this.instanceCache.set(stream, instance);
    if (this.instanceCache.size > INSTANCE_CACHE_SIZE)
      this.instanceCache.delete(this.instanceCache.keys().next().value!);
    return instance;
  }

  /** Appends one event to an instance's stream of `workflow`, and folds it into the instance kept in memory. */
  private async append(
    workflow: AnyWorkflow,
    stream: string,
    expectedRevision: bigint | 'no-stream' | 'any',
    event: NewEvent,
  ): Promise<RecordedEvent> {
    let result: Awaited<ReturnType<EventStore['append']>>;
    try {
      result = await this.store.append(stream, [event], { expectedRevision });
    } catch (error) {
      // Not known whether it was stored (or the instance moved on elsewhere): read it again.
      this.instanceCache.delete(stream);
      throw error;
    }
    const recorded: RecordedEvent = {
      ...(event as Required<NewEvent>),
      stream,
      revision: result.nextRevision,
      position: result.position,
      recordedAt: this.now(),
    };
    // Folded only when it follows what is kept (an append at 'any' may land after another
    // writer's events, which the kept instance has not seen): otherwise read again next time.
    const cached = this.instanceCache.get(stream);
    const follows =
      cached !== undefined &&
      result.nextRevision === (cached.revision === 'no-stream' ? 0n : cached.revision + 1n);
    if (follows) foldInto(cached, workflow, recorded);
    else this.instanceCache.delete(stream);
    return recorded;
  }

  private metadata(workflow: AnyWorkflow, tenantId: string, correlationId: string, causationId: string) {
    return {
      tenantId,
      actor: SYSTEM_ACTOR,
      correlationId,
      causationId,
      occurredAt: this.now().toISOString(),
      workflow: { name: workflow.name, version: workflow.version },
    };
  }
}

/** Folds one event of an instance's stream into what the runner knows of the instance. */
function foldInto(instance: Instance, workflow: AnyWorkflow, event: RecordedEvent): void {
  instance.first ??= event;
  instance.revision = event.revision;
  const fact = factOf(event);
  if (fact) {
    instance.decisions.add(event.id);
    instance.state = workflow.evolve(instance.state, fact);
    if (event.type === PROCESS_INPUT_HANDLED) {
      const { stream, position } = (event.data as ProcessInputHandledData).input;
      const decided = BigInt(position);
      if (decided > (instance.inputs.get(stream) ?? -1n)) instance.inputs.set(stream, decided);
    }
  } else if (event.type === PROCESS_INTENTS_DISPATCHED) {
    instance.dispatched.add((event.data as ProcessIntentsDispatchedData).decisionId);
  } else if (event.type === NOTIFICATION_SENT) {
    instance.notified.add(event.id);
  }
}

function timerKey(stream: string, timerId: string): string {
  return `${stream}|${timerId}`;
}

function workflowNameOf(event: RecordedEvent): string | null {
  const workflow = event.metadata['workflow'];
  if (typeof workflow !== 'object' || workflow === null || Array.isArray(workflow)) return null;
  const name = (workflow as JsonObject)['name'];
  return typeof name === 'string' ? name : null;
}

function factOf(event: RecordedEvent): ProcessFact | null {
  if (event.type === PROCESS_INPUT_HANDLED) {
    const data = event.data as ProcessInputHandledData;
    return { kind: 'input', type: data.input.type, at: data.input.occurredAt, data: data.record };
  }
  if (event.type === PROCESS_TIMER_FIRED) {
    const data = event.data as ProcessTimerFiredData;
    return { kind: 'timer-fired', timer: data.timer, at: event.metadata.occurredAt };
  }
  return null;
}

function toInput(event: RecordedEvent): ProcessInput {
  return {
    id: event.id,
    type: event.type,
    stream: event.stream,
    position: String(event.position),
    data: event.data,
    metadata: event.metadata as ProcessInput['metadata'],
  };
}
