import { ERASABLE_TEXT_FIELDS } from '../../../workflows/signal-lifecycle/fields.js';
import type { EventMetadata } from '../../platform/event-store/event-store.port.js';
import type { JsonObject } from '../../platform/json.js';
import { assertNoPersonalData } from '../../signals/privacy/personal-data.js';
import {
  createSignalDecider,
  type EvolvableEvent,
  type SignalActor,
  type SignalState,
} from '../../signals/signal.decider.js';
import { SignalDomainError } from '../../signals/signal.errors.js';
import { SIGNAL_TEXT_ERASED, type SignalTextErasedData } from '../../signals/signal.events.js';
import { ErasureError } from './erase-text.errors.js';

/** Who erases: a lead processor of the tenant, or the retention sweep acting for the tenant. */
export type ErasingActor = { kind: 'person'; actor: SignalActor } | { kind: 'retention'; tenantId: string };

export const RETENTION_ACTOR = { id: 'system:retention', role: 'system' } as const;

/** What the erasure decision reads of a signal's stream (folded from stored events, text unread). */
export interface ErasureState {
  signal: SignalState;
  /** The key ids the last erasure destroyed; null when the text was never erased. */
  lastErasure: { keyIds: string[] } | null;
  /** Whether erasable text was recorded after the last erasure (or ever, without one). */
  textSinceErasure: boolean;
}

export interface EraseText {
  signalId: string;
  reason: string;
}

export interface ErasureContext {
  by: ErasingActor;
  now: Date;
  /** The signal's live data keys (key store): what the erasure destroys. */
  liveKeyIds: readonly string[];
}

export interface DecidedErasure {
  type: typeof SIGNAL_TEXT_ERASED;
  data: SignalTextErasedData;
  metadata: Pick<EventMetadata, 'tenantId' | 'actor' | 'occurredAt'>;
}

export const REASON_MIN = 5;
export const REASON_MAX = 2000;

export function initialErasureState(signal: SignalState): ErasureState {
  return { signal, lastErasure: null, textSinceErasure: false };
}

/** Folds one stored event: lifecycle through the signal decider, plus erasures and new text. */
export function evolveErasure(
  decider: ReturnType<typeof createSignalDecider>,
  state: ErasureState,
  event: EvolvableEvent,
): ErasureState {
  const signal = decider.evolve(state.signal, event);
  if (event.type === SIGNAL_TEXT_ERASED) {
    const keyIds = Array.isArray(event.data['keyIds'])
      ? event.data['keyIds'].filter((id): id is string => typeof id === 'string')
      : [];
    return { signal, lastErasure: { keyIds }, textSinceErasure: false };
  }
  return {
    signal,
    lastErasure: state.lastErasure,
    textSinceErasure: state.textSinceErasure || hasText(event.data),
  };
}

function hasText(data: JsonObject): boolean {
  for (const field of ERASABLE_TEXT_FIELDS) if (typeof data[field] === 'string') return true;
  return false;
}

/**
 * Pure: whether this actor may erase this signal's text now, and the event that records it.
 * Erasing twice with no new text since is refused (TEXT_ALREADY_ERASED); the reason is kept
 * readable for the audit, so it is held to the intake's personal-data rules.
 */
export function decideTextErasure(
  command: EraseText,
  state: ErasureState,
  context: ErasureContext,
): DecidedErasure {
  const { by } = context;
  if (by.kind === 'person' && !by.actor.roles.includes('lead-processor')) {
    throw new SignalDomainError(
      'ROLE_NOT_ALLOWED',
      'Alleen een hoofdsignaalverwerker mag de tekst van een signaal wissen.',
      {
        rolesAllowed: ['lead-processor'],
      },
    );
  }
  const tenantId = by.kind === 'person' ? by.actor.tenantId : by.tenantId;
  const { signal } = state;
  if (signal.status !== 'exists' || signal.tenantId !== tenantId) {
    throw new SignalDomainError(
      'SIGNAL_NOT_FOUND',
      'Dit signaal bestaat niet of je hebt er geen toegang toe.',
      {
        signalId: command.signalId,
      },
    );
  }
  const reason = command.reason.trim();
  if (reason.length < REASON_MIN || reason.length > REASON_MAX) {
    throw new ErasureError(
      'ERASURE_REASON_INVALID',
      `Geef een reden voor het wissen van ${REASON_MIN} tot ${REASON_MAX} tekens.`,
    );
  }
  assertNoPersonalData({ reason }, ['reason']);
  if (state.lastErasure !== null && !state.textSinceErasure) {
    throw new ErasureError('TEXT_ALREADY_ERASED', 'De tekst van dit signaal is al gewist.');
  }
  return {
    type: SIGNAL_TEXT_ERASED,
    data: { signalId: signal.signalId, reason, keyIds: [...context.liveKeyIds] },
    metadata: {
      tenantId,
      actor: by.kind === 'person' ? { id: by.actor.id, role: 'lead-processor' } : { ...RETENTION_ACTOR },
      occurredAt: context.now.toISOString(),
    },
  };
}
