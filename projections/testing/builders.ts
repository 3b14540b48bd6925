import { PREVIOUS_STATE, SAME_STATE, type WorkflowDefinition } from '../../workflows/definition.js';
import { getWorkflow } from '../../workflows/registry.js';
import type { Actor, RecordedEvent } from '../../src/platform/event-store/event-store.port.js';
import type { JsonObject, JsonValue } from '../../src/platform/json.js';
import { signalStream, type WorkflowRef } from '../../src/signals/signal.events.js';
import { SIGNAL_TEXT_ERASED } from '../shared/signal-event.js';

/** The fixed clock of projection specs: a Monday morning. */
export const T0 = '2026-03-02T09:00:00.000Z';
export const V1: WorkflowDefinition = getWorkflow('signal-lifecycle', 1);

export type ActorRef = { id: string; role: string; organisationId?: string };

export const GIVER: ActorRef = { id: 'giver-1', role: 'signal-giver', organisationId: 'org-1' };
export const LEAD: ActorRef = { id: 'lead-1', role: 'lead-processor' };
export const PROCESSOR: ActorRef = { id: 'proc-1', role: 'processor' };

/** Valid values for the fields a command requires, so specs only spell out what they look at. */
const SAMPLE_FIELDS: Record<string, JsonValue> = {
  title: 'Lange wachtlijsten in de jeugdhulp',
  description: 'Gezinnen wachten maanden op een eerste gesprek bij de jeugdhulp.',
  themes: ['mentaal-welzijn'],
  reason: 'Individuele vraag, doorverwezen naar het OCMW.',
  feedback: 'Bedankt, we hebben je vraag doorgegeven.',
  targetSignalId: '0195f3c2-7b1a-7c3e-8d4f-5a6b7c8d9e10',
  question: 'Over hoeveel gezinnen gaat het ongeveer?',
  answer: 'Een twintigtal.',
  conclusion: 'Structureel: te weinig plaatsen in de eerstelijnshulp.',
  structural: true,
  level: 'local',
  body: 'college van burgemeester en schepenen',
  motivation: 'Past in het lokaal sociaal beleid.',
  decision: 'Extra middelen voor eerstelijnshulp.',
  outcome: 'Opgenomen in het meerjarenplan.',
  note: 'Besproken op het teamoverleg.',
};

let lastPosition = 0n;

/** Global positions only increase, with gaps as on EventStoreDB. */
export function nextPosition(): bigint {
  lastPosition += 7n;
  return lastPosition;
}

export interface SignalEventOptions {
  tenantId?: string;
  signalId?: string;
  at?: string;
  by?: ActorRef;
  revision?: number;
  position?: bigint;
  /** The command's fields; required ones missing here get sample values. */
  fields?: JsonObject;
}

export type AssignmentRef = { assigneeId: string | null; policyDomain: string | null };

/** What the decider records of the signal before a lifecycle event (TransitionMetadata). */
export interface BeforeOptions {
  /** When the signal was submitted; the event's instant by default. */
  submittedAt?: string;
  /** Since when the signal was in the from-state; the event's instant by default. */
  fromEnteredAt?: string;
  /** The assignment before the event; none by default. */
  assignmentBefore?: AssignmentRef;
  /** The classification before the event; left out of the metadata by default (as on older events). */
  classificationBefore?: ClassificationRef;
}

export type ClassificationRef = {
  themes: string[];
  targetGroups: string[];
  /** Left out as on events recorded before area types existed. */
  areaType?: string | null;
  givenBy: string;
  organisationId: string | null;
};

const UNASSIGNED: AssignmentRef = { assigneeId: null, policyDomain: null };

export function aSignalSubmitted(
  options: SignalEventOptions & { organisationId?: string | null; workflow?: WorkflowRef } = {},
): RecordedEvent {
  const definition = options.workflow ? getWorkflow(options.workflow.name, options.workflow.version) : V1;
  const by = options.by ?? GIVER;
  return recorded({
    ...options,
    by,
    definition,
    command: 'submit',
    from: null,
    to: definition.initialState,
    before: {
      submittedAt: options.at ?? T0,
      fromEnteredAt: null,
      assignmentBefore: null,
      classificationBefore: null,
    },
    extraData: {
      workflow: { name: definition.name, version: definition.version },
      organisationId:
        options.organisationId !== undefined ? options.organisationId : (by.organisationId ?? null),
    },
  });
}

