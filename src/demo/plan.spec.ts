import { describe, expect, it } from '@jest/globals';
import { FIELDS } from '../../workflows/signal-lifecycle/fields.js';
import { codesOf } from '../../workflows/taxonomy/taxonomy.js';
import { validateCommandBody } from '../signals/command-fields.validation.js';
import { findPersonalData } from '../signals/privacy/personal-data.js';
import type { SignalState } from '../signals/signal.decider.js';
import { currentSignalWorkflow, signalDecider } from '../signals/signal.repository.js';
import { PILOT_MUNICIPALITIES } from './municipalities.js';
import {
  DEMO_UNTIL,
  DEMO_WORKFLOW,
  DemoOptionsError,
  planDemoData,
  themesWithoutTexts,
  type PlannedCommand,
  type PlannedSignal,
} from './plan.js';

const FREE_TEXT = Object.entries(FIELDS)
  .filter(([, spec]) => spec.kind === 'text' && spec.freeText)
  .map(([name]) => name);

const ALL_STATES = Object.keys(DEMO_WORKFLOW.states);
const TERMINAL = ALL_STATES.filter((s) => DEMO_WORKFLOW.states[s]!.terminal === true);
const NON_TERMINAL = ALL_STATES.filter((s) => DEMO_WORKFLOW.states[s]!.terminal !== true);

function signalsOf(options: Parameters<typeof planDemoData>[0]): PlannedSignal[] {
  return [...planDemoData(options).signals()];
}

// The system's own commands (deadline marks, dossier records) come from the process workflows.
const PERSON_COMMANDS = Object.entries(DEMO_WORKFLOW.commands)
  .filter(([, spec]) => !spec.roles.every((role) => role === 'system'))
  .map(([name]) => name)
  .sort();

