import { describe, expect, it } from '@jest/globals';
import { getWorkflow } from '../../workflows/registry.js';
import { checkMigrationPlan, decideMigration, type MigrationPlan } from './migrate-workflow.decider.js';
import { createSignalDecider, type SignalState } from './signal.decider.js';
import type { SignalWorkflowMigratedData } from './signal.events.js';

const decider = createSignalDecider((ref) => getWorkflow(ref.name, ref.version));
const V1 = getWorkflow('signal-lifecycle', 1);
const V2 = getWorkflow('signal-lifecycle', 2);
const SIGNAL = '0195f3c2-7b1a-7c3e-8d4f-5a6b7c8d9e0f';
const NOW = new Date('2026-11-28T10:00:00.000Z');
const LEAD = { id: 'lead-1', role: 'lead-processor' as const };

function signalIn(state: string): SignalState {
  return {
    status: 'exists',
    signalId: SIGNAL,
    tenantId: 'gent',
    workflow: { name: 'signal-lifecycle', version: 1 },
    state,
    previousState: 'triaged',
    givenBy: 'giver-1',
    organisationId: null,
    mergedInto: null,
    submittedAt: '2026-03-02T09:00:00.000Z',
    stateEnteredAt: '2026-03-05T09:00:00.000Z',
    attributes: {
      title: 'x',
      description: 'y',
      themes: ['jeugd'],
      targetGroups: [],
      area: null,
      areaType: null,
      estimatedPeopleAffected: null,
      urgency: null,
      structural: true,
      assigneeId: 'proc-1',
      policyDomain: null,
    },
  };
}

const plan: MigrationPlan = {
  from: V1,
  to: V2,
  stateMapping: { analysed: 'in-consultation', assigned: 'assigned' },
};
const context = { tenantId: 'gent', actor: LEAD, now: NOW, signalId: SIGNAL };

describe('migrating a signal between lifecycle versions', () => {
  it('given an analysed v1 signal, when migrated with a mapping, then one event moving it to v2 in the mapped state', () => {
    const event = decideMigration(signalIn('analysed'), plan, context);
    expect(event.type).toBe('SignalWorkflowMigrated');
    expect(event.data).toEqual({
      signalId: SIGNAL,
      from: { name: 'signal-lifecycle', version: 1, state: 'analysed' },
      to: { name: 'signal-lifecycle', version: 2, state: 'in-consultation' },
      stateMapping: { analysed: 'in-consultation', assigned: 'assigned' },
    });
    expect(event.metadata.workflow).toMatchObject({
      version: 2,
      command: 'migrate-workflow',
      from: 'analysed',
      to: 'in-consultation',
    });
    // The decider folds it: the signal runs under v2 and v2's commands apply.
    const after = decider.evolve(signalIn('analysed'), event);
    expect(after).toMatchObject({
      workflow: { version: 2 },
      state: 'in-consultation',
      previousState: 'analysed',
      stateEnteredAt: NOW.toISOString(),
    });
    const actor = { id: 'lead-1', tenantId: 'gent', roles: ['lead-processor' as const], policyDomains: [] };
    expect(decider.allowedCommands(after, actor, V1).map((c) => c.name)).toContain('escalate');
  });

  it('given a signal in a state the mapping does not name, then NO_STATE_MAPPING', () => {
    expect(() => decideMigration(signalIn('triaged'), plan, context)).toThrow(
      expect.objectContaining({ code: 'NO_STATE_MAPPING' }),
    );
  });

  it('given a signal already on v2, or of another tenant, then refused', () => {
    const onV2 = {
      ...signalIn('analysed'),
      workflow: { name: 'signal-lifecycle', version: 2 },
    } as SignalState;
    expect(() => decideMigration(onV2, plan, context)).toThrow(
      expect.objectContaining({ code: 'WORKFLOW_VERSION_MISMATCH' }),
    );
    expect(() => decideMigration(signalIn('analysed'), plan, { ...context, tenantId: 'eeklo' })).toThrow(
      expect.objectContaining({ code: 'SIGNAL_NOT_FOUND' }),
    );
    expect(() => decideMigration({ status: 'none' }, plan, context)).toThrow(
      expect.objectContaining({ code: 'SIGNAL_NOT_FOUND' }),
    );
  });

  it('refuses plans with unknown states, an empty mapping or the same version', () => {
    expect(() => checkMigrationPlan({ ...plan, stateMapping: { analysed: 'nergens' } })).toThrow(
      /'nergens' is geen toestand/,
    );
    expect(() => checkMigrationPlan({ ...plan, stateMapping: { 'in-consultation': 'analysed' } })).toThrow(
      /versie 1/,
    );
    expect(() => checkMigrationPlan({ ...plan, stateMapping: {} })).toThrow(/leeg/);
    expect(() => checkMigrationPlan({ from: V1, to: V1, stateMapping: { analysed: 'analysed' } })).toThrow(
      /dezelfde versie/,
    );
    expect(() => checkMigrationPlan(plan)).not.toThrow();
  });

  it.each([
    [{ assigned: 'closed' }, "'assigned' naar 'closed' sluit een lopend signaal af"],
    [{ 'in-analysis': 'rejected' }, "'in-analysis' naar 'rejected' sluit een lopend signaal af"],
    [{ submitted: 'merged' }, "'submitted' naar 'merged' sluit een lopend signaal af"],
    [{ closed: 'submitted' }, "'closed' naar 'submitted' heropent een afgesloten signaal"],
    [{ merged: 'reopened' }, "'merged' naar 'reopened' heropent een afgesloten signaal"],
  ])('refuses a mapping that changes whether a signal is open: %p', (stateMapping, fault) => {
    expect(() => checkMigrationPlan({ ...plan, stateMapping })).toThrow(
      expect.objectContaining({ code: 'INVALID_STATE_MAPPING', message: expect.stringContaining(fault) }),
    );
  });

  it('names every pair that opens or closes, and keeps open to open and ended to ended', () => {
    expect(() =>
      checkMigrationPlan({
        ...plan,
        stateMapping: { assigned: 'closed', rejected: 'triaged', analysed: 'analysed' },
      }),
    ).toThrow(
      "Ongeldige migratie: 'assigned' naar 'closed' sluit een lopend signaal af, zonder uitkomst en zonder " +
        "terugkoppeling naar de signaalgever; 'rejected' naar 'triaged' heropent een afgesloten signaal, zonder " +
        'heropening en zonder reden. Een migratie brengt een open toestand naar een open toestand en een ' +
        'eindtoestand naar een eindtoestand; sluit of heropen een signaal met zijn eigen opdracht.',
    );
    expect(() =>
      checkMigrationPlan({
        ...plan,
        stateMapping: {
          submitted: 'submitted',
          'awaiting-info': 'in-analysis',
          analysed: 'in-consultation',
          reopened: 'reopened',
          closed: 'closed',
          rejected: 'rejected',
          merged: 'merged',
        },
      }),
    ).not.toThrow();
  });

  it('keeps the mapping it was run with in the event', () => {
    const data = decideMigration(signalIn('assigned'), plan, context).data as SignalWorkflowMigratedData;
    expect(data.to.state).toBe('assigned');
  });
});
