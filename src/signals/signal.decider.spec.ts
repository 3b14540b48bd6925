import { describe, expect, it } from '@jest/globals';
import type { WorkflowDefinition } from '../../workflows/definition.js';
import { ROLES, SYSTEM_ROLE, type DefinitionRole, type Role } from '../../workflows/roles.js';
import { FIELDS, type FieldName } from '../../workflows/signal-lifecycle/fields.js';
import v1 from '../../workflows/signal-lifecycle/signal-lifecycle.v1.json' with { type: 'json' };
import { codesOf } from '../../workflows/taxonomy/taxonomy.js';
import type { JsonObject, JsonValue } from '../platform/json.js';
import {
  createSignalDecider,
  type DecidedEvent,
  type SignalActor,
  type SignalCommand,
  type SignalState,
} from './signal.decider.js';
import { SIGNAL_EVENT_TYPES } from './signal.events.js';

const definition = v1 as WorkflowDefinition;
const decider = createSignalDecider(() => definition);
const NOW = new Date('2026-11-28T10:00:00.000Z');
const SIGNAL_ID = '0195f3c2-7b1a-7c3e-8d4f-5a6b7c8d9e0f';
const OTHER_SIGNAL_ID = '0195f3c2-7b1a-7c3e-8d4f-5a6b7c8d9e10';

// One actor per role, each in scope of the signal the scenarios build: given by giver-1 of org-1,
// assigned to proc-1 and the policy domain jeugd.
const actors: Record<DefinitionRole, SignalActor> = Object.fromEntries(
  [...ROLES, SYSTEM_ROLE].map((role) => [
    role,
    {
      id: role === 'signal-giver' ? 'giver-1' : role === 'processor' ? 'proc-1' : `${role}-1`,
      tenantId: 'gent',
      roles: [role],
      organisationId: role === 'partner-processor' || role === 'signal-giver' ? 'org-1' : undefined,
      policyDomains: role === 'processor' ? ['jeugd'] : [],
    },
  ]),
) as unknown as Record<DefinitionRole, SignalActor>;

function sampleValue(name: FieldName): JsonValue {
  const spec = FIELDS[name];
  switch (spec.kind) {
    case 'text':
      return 'x'.repeat(Math.max(spec.minLength, 12));
    case 'codes':
      return spec.of === 'themes'
        ? ['wonen', 'energie']
        : spec.of === 'targetGroups'
          ? ['gezinnen']
          : ['jeugd'];
    case 'code':
      return codesOf(spec.of)[0]!;
    case 'enum':
      return spec.values[0]!;
    case 'integer':
      return spec.min + 10;
    case 'boolean':
      return true;
    case 'uuid':
      return OTHER_SIGNAL_ID;
    case 'subject':
      return 'proc-1';
  }
}

function validFields(command: string): JsonObject {
  const spec = definition.commands[command]!;
  const fields: JsonObject = {};
  for (const name of [...spec.required, ...spec.optional]) fields[name] = sampleValue(name as FieldName);
  return fields;
}

function submitEvent(signalId: string): DecidedEvent {
  return decider.decide(
    { name: 'submit', signalId, fields: validFields('submit') },
    { status: 'none' },
    {
      actor: actors['signal-giver'],
      now: NOW,
      definitionForNewSignals: definition,
    },
  )[0]!;
}

const existingTarget = fold([submitEvent(OTHER_SIGNAL_ID)]);

function context(actor: SignalActor) {
  return { actor, now: NOW, definitionForNewSignals: definition, target: existingTarget };
}

function fold(events: DecidedEvent[]): SignalState {
  return events.reduce<SignalState>((state, event) => decider.evolve(state, event), decider.initialState);
}

/** given(events).when(command by role).then(events | error) */
function given(events: DecidedEvent[]) {
  const state = fold(events);
  return {
    state,
    when(actor: SignalActor, command: SignalCommand) {
      try {
        return { events: decider.decide(command, state, context(actor)), error: null };
      } catch (error) {
        return { events: [], error: error as { code: string } };
      }
    },
  };
}

/** The shortest path of commands from submission to each state, found from the definition. */
function pathsToStates(): Map<string, string[]> {
  const paths = new Map<string, string[]>([[definition.initialState, ['submit']]]);
  const queue = [definition.initialState];
  while (queue.length > 0) {
    const state = queue.shift()!;
    for (const [name, spec] of Object.entries(definition.commands)) {
      if (!spec.from.includes(state) || spec.to.startsWith('@')) continue;
      if (!paths.has(spec.to)) {
        paths.set(spec.to, [...paths.get(state)!, name]);
        queue.push(spec.to);
      }
    }
  }
  return paths;
}

