import { createHash } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '../../platform/clock.js';
import { ConcurrencyError, DuplicateEventIdError } from '../../platform/event-store/errors.js';
import {
  EventStore,
  type NewEvent,
  type RecordedEvent,
} from '../../platform/event-store/event-store.port.js';
import { deterministicUuid, uuidv7 } from '../../platform/ids.js';
import { canonicalJson, type JsonObject } from '../../platform/json.js';
import { KeyedLock } from '../../platform/keyed-lock.js';
import { assertNoPersonalData } from '../../signals/privacy/personal-data.js';
import { SignalRepository } from '../../signals/signal.repository.js';
import { decideDossier, type CandidateSignal, type DossierCommand } from '../dossier.decider.js';
import { DOSSIER_FREE_TEXT } from '../dossier-commands.validation.js';
import { DossierConflictError, DossierPreconditionFailedError } from '../dossier-command.errors.js';
import type { DossierFactsMetadata } from '../dossier.events.js';
import { DossierRepository, type LoadedDossier } from '../dossier.repository.js';
import { DossierMembershipGate } from '../membership-gate.js';
import { OpenDossierLookup } from '../open-dossier-lookup.js';
import {
  ExecuteDossierCommand,
  type DossierCommandResult,
  type ExecuteDossierCommandInput,
} from './execute-dossier-command.command.js';
import { IdempotencyKeyReusedError } from '../../signals/signal-command.errors.js';

const MAX_ATTEMPTS = 8;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * read → fold → decide → append at the exact revision read, as for signals. Commands that make
 * a signal a member (create, add-signal) also read each candidate's stream and the open dossier
 * that holds it; they run one at a time per tenant, in this process and across the instances on
 * one store (`DossierMembershipGate`), so two of them cannot both pass the "one open dossier at a
 * time" check with the same signal.
 */
@CommandHandler(ExecuteDossierCommand)
export class ExecuteDossierCommandHandler implements ICommandHandler<ExecuteDossierCommand> {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(DossierRepository) private readonly dossiers: DossierRepository,
    @Inject(SignalRepository) private readonly signals: SignalRepository,
    @Inject(OpenDossierLookup) private readonly openDossiers: OpenDossierLookup,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(DossierMembershipGate) private readonly membership: DossierMembershipGate,
  ) {}

  private readonly lock = new KeyedLock();

  async execute({
    input,
  }: ExecuteDossierCommand): Promise<{ result: DossierCommandResult; replayed: boolean }> {
    assertNoPersonalData(input.command as unknown as Record<string, unknown>, DOSSIER_FREE_TEXT);
    const { actor } = input;
    const dossierId =
      input.command.name !== 'create'
        ? input.command.dossierId
        : input.idempotencyKey
          ? deterministicUuid(actor.tenantId, actor.id, input.idempotencyKey, 'dossier')
          : uuidv7();
    const command = { ...input.command, dossierId } as DossierCommand;
    const requestHash = createHash('sha256').update(canonicalJson(command)).digest('base64url');
    const run = () =>
      this.lock.run(`dossier/${actor.tenantId}/${dossierId}`, () =>
        this.decideAndAppend(input, command, requestHash),
      );
    const bundles = command.name === 'create' || command.name === 'add-signal';
    return bundles ? this.membership.run(actor.tenantId, run) : run();
  }

  private async decideAndAppend(
    input: ExecuteDossierCommandInput,
    command: DossierCommand,
    requestHash: string,
  ): Promise<{ result: DossierCommandResult; replayed: boolean }> {
    const { actor } = input;
    for (let attempt = 1; ; attempt++) {
      const loaded = await this.dossiers.load(actor.tenantId, command.dossierId);
      if (input.idempotencyKey) {
        const earlier = replayOf(loaded, input.idempotencyKey, actor.id, requestHash);
        if (earlier) return { result: earlier, replayed: true };
      }
      if (input.expectedRevision !== undefined && loaded.revision !== input.expectedRevision) {
        throw new DossierPreconditionFailedError(input.expectedRevision, loaded.revision);
      }
      const candidates = await this.candidates(command, actor.tenantId);
      const decided = decideDossier(command, loaded.state, {
        actor,
        now: this.clock.now(),
        ...(candidates ? { candidates } : {}),
      });
      const events: NewEvent[] = decided.map((event, index) => ({
        id: input.idempotencyKey
          ? deterministicUuid(actor.tenantId, actor.id, input.idempotencyKey, requestHash, String(index))
          : uuidv7(),
        type: event.type,
        data: event.data,
        metadata: {
          ...event.metadata,
          correlationId: input.correlationId,
          causationId: input.correlationId,
          ...(input.idempotencyKey ? { idempotencyKey: input.idempotencyKey, requestHash } : {}),
        },
      }));
      try {
        const appended = await this.store.append(loaded.stream, events, {
          expectedRevision: loaded.revision,
        });
        this.openDossiers.wrote(appended.position);
        return {
          result: {
            dossierId: command.dossierId,
            revision: String(appended.nextRevision),
            position: String(appended.position),
            state: decided[decided.length - 1]!.metadata.dossier.to,
            events: events.map((event) => ({ id: event.id!, type: event.type })),
          },
          replayed: false,
        };
      } catch (error) {
        if (error instanceof DuplicateEventIdError) throw new IdempotencyKeyReusedError();
        if (!(error instanceof ConcurrencyError)) throw error;
        if (input.expectedRevision !== undefined && !input.idempotencyKey) {
          throw new DossierPreconditionFailedError(input.expectedRevision, error.actualRevision);
        }
        if (attempt >= MAX_ATTEMPTS) throw new DossierConflictError();
        await sleep(Math.random() * 2 ** attempt);
      }
    }
  }

  /** The signals a command would make members: their state from their own streams, and their open dossier. */
  private async candidates(
    command: DossierCommand,
    tenantId: string,
  ): Promise<Map<string, CandidateSignal> | undefined> {
    const ids =
      command.name === 'create'
        ? command.signalIds
        : command.name === 'add-signal'
          ? [command.signalId]
          : null;
    if (ids === null) return undefined;
    const holders = await this.openDossiers.holding(tenantId, ids);
    const candidates = new Map<string, CandidateSignal>();
    for (const id of ids) {
      const { state } = await this.signals.load(tenantId, id);
      candidates.set(
        id,
        state.status === 'exists'
          ? {
              exists: true,
              state: state.state,
              previousState: state.previousState,
              openDossierId: holders.get(id) ?? null,
            }
          : { exists: false },
      );
    }
    return candidates;
  }
}

/** The result of an earlier delivery of this request, rebuilt from the event it recorded. */
function replayOf(
  loaded: LoadedDossier,
  key: string,
  actorId: string,
  requestHash: string,
): DossierCommandResult | null {
  const own = loaded.events.filter(
    (event: RecordedEvent) => event.metadata['idempotencyKey'] === key && event.metadata.actor.id === actorId,
  );
  if (own.length === 0) return null;
  if (own[0]!.metadata['requestHash'] !== requestHash) throw new IdempotencyKeyReusedError();
  const last = own[own.length - 1]!;
  return {
    dossierId: (last.data as JsonObject)['dossierId'] as string,
    revision: String(last.revision),
    position: String(last.position),
    state: (last.metadata['dossier'] as DossierFactsMetadata).to,
    events: own.map((event) => ({ id: event.id, type: event.type })),
  };
}
