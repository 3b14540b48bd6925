import { ANY_STATE, PREVIOUS_STATE, SAME_STATE } from './definition.js';
import type { CommandDefinition, StateDefinition, WorkflowDefinition } from './definition.js';
import { isDefinitionRole } from './roles.js';
import type { DefinitionRole } from './roles.js';
import { isFieldName } from './signal-lifecycle/fields.js';

export class WorkflowDefinitionError extends Error {
  readonly code = 'INVALID_WORKFLOW_DEFINITION';

  constructor(
    /** `name@version` as far as it could be read. */
    readonly definition: string,
    readonly faults: string[],
  ) {
    super([`Invalid workflow definition ${definition}:`, ...faults.map((fault) => `- ${fault}`)].join('\n'));
    this.name = 'WorkflowDefinitionError';
  }
}

export interface IsoDurationParts {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

const ISO_DURATION =
  /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:[.,]\d{1,9})?)S)?)?$/;

/**
 * Parses an ISO-8601 duration (`P2D`, `PT12H`, `P1Y2M3W4DT5H6M7.5S`); null when it is not one.
 * Designators are upper case; weeks may be combined with other parts (ISO 8601-2, as Temporal
 * does); only seconds may carry a fraction; signs are refused, a deadline never runs backwards.
 */
export function parseIsoDuration(text: string): IsoDurationParts | null {
  const match = ISO_DURATION.exec(text);
  if (!match) return null;
  const [, years, months, weeks, days, hours, minutes, seconds] = match;
  if ([years, months, weeks, days, hours, minutes, seconds].every((part) => part === undefined)) return null;
  if (text.includes('T') && [hours, minutes, seconds].every((part) => part === undefined)) return null;
  const parts: IsoDurationParts = {
    years: Number(years ?? 0),
    months: Number(months ?? 0),
    weeks: Number(weeks ?? 0),
    days: Number(days ?? 0),
    hours: Number(hours ?? 0),
    minutes: Number(minutes ?? 0),
    seconds: Number((seconds ?? '0').replace(',', '.')),
  };
  return Object.values(parts).every((value) => Number.isFinite(value) && value <= Number.MAX_SAFE_INTEGER)
    ? parts
    : null;
}

const SLUG = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const EVENT_TYPE = /^[A-Z][A-Za-z0-9]+$/;
const DEFINITION_KEYS = ['name', 'version', 'description', 'initialState', 'states', 'commands'];
const STATE_KEYS = ['label', 'terminal', 'deadline'];
const COMMAND_KEYS = ['label', 'from', 'to', 'roles', 'required', 'optional', 'requireOneOf', 'event'];

type Raw = Record<string, unknown>;