function history(path: string[]): DecidedEvent[] {
  const events: DecidedEvent[] = [];
  for (const name of path) {
    const actor = name === 'submit' ? actors['signal-giver'] : actors['lead-processor'];
    const outcome = given(events).when(actor, { name, signalId: SIGNAL_ID, fields: validFields(name) });
    if (outcome.error) throw new Error(`cannot replay ${path.join(' → ')}: ${outcome.error.code}`);
    events.push(...outcome.events);
  }
  return events;
}

/** The scope table of DOMAIN.md for the scenario signal (given by giver-1, org-1; assigned to proc-1/jeugd once assigned). */
function inScope(role: Role, assigned: boolean): boolean {
  switch (role) {
    case 'lead-processor':
    case 'signal-giver':
    case 'partner-processor':
      return true;
    case 'processor':
      return assigned;
    default:
      return false;
  }
}

describe('signal decider, generated from the v1 definition', () => {
  const paths = pathsToStates();

  it('reaches every state of the definition', () => {
    expect([...paths.keys()].sort()).toEqual(Object.keys(definition.states).sort());
  });

  it('records only published event types', () => {
    for (const spec of Object.values(definition.commands)) {
      expect(SIGNAL_EVENT_TYPES).toContain(spec.event);
    }
  });

  const cases: Array<[string, string, Role]> = [];
  for (const state of Object.keys(definition.states)) {
    for (const command of Object.keys(definition.commands)) {
      for (const role of ROLES) cases.push([state, command, role]);
    }
  }

  it.each(cases)('in %s, %s by %s', (state, command, role) => {
    const events = history(paths.get(state)!);
    const current = fold(events);
    if (current.status !== 'exists') throw new Error('scenario did not create the signal');
    expect(current.state).toBe(state);
    const spec = definition.commands[command]!;
    const outcome = given(events).when(actors[role], {
      name: command,
      signalId: SIGNAL_ID,
      fields: validFields(command),
    });

    const assigned = current.attributes.assigneeId === 'proc-1';
    let expected: string | null;
    if (!spec.roles.includes(role)) expected = 'ROLE_NOT_ALLOWED';
    else if (!inScope(role, assigned)) expected = 'SIGNAL_NOT_FOUND';
    else if (spec.from.length === 0) expected = 'SIGNAL_ALREADY_EXISTS';
    else if (!spec.from.includes('*') && !spec.from.includes(state)) expected = 'TRANSITION_NOT_ALLOWED';
    else expected = null;

    if (expected) {
      expect(outcome.error?.code).toBe(expected);
      expect(outcome.events).toEqual([]);
      return;
    }
    expect(outcome.error).toBeNull();
    expect(outcome.events).toHaveLength(1);
    const [event] = outcome.events;
    const to = spec.to === '@same' ? state : spec.to === '@previous' ? current.previousState : spec.to;
    expect(event).toMatchObject({
      type: spec.event,
      data: { signalId: SIGNAL_ID, ...validFields(command) },
      metadata: {
        tenantId: 'gent',
        actor: { id: actors[role].id, role },
        occurredAt: NOW.toISOString(),
        workflow: { name: 'signal-lifecycle', version: 1, command, from: state, to },
      },
    });
    const next = fold([...events, event!]);
    expect(next.status === 'exists' && next.state).toBe(to);
  });

  it.each(ROLES)('submit by %s on a new signal', (role) => {
    const outcome = given([]).when(actors[role], {
      name: 'submit',
      signalId: SIGNAL_ID,
      fields: validFields('submit'),
    });
    if (!definition.commands['submit']!.roles.includes(role)) {
      expect(outcome.error?.code).toBe('ROLE_NOT_ALLOWED');
      return;
    }
    expect(outcome.events[0]).toMatchObject({
      type: 'SignalSubmitted',
      data: { signalId: SIGNAL_ID, workflow: { name: 'signal-lifecycle', version: 1 } },
      metadata: { workflow: { command: 'submit', from: null, to: 'submitted' } },
    });
  });

  it.each(Object.keys(definition.commands).filter((c) => c !== 'submit'))(
    '%s on a signal that does not exist is SIGNAL_NOT_FOUND',
    (command) => {
      const role = definition.commands[command]!.roles[0]!;
      const outcome = given([]).when(actors[role], {
        name: command,
        signalId: SIGNAL_ID,
        fields: validFields(command),
      });
      expect(outcome.error?.code).toBe('SIGNAL_NOT_FOUND');
    },
  );
});

