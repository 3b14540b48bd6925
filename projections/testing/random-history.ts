import fc from 'fast-check';
import type { JsonObject } from '../../src/platform/json.js';
import { aSignalHistory, T0, type SignalHistory } from './builders.js';

export type Step = { signal: number; choice: number; minutes: number };

/** Random steps over a handful of signals: each submits a signal or fires one of its allowed commands. */
export const historySteps = fc.array(
  fc.record({
    signal: fc.nat(5),
    choice: fc.nat(9_999),
    minutes: fc.integer({ min: 0, max: 60 * 24 * 90 }),
  }),
  { maxLength: 150, size: 'large' },
);

/** Most steps follow the main road, so that random lives reach analysis, escalation and closing. */
const FORWARD = [
  'triage',
  'assign',
  'start-analysis',
  'record-analysis',
  'escalate',
  'close',
  'provide-info',
];

const THEMES = ['wonen', 'energie', 'jeugd', 'armoede-en-inkomen'];
const AREAS = ['Ledeberg', 'Sint-Amandsberg', 'Oostakker', null];
const ASSIGNEES = ['proc-1', 'proc-2', null];
const DOMAINS = ['wonen', 'jeugd', null];

function pick<T>(values: readonly T[], choice: number): T {
  return values[choice % values.length]!;
}

function fieldsFor(command: string, choice: number): JsonObject {
  const themes = [...new Set([pick(THEMES, choice), pick(THEMES, choice >> 3)])];
  switch (command) {
    case 'triage':
    case 'record-analysis':
      return choice % 3 === 0 ? {} : { themes };
    case 'assign':
    case 'reassign': {
      const assigneeId = pick(ASSIGNEES, choice >> 2);
      const policyDomain = pick(DOMAINS, choice >> 4);
      return assigneeId === null && policyDomain === null
        ? { policyDomain: 'wonen' }
        : { assigneeId, policyDomain };
    }
    default:
      return {};
  }
}

/** Plays random steps as a history of tenant gent, every command allowed by the definition. */
export function playSteps(steps: readonly Step[]): SignalHistory {
  const history = aSignalHistory('gent');
  let clock = Date.parse(T0);
  for (const { signal, choice, minutes } of steps) {
    clock += minutes * 60_000;
    const at = new Date(clock).toISOString();
    const signalId = `s${signal}`;
    if (!history.states().has(signalId)) {
      const area = pick(AREAS, choice >> 5);
      history.submit(signalId, {
        at,
        fields: {
          themes: [pick(THEMES, choice)],
          ...(area === null ? {} : { area, areaType: (choice >> 7) % 2 === 0 ? 'wijk' : 'deelgemeente' }),
        },
      });
    } else if (choice % 17 === 0) {
      history.erase(signalId, { at });
    } else {
      const allowed = history.allowedCommands(signalId);
      const forward = allowed.filter((command) => FORWARD.includes(command));
      const command =
        forward.length > 0 && choice % 4 !== 0 ? pick(forward, choice >> 6) : pick(allowed, choice);
      history.fire(signalId, command, { at, fields: fieldsFor(command, choice >> 1) });
    }
  }
  return history;
}

/**
 * A long, reproducible history of `count` signals of tenant gent: the signals are submitted and
 * moved round-robin (a minute apart), each step picking a command as `playSteps` does, so that
 * they spread over every state. For size bounds: a per-tenant document must not grow per signal.
 */
export function playManySignals(count: number, stepsPerSignal = 6, seed = 42): SignalHistory {
  let state = seed >>> 0;
  const random = () => {
    // xorshift32: deterministic, so that a failing bound is reproducible.
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
  const steps: Step[] = [];
  for (let round = 0; round < stepsPerSignal; round += 1) {
    for (let signal = 0; signal < count; signal += 1) {
      steps.push({ signal, choice: random() % 10_000, minutes: round === 0 && signal === 0 ? 0 : 1 });
    }
  }
  return playSteps(steps);
}
