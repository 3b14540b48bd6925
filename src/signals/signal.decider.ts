import type { DefinitionRole } from '../../workflows/roles.js';
import { CONTROL_CHARACTER_FAULT, hasControlCharacter, isBlank } from '../platform/text.js';
import {
  ANY_STATE,
  PREVIOUS_STATE,
  SAME_STATE,
  type CommandDefinition,
  type WorkflowDefinition,
} from '../../workflows/definition.js';
import {
  FIELDS,
  isFieldName,
  type FieldSpec,
  type SignalAttributes,
} from '../../workflows/signal-lifecycle/fields.js';

export type { SignalAttributes };
import { isCode } from '../../workflows/taxonomy/taxonomy.js';
import type { EventMetadata } from '../platform/event-store/event-store.port.js';
import { isUuid } from '../platform/ids.js';
import type { JsonObject, JsonValue } from '../platform/json.js';
import { SignalDomainError } from './signal.errors.js';
import { SIGNAL_WORKFLOW_MIGRATED } from './signal.events.js';
import type {
  SignalWorkflowMigratedData,
  SignalEventData,
  SignalSubmittedData,
  TransitionMetadata,
  WorkflowRef,
} from './signal.events.js';

/** Who issues a command, as the verified token says. */
export interface SignalActor {
  id: string;
  tenantId: string;
  roles: readonly DefinitionRole[];
  organisationId?: string | undefined;
  policyDomains: readonly string[];
  /** Set for a partner-processor from its organisation's engagement mode; absent: own organisation. */
  partnerScope?: 'organisation' | 'territory' | 'none' | undefined;
}

export type SignalState =
  | { status: 'none' }
  | {
      status: 'exists';
      signalId: string;
      tenantId: string;
      workflow: WorkflowRef;
      state: string;
      /** The state before the current one: where `@previous` leads. */
      previousState: string | null;
      givenBy: string;
      organisationId: string | null;
      mergedInto: string | null;
      submittedAt: string;
      stateEnteredAt: string;
      /**
       * The tenant's deadline stamped on the event that entered the current state (absent: the
       * definition's), handed on as `fromDeadline` when the signal leaves it, so that read models
       * without memory of the signal find the due date it leaves.
       */
      stateDeadline?: string;
      attributes: SignalAttributes;
    };

export type ExistingSignal = Extract<SignalState, { status: 'exists' }>;

export interface SignalCommand {
  name: string;
  signalId: string;
  fields: JsonObject;
}

export interface DecideContext {
  actor: SignalActor;
  now: Date;
  /** The definition a new signal starts under (the tenant's current version). */
  definitionForNewSignals: WorkflowDefinition;
  /** For merge-into: the state of the signal named by `targetSignalId`, read by the handler. */
  target?: SignalState;
}

/** An event as the decider returns it: the handler adds ids and correlation metadata. */
export interface DecidedEvent {
  type: string;
  data: SignalEventData;
  metadata: Pick<EventMetadata, 'tenantId' | 'actor' | 'occurredAt'> & { workflow: TransitionMetadata };
}

export type WorkflowLookup = (ref: WorkflowRef) => WorkflowDefinition;

export const initialSignalState: SignalState = { status: 'none' };

// When an actor holds several roles allowed for a command, it acts in the widest one.
const ROLE_PRECEDENCE: readonly DefinitionRole[] = [
  'lead-processor',
  'processor',
  'partner-processor',
  'signal-giver',
  'system',
];

/** A signal's attributes before any command recorded one. */
export const EMPTY_ATTRIBUTES: Readonly<SignalAttributes> = {
  title: null,
  description: null,
  themes: [],
  targetGroups: [],
  area: null,
  areaType: null,
  estimatedPeopleAffected: null,
  urgency: null,
  structural: null,
  assigneeId: null,
  policyDomain: null,
};

/**
 * The signal decider, driven by workflow definitions: which command may be fired in which state,
 * by which role, with which fields, and which event it records all come from the definition the
 * signal was submitted under. No transition is written out here.
 */