function isObject(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function duplicatesIn(values: readonly string[]): string[] {
  return [...new Set(values.filter((value, index) => values.indexOf(value) !== index))];
}

function quoted(values: readonly string[]): string {
  return values.map((value) => `"${value}"`).join(', ');
}

function definitionId(raw: unknown): string {
  if (!isObject(raw)) return '<not an object>';
  const name = typeof raw['name'] === 'string' ? raw['name'] : '<no name>';
  const version = typeof raw['version'] === 'number' ? String(raw['version']) : '?';
  return `${name}@${version}`;
}

/** The shape pass: builds a typed copy of what is readable and names every malformed place. */
class ShapeReader {
  readonly faults: string[] = [];
  /** False when `states` is no object: then no state name can be judged unknown. */
  statesReadable = true;
  /** A state or command whose shape is broken makes graph faults guesses; they are then skipped. */
  complete = true;

  definition(raw: unknown): WorkflowDefinition {
    if (!isObject(raw)) {
      this.fault('the definition is not a JSON object');
      this.complete = false;
      return { name: '', version: 0, initialState: '', states: {}, commands: {} };
    }
    this.unknownKeys('the definition', raw, DEFINITION_KEYS);
    const name = raw['name'];
    if (name === undefined) {
      this.fault('name is missing');
    } else if (typeof name !== 'string' || !SLUG.test(name)) {
      this.fault(`name ${JSON.stringify(name)} is not a slug (lower-case words joined by dashes)`);
    }
    const version = raw['version'];
    if (version === undefined) {
      this.fault('version is missing');
    } else if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1) {
      this.fault(`version ${JSON.stringify(version)} is not a positive integer`);
    }
    const description = raw['description'];
    if (description !== undefined && typeof description !== 'string') {
      this.fault('description is not a string');
    }
    const initialState = raw['initialState'];
    if (!isNonEmptyString(initialState)) this.fault('initialState is missing or not a string');
    const definition: WorkflowDefinition = {
      name: typeof name === 'string' ? name : '',
      version: typeof version === 'number' ? version : 0,
      ...(typeof description === 'string' ? { description } : {}),
      initialState: typeof initialState === 'string' ? initialState : '',
      states: this.entries('states', raw['states'], 'state', (key, value) => this.state(key, value)),
      commands: this.entries('commands', raw['commands'], 'command', (key, value) =>
        this.command(key, value),
      ),
    };
    return definition;
  }

  private entries<T>(
    field: string,
    raw: unknown,
    kind: string,
    read: (key: string, value: unknown) => T | null,
  ): Record<string, T> {
    const result: Record<string, T> = {};
    if (!isObject(raw)) {
      this.fault(`${field} is missing or not an object`);
      this.complete = false;
      if (field === 'states') this.statesReadable = false;
      return result;
    }
    if (Object.keys(raw).length === 0) this.fault(`${field} is empty`);
    for (const [key, value] of Object.entries(raw)) {
      if (!SLUG.test(key))
        this.fault(`${kind} "${key}": the name is not a slug (lower-case words joined by dashes)`);
      const entry = read(key, value);
      if (entry === null) this.complete = false;
      // defineProperty: a "__proto__" key must stay a plain (refused) entry, not a prototype.
      else Object.defineProperty(result, key, { value: entry, enumerable: true, writable: true });
    }
    return result;
  }

  /** A malformed state is kept as far as readable, so that commands naming it raise no echo faults. */
  private state(key: string, raw: unknown): StateDefinition {
    const place = `state "${key}"`;
    if (!isObject(raw)) {
      this.fault(`${place}: not an object`);
      this.complete = false;
      return { label: '' };
    }
    this.unknownKeys(place, raw, STATE_KEYS);
    const { label, terminal, deadline } = raw;
    if (!isNonEmptyString(label)) this.fault(`${place}: label is missing or empty`);
    if (terminal !== undefined && typeof terminal !== 'boolean') {
      this.fault(`${place}: terminal is not a boolean`);
      this.complete = false;
    }
    if (deadline !== undefined && typeof deadline !== 'string')
      this.fault(`${place}: deadline is not a string`);
    return {
      label: typeof label === 'string' ? label : '',
      ...(terminal === true ? { terminal } : {}),
      ...(typeof deadline === 'string' ? { deadline } : {}),
    };
  }

  private command(key: string, raw: unknown): CommandDefinition | null {
    const place = `command "${key}"`;
    if (!isObject(raw)) {
      this.fault(`${place}: not an object`);
      return null;
    }
    this.unknownKeys(place, raw, COMMAND_KEYS);
    const { label, from, to, roles, required, optional, requireOneOf, event } = raw;
    let ok = true;
    for (const [field, value] of Object.entries({ label, to, event })) {
      if (!isNonEmptyString(value)) {
        this.fault(`${place}: ${field} is missing or empty`);
        ok = false;
      }
    }
    for (const [field, value] of Object.entries({ from, roles, required, optional })) {
      if (!isStringArray(value)) {
        this.fault(`${place}: ${field} is missing or not an array of strings`);
        ok = false;
      }
    }
    if (
      requireOneOf !== undefined &&
      !(Array.isArray(requireOneOf) && requireOneOf.every((group) => isStringArray(group)))
    ) {
      this.fault(`${place}: requireOneOf is not an array of arrays of strings`);
      ok = false;
    }
    if (!ok) return null;
    return {
      label: label as string,
      from: [...(from as string[])],
      to: to as string,
      roles: [...(roles as DefinitionRole[])],
      required: [...(required as string[])],
      optional: [...(optional as string[])],
      ...(requireOneOf === undefined
        ? {}
        : { requireOneOf: (requireOneOf as string[][]).map((g) => [...g]) }),
      event: event as string,
    };
  }

  private unknownKeys(place: string, raw: Raw, known: readonly string[]): void {
    for (const key of Object.keys(raw)) {
      if (!known.includes(key)) this.fault(`${place}: unknown property "${key}"`);
    }
  }

  private fault(text: string): void {
    this.faults.push(text);
  }
}

