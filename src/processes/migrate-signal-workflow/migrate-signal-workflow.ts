import { Inject, Injectable, Optional } from '@nestjs/common';
import { getWorkflow } from '../../../workflows/registry.js';
import { ConcurrencyError } from '../../platform/event-store/errors.js';
import { EventStore } from '../../platform/event-store/event-store.port.js';
import { CLOCK, systemClock, type Clock } from '../../platform/clock.js';
import { deterministicUuid } from '../../platform/ids.js';
import {
  checkMigrationPlan,
  decideMigration,
  type MigrationPlan,
} from '../../signals/migrate-workflow.decider.js';
import { SignalDomainError } from '../../signals/signal.errors.js';
import { SignalRepository } from '../../signals/signal.repository.js';

export interface MigrationRequest {
  tenantId: string;
  actorId: string;
  workflow: string;
  fromVersion: number;
  toVersion: number;
  stateMapping: Record<string, string>;
  signalIds: readonly string[];
  correlationId: string;
}

export interface MigrationReport {
  /** `position`: the migration's global position, for `minPosition` (read-your-writes). */
  migrated: Array<{ signalId: string; from: string; to: string; revision: string; position: string }>;
  refused: Array<{ signalId: string; code: string; message: string }>;
}

/** Loads, decides and appends a signal's migration at most this often when it keeps changing. */
const MAX_ATTEMPTS = 5;

/**
 * Moves selected signals from one lifecycle version to another, one `SignalWorkflowMigrated`
 * per signal, appended at the revision read (a signal changed meanwhile is read again). A signal
 * in a state the mapping does not name, or on another version, is refused and stays as it is.
 */
@Injectable()
export class SignalWorkflowMigrator {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(SignalRepository) private readonly signals: SignalRepository,
    @Optional() @Inject(CLOCK) private readonly clock: Clock = systemClock,
  ) {}

  async migrate(request: MigrationRequest): Promise<MigrationReport> {
    const plan: MigrationPlan = {
      from: getWorkflow(request.workflow, request.fromVersion),
      to: getWorkflow(request.workflow, request.toVersion),
      stateMapping: request.stateMapping,
    };
    checkMigrationPlan(plan);
    const report: MigrationReport = { migrated: [], refused: [] };
    for (const signalId of new Set(request.signalIds)) {
      try {
        report.migrated.push(await this.migrateOne(request, plan, signalId));
      } catch (error) {
        if (error instanceof SignalDomainError)
          report.refused.push({ signalId, code: error.code, message: error.message });
        // Changed under us at every attempt: this one stays as it is, and the others still go
        // (a 409 for the whole request hid which signals had moved already).
        else if (error instanceof ConcurrencyError)
          report.refused.push({
            signalId,
            code: error.code,
            message: `Het signaal wijzigde ${MAX_ATTEMPTS} keer terwijl het gemigreerd werd en blijft zoals het was. Probeer het opnieuw.`,
          });
        else throw error;
      }
    }
    return report;
  }

  private async migrateOne(request: MigrationRequest, plan: MigrationPlan, signalId: string) {
    for (let attempt = 1; ; attempt++) {
      const loaded = await this.signals.load(request.tenantId, signalId);
      const decided = decideMigration(loaded.state, plan, {
        tenantId: request.tenantId,
        actor: { id: request.actorId, role: 'lead-processor' },
        now: this.clock.now(),
        signalId,
      });
      try {
        const appended = await this.store.append(
          loaded.stream,
          [
            {
              id: deterministicUuid(request.tenantId, signalId, 'migrate', String(loaded.revision)),
              type: decided.type,
              data: decided.data,
              metadata: {
                ...decided.metadata,
                correlationId: request.correlationId,
                causationId: request.correlationId,
              },
            },
          ],
          { expectedRevision: loaded.revision },
        );
        return {
          signalId,
          from: `${plan.from.version}:${decided.metadata.workflow.from ?? ''}`,
          to: `${plan.to.version}:${decided.metadata.workflow.to}`,
          revision: String(appended.nextRevision),
          position: String(appended.position),
        };
      } catch (error) {
        if (!(error instanceof ConcurrencyError) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }
}
