import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import {
  WorkflowDefinitionError,
  analyseTransitions,
  parseDefinitionJson,
  parseIsoDuration,
  validateDefinition,
} from './load-definition.js';
import v1 from './signal-lifecycle/signal-lifecycle.v1.json' with { type: 'json' };

type Entry = Record<string, unknown>;
type RawDefinition = { states: Record<string, Entry>; commands: Record<string, Entry> } & Entry;

const V1_TEXT = readFileSync(new URL('./signal-lifecycle/signal-lifecycle.v1.json', import.meta.url), 'utf8');

/** A deep copy of version 1 changed by `change`: each fault spec starts from a valid definition. */
function v1With(change: (definition: RawDefinition) => void): RawDefinition {
  const copy = structuredClone(v1) as unknown as RawDefinition;
  change(copy);
  return copy;
}

function command(definition: RawDefinition, name: string): Entry {
  const found = definition.commands[name];
  if (!found) throw new Error(`no command ${name} in the fixture`);
  return found;
}

function state(definition: RawDefinition, name: string): Entry {
  const found = definition.states[name];
  if (!found) throw new Error(`no state ${name} in the fixture`);
  return found;
}

function faultsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof WorkflowDefinitionError) return error.faults;
    throw error;
  }
  throw new Error('expected a WorkflowDefinitionError, but the definition was accepted');
}

