import { Inject, Injectable } from '@nestjs/common';
import { getWorkflow } from '../../workflows/registry.js';
import type { Role } from '../../workflows/roles.js';
import type { AuthenticatedActor } from '../auth/actor.js';
import { EventStore, type RecordedEvent } from '../platform/event-store/event-store.port.js';
import { ApiError } from '../platform/http/api-error.js';
import { isUuid } from '../platform/ids.js';
import { isInScope, type SignalState } from '../signals/signal.decider.js';
import { signalStream } from '../signals/signal.events.js';
import { signalDecider } from '../signals/signal.repository.js';
import { AuditLog } from './audit-log.js';
import { decisionHistory, type DecisionHistory } from './core/decision-history.js';
import { parseAsOf, signalAsOf, type SignalAsOfView } from './core/signal-as-of.js';
import { lookupWorkflow } from './verify-store.js';

// The widest role a reader holds on the signal is the one the audit record names.
const READING_ROLES: readonly Role[] = ['lead-processor', 'processor', 'partner-processor', 'signal-giver'];

const NOT_FOUND = () =>
  new ApiError(404, 'SIGNAL_NOT_FOUND', 'Dit signaal bestaat niet of je hebt er geen toegang toe.');

/**
 * Replays of one signal's stream: its decision history and its state as of a moment. An auditor
 * reads every signal of their own tenant; the other roles what their scope lets them see. Every
 * answer is recorded in the tenant's audit stream before it is given.
 */
@Injectable()
export class SignalAuditReader {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(AuditLog) private readonly auditLog: AuditLog,
  ) {}

  async history(
    actor: AuthenticatedActor,
    signalId: string,
    format: 'json' | 'csv',
    correlationId: string,
  ): Promise<DecisionHistory> {
    assertSignalId(signalId);
    const { events, role } = await this.readable(actor, signalId);
    const history = decisionHistory(signalId, actor.tenantId, events, {
      lookup: lookupWorkflow,
      internalNotes: role !== 'signal-giver',
    });
    await this.auditLog.record(actor, role, read('history', signalId, null, format), correlationId);
    return history;
  }

  async asOf(
    actor: AuthenticatedActor,
    signalId: string,
    raw: unknown,
    correlationId: string,
  ): Promise<SignalAsOfView> {
    assertSignalId(signalId);
    const asOf = typeof raw === 'string' ? parseAsOf(raw) : null;
    if (asOf === null) {
      throw new ApiError(
        400,
        'INVALID_AS_OF',
        'asOf is een revisie (een geheel getal vanaf 0) of een tijdstip in ISO 8601 met tijdzone, bv. 2026-03-02T10:00:00Z.',
      );
    }
    const { events, role } = await this.readable(actor, signalId);
    const outcome = signalAsOf(events, asOf, raw as string, getWorkflow);
    if (!outcome.found) {
      throw outcome.reason === 'no-such-revision'
        ? new ApiError(404, 'REVISION_NOT_FOUND', `Dit signaal heeft geen revisie ${raw as string}.`)
        : new ApiError(404, 'AS_OF_BEFORE_SUBMISSION', 'Op dat tijdstip was dit signaal nog niet ingediend.');
    }
    await this.auditLog.record(actor, role, read('as-of', signalId, raw as string, 'json'), correlationId);
    return outcome.view;
  }

  /** The signal's events and the role the actor reads them in; 404 outside the actor's reach. */
  private async readable(
    actor: AuthenticatedActor,
    signalId: string,
  ): Promise<{ events: RecordedEvent[]; role: Role }> {
    const events: RecordedEvent[] = [];
    let state: SignalState = signalDecider.initialState;
    for await (const event of this.store.readStream(signalStream(actor.tenantId, signalId))) {
      events.push(event);
      state = signalDecider.evolve(state, event);
    }
    const role = readingRole(actor, state);
    if (role === null) throw NOT_FOUND();
    return { events, role };
  }
}

/** An auditor reads the whole tenant; any other role the signals in its scope (DOMAIN.md). */
export function readingRole(actor: AuthenticatedActor, state: SignalState): Role | null {
  if (state.status !== 'exists' || state.tenantId !== actor.tenantId) return null;
  if (actor.roles.includes('auditor')) return 'auditor';
  return READING_ROLES.find((role) => actor.roles.includes(role) && isInScope(role, actor, state)) ?? null;
}

function assertSignalId(id: string): void {
  if (!isUuid(id)) throw new ApiError(400, 'INVALID_ID', 'Dit is geen geldige signaal-id.');
}

function read(kind: 'history' | 'as-of', signalId: string, asOf: string | null, format: 'json' | 'csv') {
  return { read: kind, signalId, asOf, format, eventsChecked: null, violations: null };
}
