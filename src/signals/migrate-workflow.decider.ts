import type { WorkflowDefinition } from '../../workflows/definition.js';
import type { DecidedEvent, SignalState } from './signal.decider.js';
import { SignalDomainError } from './signal.errors.js';
import {
  MIGRATE_WORKFLOW_COMMAND,
  SIGNAL_WORKFLOW_MIGRATED,
  type SignalWorkflowMigratedData,
} from './signal.events.js';

export interface MigrationPlan {
  from: WorkflowDefinition;
  to: WorkflowDefinition;
  /** Old state → new state; a signal in a state that is not a key is refused. */
  stateMapping: Readonly<Record<string, string>>;
}

export class MigrationPlanError extends Error {
  readonly code = 'INVALID_STATE_MAPPING';
}

/**
 * Refuses a plan that is not one workflow's two versions, a mapping naming unknown states, or one
 * that changes whether a signal is open: a migration moves a signal between versions, it does not
 * close it (closing carries an outcome and feedback to the signal giver) nor reopen it (reopening
 * is a command with a reason). An open state maps to an open state, a terminal one to a terminal one.
 */
export function checkMigrationPlan(plan: MigrationPlan): void {
  const faults: string[] = [];
  let opensOrCloses = false;
  if (plan.from.name !== plan.to.name)
    faults.push(`'${plan.from.name}' en '${plan.to.name}' zijn verschillende workflows`);
  if (plan.from.version === plan.to.version)
    faults.push(`van versie ${plan.from.version} naar dezelfde versie`);
  if (Object.keys(plan.stateMapping).length === 0) faults.push('de toestandsmapping is leeg');
  for (const [from, to] of Object.entries(plan.stateMapping)) {
    if (!Object.hasOwn(plan.from.states, from))
      faults.push(`'${from}' is geen toestand van versie ${plan.from.version}`);
    if (typeof to !== 'string' || !Object.hasOwn(plan.to.states, to))
      faults.push(`'${String(to)}' is geen toestand van versie ${plan.to.version}`);
    else if (Object.hasOwn(plan.from.states, from)) {
      const ended = plan.from.states[from]!.terminal === true;
      if (ended !== (plan.to.states[to]!.terminal === true)) {
        opensOrCloses = true;
        faults.push(
          ended
            ? `'${from}' naar '${to}' heropent een afgesloten signaal, zonder heropening en zonder reden`
            : `'${from}' naar '${to}' sluit een lopend signaal af, zonder uitkomst en zonder terugkoppeling naar de signaalgever`,
        );
      }
    }
  }
  if (faults.length > 0)
    throw new MigrationPlanError(
      `Ongeldige migratie: ${faults.join('; ')}.${
        opensOrCloses
          ? ' Een migratie brengt een open toestand naar een open toestand en een eindtoestand naar een ' +
            'eindtoestand; sluit of heropen een signaal met zijn eigen opdracht.'
          : ''
      }`,
    );
}

/**
 * Moves one signal to another version of its lifecycle, in the state the mapping names for the
 * state it is in. Pure: the signal's state, the plan, the actor and the time come in.
 */
export function decideMigration(
  state: SignalState,
  plan: MigrationPlan,
  context: { tenantId: string; actor: { id: string; role: 'lead-processor' }; now: Date; signalId: string },
): DecidedEvent {
  if (state.status !== 'exists' || state.tenantId !== context.tenantId) {
    throw new SignalDomainError(
      'SIGNAL_NOT_FOUND',
      'Dit signaal bestaat niet of je hebt er geen toegang toe.',
      {
        signalId: context.signalId,
      },
    );
  }
  if (state.workflow.name !== plan.from.name || state.workflow.version !== plan.from.version) {
    throw new SignalDomainError(
      'WORKFLOW_VERSION_MISMATCH',
      `Dit signaal loopt onder versie ${state.workflow.version} van '${state.workflow.name}', niet onder versie ${plan.from.version}.`,
      { signalId: context.signalId, version: state.workflow.version },
    );
  }
  const target = Object.hasOwn(plan.stateMapping, state.state) ? plan.stateMapping[state.state] : undefined;
  if (target === undefined) {
    throw new SignalDomainError(
      'NO_STATE_MAPPING',
      `De migratie zegt niet waar een signaal in de toestand '${plan.from.states[state.state]?.label ?? state.state}' heen moet.`,
      { signalId: context.signalId, state: state.state },
    );
  }
  const data: SignalWorkflowMigratedData = {
    signalId: context.signalId,
    from: { name: plan.from.name, version: plan.from.version, state: state.state },
    to: { name: plan.to.name, version: plan.to.version, state: target },
    stateMapping: { ...plan.stateMapping },
  };
  return {
    type: SIGNAL_WORKFLOW_MIGRATED,
    data,
    metadata: {
      tenantId: context.tenantId,
      actor: { id: context.actor.id, role: context.actor.role },
      occurredAt: context.now.toISOString(),
      workflow: {
        name: plan.to.name,
        version: plan.to.version,
        command: MIGRATE_WORKFLOW_COMMAND,
        from: state.state,
        to: target,
        submittedAt: state.submittedAt,
        fromEnteredAt: state.stateEnteredAt,
        ...(state.stateDeadline !== undefined ? { fromDeadline: state.stateDeadline } : {}),
        assignmentBefore: {
          assigneeId: state.attributes.assigneeId,
          policyDomain: state.attributes.policyDomain,
        },
        classificationBefore: {
          themes: [...state.attributes.themes],
          targetGroups: [...state.attributes.targetGroups],
          areaType: state.attributes.areaType,
          givenBy: state.givenBy,
          organisationId: state.organisationId,
        },
      },
    },
  };
}