describe('validateDefinition', () => {
  describe('given version 1 of the signal lifecycle', () => {
    it('when validated, then it is accepted as a frozen copy', () => {
      const definition = validateDefinition(v1);
      expect(definition.name).toBe('signal-lifecycle');
      expect(definition.version).toBe(1);
      expect(Object.keys(definition.commands)).toContain('provide-info');
      expect(Object.isFrozen(definition.commands['assign']?.from)).toBe(true);
      expect(Object.isFrozen(v1.commands.assign.from)).toBe(false);
    });

    it('when parsed from its file text, then the same definition comes out', () => {
      expect(parseDefinitionJson(V1_TEXT)).toEqual(validateDefinition(v1));
    });
  });

  describe('given a copy of version 1 with one fault', () => {
    it.each<[string, (d: RawDefinition) => void, string]>([
      // shape
      [
        'a name that is not a slug',
        (d) => (d['name'] = 'Signal Lifecycle'),
        'name "Signal Lifecycle" is not a slug',
      ],
      ['no name', (d) => delete d['name'], 'name is missing'],
      ['version 0', (d) => (d['version'] = 0), 'version 0 is not a positive integer'],
      ['a fractional version', (d) => (d['version'] = 1.5), 'version 1.5 is not a positive integer'],
      ['a version as text', (d) => (d['version'] = '1'), 'version "1" is not a positive integer'],
      ['no initialState', (d) => delete d['initialState'], 'initialState is missing or not a string'],
      ['states as a list', (d) => ((d as Entry)['states'] = []), 'states is missing or not an object'],
      ['no commands', (d) => delete (d as Entry)['commands'], 'commands is missing or not an object'],
      [
        'a state without label',
        (d) => delete state(d, 'triaged')['label'],
        'state "triaged": label is missing',
      ],
      [
        'a terminal flag as text',
        (d) => (state(d, 'closed')['terminal'] = 'yes'),
        'terminal is not a boolean',
      ],
      [
        'a misspelt property',
        (d) => (state(d, 'assigned')['deadlne'] = 'P5D'),
        'state "assigned": unknown property "deadlne"',
      ],
      [
        'roles as a string',
        (d) => (command(d, 'close')['roles'] = 'lead-processor'),
        'command "close": roles is missing or not an array of strings',
      ],
      [
        'a command without event',
        (d) => delete command(d, 'close')['event'],
        'command "close": event is missing',
      ],
      [
        'a malformed requireOneOf',
        (d) => (command(d, 'assign')['requireOneOf'] = ['assigneeId']),
        'command "assign": requireOneOf is not an array of arrays of strings',
      ],
      [
        'a state name that is not a slug',
        (d) => (d.states['On Hold'] = { label: 'In wacht' }),
        'state "On Hold": the name is not a slug',
      ],
      // states
      ['an unknown initialState', (d) => (d['initialState'] = 'new'), 'initialState: unknown state "new"'],
      [
        'an unknown from-state',
        (d) => (command(d, 'assign')['from'] = ['triagd', 'reopened']),
        'command "assign": unknown from-state "triagd"',
      ],
      [
        'an unknown to-state',
        (d) => (command(d, 'assign')['to'] = 'asigned'),
        'command "assign": unknown to-state "asigned"',
      ],
      [
        'an unreachable state',
        (d) => {
          d.states['parked'] = { label: 'Geparkeerd', deadline: 'P5D' };
          d.commands['unpark'] = { ...command(d, 'triage'), from: ['parked'], event: 'SignalUnparked' };
        },
        'state "parked": unreachable from the initial state "submitted"',
      ],
      [
        'no terminal state',
        (d) => Object.values(d.states).forEach((s) => delete s['terminal']),
        'states: no terminal state',
      ],
      [
        'a terminal state with a deadline',
        (d) => (state(d, 'closed')['deadline'] = 'P30D'),
        'state "closed": a terminal state cannot have a deadline',
      ],
      ['a dead end', (d) => delete state(d, 'merged')['terminal'], 'state "merged": dead end'],
      [
        'a loop with no way to an end',
        (d) => {
          d.states['parked'] = { label: 'Geparkeerd' };
          d.states['parked-again'] = { label: 'Opnieuw geparkeerd' };
          const base = { ...command(d, 'close'), required: [], optional: [] };
          d.commands['park'] = { ...base, from: ['analysed'], to: 'parked', event: 'SignalParked' };
          d.commands['park-again'] = {
            ...base,
            from: ['parked'],
            to: 'parked-again',
            event: 'SignalParkedAgain',
          };
          d.commands['unpark'] = { ...base, from: ['parked-again'], to: 'parked', event: 'SignalUnparked' };
        },
        'state "parked": no path to a terminal state',
      ],
      // deadlines
      [
        'a deadline in words',
        (d) => (state(d, 'triaged')['deadline'] = '3 days'),
        'state "triaged": deadline "3 days" is not an ISO-8601 duration',
      ],
      [
        'a deadline without P',
        (d) => (state(d, 'triaged')['deadline'] = '3D'),
        'deadline "3D" is not an ISO-8601 duration',
      ],
      [
        'a deadline of zero',
        (d) => (state(d, 'triaged')['deadline'] = 'P0D'),
        'state "triaged": deadline "P0D" is zero',
      ],
      [
        'a deadline as a number',
        (d) => (state(d, 'triaged')['deadline'] = 3),
        'state "triaged": deadline is not a string',
      ],
      // creating command
      [
        'no creating command',
        (d) => (command(d, 'submit')['from'] = ['closed']),
        'commands: no creating command',
      ],
      [
        'two creating commands',
        (d) => (d.commands['submit-again'] = { ...command(d, 'submit'), event: 'SignalSubmittedAgain' }),
        'commands: more than one creating command: "submit", "submit-again"',
      ],
      [
        'a creating command that skips the initial state',
        (d) => (command(d, 'submit')['to'] = 'triaged'),
        'command "submit": the creating command enters "triaged", not the initialState "submitted"',
      ],
      // commands
      ['a command without roles', (d) => (command(d, 'close')['roles'] = []), 'command "close": no roles'],
      [
        'an unknown role',
        (d) => (command(d, 'close')['roles'] = ['mayor']),
        'command "close": unknown role "mayor"',
      ],
      [
        'a role listed twice',
        (d) => (command(d, 'close')['roles'] = ['lead-processor', 'lead-processor']),
        'command "close": role "lead-processor" listed twice',
      ],
      [
        'two commands recording one event type',
        (d) => (command(d, 'reassign')['event'] = 'SignalAssigned'),
        'commands "assign", "reassign": duplicate event type "SignalAssigned"',
      ],
      [
        'an event type in camelCase',
        (d) => (command(d, 'close')['event'] = 'signalClosed'),
        'command "close": invalid event type "signalClosed"',
      ],
      [
        'an event type with a dash',
        (d) => (command(d, 'close')['event'] = 'Signal-Closed'),
        'invalid event type "Signal-Closed"',
      ],
      [
        'an unknown required field',
        (d) => (command(d, 'close')['required'] = ['outcome', 'feedbak']),
        'command "close": unknown required field "feedbak"',
      ],
      [
        'an unknown optional field',
        (d) => (command(d, 'triage')['optional'] = ['theme']),
        'command "triage": unknown optional field "theme"',
      ],
      [
        'a field both required and optional',
        (d) => (command(d, 'close')['optional'] = ['outcome']),
        'command "close": field "outcome" is both required and optional',
      ],
      [
        'a requireOneOf field that is not optional',
        (d) => (command(d, 'assign')['requireOneOf'] = [['assigneeId', 'targetSignalId']]),
        'command "assign": requireOneOf field "targetSignalId" is not one of its optional fields',
      ],
      [
        'a requireOneOf group of one field',
        (d) => (command(d, 'assign')['requireOneOf'] = [['assigneeId']]),
        'command "assign": requireOneOf group 1 has fewer than two fields',
      ],
      // special from- and to-states
      [
        '"*" beside other from-states',
        (d) => (command(d, 'add-note')['from'] = ['*', 'closed']),
        'command "add-note": "*" must stand alone in from',
      ],
      [
        'a from-state listed twice',
        (d) => (command(d, 'escalate')['from'] = ['analysed', 'analysed']),
        'command "escalate": from-state "analysed" listed twice',
      ],
      [
        '"@previous" from the initial state',
        (d) => (command(d, 'provide-info')['from'] = ['awaiting-info', 'submitted']),
        'command "provide-info": "@previous" from the initial state "submitted", which has no previous state',
      ],
      [
        '"@previous" from a state no command enters',
        (d) => (command(d, 'request-info')['to'] = 'in-analysis'),
        'command "provide-info": "@previous" from "awaiting-info", which no command enters',
      ],
      [
        'a creating command going to "@same"',
        (d) => (command(d, 'submit')['to'] = '@same'),
        'command "submit": the creating command cannot go to "@same"',
      ],
    ])('when it has %s, then it is refused naming the fault', (_label, change, fault) => {
      const faults = faultsOf(() => validateDefinition(v1With(change)));
      expect(faults.some((text) => text.includes(fault))).toBe(true);
    });
  });

  describe('given a definition with several faults', () => {
    const broken = v1With((d) => {
      command(d, 'assign')['from'] = ['triagd'];
      command(d, 'close')['roles'] = [];
      state(d, 'closed')['deadline'] = 'P1D';
    });

    it('when validated, then every fault is listed, one per line after name@version', () => {
      let caught: unknown;
      try {
        validateDefinition(broken);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(WorkflowDefinitionError);
      const error = caught as WorkflowDefinitionError;
      expect(error.code).toBe('INVALID_WORKFLOW_DEFINITION');
      expect(error.definition).toBe('signal-lifecycle@1');
      expect(error.faults).toEqual(
        expect.arrayContaining([
          'command "assign": unknown from-state "triagd"',
          'command "close": no roles (nobody could fire it)',
          'state "closed": a terminal state cannot have a deadline',
        ]),
      );
      expect(error.message.split('\n')).toEqual([
        'Invalid workflow definition signal-lifecycle@1:',
        ...error.faults.map((fault) => `- ${fault}`),
      ]);
    });
  });

  describe('given something that is not a definition', () => {
    it.each<[string, unknown]>([
      ['null', null],
      ['a list', []],
      ['a string', 'signal-lifecycle'],
    ])('when it is %s, then it is refused', (_label, raw) => {
      expect(faultsOf(() => validateDefinition(raw))).toEqual(['the definition is not a JSON object']);
    });

    it('when a state is called "__proto__", then it is refused', () => {
      const raw: unknown = JSON.parse(JSON.stringify(v1).replace('"reopened":{', '"__proto__":{'));
      const faults = faultsOf(() => validateDefinition(raw));
      expect(faults).toContain(
        'state "__proto__": the name is not a slug (lower-case words joined by dashes)',
      );
    });
  });
});

describe('the previous state of @previous', () => {
  it('given version 1, when a signal awaits information, then it may go back to every state that asks', () => {
    const { previous } = analyseTransitions(validateDefinition(v1));
    expect([...(previous.get('awaiting-info') ?? [])].sort()).toEqual(
      ['assigned', 'in-analysis', 'submitted', 'triaged'].sort(),
    );
  });

  it('given a self loop, when it is fired, then the previous state is kept', () => {
    const { previous } = analyseTransitions(validateDefinition(v1));
    expect(previous.get('escalated')?.has('escalated')).toBe(false);
    expect(previous.get('assigned')?.has('assigned')).toBe(false);
  });

  it('given a @previous into a state left by @previous, when analysed, then the chain is followed', () => {
    const definition = validateDefinition(
      v1With((d) => {
        d.states['on-hold'] = { label: 'In wacht' };
        const base = { ...command(d, 'close'), required: [], optional: [] };
        d.commands['hold'] = { ...base, from: ['awaiting-info'], to: 'on-hold', event: 'SignalHeld' };
        d.commands['resume'] = { ...base, from: ['on-hold'], to: '@previous', event: 'SignalResumed' };
      }),
    );
    const { previous } = analyseTransitions(definition);
    expect([...(previous.get('on-hold') ?? [])]).toEqual(['awaiting-info']);
    // resume goes back to awaiting-info, which then remembers on-hold as where it came from.
    expect(previous.get('awaiting-info')?.has('on-hold')).toBe(true);
  });
});

describe('parseDefinitionJson', () => {
  it.each<[string, string, string]>([
    [
      'a command key given twice',
      V1_TEXT.replace('"reassign": {', '"assign": {'),
      'duplicate command "assign" (key repeated in commands, line',
    ],
    [
      'a state key given twice',
      V1_TEXT.replace('"reopened": {', '"triaged": {'),
      'duplicate state "triaged"',
    ],
    [
      'a property given twice',
      V1_TEXT.replace('"to": "closed",', '"to": "closed", "to": "rejected",'),
      'commands.close: duplicate key "to"',
    ],
    [
      'a key spelt with an escape',
      V1_TEXT.replace('"reassign": {', '"\\u0061ssign": {'),
      'duplicate command "assign"',
    ],
    [
      'a top-level key given twice',
      V1_TEXT.replace('"version": 1,', '"version": 1, "version": 2,'),
      'the definition: duplicate key "version"',
    ],
  ])('given %s, when parsed, then it is refused naming the key', (_label, text, fault) => {
    const faults = faultsOf(() => parseDefinitionJson(text));
    expect(faults.some((found) => found.includes(fault))).toBe(true);
  });

  it('given a duplicate key and another fault, when parsed, then both are listed', () => {
    const text = V1_TEXT.replace('"reassign": {', '"assign": {').replace('"P2D"', '"2 days"');
    const faults = faultsOf(() => parseDefinitionJson(text));
    expect(faults[0]).toMatch(/^duplicate command "assign"/);
    expect(faults.some((fault) => fault.includes('deadline "2 days"'))).toBe(true);
  });

  it('given braces, quotes and escapes inside strings, when scanned, then no duplicate is invented', () => {
    const text = V1_TEXT.replace('"Afgesloten"', '"Af \\"}{\\\\\\" gesloten, [x]"');
    expect(parseDefinitionJson(text).states['closed']?.label).toBe('Af "}{\\" gesloten, [x]');
  });

  it('given text that is not JSON, when parsed, then it is refused', () => {
    expect(faultsOf(() => parseDefinitionJson('{ "name": '))[0]).toMatch(/^not valid JSON/);
  });
});

describe('parseIsoDuration', () => {
  const zero = { years: 0, months: 0, weeks: 0, days: 0, hours: 0, minutes: 0, seconds: 0 };
  it.each<[string, Partial<typeof zero>]>([
    ['P2D', { days: 2 }],
    ['PT12H', { hours: 12 }],
    ['P1W', { weeks: 1 }],
    ['P1M', { months: 1 }],
    ['PT1M', { minutes: 1 }],
    ['P1Y2M3W4DT5H6M7S', { years: 1, months: 2, weeks: 3, days: 4, hours: 5, minutes: 6, seconds: 7 }],
    ['PT0.5S', { seconds: 0.5 }],
    ['PT1,25S', { seconds: 1.25 }],
    ['P0D', {}],
  ])('given "%s", when parsed, then the parts are read', (text, parts) => {
    expect(parseIsoDuration(text)).toEqual({ ...zero, ...parts });
  });

  it.each([
    '',
    'P',
    'PT',
    'P1DT',
    '2D',
    'p2d',
    'P-2D',
    '-P2D',
    'P1.5D',
    'PT1.5H',
    'P2D ',
    'P1H',
    'PT2D',
    'P1D2Y',
    'P99999999999999999999D',
  ])('given "%s", when parsed, then it is not a duration', (text) => {
    expect(parseIsoDuration(text)).toBeNull();
  });
});
