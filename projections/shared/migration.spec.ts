import { describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '../../src/platform/event-store/event-store.port.js';
import { decideMigration, type MigrationPlan } from '../../src/signals/migrate-workflow.decider.js';
import { createSignalDecider, type SignalState } from '../../src/signals/signal.decider.js';
import { getWorkflow } from '../../workflows/registry.js';
import { processorWorkloadProjection } from '../processor-workload/processor-workload.projection.js';
import { signalInboxProjection } from '../signal-inbox/signal-inbox.projection.js';
import { tenantDashboardProjection } from '../tenant-dashboard/tenant-dashboard.projection.js';
import { aSignalHistory, nextPosition } from '../testing/builders.js';
import { given } from '../testing/given.js';

const decider = createSignalDecider((ref) => getWorkflow(ref.name, ref.version));
const plan = {
  from: getWorkflow('signal-lifecycle', 1),
  to: getWorkflow('signal-lifecycle', 2),
  stateMapping: { analysed: 'in-consultation' },
};

/** Back from v2 to v1: the state v2 added is left for its counterpart in v1. */
const back = {
  from: getWorkflow('signal-lifecycle', 2),
  to: getWorkflow('signal-lifecycle', 1),
  stateMapping: { 'in-consultation': 'analysed' },
};

/** A v1 signal driven to analysed, then the migration event as the migrator records it. */
function migratedHistory(): RecordedEvent[] {
  const history = aSignalHistory()
    .submit('s1')
    .path('s1', 'triage', 'assign', 'start-analysis', 'record-analysis');
  return migrate(history.events, plan, '2026-04-01T09:00:00.000Z');
}

/** The events and, after them, the migration of s1 the decider makes of them with the plan. */
function migrate(events: RecordedEvent[], migration: MigrationPlan, at: string): RecordedEvent[] {
  const state = events.reduce<SignalState>((s, e) => decider.evolve(s, e), decider.initialState);
  const decided = decideMigration(state, migration, {
    tenantId: 'gent',
    actor: { id: 'lead-1', role: 'lead-processor' },
    now: new Date(at),
    signalId: 's1',
  });
  const last = events.at(-1)!;
  return [
    ...events,
    {
      id: `migration-${events.length}`,
      type: decided.type,
      data: decided.data,
      metadata: { ...decided.metadata, correlationId: 'c', causationId: 'c' },
      stream: last.stream,
      revision: last.revision + 1n,
      position: nextPosition(),
      recordedAt: new Date(at),
    },
  ];
}

describe('read models given a migration to signal-lifecycle v2', () => {
  it('the inbox moves the signal to the mapped state under v2, with the v2 deadline', () => {
    const doc = given(signalInboxProjection, migratedHistory()).get('gent:s1')!;
    expect(doc).toMatchObject({
      state: 'in-consultation',
      workflow: { name: 'signal-lifecycle', version: 2 },
      stateEnteredAt: '2026-04-01T09:00:00.000Z',
      // 15 working days from Wednesday 1 April 2026, Easter Monday (6 April) skipped.
      dueAt: '2026-04-23T09:00:00.000Z',
    });
  });

  it('the dashboard counts it in its new state; the workload still counts it open', () => {
    const dashboard = given(tenantDashboardProjection, migratedHistory()).get('gent')!;
    expect(dashboard['byState']).toEqual({ 'in-consultation': 1 });
    const workload = given(processorWorkloadProjection, migratedHistory()).get('gent')!;
    expect(workload).toMatchObject({ open: 1, unassigned: 1 });
  });
});

describe('read models given a migration back from v2 to v1', () => {
  // in-consultation is a state of v2 only: the event's `from` is a state of the version it leaves.
  const history = () => migrate(migratedHistory(), back, '2026-04-02T09:00:00.000Z');

  it('the inbox follows the signal back to v1, in the mapped state', () => {
    const doc = given(signalInboxProjection, history()).get('gent:s1')!;
    expect(doc).toMatchObject({
      state: 'analysed',
      workflow: { name: 'signal-lifecycle', version: 1 },
      stateEnteredAt: '2026-04-02T09:00:00.000Z',
    });
  });

  it('the dashboard and the workload count it in the state of v1, still open', () => {
    const dashboard = given(tenantDashboardProjection, history()).get('gent')!;
    expect(dashboard['byState']).toEqual({ analysed: 1 });
    const workload = given(processorWorkloadProjection, history()).get('gent')!;
    expect(workload).toMatchObject({ open: 1, unassigned: 1 });
  });

  it('refuses a migration event whose data.from is not the state it leaves', () => {
    const events = history();
    const last = events.at(-1)!;
    const forged = {
      ...last,
      data: { ...last.data, from: { name: 'signal-lifecycle', version: 2, state: 'analysed' } },
    };
    expect(() => given(signalInboxProjection, [...events.slice(0, -1), forged])).toThrow(
      /data.from needs the name, version and state the migration leaves/,
    );
  });
});