/** A lifecycle event as the decider records it: `command` fired in state `from`. */
export function aLifecycleEvent(
  command: string,
  options: SignalEventOptions & BeforeOptions & { from: string; to?: string },
): RecordedEvent {
  const spec = V1.commands[command];
  if (!spec) throw new Error(`no command ${command} in ${V1.name}@${V1.version}`);
  const to = options.to ?? (spec.to === SAME_STATE ? options.from : spec.to);
  if (to.startsWith('@')) throw new Error(`say where ${command} leads from ${options.from} (to: …)`);
  const at = options.at ?? T0;
  return recorded({
    ...options,
    by: options.by ?? LEAD,
    definition: V1,
    command,
    from: options.from,
    to,
    before: {
      submittedAt: options.submittedAt ?? at,
      fromEnteredAt: options.fromEnteredAt ?? at,
      assignmentBefore: { ...(options.assignmentBefore ?? UNASSIGNED) },
      ...(options.classificationBefore ? { classificationBefore: options.classificationBefore } : {}),
    },
  });
}

export function aSignalTextErased(options: SignalEventOptions = {}): RecordedEvent {
  const tenantId = options.tenantId ?? 'gent';
  const signalId = options.signalId ?? 's1';
  const at = options.at ?? T0;
  const position = options.position ?? nextPosition();
  return {
    id: `event-${position}`,
    type: SIGNAL_TEXT_ERASED,
    data: { signalId },
    metadata: {
      tenantId,
      actor: actorOf(options.by ?? LEAD),
      correlationId: `correlation-${position}`,
      causationId: `correlation-${position}`,
      occurredAt: at,
    },
    stream: signalStream(tenantId, signalId),
    revision: BigInt(options.revision ?? 99),
    position,
    recordedAt: new Date(at),
  };
}

function recorded(
  options: SignalEventOptions & {
    by: ActorRef;
    definition: WorkflowDefinition;
    command: string;
    from: string | null;
    to: string;
    before: {
      submittedAt: string;
      fromEnteredAt: string | null;
      assignmentBefore: AssignmentRef | null;
      classificationBefore?: ClassificationRef | null;
    };
    extraData?: JsonObject;
  },
): RecordedEvent {
  const { definition, command, from, to } = options;
  const spec = definition.commands[command];
  if (!spec) throw new Error(`no command ${command} in ${definition.name}@${definition.version}`);
  const tenantId = options.tenantId ?? 'gent';
  const signalId = options.signalId ?? 's1';
  const at = options.at ?? T0;
  const position = options.position ?? nextPosition();
  const fields: JsonObject = {};
  for (const name of spec.required) fields[name] = SAMPLE_FIELDS[name] ?? null;
  Object.assign(fields, options.fields ?? {});
  for (const group of spec.requireOneOf ?? []) for (const name of group) fields[name] ??= null;
  return {
    id: `event-${position}`,
    type: spec.event,
    data: { signalId, ...fields, ...(options.extraData ?? {}) },
    metadata: {
      tenantId,
      actor: actorOf(options.by),
      correlationId: `correlation-${position}`,
      causationId: `correlation-${position}`,
      occurredAt: at,
      workflow: {
        name: definition.name,
        version: definition.version,
        command,
        from,
        to,
        submittedAt: options.before.submittedAt,
        fromEnteredAt: options.before.fromEnteredAt,
        assignmentBefore: options.before.assignmentBefore,
        ...(options.before.classificationBefore === undefined
          ? {}
          : {
              classificationBefore:
                options.before.classificationBefore === null
                  ? null
                  : {
                      themes: [...options.before.classificationBefore.themes],
                      targetGroups: [...options.before.classificationBefore.targetGroups],
                      ...(options.before.classificationBefore.areaType === undefined
                        ? {}
                        : { areaType: options.before.classificationBefore.areaType }),
                      givenBy: options.before.classificationBefore.givenBy,
                      organisationId: options.before.classificationBefore.organisationId,
                    },
            }),
      },
    },
    stream: signalStream(tenantId, signalId),
    revision: BigInt(options.revision ?? 0),
    position,
    recordedAt: new Date(at),
  };
}

function actorOf(by: ActorRef): Actor {
  return { id: by.id, role: by.role, ...(by.organisationId ? { organisationId: by.organisationId } : {}) };
}

export interface StepOptions {
  fields?: JsonObject;
  by?: ActorRef;
  /** When it happens; one hour after the previous event of the history by default. */
  at?: string;
}

/**
 * Builds the events of several signals of one tenant as the decider would record them: it
 * follows each signal's state through the v1 definition (from, to, `@previous`, revisions, and
 * what the metadata tells of the signal before: submittedAt, since when it was in the from-state
 * (unchanged by `@same` and self-loops), its assignment) and refuses commands the definition does not allow, so a spec cannot describe an impossible history.
 */
export class SignalHistory {
  readonly events: RecordedEvent[] = [];
  private readonly signals = new Map<string, BuiltSignal>();

  constructor(
    readonly tenantId: string,
    private now: string,
  ) {}