/**
 * Every state a signal may come from when it enters each state, and every reachable state.
 * The previous state is the one the signal was in when it entered its current state; staying
 * (`@same` or a command back to its own from-state) does not change it. A `@previous` command
 * enters each possible previous state of the state it leaves, so both sets grow together up to
 * a fixpoint.
 */
export function analyseTransitions(definition: WorkflowDefinition): {
  reachable: Set<string>;
  previous: Map<string, Set<string>>;
} {
  const states = Object.keys(definition.states);
  const reachable = new Set<string>();
  const previous = new Map<string, Set<string>>(states.map((state) => [state, new Set<string>()]));
  if (definition.states[definition.initialState]) reachable.add(definition.initialState);
  const enter = (from: string, to: string): boolean => {
    const before = previous.get(to);
    if (!before) return false;
    const grew = !reachable.has(to) || (from !== to && !before.has(from));
    reachable.add(to);
    if (from !== to) before.add(from);
    return grew;
  };
  let changed = true;
  while (changed) {
    changed = false;
    for (const command of Object.values(definition.commands)) {
      for (const from of fromStates(definition, command)) {
        if (!reachable.has(from)) continue;
        const targets =
          command.to === PREVIOUS_STATE
            ? [...(previous.get(from) ?? [])]
            : command.to === SAME_STATE
              ? []
              : [command.to];
        for (const to of targets) changed = enter(from, to) || changed;
      }
    }
  }
  return { reachable, previous };
}

/** The known states a command may be fired in (`*` expanded). */
export function fromStates(definition: WorkflowDefinition, command: CommandDefinition): string[] {
  const states = Object.keys(definition.states);
  return command.from.includes(ANY_STATE) ? states : command.from.filter((state) => states.includes(state));
}

/** The states firing `command` in `from` may lead to, given the previous states found. */
export function targetStates(
  command: CommandDefinition,
  from: string,
  previous: ReadonlyMap<string, ReadonlySet<string>>,
): string[] {
  if (command.to === SAME_STATE) return [from];
  if (command.to === PREVIOUS_STATE) return [...(previous.get(from) ?? [])];
  return [command.to];
}

/**
 * Per-item faults always; faults about the whole table (creating command, terminal states,
 * `@previous` sources, the graph) only when every state and command could be read, as a missing
 * one would make them guesses.
 */
