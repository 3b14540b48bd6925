import { SAME_STATE } from '../../workflows/definition.js';
import type { CommandDefinition, WorkflowDefinition } from '../../workflows/definition.js';
import { getWorkflow, WORKFLOWS } from '../../workflows/registry.js';
import {
  ERASABLE_TEXT_FIELDS,
  ERASED_TEXT,
  FIELDS,
  FREE_TEXT_FIELDS,
  isFieldName,
  type SignalAttributes,
} from '../../workflows/signal-lifecycle/fields.js';
import type { RecordedEvent } from '../../src/platform/event-store/event-store.port.js';
import type { JsonObject, JsonValue } from '../../src/platform/json.js';
import {
  SIGNAL_CATEGORY,
  SIGNAL_EVENT_TYPES,
  SIGNAL_TEXT_ERASED,
  MIGRATE_WORKFLOW_COMMAND,
  SIGNAL_WORKFLOW_MIGRATED,
  type WorkflowRef,
} from '../../src/signals/signal.events.js';
import { ProjectionEventError } from './projection-error.js';
import { LastRead } from './last-read.js';
import { isUnsafeKey } from './records.js';
import { deadlineAt } from '../../workflows/calendar/working-days.js';
import { parseIsoDuration } from '../../workflows/load-definition.js';
import { dueAtFor, normaliseInstant } from './time.js';

export { SIGNAL_TEXT_ERASED, ERASABLE_TEXT_FIELDS, ERASED_TEXT, FREE_TEXT_FIELDS, type SignalAttributes };

/** Lifecycle event types: every signal event but the erasure, which no workflow command records. */
export const LIFECYCLE_EVENT_TYPES: readonly string[] = SIGNAL_EVENT_TYPES.filter(
  (type) => type !== SIGNAL_TEXT_ERASED,
);

export type AttributeChanges = Partial<SignalAttributes>;

export interface Transition {
  definition: WorkflowDefinition;
  workflow: WorkflowRef;
  command: string;
  from: string | null;
  to: string;
  /** Whether the signal enters another state (a note or a reassignment within `assigned` does not). */
  changesState: boolean;
  fromTerminal: boolean;
  toTerminal: boolean;
  /** When a signal entering `to` now would be overdue; null when that state has no deadline. */
  dueAt: string | null;
}

interface Common {
  event: RecordedEvent;
  tenantId: string;
  signalId: string;
  /** `metadata.occurredAt`, normalised with toISOString so that instants sort as strings. */
  at: string;
  actor: { id: string; role: string };
  /** Whether the event is in the signal's own stream, so that its revision is the signal's. */
  inSignalStream: boolean;
}

export interface Submitted extends Common {
  kind: 'submitted';
  transition: Transition;
  organisationId: string | null;
  attributes: AttributeChanges;
  /** The command's fields: the data without signalId, workflow and organisationId. */
  fields: JsonObject;
}

export interface Transitioned extends Common {
  kind: 'transitioned';
  transition: Transition;
  attributes: AttributeChanges;
  fields: JsonObject;
}

export interface TextErased extends Common {
  kind: 'erased';
}

export type SignalEventView = Submitted | Transitioned | TextErased;

const NOT_FIELDS = new Set(['signalId', 'workflow', 'organisationId']);

/** The tenant and signal an event is about: all a document id needs, read without the rest. */
export function signalKeyOf(event: RecordedEvent): { tenantId: string; signalId: string } {
  const tenantId = event.metadata.tenantId;
  if (typeof tenantId !== 'string' || tenantId === '') {
    throw new ProjectionEventError(event, 'metadata.tenantId is missing');
  }
  const signalId = event.data['signalId'];
  if (typeof signalId !== 'string' || signalId === '' || isUnsafeKey(signalId)) {
    throw new ProjectionEventError(event, 'data.signalId is missing or not a usable id');
  }
  return { tenantId, signalId };
}

/**
 * The last event's view and facts (LastRead): the read models of a runner take an event one after
 * the other, so each event is read and checked once, not once per read model. A view is read-only
 * to its users. Refused events are not remembered; they are rare and throw again.
 */
const views = new LastRead<RecordedEvent, SignalEventView>();
const facts = new LastRead<RecordedEvent, TransitionFacts>();

/**
 * Reads and checks a signal event completely before any document is touched, so that a
 * projection can throw without leaving a half-changed document behind.
 */
export function readSignalEvent(event: RecordedEvent): SignalEventView {
  return views.of(event, readSignalEventUncached);
}

const SIGNAL_TYPES: ReadonlySet<string> = new Set(SIGNAL_EVENT_TYPES);

