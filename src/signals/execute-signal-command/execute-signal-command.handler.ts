import { createHash } from 'node:crypto';
import { Inject, Optional } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { getWorkflow } from '../../../workflows/registry.js';
import { FREE_TEXT_FIELDS } from '../../../workflows/signal-lifecycle/fields.js';
import {
  definitionDeadlines,
  type DeadlinePolicy,
} from '../../../workflows/signal-deadlines/signal-deadlines.js';
import { DEADLINE_POLICY } from '../../processes/deadline-policy.token.js';
import { ConcurrencyError, DuplicateEventIdError } from '../../platform/event-store/errors.js';
import {
  EventStore,
  type NewEvent,
  type RecordedEvent,
} from '../../platform/event-store/event-store.port.js';
import { CLOCK, type Clock } from '../../platform/clock.js';
import { deterministicUuid, uuidv7 } from '../../platform/ids.js';
import { KeyedLock } from '../../platform/keyed-lock.js';
import { LeasedSections } from '../../platform/lease/leased-sections.js';
import { canonicalJson, type JsonObject } from '../../platform/json.js';
import { assertNoPersonalData } from '../privacy/personal-data.js';
import { FixedSignalWorkflowSource, SignalWorkflowSource } from '../signal-workflow-source.js';
import { validateCommandBody } from '../command-fields.validation.js';
import {
  currentSignalWorkflow,
  signalDecider,
  SignalRepository,
  type LoadedSignal,
} from '../signal.repository.js';
import {
  CommandConflictError,
  IdempotencyKeyReusedError,
  PreconditionFailedError,
} from '../signal-command.errors.js';
import type { TransitionMetadata } from '../signal.events.js';
import {
  ExecuteSignalCommand,
  type ExecuteSignalCommandInput,
  type SignalCommandResult,
} from './execute-signal-command.command.js';

const FREE_TEXT = [...FREE_TEXT_FIELDS];
const MAX_ATTEMPTS = 8;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * read → fold → decide → append at the exact revision read. Without `If-Match` a lost race is
 * retried on fresh state (the decider checks everything again, so a retry is safe); with it the
 * caller's revision is the precondition. An idempotency key fixes the signal id, and with the
 * request's hash the event ids, and is recorded in metadata: a retry finds its own events in the
 * stream, and the same key with another body can never pass for a replay in the store.
 */