export function createSignalDecider(lookup: WorkflowLookup) {
  function evolve(state: SignalState, event: EvolvableEvent): SignalState {
    if (state.status === 'none') {
      if (event.type !== 'SignalSubmitted') return state;
      const data = event.data as SignalSubmittedData;
      const definition = lookup(data.workflow);
      return {
        status: 'exists',
        signalId: data.signalId,
        tenantId: event.metadata.tenantId,
        workflow: { name: data.workflow.name, version: data.workflow.version },
        state: definition.initialState,
        previousState: null,
        givenBy: event.metadata.actor.id,
        organisationId: data.organisationId,
        mergedInto: null,
        submittedAt: event.metadata.occurredAt,
        stateEnteredAt: event.metadata.occurredAt,
        ...stampedDeadlineOf(event),
        attributes: applyAttributes(EMPTY_ATTRIBUTES, data),
      };
    }
    if (event.type === SIGNAL_WORKFLOW_MIGRATED) return migrated(state, event);
    const definition = lookup(state.workflow);
    const command = commandRecording(definition, event.type);
    if (!command) return state; // not a lifecycle event (notes of other capabilities, erasure, …)
    const to = targetState(command, state);
    const { stateDeadline, ...rest } = state;
    const deadline =
      to !== state.state ? stampedDeadlineOf(event) : stateDeadline === undefined ? {} : { stateDeadline };
    return {
      ...rest,
      ...deadline,
      state: to,
      previousState: to === state.state ? state.previousState : state.state,
      stateEnteredAt: to === state.state ? state.stateEnteredAt : event.metadata.occurredAt,
      mergedInto:
        typeof event.data['targetSignalId'] === 'string' ? event.data['targetSignalId'] : state.mergedInto,
      attributes: applyAttributes(state.attributes, event.data),
    };
  }

  function decide(command: SignalCommand, state: SignalState, context: DecideContext): DecidedEvent[] {
    const { actor } = context;
    const definition = state.status === 'exists' ? lookup(state.workflow) : context.definitionForNewSignals;
    const spec = definition.commands[command.name];
    if (!spec) {
      throw new SignalDomainError('UNKNOWN_COMMAND', `De opdracht '${command.name}' bestaat niet.`, {
        command: command.name,
      });
    }
    // Role before existence: an answer must not reveal whether a signal exists to someone who may not act.
    const rolesAllowed = ROLE_PRECEDENCE.filter(
      (role) => spec.roles.includes(role) && actor.roles.includes(role),
    );
    if (rolesAllowed.length === 0) {
      throw new SignalDomainError(
        'ROLE_NOT_ALLOWED',
        `Je rol mag de opdracht '${command.name}' niet uitvoeren.`,
        {
          command: command.name,
          rolesAllowed: spec.roles,
        },
      );
    }
    const creates = spec.from.length === 0;
    let actingRole: DefinitionRole;
    if (state.status === 'none') {
      if (!creates) throw notFound(command.signalId);
      actingRole = rolesAllowed[0]!;
    } else {
      if (state.tenantId !== actor.tenantId) throw notFound(command.signalId);
      const inScope = rolesAllowed.filter((role) => isInScope(role, actor, state));
      if (inScope.length === 0) throw notFound(command.signalId);
      if (creates) {
        throw new SignalDomainError('SIGNAL_ALREADY_EXISTS', 'Dit signaal bestaat al.', {
          signalId: command.signalId,
        });
      }
      if (!spec.from.includes(ANY_STATE) && !spec.from.includes(state.state)) {
        throw new SignalDomainError(
          'TRANSITION_NOT_ALLOWED',
          `De opdracht '${command.name}' kan niet in de toestand '${definition.states[state.state]?.label ?? state.state}'.`,
          { command: command.name, state: state.state, allowedFrom: spec.from },
        );
      }
      actingRole = inScope[0]!;
    }

    const fields = checkFields(spec, command.fields);
    // A deadline's mark names the state the deadline was for: a signal that left it meanwhile
    // (closed while the timer's decision waited to be carried out, say) is not marked.
    const deadlineState = fields['deadlineState'];
    if (state.status === 'exists' && typeof deadlineState === 'string' && deadlineState !== state.state) {
      throw new SignalDomainError(
        'TRANSITION_NOT_ALLOWED',
        `Het signaal staat niet meer in de toestand '${definition.states[deadlineState]?.label ?? deadlineState}' waarvoor deze termijn gold.`,
        { command: command.name, state: state.state, deadlineState },
      );
    }
    if (typeof fields['targetSignalId'] === 'string')
      checkMergeTarget(command, state, context.target, fields['targetSignalId']);

    const from = state.status === 'exists' ? state.state : null;
    const to = state.status === 'exists' ? targetState(spec, state) : definition.initialState;
    const data: SignalEventData = { signalId: command.signalId, ...fields };
    if (creates) {
      const submitted: SignalSubmittedData = {
        ...data,
        workflow: { name: definition.name, version: definition.version },
        organisationId: actor.organisationId ?? null,
      };
      Object.assign(data, submitted);
    }
    return [
      {
        type: spec.event,
        data,
        metadata: {
          tenantId: actor.tenantId,
          actor: {
            id: actor.id,
            role: actingRole,
            ...(actor.organisationId ? { organisationId: actor.organisationId } : {}),
          },
          occurredAt: context.now.toISOString(),
          workflow: {
            name: definition.name,
            version: definition.version,
            command: command.name,
            from,
            to,
            submittedAt: state.status === 'exists' ? state.submittedAt : context.now.toISOString(),
            fromEnteredAt: state.status === 'exists' ? state.stateEnteredAt : null,
            ...(state.status === 'exists' && state.stateDeadline !== undefined
              ? { fromDeadline: state.stateDeadline }
              : {}),
            assignmentBefore:
              state.status === 'exists'
                ? { assigneeId: state.attributes.assigneeId, policyDomain: state.attributes.policyDomain }
                : null,
            classificationBefore:
              state.status === 'exists'
                ? {
                    themes: [...state.attributes.themes],
                    targetGroups: [...state.attributes.targetGroups],
                    areaType: state.attributes.areaType,
                    givenBy: state.givenBy,
                    organisationId: state.organisationId,
                  }
                : null,
          },
        },
      },
    ];
  }

  /** The commands this actor may fire on this signal now: what a UI shows as buttons. */
  function allowedCommands(
    state: SignalState,
    actor: SignalActor,
    definitionForNewSignals: WorkflowDefinition,
  ) {
    const definition = state.status === 'exists' ? lookup(state.workflow) : definitionForNewSignals;
    return Object.entries(definition.commands)
      .filter(([, spec]) => {
        const roles = spec.roles.filter((role) => actor.roles.includes(role));
        if (roles.length === 0) return false;
        if (state.status === 'none') return spec.from.length === 0;
        if (spec.from.length === 0) return false;
        if (!roles.some((role) => isInScope(role, actor, state))) return false;
        return spec.from.includes(ANY_STATE) || spec.from.includes(state.state);
      })
      .map(([name, spec]) => ({ name, spec }));
  }

  return { initialState: initialSignalState, evolve, decide, allowedCommands };
}