function readSignalEventUncached(event: RecordedEvent): SignalEventView {
  const fail: (reason: string) => never = (reason) => refuse(event, reason);
  const { tenantId, signalId } = signalKeyOf(event);
  const at = instant(event.metadata.occurredAt) ?? fail('metadata.occurredAt is not an ISO-8601 instant');
  const actor = event.metadata.actor as JsonValue;
  const actorId = isObject(actor) ? actor['id'] : undefined;
  const actorRole = isObject(actor) ? actor['role'] : undefined;
  if (typeof actorId !== 'string' || typeof actorRole !== 'string')
    fail('metadata.actor needs an id and a role');
  // Views are written out as literals: an object spread plus properties is slow on V8, and this
  // runs for every event every read model handles.
  const actorRef = { id: actorId, role: actorRole };
  const inSignalStream = isSignalStream(event.stream, tenantId, signalId);
  if (event.type === SIGNAL_TEXT_ERASED)
    return { kind: 'erased', event, tenantId, signalId, at, actor: actorRef, inSignalStream };
  if (!SIGNAL_TYPES.has(event.type)) fail('not a signal event');
  if (!inSignalStream) fail(`expected in stream of signal ${signalId} of tenant ${tenantId}`);

  const transition = readTransition(event, at, fail);
  const attributes = readAttributes(event.data, fail);
  const fields: JsonObject = {};
  for (const key in event.data) if (!NOT_FIELDS.has(key)) fields[key] = event.data[key]!;

  if (event.type !== 'SignalSubmitted') {
    if (transition.from === null) fail('metadata.workflow.from is missing');
    return {
      kind: 'transitioned',
      event,
      tenantId,
      signalId,
      at,
      actor: actorRef,
      inSignalStream,
      transition,
      attributes,
      fields,
    };
  }
  const pinned = event.data['workflow'];
  if (
    !isObject(pinned) ||
    pinned['name'] !== transition.workflow.name ||
    pinned['version'] !== transition.workflow.version
  ) {
    fail('data.workflow does not match metadata.workflow');
  }
  const organisationId = event.data['organisationId'] ?? null;
  if (organisationId !== null && typeof organisationId !== 'string')
    fail('data.organisationId is not a string');
  if (transition.from !== null) fail('a submission comes from no state');
  return {
    kind: 'submitted',
    event,
    tenantId,
    signalId,
    at,
    actor: actorRef,
    inSignalStream,
    transition,
    organisationId,
    attributes,
    fields,
  };
}

/** Who a signal is assigned to: a processor, a policy domain, both or neither. */
export type Assignment = { assigneeId: string | null; policyDomain: string | null };

/**
 * What a lifecycle event's `metadata.workflow` says of the signal around it (TransitionMetadata,
 * filled by the decider), so that a per-tenant read model can move its counts from the event alone.
 */
export interface TransitionFacts {
  /** When the signal was submitted (the event's own instant for a submission). */
  submittedAt: string;
  /** Since when the signal was in the from-state; null on submission. */
  fromEnteredAt: string | null;
  /**
   * The tenant's deadline (ISO-8601 duration) of the from-state, when the event that entered it
   * stamped one (`metadata.workflow.fromDeadline`); null: the definition's.
   */
  fromDeadline: string | null;
  /** The assignment before the event; null on submission. */
  assignmentBefore: Assignment | null;
  /** The assignment before, overridden by the event data's assigneeId / policyDomain when present. */
  assignmentAfter: Assignment;
  /** Whether the signal was open (in a non-terminal state) before the event; false on submission. */
  openBefore: boolean;
  openAfter: boolean;
}

/**
 * Reads and checks the facts of a lifecycle event that per-tenant counts move with. Throws a
 * ProjectionEventError when they are missing or malformed (events recorded before the decider
 * filled them cannot be counted without remembering every signal).
 */
export function readTransitionFacts(view: Submitted | Transitioned): TransitionFacts {
  return facts.of(view.event, () => readTransitionFactsUncached(view));
}

/**
 * When the signal was submitted, as `readTransitionFacts` reads it, read from the event alone
 * without checking the rest: for a document id asked for before the event is applied (the full
 * read is remembered for the last event only, see LastRead). Null when it cannot be read so; the
 * full read then says why.
 */
export function submittedAtOf(event: RecordedEvent): string | null {
  if (event.type === 'SignalSubmitted') return instant(event.metadata.occurredAt);
  const workflow = event.metadata['workflow'];
  return isObject(workflow) ? instant(workflow['submittedAt']) : null;
}