function semanticFaults(
  definition: WorkflowDefinition,
  { complete, statesReadable }: { complete: boolean; statesReadable: boolean },
): string[] {
  const faults: string[] = [];
  const { states, commands, initialState } = definition;
  const stateNames = Object.keys(states);
  const isState = (name: string): boolean => Object.prototype.hasOwnProperty.call(states, name);
  const isUnknownState = (name: string): boolean => statesReadable && !isState(name);

  if (initialState && isUnknownState(initialState))
    faults.push(`initialState: unknown state "${initialState}"`);

  for (const [name, state] of Object.entries(states)) {
    if (state.deadline === undefined) continue;
    const duration = parseIsoDuration(state.deadline);
    if (state.terminal) faults.push(`state "${name}": a terminal state cannot have a deadline`);
    if (duration === null) {
      faults.push(`state "${name}": deadline "${state.deadline}" is not an ISO-8601 duration (such as P5D)`);
    } else if (Object.values(duration).every((value) => value === 0)) {
      faults.push(`state "${name}": deadline "${state.deadline}" is zero`);
    }
  }
  if (complete && stateNames.length > 0 && !Object.values(states).some((state) => state.terminal)) {
    faults.push('states: no terminal state (a signal could never end)');
  }

  const creating = Object.entries(commands).filter(([, command]) => command.from.length === 0);
  if (complete && creating.length === 0) faults.push('commands: no creating command (from: [])');
  if (creating.length > 1)
    faults.push(`commands: more than one creating command: ${quoted(creating.map(([n]) => n))}`);

  const enteredBy = new Set<string>();
  for (const command of Object.values(commands)) {
    if (isState(command.to)) enteredBy.add(command.to);
  }

  const eventOwners = new Map<string, string[]>();
  for (const [name, command] of Object.entries(commands)) {
    const place = `command "${name}"`;
    eventOwners.set(command.event, [...(eventOwners.get(command.event) ?? []), name]);
    if (!EVENT_TYPE.test(command.event)) {
      faults.push(`${place}: invalid event type "${command.event}" (PascalCase, such as SignalAssigned)`);
    }

    const isCreating = command.from.length === 0;
    if (command.from.includes(ANY_STATE) && command.from.length > 1) {
      faults.push(`${place}: "${ANY_STATE}" must stand alone in from`);
    }
    for (const from of duplicatesIn(command.from)) faults.push(`${place}: from-state "${from}" listed twice`);
    for (const from of command.from) {
      if (from !== ANY_STATE && isUnknownState(from)) faults.push(`${place}: unknown from-state "${from}"`);
    }
    if (command.to === PREVIOUS_STATE || command.to === SAME_STATE) {
      if (isCreating) faults.push(`${place}: the creating command cannot go to "${command.to}"`);
    } else if (isUnknownState(command.to)) {
      faults.push(`${place}: unknown to-state "${command.to}"`);
    } else if (isCreating && isState(initialState) && command.to !== initialState) {
      faults.push(
        `${place}: the creating command enters "${command.to}", not the initialState "${initialState}"`,
      );
    }
    if (complete && command.to === PREVIOUS_STATE) {
      for (const from of fromStates(definition, command)) {
        if (from === initialState) {
          faults.push(
            `${place}: "${PREVIOUS_STATE}" from the initial state "${from}", which has no previous state`,
          );
        } else if (!enteredBy.has(from)) {
          faults.push(`${place}: "${PREVIOUS_STATE}" from "${from}", which no command enters`);
        }
      }
    }

    if (command.roles.length === 0) faults.push(`${place}: no roles (nobody could fire it)`);
    for (const role of command.roles) {
      if (!isDefinitionRole(role)) faults.push(`${place}: unknown role "${role}"`);
    }
    for (const role of duplicatesIn(command.roles)) faults.push(`${place}: role "${role}" listed twice`);

    for (const list of ['required', 'optional'] as const) {
      for (const field of command[list]) {
        if (!isFieldName(field)) faults.push(`${place}: unknown ${list} field "${field}"`);
      }
      for (const field of duplicatesIn(command[list]))
        faults.push(`${place}: ${list} field "${field}" listed twice`);
    }
    for (const field of command.required.filter((f) => command.optional.includes(f))) {
      faults.push(`${place}: field "${field}" is both required and optional`);
    }
    for (const [index, group] of (command.requireOneOf ?? []).entries()) {
      if (group.length < 2) {
        faults.push(`${place}: requireOneOf group ${index + 1} has fewer than two fields (use required)`);
      }
      for (const field of group) {
        if (!command.optional.includes(field)) {
          faults.push(`${place}: requireOneOf field "${field}" is not one of its optional fields`);
        }
      }
    }
  }
  for (const [event, owners] of eventOwners) {
    if (owners.length > 1) faults.push(`commands ${quoted(owners)}: duplicate event type "${event}"`);
  }

  if (complete && isState(initialState)) faults.push(...graphFaults(definition));
  return faults;
}

