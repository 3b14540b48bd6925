import {
  ANY_STATE,
  PREVIOUS_STATE,
  SAME_STATE,
  type CommandDefinition,
  type WorkflowDefinition,
} from '../../../workflows/definition.js';
import { SIGNAL_TEXT_ERASED } from '../../../projections/index.js';
import type { JsonObject, JsonValue } from '../../platform/json.js';
import type { ViolationKind } from './violations.js';
import { MIGRATE_WORKFLOW_COMMAND, SIGNAL_WORKFLOW_MIGRATED } from '../../signals/signal.events.js';

export type WorkflowLookup = (name: string, version: number) => WorkflowDefinition | undefined;

/** What the verifier remembers of a signal between its events: where it stands, under which rules. */
export interface LifecycleState {
  /** The definition the signal runs under; null when it claims one this build does not know. */
  definition: WorkflowDefinition | null;
  workflowName: string;
  workflowVersion: number;
  state: string;
  previousState: string | null;
}

export interface LifecycleEvent {
  type: string;
  data: JsonObject;
  metadata: JsonObject;
}

export interface LifecycleOutcome {
  state: LifecycleState | null;
  problem: { kind: Extract<ViolationKind, 'illegal-transition' | 'unknown-workflow'>; detail: string } | null;
}

interface Claim {
  name: string;
  version: number;
  command: string;
  from: string | null;
  to: string;
}

/**
 * Re-checks one recorded transition of a signal against the definition version it claims: that
 * the command exists there and records this event type, that the actor's role was allowed to fire
 * it, that the signal was in a state the command may be fired in, that it leads where the event
 * says, and that the signal kept the version it was submitted under. Pure: the state comes in and
 * goes out. `resync` (after a gap or a tampered event) first moves the signal to the from-state
 * the event claims, so that one break is reported once, not at every later event.
 */
export function checkSignalEvent(
  state: LifecycleState | null,
  event: LifecycleEvent,
  context: { lookup: WorkflowLookup; streamTenant: string | null; resync: boolean },
): LifecycleOutcome {
  // An erasure blanks text; it is no command of the workflow and moves no state.
  if (event.type === SIGNAL_TEXT_ERASED) return { state, problem: null };
  const claim = readClaim(event.metadata['workflow']);
  if (!claim) {
    return {
      state,
      problem: {
        kind: 'illegal-transition',
        detail: `${event.type} records no transition of a workflow (metadata.workflow is missing or malformed)`,
      },
    };
  }
  const definition = context.lookup(claim.name, claim.version);
  if (!definition) {
    return {
      state: {
        definition: null,
        workflowName: claim.name,
        workflowVersion: claim.version,
        state: claim.to,
        previousState: claim.from,
      },
      problem: {
        kind: 'unknown-workflow',
        detail: `${claim.name} v${claim.version} is no known workflow definition`,
      },
    };
  }

  if (event.type === SIGNAL_WORKFLOW_MIGRATED) return checkMigration(state, event, claim, definition);

  const reasons: string[] = [];
  const spec = Object.hasOwn(definition.commands, claim.command)
    ? definition.commands[claim.command]
    : undefined;
  if (!spec) reasons.push(`${definition.name} v${definition.version} has no command '${claim.command}'`);
  else if (spec.event !== event.type)
    reasons.push(`'${claim.command}' records ${spec.event}, not ${event.type}`);
  const actor = event.metadata['actor'];
  const role = isObject(actor) && typeof actor['role'] === 'string' ? actor['role'] : null;
  if (spec && (role === null || !(spec.roles as string[]).includes(role))) {
    reasons.push(
      `role ${role ?? '(none)'} may not fire '${claim.command}' (allowed: ${spec.roles.join(', ')})`,
    );
  }
  const tenant = event.metadata['tenantId'];
  if (context.streamTenant !== null && tenant !== context.streamTenant) {
    reasons.push(`recorded for tenant ${String(tenant)} in a stream of tenant ${context.streamTenant}`);
  }

  // The signal's first events are missing: take the rest as the event claims it.
  if (state === null && context.resync && claim.from !== null) {
    state = {
      definition,
      workflowName: claim.name,
      workflowVersion: claim.version,
      state: claim.from,
      previousState: null,
    };
  }
  let next: LifecycleState;
  if (state === null) {
    if (spec && spec.from.length > 0)
      reasons.push(`a signal starts with its submission, not with '${claim.command}'`);
    if (claim.from !== null) reasons.push(`a submission comes from no state, not from ${claim.from}`);
    if (claim.to !== definition.initialState) {
      reasons.push(`a submission leads to ${definition.initialState}, not to ${claim.to}`);
    }
    const pinned = event.data['workflow'];
    if (!isObject(pinned) || pinned['name'] !== claim.name || pinned['version'] !== claim.version) {
      reasons.push('data.workflow does not pin the version metadata.workflow claims');
    }
    next = {
      definition,
      workflowName: definition.name,
      workflowVersion: definition.version,
      state: stateOf(definition, claim.to) ? claim.to : definition.initialState,
      previousState: null,
    };
  } else {
    if (state.workflowName !== claim.name || state.workflowVersion !== claim.version) {
      reasons.push(
        `the signal runs under ${state.workflowName} v${state.workflowVersion}, the event claims ${claim.name} v${claim.version}`,
      );
    }
    const resynced = context.resync && claim.from !== null && stateOf(definition, claim.from);
    const current = resynced ? claim.from! : state.state;
    const previous = resynced ? null : state.previousState;
    let to = claim.to;
    if (spec) {
      if (spec.from.length === 0) reasons.push(`the signal was already submitted ('${claim.command}' again)`);
      else if (!spec.from.includes(ANY_STATE) && !spec.from.includes(current)) {
        reasons.push(`'${claim.command}' cannot be fired in ${current} (only in ${spec.from.join(', ')})`);
      } else if (!(resynced && spec.to === PREVIOUS_STATE)) {
        // After a resync the state before `current` is unknown: where `@previous` leads cannot be told.
        to = targetState(spec, current, previous);
        if (to !== claim.to)
          reasons.push(`'${claim.command}' in ${current} leads to ${to}, not to ${claim.to}`);
      }
    }
    if (claim.from !== current)
      reasons.push(`the event leaves ${String(claim.from)}, but the signal was in ${current}`);
    // Illegal or not, what the event claims is where the signal stands for its next event.
    const landed = stateOf(definition, claim.to) ? claim.to : to;
    next = {
      ...state,
      state: landed,
      previousState: landed === current ? previous : current,
    };
  }
  return {
    state: next,
    problem: reasons.length > 0 ? { kind: 'illegal-transition', detail: reasons.join('; ') } : null,
  };
}