describe('demo plan (seed 42, 500 signals, 10 municipalities)', () => {
  const plan = planDemoData({ signals: 500, seed: 42 });
  const signals = [...plan.signals()];
  const commands = signals.flatMap((s) => s.commands);

  it('spreads the signals over the pilot municipalities by size', () => {
    expect(plan.tenants.map((t) => t.tenantId)).toEqual(PILOT_MUNICIPALITIES.map((m) => m.slug));
    expect(plan.tenants.reduce((sum, t) => sum + t.signals, 0)).toBe(500);
    expect(signals).toHaveLength(500);
    const gent = plan.tenants.find((t) => t.tenantId === 'gent')!;
    for (const tenant of plan.tenants) expect(gent.signals).toBeGreaterThanOrEqual(tenant.signals);
    for (const tenant of plan.tenants) {
      expect(signals.filter((s) => s.tenantId === tenant.tenantId)).toHaveLength(tenant.signals);
    }
  });

  it('fires every command of the v1 definition a person can fire', () => {
    const fired = new Set(commands.map((c) => c.name));
    expect([...fired].sort()).toEqual(PERSON_COMMANDS);
  });

  it('ends signals in every terminal state and leaves some open in every other state', () => {
    const finals = new Set(signals.map((s) => s.finalState));
    for (const state of [...TERMINAL, ...NON_TERMINAL])
      expect({ state, present: finals.has(state) }).toEqual({ state, present: true });
  });

  it('covers every way into the terminal states and back out', () => {
    const paths = signals.map((s) => s.commands.map((c) => `${c.name}>${c.state}`).join(' '));
    const transitions = new Set(
      signals.flatMap((s) =>
        s.commands.slice(1).map((c, i) => `${s.commands[i]!.state}--${c.name}-->${c.state}`),
      ),
    );
    for (const from of ['submitted', 'triaged', 'reopened'])
      expect(transitions).toContain(`${from}--reject-->rejected`);
    for (const from of ['submitted', 'triaged', 'assigned', 'reopened']) {
      expect(transitions).toContain(`${from}--merge-into-->merged`);
    }
    for (const from of ['triaged', 'analysed', 'escalated'])
      expect(transitions).toContain(`${from}--close-->closed`);
    for (const from of ['closed', 'rejected']) expect(transitions).toContain(`${from}--reopen-->reopened`);
    for (const from of ['submitted', 'triaged', 'assigned', 'in-analysis']) {
      expect(transitions).toContain(`${from}--request-info-->awaiting-info`);
      expect(transitions).toContain(`awaiting-info--provide-info-->${from}`);
    }
    for (const from of ['assigned', 'in-analysis'])
      expect(transitions).toContain(`${from}--reassign-->assigned`);
    // Reopened and closed again.
    expect(paths.some((p) => /reopen>reopened .*close>closed/.test(p))).toBe(true);
    // Escalated locally and supra-locally, with policy decisions.
    const escalations = commands.filter((c) => c.name === 'escalate').map((c) => c.fields['level']);
    expect(new Set(escalations)).toEqual(new Set(['local', 'supralocal']));
    expect(commands.some((c) => c.name === 'record-policy-decision')).toBe(true);
  });

  it('keeps every text free of personal data and valid for the HTTP API', () => {
    for (const command of commands) {
      for (const field of FREE_TEXT) {
        const value = command.fields[field];
        if (typeof value !== 'string') continue;
        expect({ field, value, findings: findPersonalData(value) }).toEqual({ field, value, findings: [] });
        expect(value).not.toMatch(/\{|\}|\s{2}|undefined|null|NaN/);
      }
      expect(() => validateCommandBody(DEMO_WORKFLOW, command.name, command.fields)).not.toThrow();
    }
  });

  it('keeps times in the three-year window, on weekdays, strictly increasing per signal', () => {
    const from = plan.options.from.getTime();
    const until = DEMO_UNTIL.getTime();
    expect(plan.options.from.toISOString()).toBe('2023-11-01T00:00:00.000Z');
    for (const signal of signals) {
      expect(signal.commands[0]!.name).toBe('submit');
      let last = from - 1;
      for (const command of signal.commands) {
        expect(command.at).toBeGreaterThan(last);
        expect(command.at).toBeLessThan(until);
        expect([0, 6]).not.toContain(new Date(command.at).getUTCDay());
        last = command.at;
      }
    }
  });

  it('issues commands in time order', () => {
    let last = 0;
    let count = 0;
    for (const command of plan.commands()) {
      expect(command.at).toBeGreaterThanOrEqual(last);
      last = command.at;
      count++;
    }
    expect(count).toBe(commands.length);
  });

  it('gives unique, deterministic ids and keys', () => {
    expect(new Set(signals.map((s) => s.signalId)).size).toBe(signals.length);
    expect(new Set(commands.map((c) => c.idempotencyKey)).size).toBe(commands.length);
    for (const command of commands) expect(command.correlationId).toMatch(/^[A-Za-z0-9._:-]{1,100}$/);
  });

  it('merges only into an earlier signal of the same municipality that is never rejected or merged', () => {
    const byId = new Map(signals.map((s) => [s.signalId, s]));
    const merges = commands.filter((c) => c.name === 'merge-into');
    expect(merges.length).toBeGreaterThan(0);
    for (const merge of merges) {
      const target = byId.get(merge.fields['targetSignalId'] as string)!;
      expect(target.tenantId).toBe(merge.tenantId);
      expect(target.submittedAt).toBeLessThan(merge.at);
      expect(target.isMergeTarget).toBe(true);
      expect(target.commands.map((c) => c.name)).not.toContain('reject');
      expect(target.commands.map((c) => c.name)).not.toContain('merge-into');
    }
  });

  it('holds dossier-worthy clusters: many similar signals in one municipality within weeks', () => {
    expect(plan.clusters.length).toBeGreaterThan(0);
    const gent = plan.clusters.filter((c) => c.tenantId === 'gent');
    expect(gent.length).toBeGreaterThan(0);
    for (const cluster of plan.clusters) {
      const members = signals.filter((s) => s.clusterId === cluster.id);
      expect(members).toHaveLength(cluster.size);
      expect(members.length).toBeGreaterThanOrEqual(3);
      expect(new Set(members.map((s) => s.theme))).toEqual(new Set([cluster.theme]));
      expect(cluster.to.getTime() - cluster.from.getTime()).toBeLessThanOrEqual(84 * 86_400_000);
    }
  });

  it('passes the real decider: every actor may fire its command on that signal, states as planned', () => {
    const states = new Map<string, SignalState>();
    for (const command of plan.commands()) {
      const state = states.get(command.signalId) ?? signalDecider.initialState;
      const targetId = command.fields['targetSignalId'];
      const target = typeof targetId === 'string' ? states.get(targetId) : undefined;
      let decided;
      try {
        decided = signalDecider.decide(
          { name: command.name, signalId: command.signalId, fields: command.fields },
          state,
          {
            actor: command.actor,
            now: new Date(command.at),
            definitionForNewSignals: currentSignalWorkflow(),
            ...(target ? { target } : {}),
          },
        );
      } catch (error) {
        throw new Error(`${describeCommand(command)}: ${(error as Error).message}`, { cause: error });
      }
      let next = state;
      for (const event of decided) next = signalDecider.evolve(next, event);
      states.set(command.signalId, next);
      expect(next.status === 'exists' ? next.state : 'none').toBe(command.state);
    }
    for (const signal of signals) {
      const state = states.get(signal.signalId);
      expect(state?.status === 'exists' ? state.state : 'none').toBe(signal.finalState);
    }
  });
});