function readTransitionFactsUncached(view: Submitted | Transitioned): TransitionFacts {
  const { event, transition, attributes } = view;
  const fail: (reason: string) => never = (reason) => refuse(event, reason);
  const raw = event.metadata['workflow'];
  if (!isObject(raw)) return fail('metadata.workflow is missing');
  const submittedAt =
    instant(raw['submittedAt']) ??
    fail('metadata.workflow.submittedAt is missing or not an ISO-8601 instant');
  let fromEnteredAt: string | null = null;
  let assignmentBefore: Assignment | null = null;
  const fromDeadline = raw['fromDeadline'] ?? null;
  if (fromDeadline !== null && (typeof fromDeadline !== 'string' || !isDuration(fromDeadline)))
    fail('metadata.workflow.fromDeadline must be an ISO-8601 duration');
  if (view.kind === 'submitted') {
    if (raw['fromEnteredAt'] !== null) fail('metadata.workflow.fromEnteredAt must be null on submission');
    if (raw['assignmentBefore'] !== null)
      fail('metadata.workflow.assignmentBefore must be null on submission');
  } else {
    fromEnteredAt =
      instant(raw['fromEnteredAt']) ??
      fail('metadata.workflow.fromEnteredAt is missing or not an ISO-8601 instant');
    const before = raw['assignmentBefore'];
    if (!isObject(before) || !isOptionalKey(before['assigneeId']) || !isOptionalKey(before['policyDomain'])) {
      return fail('metadata.workflow.assignmentBefore needs assigneeId and policyDomain (text or null)');
    }
    assignmentBefore = { assigneeId: before['assigneeId'], policyDomain: before['policyDomain'] };
  }
  const assignmentAfter: Assignment = {
    assigneeId:
      attributes.assigneeId !== undefined ? attributes.assigneeId : (assignmentBefore?.assigneeId ?? null),
    policyDomain:
      attributes.policyDomain !== undefined
        ? attributes.policyDomain
        : (assignmentBefore?.policyDomain ?? null),
  };
  for (const key of [
    assignmentBefore?.assigneeId,
    assignmentBefore?.policyDomain,
    assignmentAfter.assigneeId,
    assignmentAfter.policyDomain,
  ]) {
    if (typeof key === 'string' && isUnsafeKey(key)) fail(`"${key}" cannot be counted under`);
  }
  return {
    submittedAt: view.kind === 'submitted' ? view.at : submittedAt,
    fromEnteredAt,
    fromDeadline: fromDeadline as string | null,
    assignmentBefore,
    assignmentAfter,
    openBefore: transition.from !== null && !transition.fromTerminal,
    openAfter: !transition.toTerminal,
  };
}

function isOptionalKey(value: JsonValue | undefined): value is string | null {
  return value === null || isCode(value);
}

function readTransition(event: RecordedEvent, at: string, fail: (reason: string) => never): Transition {
  const raw = event.metadata['workflow'];
  if (!isObject(raw)) return fail('metadata.workflow is missing');
  const { name, version, command, from, to } = raw;
  if (typeof name !== 'string' || typeof version !== 'number')
    fail('metadata.workflow needs a name and a version');
  if (typeof command !== 'string' || typeof to !== 'string' || (from !== null && typeof from !== 'string')) {
    fail('metadata.workflow needs command, from and to');
  }
  let definition: WorkflowDefinition;
  try {
    definition = getWorkflow(name, version);
  } catch (error) {
    return fail((error as Error).message);
  }
  const spec = Object.hasOwn(definition.commands, command) ? definition.commands[command] : undefined;
  const migration = command === MIGRATE_WORKFLOW_COMMAND && event.type === SIGNAL_WORKFLOW_MIGRATED;
  if (!migration && spec?.event !== event.type) {
    fail(`${definition.name}@${definition.version} has no command "${command}" recording this event`);
  }
  const toState = stateOf(definition, to) ?? fail(`unknown state "${to}"`);
  // A migration leaves a state of the version it comes from (data.from), which the version it
  // goes to (metadata.workflow) may not have: version 2's in-consultation, migrated back to 1.
  const left = migration ? leftDefinition(event, name, fail) : definition;
  const fromState = from === null ? null : (stateOf(left, from) ?? fail(`unknown state "${from}"`));
  let dueAt: string | null;
  // The tenant's deadline for the state entered, when the command stamped one; else the definition's.
  const stamped = raw['deadline'];
  if (stamped !== undefined && (typeof stamped !== 'string' || !isDuration(stamped)))
    return fail('metadata.workflow.deadline must be an ISO-8601 duration');
  try {
    dueAt = stamped !== undefined ? deadlineAt(at, stamped) : dueAtFor(definition, to, at);
  } catch (error) {
    return fail((error as Error).message);
  }
  return {
    definition,
    workflow: { name: definition.name, version: definition.version },
    command,
    from,
    to,
    changesState: from !== to,
    fromTerminal: fromState?.terminal === true,
    toTerminal: toState.terminal === true,
    dueAt,
  };
}