/** What evolve reads of an event: recorded ones and freshly decided ones both fit. */
export interface EvolvableEvent {
  type: string;
  data: JsonObject;
  /** `workflow.deadline`: the tenant's deadline for the state the event entered, when stamped. */
  metadata: Pick<EventMetadata, 'tenantId' | 'actor' | 'occurredAt'> & { workflow?: JsonValue };
}

/** The tenant's deadline the event stamped for the state it entered, as decider state. */
function stampedDeadlineOf(event: EvolvableEvent): { stateDeadline?: string } {
  const workflow = event.metadata.workflow;
  if (typeof workflow !== 'object' || workflow === null || Array.isArray(workflow)) return {};
  const deadline = workflow['deadline'];
  return typeof deadline === 'string' ? { stateDeadline: deadline } : {};
}

/** Which signals a role may act on (and see): DOMAIN.md's scope rules. */
export function isInScope(role: DefinitionRole, actor: SignalActor, signal: ExistingSignal): boolean {
  if (signal.tenantId !== actor.tenantId) return false;
  switch (role) {
    case 'system':
    case 'lead-processor':
      return true;
    case 'processor':
      return (
        signal.attributes.assigneeId === actor.id ||
        (signal.attributes.policyDomain !== null &&
          actor.policyDomains.includes(signal.attributes.policyDomain))
      );
    case 'partner-processor':
      // DOMAIN.md: engagement mode 2 (by mandate) covers the whole territory, mode 1 its own staff.
      if (actor.partnerScope === 'territory') return true;
      if (actor.partnerScope === 'none') return false;
      return actor.organisationId !== undefined && signal.organisationId === actor.organisationId;
    case 'signal-giver':
      return signal.givenBy === actor.id;
    case 'official':
    case 'supralocal-analyst':
    case 'auditor':
    case 'tenant-admin':
      return false;
    default: {
      const unreachable: never = role;
      return unreachable;
    }
  }
}