describe('demo plan options', () => {
  it('gives the same plan for the same options and another for another seed', () => {
    const strip = (signals: PlannedSignal[]) =>
      signals.map((s) => s.commands.map(({ signal: _signal, ...command }) => command));
    const a = strip(signalsOf({ signals: 150, tenants: 3, seed: 7 }));
    const b = strip(signalsOf({ signals: 150, tenants: 3, seed: 7 }));
    const c = strip(signalsOf({ signals: 150, tenants: 3, seed: 8 }));
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('covers every state and command whatever the seed', () => {
    for (const seed of [1, 2, 3]) {
      const signals = signalsOf({ signals: 500, seed });
      expect(new Set(signals.map((s) => s.finalState))).toEqual(new Set(ALL_STATES));
      expect(new Set(signals.flatMap((s) => s.commands.map((c) => c.name)))).toEqual(
        new Set(PERSON_COMMANDS),
      );
    }
  });

  it('takes the first n municipalities and handles tiny plans', () => {
    const plan = planDemoData({ tenants: 2, signals: 3 });
    expect(plan.tenants.map((t) => t.tenantId)).toEqual(['bornem', 'dendermonde']);
    expect([...plan.signals()]).toHaveLength(3);
  });

  it('refuses impossible options', () => {
    expect(() => planDemoData({ tenants: 0 })).toThrow(DemoOptionsError);
    expect(() => planDemoData({ tenants: PILOT_MUNICIPALITIES.length + 1 })).toThrow(DemoOptionsError);
    expect(() => planDemoData({ signals: 0 })).toThrow(DemoOptionsError);
    expect(() => planDemoData({ signals: 1.5 })).toThrow(DemoOptionsError);
    expect(() => planDemoData({ seed: -1 })).toThrow(DemoOptionsError);
    expect(() => planDemoData({ until: new Date('no date') })).toThrow(DemoOptionsError);
  });

  it('has texts for every theme of the taxonomy', () => {
    expect(themesWithoutTexts(codesOf('themes'))).toEqual([]);
  });
});

function describeCommand(command: PlannedCommand): string {
  return `${command.tenantId} #${command.signalIndex} step ${command.step} ${command.name} by ${command.actor.id}`;
}