/**
 * A migration leaves the version the signal runs under for another version of the same workflow,
 * from the state it is in to the state its mapping names; only a lead processor may run it.
 */
function checkMigration(
  state: LifecycleState | null,
  event: LifecycleEvent,
  claim: Claim,
  definition: WorkflowDefinition,
): LifecycleOutcome {
  const reasons: string[] = [];
  if (claim.command !== MIGRATE_WORKFLOW_COMMAND)
    reasons.push(
      `${SIGNAL_WORKFLOW_MIGRATED} is recorded by '${MIGRATE_WORKFLOW_COMMAND}', not '${claim.command}'`,
    );
  const actor = event.metadata['actor'];
  const role = isObject(actor) ? actor['role'] : undefined;
  if (role !== 'lead-processor') reasons.push(`role ${String(role)} may not migrate a signal`);
  const from = event.data['from'];
  const mapping = event.data['stateMapping'];
  if (state === null) reasons.push('a signal that was never submitted cannot be migrated');
  else {
    if (state.workflowName !== claim.name)
      reasons.push(`a ${state.workflowName} signal cannot move to ${claim.name}`);
    if (
      !isObject(from) ||
      from['name'] !== state.workflowName ||
      from['version'] !== state.workflowVersion ||
      from['state'] !== state.state
    )
      reasons.push(
        `the migration leaves another version or state than ${state.workflowName} v${state.workflowVersion} in ${state.state}`,
      );
    if (claim.from !== state.state)
      reasons.push(`the event leaves ${String(claim.from)}, but the signal was in ${state.state}`);
    if (!isObject(mapping) || mapping[state.state] !== claim.to)
      reasons.push(`the state mapping does not lead ${state.state} to ${claim.to}`);
  }
  if (!stateOf(definition, claim.to))
    reasons.push(`${claim.to} is no state of ${claim.name} v${claim.version}`);
  const current = state?.state ?? claim.to;
  return {
    state: {
      definition,
      workflowName: claim.name,
      workflowVersion: claim.version,
      state: claim.to,
      previousState: claim.to === current ? (state?.previousState ?? null) : current,
    },
    problem: reasons.length > 0 ? { kind: 'illegal-transition', detail: reasons.join('; ') } : null,
  };
}

/** Where a command leads from `current`, as the decider computes it. */
function targetState(command: CommandDefinition, current: string, previous: string | null): string {
  if (command.to === SAME_STATE) return current;
  if (command.to === PREVIOUS_STATE) return previous ?? current;
  return command.to;
}

function readClaim(raw: JsonValue | undefined): Claim | null {
  if (!isObject(raw)) return null;
  const { name, version, command, from, to } = raw;
  if (typeof name !== 'string' || typeof version !== 'number' || typeof command !== 'string') return null;
  if (typeof to !== 'string' || (from !== null && typeof from !== 'string')) return null;
  return { name, version, command, from, to };
}

function stateOf(definition: WorkflowDefinition, state: string): boolean {
  return Object.hasOwn(definition.states, state);
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