describe('signal decider rules', () => {
  const submitted = () => history(['submit']);
  const lead = actors['lead-processor'];

  it('keeps a signal of another tenant out of sight', () => {
    const outcome = given(submitted()).when(
      { ...lead, tenantId: 'eeklo' },
      { name: 'triage', signalId: SIGNAL_ID, fields: {} },
    );
    expect(outcome.error?.code).toBe('SIGNAL_NOT_FOUND');
  });

  it('lets a signal giver act only on their own signals', () => {
    const events = history(['submit', 'request-info']);
    const other = { ...actors['signal-giver'], id: 'giver-2' };
    expect(
      given(events).when(other, {
        name: 'provide-info',
        signalId: SIGNAL_ID,
        fields: { answer: 'Het gaat om 12 gezinnen.' },
      }).error?.code,
    ).toBe('SIGNAL_NOT_FOUND');
    expect(
      given(events).when(actors['signal-giver'], {
        name: 'provide-info',
        signalId: SIGNAL_ID,
        fields: { answer: 'Het gaat om 12 gezinnen.' },
      }).error,
    ).toBeNull();
  });

  it('lets a processor act on signals of their policy domain, not of another', () => {
    const assignedToDomain = [...history(['submit', 'triage'])];
    assignedToDomain.push(
      ...given(assignedToDomain).when(lead, {
        name: 'assign',
        signalId: SIGNAL_ID,
        fields: { policyDomain: 'wonen' },
      }).events,
    );
    const processor = actors['processor'];
    expect(
      given(assignedToDomain).when(processor, { name: 'start-analysis', signalId: SIGNAL_ID, fields: {} })
        .error?.code,
    ).toBe('SIGNAL_NOT_FOUND');
    expect(
      given(assignedToDomain).when(
        { ...processor, id: 'proc-9', policyDomains: ['wonen'] },
        { name: 'start-analysis', signalId: SIGNAL_ID, fields: {} },
      ).error,
    ).toBeNull();
  });

  it('lets a partner processor act only on signals of its own organisation', () => {
    const events = submitted();
    const partner = { ...actors['partner-processor'], organisationId: 'org-2' };
    expect(
      given(events).when(partner, { name: 'add-note', signalId: SIGNAL_ID, fields: { note: 'Gezien.' } })
        .error?.code,
    ).toBe('SIGNAL_NOT_FOUND');
  });

  it('returns an answered signal to the state it was in before the question', () => {
    const events = history(['submit', 'triage', 'assign', 'start-analysis', 'request-info']);
    const outcome = given(events).when(actors['signal-giver'], {
      name: 'provide-info',
      signalId: SIGNAL_ID,
      fields: { answer: 'Ja, ook in de wijk Rabot.' },
    });
    expect(outcome.events[0]!.metadata.workflow).toMatchObject({ from: 'awaiting-info', to: 'in-analysis' });
  });

  it("given a state entered under the tenant's deadline, when the signal leaves it, then the event says which (fromDeadline)", () => {
    // The command handler stamps the tenant's deadline of the state entered on the event.
    const [submit] = history(['submit']);
    const stamped = {
      ...submit!,
      metadata: { ...submit!.metadata, workflow: { ...submit!.metadata.workflow, deadline: 'P7D' } },
    };
    const triaged = given([stamped]).when(lead, { name: 'triage', signalId: SIGNAL_ID, fields: {} });
    expect(triaged.events[0]!.metadata.workflow).toMatchObject({ from: 'submitted', fromDeadline: 'P7D' });
    // A step within the state keeps it; the next state, entered without a stamp, has none to pass on.
    const noted = given([stamped]).when(lead, {
      name: 'add-note',
      signalId: SIGNAL_ID,
      fields: validFields('add-note'),
    });
    const after = given([stamped, ...noted.events, ...triaged.events]).when(lead, {
      name: 'reject',
      signalId: SIGNAL_ID,
      fields: validFields('reject'),
    });
    expect(after.events[0]!.metadata.workflow).not.toHaveProperty('fromDeadline');
    const noteThenTriage = given([stamped, ...noted.events]).when(lead, {
      name: 'triage',
      signalId: SIGNAL_ID,
      fields: {},
    });
    expect(noteThenTriage.events[0]!.metadata.workflow).toMatchObject({ fromDeadline: 'P7D' });
  });

  it('given a signal that left the state of a deadline, when the deadline timer marks it, then the mark is refused', () => {
    const mark = (events: DecidedEvent[]) =>
      given(events).when(actors.system, {
        name: 'mark-overdue',
        signalId: SIGNAL_ID,
        fields: { deadlineState: 'submitted', dueAt: '2026-11-30T10:00:00.000Z' },
      });
    expect(mark(history(['submit'])).events.map((e) => e.type)).toEqual(['SignalMarkedOverdue']);
    const rejected = mark(history(['submit', 'reject']));
    expect(rejected.error).toMatchObject({
      code: 'TRANSITION_NOT_ALLOWED',
      details: { deadlineState: 'submitted' },
    });
    expect((rejected.error as unknown as Error).message).toBe(
      "Het signaal staat niet meer in de toestand 'Ingediend' waarvoor deze termijn gold.",
    );
  });

  it('records a whole assignment: reassigning to a domain alone clears the assignee', () => {
    const events = history(['submit', 'triage', 'assign']);
    expect(fold(events)).toMatchObject({ attributes: { assigneeId: 'proc-1', policyDomain: 'jeugd' } });
    const outcome = given(events).when(lead, {
      name: 'reassign',
      signalId: SIGNAL_ID,
      fields: { policyDomain: 'zorg' },
    });
    expect(outcome.events[0]!.data).toEqual({ signalId: SIGNAL_ID, policyDomain: 'zorg', assigneeId: null });
    expect(fold([...events, ...outcome.events])).toMatchObject({
      attributes: { assigneeId: null, policyDomain: 'zorg' },
    });
  });

  it.each<[string, string, JsonObject, string]>([
    ['a missing required field', 'reject', { reason: 'Individuele vraag' }, 'FIELD_REQUIRED'],
    ['none of a one-of group', 'assign', {}, 'FIELD_REQUIRED'],
    ['a field of another command', 'triage', { outcome: 'Opgelost' }, 'FIELD_NOT_ALLOWED'],
    ['a server-owned field', 'triage', { status: 'closed' }, 'FIELD_NOT_ALLOWED'],
    ['an unknown theme', 'triage', { themes: ['rampen'] }, 'FIELD_INVALID'],
    ['a theme twice', 'triage', { themes: ['wonen', 'wonen'] }, 'FIELD_INVALID'],
    ['an unknown urgency', 'triage', { urgency: 'asap' }, 'FIELD_INVALID'],
    ['a too short reason', 'reject', { reason: 'x', feedback: 'Zie OCMW.' }, 'FIELD_INVALID'],
    ['an operator object as text', 'reject', { reason: { $gt: '' }, feedback: 'Zie OCMW.' }, 'FIELD_INVALID'],
    ['a domain that does not exist', 'assign', { policyDomain: 'ruimtevaart' }, 'FIELD_INVALID'],
    ['a non-UUID merge target', 'merge-into', { targetSignalId: '../etc' }, 'FIELD_INVALID'],
    ['merging into itself', 'merge-into', { targetSignalId: SIGNAL_ID }, 'MERGE_TARGET_INVALID'],
  ])('refuses %s', (_label, name, fields, code) => {
    const events = history(name === 'triage' ? ['submit'] : ['submit', 'triage']);
    expect(given(events).when(lead, { name, signalId: SIGNAL_ID, fields }).error?.code).toBe(code);
  });

  it('refuses to merge into a signal that does not exist', () => {
    const state = fold(submitted());
    expect(() =>
      decider.decide(
        { name: 'merge-into', signalId: SIGNAL_ID, fields: { targetSignalId: OTHER_SIGNAL_ID } },
        state,
        {
          ...context(lead),
          target: { status: 'none' },
        },
      ),
    ).toThrow(expect.objectContaining({ code: 'MERGE_TARGET_INVALID' }) as unknown as Error);
  });

  it('refuses an unknown command', () => {
    expect(
      given(submitted()).when(lead, { name: 'delete', signalId: SIGNAL_ID, fields: {} }).error?.code,
    ).toBe('UNKNOWN_COMMAND');
  });

  it('trims free text and pins the workflow version on submission', () => {
    const outcome = given([]).when(actors['signal-giver'], {
      name: 'submit',
      signalId: SIGNAL_ID,
      fields: {
        title: '  Energiearmoede bij huurders  ',
        description: 'Veel gezinnen kunnen hun energiefactuur niet betalen.',
        themes: ['energie'],
      },
    });
    expect(outcome.events[0]!.data).toEqual({
      signalId: SIGNAL_ID,
      title: 'Energiearmoede bij huurders',
      description: 'Veel gezinnen kunnen hun energiefactuur niet betalen.',
      themes: ['energie'],
      workflow: { name: 'signal-lifecycle', version: 1 },
      organisationId: 'org-1',
    });
  });

  it('lists the commands an actor may fire now', () => {
    const state = fold(history(['submit', 'triage']));
    const names = (actor: SignalActor) =>
      decider
        .allowedCommands(state, actor, definition)
        .map((c) => c.name)
        .sort();
    expect(names(lead)).toEqual(['add-note', 'assign', 'close', 'merge-into', 'reject', 'request-info']);
    expect(names(actors['signal-giver'])).toEqual([]);
    expect(names(actors['official'])).toEqual([]);
    expect(names(actors['partner-processor'])).toEqual(['add-note', 'request-info']);
  });
});
