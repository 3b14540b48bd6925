import { SIGNAL_TEXT_ERASED } from '../../../projections/index.js';
import { ERASABLE_TEXT_FIELDS, ERASED_TEXT } from '../../../workflows/signal-lifecycle/fields.js';
import type { WorkflowDefinition } from '../../../workflows/definition.js';
import type { JsonObject } from '../../platform/json.js';
import {
  createSignalDecider,
  type EvolvableEvent,
  type SignalAttributes,
  type SignalState,
} from '../../signals/signal.decider.js';
import type { SignalAsOfView } from '../audit-answers.js';

export type { SignalAsOfView };

/** `?asOf=`: a revision of the signal's stream, or an instant (compared with `occurredAt`). */
export type AsOf = { kind: 'revision'; revision: number } | { kind: 'instant'; at: string; ms: number };

const REVISION = /^\d{1,15}$/;
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2}))$/;

/**
 * Reads `asOf`: a revision (digits), or an ISO-8601 instant with a time and an explicit offset
 * (`2026-03-02T10:00:00Z`, `2026-03-02T11:00+01:00`); a date alone is refused as ambiguous. Null
 * for anything else, including impossible dates (30 February) that Date.parse would roll over.
 */
export function parseAsOf(raw: string): AsOf | null {
  if (REVISION.test(raw)) return { kind: 'revision', revision: Number(raw) };
  const match = INSTANT.exec(raw);
  if (!match) return null;
  const [, year, month, day, hour, minute, second, , offsetHours, offsetMinutes] = match;
  const m = Number(month);
  const daysInMonth = new Date(Date.UTC(Number(year), m, 0)).getUTCDate();
  if (m < 1 || m > 12 || Number(day) < 1 || Number(day) > daysInMonth) return null;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second ?? 0) > 59) return null;
  if (offsetHours !== undefined && (Number(offsetHours) > 23 || Number(offsetMinutes) > 59)) return null;
  const ms = Date.parse(raw);
  if (Number.isNaN(ms)) return null;
  return { kind: 'instant', at: new Date(ms).toISOString(), ms };
}

export interface AsOfEvent extends EvolvableEvent {
  type: string;
  data: JsonObject;
  revision: bigint;
}

export type AsOfOutcome =
  | { found: true; view: SignalAsOfView; state: SignalState }
  | { found: false; reason: 'before-submission' | 'no-such-revision' };

/**
 * Replays the longest prefix of the stream that lies at or before `asOf` through the decider's
 * evolve. A revision past the stream's end is `no-such-revision`; an instant before the signal
 * was submitted is `before-submission`. Text erased at any time stays erased, also in the past.
 */
export function signalAsOf(
  events: readonly AsOfEvent[],
  asOf: AsOf,
  requested: string,
  lookup: (name: string, version: number) => WorkflowDefinition,
): AsOfOutcome {
  const decider = createSignalDecider((ref) => lookup(ref.name, ref.version));
  const last = events[events.length - 1];
  if (asOf.kind === 'revision' && (last === undefined || BigInt(asOf.revision) > last.revision)) {
    return { found: false, reason: 'no-such-revision' };
  }
  let state: SignalState = decider.initialState;
  let applied: AsOfEvent | undefined;
  for (const event of events) {
    if (
      asOf.kind === 'revision'
        ? event.revision > BigInt(asOf.revision)
        : Date.parse(event.metadata.occurredAt) > asOf.ms
    ) {
      break;
    }
    state = decider.evolve(state, event);
    applied = event;
  }
  if (state.status !== 'exists' || applied === undefined)
    return { found: false, reason: 'before-submission' };
  const erased = events.some((event) => event.type === SIGNAL_TEXT_ERASED);
  const attributes: SignalAttributes = { ...state.attributes };
  if (erased) {
    for (const key of Object.keys(attributes) as Array<keyof SignalAttributes>) {
      if (ERASABLE_TEXT_FIELDS.has(key) && attributes[key] !== null)
        Object.assign(attributes, { [key]: ERASED_TEXT });
    }
  }
  const definition = lookup(state.workflow.name, state.workflow.version);
  return {
    found: true,
    state,
    view: {
      signalId: state.signalId,
      tenantId: state.tenantId,
      asOf: { requested, revision: Number(applied.revision), at: applied.metadata.occurredAt },
      revision: Number(applied.revision),
      state: state.state,
      stateLabel: definition.states[state.state]?.label ?? state.state,
      previousState: state.previousState,
      workflow: state.workflow,
      givenBy: state.givenBy,
      organisationId: state.organisationId,
      mergedInto: state.mergedInto,
      submittedAt: state.submittedAt,
      stateEnteredAt: state.stateEnteredAt,
      ...attributes,
      erased,
    },
  };
}