/** The signal under its new version, in the mapped state (the audit verifier folds it the same way). */
function migrated(state: ExistingSignal, event: EvolvableEvent): SignalState {
  const data = event.data as SignalWorkflowMigratedData;
  const moved = data.to.state !== state.state;
  const { stateDeadline, ...rest } = state;
  return {
    ...rest,
    ...(moved || stateDeadline === undefined ? {} : { stateDeadline }),
    workflow: { name: data.to.name, version: data.to.version },
    state: data.to.state,
    previousState: moved ? state.state : state.previousState,
    stateEnteredAt: moved ? event.metadata.occurredAt : state.stateEnteredAt,
  };
}

function commandRecording(definition: WorkflowDefinition, eventType: string): CommandDefinition | undefined {
  return Object.values(definition.commands).find((command) => command.event === eventType);
}

function targetState(command: CommandDefinition, state: ExistingSignal): string {
  if (command.to === SAME_STATE) return state.state;
  if (command.to === PREVIOUS_STATE) return state.previousState ?? state.state;
  return command.to;
}

function notFound(signalId: string): SignalDomainError {
  return new SignalDomainError(
    'SIGNAL_NOT_FOUND',
    'Dit signaal bestaat niet of je hebt er geen toegang toe.',
    {
      signalId,
    },
  );
}

function applyAttributes(attributes: SignalAttributes, data: JsonObject): SignalAttributes {
  const next: SignalAttributes = { ...attributes };
  const target = next as unknown as Record<string, JsonValue>;
  for (const [key, value] of Object.entries(data)) {
    if (isFieldName(key) && (FIELDS[key] as FieldSpec).signalAttribute === true && key in next)
      target[key] = value;
  }
  return next;
}

/**
 * The command's fields, checked against the definition and the field catalogue. Fields of a
 * `requireOneOf` group are recorded as a whole (absent ones as null), so that reassigning to a
 * policy domain alone also clears the previous assignee.
 */