/** The definition a migration leaves: `data.from`, a version of the same workflow, in `from`'s state. */
function leftDefinition(
  event: RecordedEvent,
  name: string,
  fail: (reason: string) => never,
): WorkflowDefinition {
  const left = event.data['from'];
  const workflow = event.metadata['workflow'] as JsonObject;
  if (
    !isObject(left) ||
    left['name'] !== name ||
    typeof left['version'] !== 'number' ||
    left['state'] !== workflow['from']
  ) {
    return fail('data.from needs the name, version and state the migration leaves (metadata.workflow.from)');
  }
  try {
    return getWorkflow(name, left['version']);
  } catch (error) {
    return fail((error as Error).message);
  }
}

/** Whether text is an ISO-8601 duration, remembered: tenants stamp a handful of deadlines. */
const durations = new Map<string, boolean>();

function isDuration(text: string): boolean {
  let valid = durations.get(text);
  if (valid === undefined) {
    valid = parseIsoDuration(text) !== null;
    if (durations.size < 1000) durations.set(text, valid);
  }
  return valid;
}

function stateOf(definition: WorkflowDefinition, state: string) {
  return Object.hasOwn(definition.states, state) ? definition.states[state] : undefined;
}

function readAttributes(data: JsonObject, fail: (reason: string) => never): AttributeChanges {
  const changes: Record<string, JsonValue> = {};
  for (const key in data) {
    if (!isFieldName(key)) continue;
    const value = data[key]!;
    const spec = FIELDS[key];
    if (!('signalAttribute' in spec) || spec.signalAttribute !== true) continue;
    switch (spec.kind) {
      case 'codes':
        if (value !== null && !(Array.isArray(value) && value.every((code) => isCode(code)))) {
          fail(`data.${key} is not a list of codes`);
        }
        changes[key] = value === null ? [] : [...value];
        break;
      case 'integer':
        if (value !== null && !Number.isSafeInteger(value)) fail(`data.${key} is not an integer`);
        changes[key] = value;
        break;
      case 'boolean':
        if (value !== null && typeof value !== 'boolean') fail(`data.${key} is not true or false`);
        changes[key] = value;
        break;
      case 'text':
        if (value !== null && typeof value !== 'string') fail(`data.${key} is not text`);
        changes[key] = value;
        break;
      case 'code':
      case 'enum':
      case 'subject':
      case 'uuid':
        if (value !== null && !isCode(value)) fail(`data.${key} is not a code`);
        changes[key] = value;
        break;
      default: {
        const unreachable: never = spec;
        return unreachable;
      }
    }
  }
  return changes as AttributeChanges;
}

/**
 * The signal event types whose command, in some shipped definition, satisfies `predicate`: a
 * projection handles what can change it, and nothing else.
 */
export function signalEventTypesWhere(predicate: (command: CommandDefinition) => boolean): string[] {
  const matching = new Set(
    WORKFLOWS.flatMap((definition) => Object.values(definition.commands))
      .filter(predicate)
      .map((command) => command.event),
  );
  return SIGNAL_EVENT_TYPES.filter((type) => matching.has(type));
}

/** Whether firing the command can put a signal in another state (or create it). */
export function changesState(command: CommandDefinition): boolean {
  if (command.from.length === 0) return true;
  if (command.to === SAME_STATE) return false;
  return command.from.some((state) => state !== command.to);
}

export function recordsAnyOf(...fields: string[]): (command: CommandDefinition) => boolean {
  return (command) =>
    fields.some((field) => command.required.includes(field) || command.optional.includes(field));
}

function refuse(event: RecordedEvent, reason: string): never {
  throw new ProjectionEventError(event, reason);
}

/** Whether `stream` is the signal's own stream (a stored name is valid, so equality is enough). */
function isSignalStream(stream: string, tenantId: string, signalId: string): boolean {
  return (
    stream.length === SIGNAL_CATEGORY.length + tenantId.length + signalId.length + 2 &&
    stream === `${SIGNAL_CATEGORY}-${tenantId}-${signalId}`
  );
}

function instant(value: unknown): string | null {
  return typeof value === 'string' ? normaliseInstant(value) : null;
}

function isCode(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

function isObject(value: unknown): value is Record<string, JsonValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