@CommandHandler(ExecuteSignalCommand)
export class ExecuteSignalCommandHandler implements ICommandHandler<ExecuteSignalCommand> {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(SignalRepository) private readonly signals: SignalRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    // Outside Nest (demo seeding, fault children) new signals start under the default version.
    @Inject(SignalWorkflowSource)
    private readonly workflows: SignalWorkflowSource = new FixedSignalWorkflowSource(),
    // The tenant's deadline overrides; outside Nest the definition's deadlines hold.
    @Optional() @Inject(DEADLINE_POLICY) private readonly deadlines?: DeadlinePolicy,
    // Merges of a tenant one at a time across instances; outside Nest, in this process only.
    @Optional() @Inject(LeasedSections) private readonly sections?: LeasedSections,
  ) {}

  /**
   * Where the tenant overrides the definition's deadline for the state entered, the event says so
   * (`metadata.workflow.deadline`): the inbox's due date and the deadline timers then read the
   * tenant's deadline from the event itself, as it was when the step was taken.
   */
  private stampedDeadline(tenantId: string, workflow: TransitionMetadata): { workflow?: TransitionMetadata } {
    if (this.deadlines === undefined) return {};
    const ref = { name: workflow.name, version: workflow.version };
    const deadline = this.deadlines(tenantId, ref, workflow.to);
    if (deadline === null || deadline === definitionDeadlines(tenantId, ref, workflow.to)) return {};
    return { workflow: { ...workflow, deadline } };
  }

  private readonly lock = new KeyedLock();

  async execute({
    input,
  }: ExecuteSignalCommand): Promise<{ result: SignalCommandResult; replayed: boolean }> {
    // Unchecked fields are checked, for personal data too, once the signal's definition is known.
    if (!input.unchecked) assertNoPersonalData(input.fields, FREE_TEXT);
    const { actor } = input;
    const signalId =
      input.signalId ??
      (input.idempotencyKey
        ? deterministicUuid(actor.tenantId, actor.id, input.idempotencyKey, 'signal')
        : uuidv7());
    const freshId = input.signalId === undefined && input.idempotencyKey === undefined;
    const run = () =>
      this.lock.run(`${actor.tenantId}/${signalId}`, () => this.decideAndAppend(input, signalId, freshId));
    const targetId = input.name === 'merge-into' ? input.fields['targetSignalId'] : undefined;
    if (typeof targetId !== 'string' || targetId === signalId) return run();
    // A merge reads its target's stream and appends to its own: two merges at once (a into b, b
    // into a) each saw the other unmerged and both went through. Merges of a tenant run one at a
    // time, holding the target too, so the target's state cannot change under the decision here.
    const merge = () =>
      this.lock.run(`${actor.tenantId}/${signalId}`, () =>
        this.lock.run(`${actor.tenantId}/${targetId}`, () => this.decideAndAppend(input, signalId, freshId)),
      );
    const section = `signal-merge:${actor.tenantId}`;
    return this.sections
      ? this.sections.run(section, merge, () => new CommandConflictError())
      : this.lock.run(section, merge);
  }

  private async decideAndAppend(
    input: ExecuteSignalCommandInput,
    signalId: string,
    freshId: boolean,
  ): Promise<{ result: SignalCommandResult; replayed: boolean }> {
    const { actor } = input;
    let fields: JsonObject | null = input.unchecked ? null : input.fields;
    let requestHash: string | null = null;
    for (let attempt = 1; ; attempt++) {
      // A fresh time-ordered id names a stream no one has written: nothing to read.
      const loaded =
        freshId && attempt === 1
          ? this.signals.empty(actor.tenantId, signalId)
          : await this.signals.load(actor.tenantId, signalId);
      if (fields === null) {
        // The definition the signal runs under; the default one for a signal that does not exist.
        const definition =
          loaded.state.status === 'none'
            ? currentSignalWorkflow()
            : getWorkflow(loaded.state.workflow.name, loaded.state.workflow.version);
        fields = validateCommandBody(definition, input.name, input.fields);
        assertNoPersonalData(fields, FREE_TEXT);
      }
      // Only a request with an idempotency key is ever compared with another: hash only those.
      const hash = (requestHash ??= input.idempotencyKey
        ? createHash('sha256')
            .update(canonicalJson({ command: input.name, signalId, fields }))
            .digest('base64url')
        : '');
      if (input.idempotencyKey) {
        const earlier = replayOf(loaded, input.idempotencyKey, actor.id, hash);
        if (earlier) return { result: earlier, replayed: true };
      }
      if (input.expectedRevision !== undefined && loaded.revision !== input.expectedRevision) {
        throw new PreconditionFailedError(input.expectedRevision, loaded.revision);
      }
      const target = await this.loadMergeTarget(fields, actor.tenantId);
      const definitionForNewSignals =
        loaded.state.status === 'none'
          ? await this.workflows.definitionForNewSignals(actor.tenantId)
          : getWorkflow(loaded.state.workflow.name, loaded.state.workflow.version);
      const decided = signalDecider.decide({ name: input.name, signalId, fields }, loaded.state, {
        actor,
        now: this.clock.now(),
        definitionForNewSignals,
        ...(target ? { target } : {}),
      });
      const events: NewEvent[] = decided.map((event, index) => ({
        id: input.idempotencyKey
          ? deterministicUuid(actor.tenantId, actor.id, input.idempotencyKey, hash, String(index))
          : uuidv7(),
        type: event.type,
        data: event.data,
        metadata: {
          ...event.metadata,
          ...this.stampedDeadline(actor.tenantId, event.metadata.workflow),
          correlationId: input.correlationId,
          causationId: input.correlationId,
          ...(input.idempotencyKey ? { idempotencyKey: input.idempotencyKey, requestHash: hash } : {}),
        },
      }));
      try {
        const appended = await this.store.append(loaded.stream, events, {
          expectedRevision: loaded.revision,
        });
        const last = decided[decided.length - 1]!;
        return {
          result: {
            signalId,
            revision: String(appended.nextRevision),
            position: String(appended.position),
            state: last.metadata.workflow.to,
            events: events.map((event) => ({ id: event.id!, type: event.type })),
          },
          replayed: false,
        };
      } catch (error) {
        if (error instanceof DuplicateEventIdError) throw new IdempotencyKeyReusedError();
        if (!(error instanceof ConcurrencyError)) throw error;
        // A concurrent delivery of the same request may have won: the next read finds it.
        if (input.expectedRevision !== undefined && !input.idempotencyKey) {
          throw new PreconditionFailedError(input.expectedRevision, error.actualRevision);
        }
        if (attempt >= MAX_ATTEMPTS) throw new CommandConflictError();
        // Only another process can have won (this one queues per signal): back off with jitter.
        await sleep(Math.random() * 2 ** attempt);
      }
    }
  }

  private async loadMergeTarget(fields: JsonObject, tenantId: string) {
    const targetId = fields['targetSignalId'];
    if (typeof targetId !== 'string') return undefined;
    return (await this.signals.load(tenantId, targetId)).state;
  }
}

/** The result of an earlier delivery of this request, rebuilt from the events it recorded. */
function replayOf(
  loaded: LoadedSignal,
  key: string,
  actorId: string,
  requestHash: string,
): SignalCommandResult | null {
  const own = loaded.events.filter(
    (event: RecordedEvent) => event.metadata['idempotencyKey'] === key && event.metadata.actor.id === actorId,
  );
  if (own.length === 0) return null;
  if (own[0]!.metadata['requestHash'] !== requestHash) throw new IdempotencyKeyReusedError();
  const last = own[own.length - 1]!;
  return {
    signalId: (last.data as JsonObject)['signalId'] as string,
    revision: String(last.revision),
    position: String(last.position),
    state: (last.metadata['workflow'] as TransitionMetadata).to,
    events: own.map((event) => ({ id: event.id, type: event.type })),
  };
}