  submit(signalId: string, options: StepOptions & { organisationId?: string | null } = {}): this {
    if (this.signals.has(signalId)) throw new Error(`${signalId} was already submitted`);
    const at = this.tick(options.at);
    const event = aSignalSubmitted({ ...options, tenantId: this.tenantId, signalId, at, revision: 0 });
    this.events.push(event);
    this.signals.set(signalId, {
      state: V1.initialState,
      previous: null,
      revision: 0,
      submittedAt: at,
      stateEnteredAt: at,
      assignment: assignmentAfter(UNASSIGNED, event.data),
      classification: {
        themes: codes(event.data['themes']),
        targetGroups: codes(event.data['targetGroups']),
        areaType: (event.data['areaType'] as string | undefined) ?? null,
        givenBy: (options.by ?? GIVER).id,
        organisationId: (event.data['organisationId'] as string | null) ?? null,
      },
    });
    return this;
  }

  fire(signalId: string, command: string, options: StepOptions = {}): this {
    const signal = this.signal(signalId);
    const spec = V1.commands[command];
    if (!spec || !this.allowedCommands(signalId).includes(command)) {
      throw new Error(`${command} is not allowed on ${signalId} in ${signal.state}`);
    }
    const to =
      spec.to === SAME_STATE
        ? signal.state
        : spec.to === PREVIOUS_STATE
          ? (signal.previous ?? signal.state)
          : spec.to;
    const at = this.tick(options.at);
    signal.revision += 1;
    const event = aLifecycleEvent(command, {
      ...options,
      tenantId: this.tenantId,
      signalId,
      at,
      from: signal.state,
      to,
      revision: signal.revision,
      submittedAt: signal.submittedAt,
      fromEnteredAt: signal.stateEnteredAt,
      assignmentBefore: signal.assignment,
      classificationBefore: signal.classification,
    });
    this.events.push(event);
    signal.assignment = assignmentAfter(signal.assignment, event.data);
    signal.classification = {
      ...signal.classification,
      ...(Object.hasOwn(event.data, 'themes') ? { themes: codes(event.data['themes']) } : {}),
      ...(Object.hasOwn(event.data, 'targetGroups')
        ? { targetGroups: codes(event.data['targetGroups']) }
        : {}),
    };
    if (to !== signal.state) {
      signal.previous = signal.state;
      signal.state = to;
      signal.stateEnteredAt = at;
    }
    return this;
  }

  /** Fires commands one after the other, with sample fields. */
  path(signalId: string, ...commands: string[]): this {
    for (const command of commands) this.fire(signalId, command);
    return this;
  }

  erase(signalId: string, options: Omit<StepOptions, 'fields'> = {}): this {
    const signal = this.signal(signalId);
    const at = this.tick(options.at);
    signal.revision += 1;
    this.events.push(
      aSignalTextErased({ ...options, tenantId: this.tenantId, signalId, at, revision: signal.revision }),
    );
    return this;
  }

  stateOf(signalId: string): string {
    return this.signal(signalId).state;
  }

  /** Every signal of the history with its current state. */
  states(): Map<string, string> {
    return new Map([...this.signals].map(([id, signal]) => [id, signal.state]));
  }

  /** The commands (other than submit) the definition allows in the signal's current state. */
  allowedCommands(signalId: string): string[] {
    const { state } = this.signal(signalId);
    return Object.entries(V1.commands)
      .filter(([, spec]) => spec.from.includes(state) || spec.from.includes('*'))
      .map(([name]) => name);
  }

  private signal(signalId: string) {
    const signal = this.signals.get(signalId);
    if (!signal) throw new Error(`${signalId} was not submitted in this history`);
    return signal;
  }

  private tick(at: string | undefined): string {
    this.now = at ?? new Date(Date.parse(this.now) + 3_600_000).toISOString();
    return this.now;
  }
}

interface BuiltSignal {
  state: string;
  previous: string | null;
  revision: number;
  submittedAt: string;
  stateEnteredAt: string;
  assignment: AssignmentRef;
  classification: ClassificationRef;
}

function codes(value: JsonValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((code): code is string => typeof code === 'string') : [];
}

/** The assignment after an event: the one before, overridden by the keys the event records. */
function assignmentAfter(before: AssignmentRef, data: JsonObject): AssignmentRef {
  const text = (value: JsonValue | undefined) => (typeof value === 'string' ? value : null);
  return {
    assigneeId: Object.hasOwn(data, 'assigneeId') ? text(data['assigneeId']) : before.assigneeId,
    policyDomain: Object.hasOwn(data, 'policyDomain') ? text(data['policyDomain']) : before.policyDomain,
  };
}

/** A history of tenant `tenantId` whose first event happens at `start`. */
export function aSignalHistory(tenantId = 'gent', start = T0): SignalHistory {
  return new SignalHistory(tenantId, new Date(Date.parse(start) - 3_600_000).toISOString());
}