function checkFields(spec: CommandDefinition, given: JsonObject): JsonObject {
  const allowed = new Set([...spec.required, ...spec.optional]);
  for (const key of Object.keys(given)) {
    if (!allowed.has(key)) {
      throw new SignalDomainError('FIELD_NOT_ALLOWED', `Het veld '${key}' hoort niet bij deze opdracht.`, {
        field: key,
      });
    }
  }
  for (const name of spec.required) {
    if (given[name] === undefined || given[name] === null) {
      throw new SignalDomainError('FIELD_REQUIRED', `Het veld '${name}' is verplicht.`, { field: name });
    }
  }
  for (const group of spec.requireOneOf ?? []) {
    if (group.every((name) => given[name] === undefined || given[name] === null)) {
      throw new SignalDomainError(
        'FIELD_REQUIRED',
        `Vul minstens een van deze velden in: ${group.join(', ')}.`,
        {
          fields: group,
        },
      );
    }
  }
  const fields: JsonObject = {};
  for (const [name, value] of Object.entries(given)) {
    if (value === undefined || value === null) continue;
    if (!isFieldName(name)) continue;
    const fault = fieldFault(FIELDS[name], value);
    if (fault) throw new SignalDomainError('FIELD_INVALID', `Het veld '${name}' ${fault}.`, { field: name });
    fields[name] = typeof value === 'string' ? value.trim() : value;
  }
  for (const group of spec.requireOneOf ?? []) {
    for (const name of group) fields[name] ??= null;
  }
  return fields;
}

function fieldFault(spec: FieldSpec, value: JsonValue): string | null {
  switch (spec.kind) {
    case 'text': {
      if (typeof value !== 'string') return 'moet tekst zijn';
      if (hasControlCharacter(value)) return CONTROL_CHARACTER_FAULT;
      const length = value.trim().length;
      if (length < spec.minLength || (spec.minLength > 0 && isBlank(value)))
        return `moet minstens ${spec.minLength} tekens lang zijn`;
      if (length > spec.maxLength) return `mag hoogstens ${spec.maxLength} tekens lang zijn`;
      return null;
    }
    case 'codes': {
      if (!Array.isArray(value)) return 'moet een lijst van codes zijn';
      if (value.length < spec.minItems) return `moet minstens ${spec.minItems} code(s) bevatten`;
      if (value.length > spec.maxItems) return `mag hoogstens ${spec.maxItems} codes bevatten`;
      if (new Set(value).size !== value.length) return 'bevat een code twee keer';
      const unknown = value.find((code) => !isCode(spec.of, code));
      return unknown === undefined ? null : `bevat een onbekende code`;
    }
    case 'code':
      return isCode(spec.of, value) ? null : 'bevat een onbekende code';
    case 'enum':
      return typeof value === 'string' && spec.values.includes(value)
        ? null
        : `moet een van ${spec.values.join(', ')} zijn`;
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) && value >= spec.min && value <= spec.max
        ? null
        : `moet een geheel getal van ${spec.min} tot ${spec.max} zijn`;
    case 'boolean':
      return typeof value === 'boolean' ? null : 'moet waar of onwaar zijn';
    case 'uuid':
      return isUuid(value) ? null : 'moet een geldige id zijn';
    case 'subject':
      return typeof value === 'string' && /^[\x21-\x7e]{1,200}$/.test(value)
        ? null
        : 'moet een geldige gebruiker zijn';
    default: {
      const unreachable: never = spec;
      return unreachable;
    }
  }
}

function checkMergeTarget(
  command: SignalCommand,
  state: SignalState,
  target: SignalState | undefined,
  targetId: string,
): void {
  if (targetId === command.signalId) {
    throw new SignalDomainError(
      'MERGE_TARGET_INVALID',
      'Een signaal kan niet met zichzelf samengevoegd worden.',
      {
        targetSignalId: targetId,
      },
    );
  }
  if (
    !target ||
    target.status !== 'exists' ||
    state.status !== 'exists' ||
    target.tenantId !== state.tenantId
  ) {
    throw new SignalDomainError(
      'MERGE_TARGET_INVALID',
      'Het signaal waarmee je wilt samenvoegen, bestaat niet.',
      {
        targetSignalId: targetId,
      },
    );
  }
  if (target.mergedInto !== null || target.state === 'rejected') {
    throw new SignalDomainError(
      'MERGE_TARGET_INVALID',
      'Het signaal waarmee je wilt samenvoegen, is zelf samengevoegd of niet aanvaard.',
      { targetSignalId: targetId },
    );
  }
}