function graphFaults(definition: WorkflowDefinition): string[] {
  const faults: string[] = [];
  const { reachable, previous } = analyseTransitions(definition);
  const leadsTo = new Map<string, Set<string>>(
    Object.keys(definition.states).map((s) => [s, new Set<string>()]),
  );
  for (const command of Object.values(definition.commands)) {
    for (const from of fromStates(definition, command)) {
      for (const to of targetStates(command, from, previous)) {
        if (to !== from) leadsTo.get(from)?.add(to);
      }
    }
  }
  const canEnd = new Set(
    Object.keys(definition.states).filter((state) => definition.states[state]?.terminal),
  );
  let grew = true;
  while (grew) {
    grew = false;
    for (const [state, targets] of leadsTo) {
      if (!canEnd.has(state) && [...targets].some((target) => canEnd.has(target))) {
        canEnd.add(state);
        grew = true;
      }
    }
  }
  for (const [name, state] of Object.entries(definition.states)) {
    if (!reachable.has(name)) {
      faults.push(`state "${name}": unreachable from the initial state "${definition.initialState}"`);
    } else if (state.terminal) {
      continue;
    } else if ((leadsTo.get(name)?.size ?? 0) === 0) {
      faults.push(`state "${name}": dead end (not terminal, and no command leads out of it)`);
    } else if (!canEnd.has(name) && canEnd.size > 0) {
      faults.push(`state "${name}": no path to a terminal state`);
    }
  }
  return faults;
}

/**
 * Checks a workflow definition read from data and returns a frozen, typed copy of it; throws
 * `WorkflowDefinitionError` naming every fault found. Pure: no I/O.
 */
export function validateDefinition(raw: unknown): WorkflowDefinition {
  return checked(raw, []);
}

/**
 * Parses a definition's JSON text and validates it. `JSON.parse` silently keeps the last of two
 * equal keys (a second `"assign"` command would replace the first) and a reviver only sees the
 * survivor, so the text itself is scanned for repeated keys.
 */
export function parseDefinitionJson(text: string): WorkflowDefinition {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new WorkflowDefinitionError('<unparsable>', [`not valid JSON: ${(error as Error).message}`]);
  }
  return checked(raw, duplicateKeys(text));
}

function checked(raw: unknown, earlierFaults: string[]): WorkflowDefinition {
  const reader = new ShapeReader();
  const definition = reader.definition(raw);
  const faults = [...earlierFaults, ...reader.faults, ...semanticFaults(definition, reader)];
  if (faults.length > 0) throw new WorkflowDefinitionError(definitionId(raw), faults);
  return deepFreeze(definition);
}

const KIND_OF_ENTRY = new Map([
  ['states', 'state'],
  ['commands', 'command'],
]);

/** Repeated keys of every object of a JSON text already known to be valid. */
export function duplicateKeys(text: string): string[] {
  const faults: string[] = [];
  let at = 0;
  const skipSpace = (): void => {
    while (at < text.length && /\s/.test(text.charAt(at))) at++;
  };
  const readString = (): string => {
    const start = at;
    at++;
    while (text.charAt(at) !== '"') at += text.charAt(at) === '\\' ? 2 : 1;
    at++;
    return JSON.parse(text.slice(start, at)) as string;
  };
  const lineAt = (offset: number): number => text.slice(0, offset).split('\n').length;
  const readValue = (path: string[]): void => {
    skipSpace();
    const char = text.charAt(at);
    if (char === '{') {
      at++;
      const seen = new Set<string>();
      skipSpace();
      while (text.charAt(at) !== '}') {
        const keyAt = at;
        const key = readString();
        if (seen.has(key)) {
          const entry = path.length === 1 ? KIND_OF_ENTRY.get(path[0] ?? '') : undefined;
          const line = lineAt(keyAt);
          faults.push(
            entry
              ? `duplicate ${entry} "${key}" (key repeated in ${path[0]}, line ${line})`
              : `${path.length === 0 ? 'the definition' : path.join('.')}: duplicate key "${key}" (line ${line})`,
          );
        }
        seen.add(key);
        skipSpace();
        at++; // ':'
        readValue([...path, key]);
        skipSpace();
        if (text.charAt(at) === ',') at++;
        skipSpace();
      }
      at++;
    } else if (char === '[') {
      at++;
      skipSpace();
      let index = 0;
      while (text.charAt(at) !== ']') {
        readValue([...path, String(index++)]);
        skipSpace();
        if (text.charAt(at) === ',') at++;
        skipSpace();
      }
      at++;
    } else if (char === '"') {
      readString();
    } else {
      while (at < text.length && !/[\s,\]}]/.test(text.charAt(at))) at++;
    }
  };
  readValue([]);
  return faults;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
