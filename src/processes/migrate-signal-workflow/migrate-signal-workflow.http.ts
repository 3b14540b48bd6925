import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import type { AuthenticatedActor } from '../../auth/actor.js';
import { CurrentActor, Roles } from '../../auth/decorators.js';
import { WORKFLOWS } from '../../../workflows/registry.js';
import { ApiError } from '../../platform/http/api-error.js';
import { isUuid, uuidv7 } from '../../platform/ids.js';
import { MigrationPlanError } from '../../signals/migrate-workflow.decider.js';
import { SignalWorkflowMigrator, type MigrationReport } from './migrate-signal-workflow.js';

const MAX_SIGNALS = 500;
const STATE = /^[a-z][a-z-]{0,49}$/;

/**
 * `POST /signal-migrations`: a lead processor moves selected signals of the tenant from one
 * `signal-lifecycle` version to another with an explicit state mapping. Answers which signals
 * moved and which were refused (and why); the refused ones stay as they are.
 */
@Controller('signal-migrations')
@Roles('lead-processor')
export class MigrateSignalWorkflowController {
  constructor(@Inject(SignalWorkflowMigrator) private readonly migrator: SignalWorkflowMigrator) {}

  @Post()
  @HttpCode(200)
  async migrate(@CurrentActor() actor: AuthenticatedActor, @Body() body: unknown): Promise<MigrationReport> {
    const request = parseBody(body);
    try {
      return await this.migrator.migrate({
        tenantId: actor.tenantId,
        actorId: actor.id,
        workflow: 'signal-lifecycle',
        ...request,
        correlationId: uuidv7(),
      });
    } catch (error) {
      if (error instanceof MigrationPlanError) throw new ApiError(400, error.code, error.message);
      throw error;
    }
  }
}

function invalid(message: string): never {
  throw new ApiError(400, 'INVALID_MIGRATION_REQUEST', message);
}

function parseBody(body: unknown) {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    invalid('Het verzoek moet een JSON-object zijn.');
  const { fromVersion, toVersion, stateMapping, signalIds, ...rest } = body as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) invalid(`Onbekend veld: '${unknown[0]}'.`);
  const versions = new Set(WORKFLOWS.filter((w) => w.name === 'signal-lifecycle').map((w) => w.version));
  for (const [name, version] of [
    ['fromVersion', fromVersion],
    ['toVersion', toVersion],
  ] as const) {
    if (typeof version !== 'number' || !versions.has(version))
      invalid(`'${name}' moet een bestaande versie zijn (${[...versions].join(', ')}).`);
  }
  if (typeof stateMapping !== 'object' || stateMapping === null || Array.isArray(stateMapping))
    invalid("'stateMapping' moet een object zijn: oude toestand → nieuwe toestand.");
  const mapping: Record<string, string> = {};
  for (const [from, to] of Object.entries(stateMapping)) {
    if (!STATE.test(from) || typeof to !== 'string' || !STATE.test(to))
      invalid("'stateMapping' mag alleen namen van toestanden bevatten.");
    mapping[from] = to;
  }
  if (!Array.isArray(signalIds) || signalIds.length === 0 || signalIds.length > MAX_SIGNALS)
    invalid(`'signalIds' moet een lijst van 1 tot ${MAX_SIGNALS} signaal-id's zijn.`);
  if (!signalIds.every((id) => isUuid(id))) invalid("'signalIds' bevat een ongeldige id.");
  return {
    fromVersion: fromVersion as number,
    toVersion: toVersion as number,
    stateMapping: mapping,
    signalIds: signalIds as string[],
  };
}
