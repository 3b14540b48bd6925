import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import type {
  DossierDetailDocument,
  DossierListDocument,
  SignalInboxDocument,
} from '../../projections/index.js';
import { getWorkflow } from '../../workflows/registry.js';
import type { AuthenticatedActor } from '../auth/actor.js';
import { CurrentActor, Roles } from '../auth/decorators.js';
import { ApiError } from '../platform/http/api-error.js';
import { correlationIdOf } from '../platform/http/correlation.js';
import { queryParams } from '../platform/http/query-params.js';
import { isUuid } from '../platform/ids.js';
import { ReadStore } from '../platform/read-store/read-store.port.js';
import { openSignalText, SealedText } from '../privacy/sealed-text.js';
import { ReadModels } from '../read-models/read-models.js';
import { position, scopeFilters } from '../signals/list-signals/inbox-query.js';
import {
  allowedDossierCommands,
  DOSSIER_COMMANDS,
  DOSSIER_PHASE_LABELS,
  type DossierPhase,
} from './dossier.decider.js';
import { asHttpError } from './dossier-command.errors.js';
import type { DossierDetailAnswer, DossierMember, DossierPage } from './dossier-answers.js';
import { isDossierCommandName, validateDossierCommand } from './dossier-commands.validation.js';
import { dossierListQuery } from './dossier-list-query.js';
import {
  ExecuteDossierCommand,
  type DossierCommandResult,
} from './execute-dossier-command/execute-dossier-command.command.js';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

/**
 * Dossiers (bundels) over HTTP, in the style of the signals API: `POST /dossiers` creates one from
 * signals, `POST /dossiers/{id}/{command}` fires the other commands; the revision travels as
 * ETag / If-Match, `Idempotency-Key` makes a retry safe. Reads come from the read models.
 */
@Controller('dossiers')
export class DossiersController {
  constructor(
    @Inject(CommandBus) private readonly commandBus: CommandBus,
    @Inject(ReadModels) private readonly readModels: ReadModels,
    @Inject(ReadStore) private readonly readStore: ReadStore,
    @Inject(SealedText) private readonly sealed: SealedText,
  ) {}

  @Post()
  @HttpCode(201)
  @Roles('lead-processor')
  async create(
    @CurrentActor() actor: AuthenticatedActor,
    @Body() body: unknown,
    @Headers() headers: Record<string, string | undefined>,
    @Res({ passthrough: true }) response: Response,
  ): Promise<DossierCommandResult> {
    const command = validateDossierCommand('create', '', body);
    const result = await this.execute(actor, command, headers, response);
    response.location(`/dossiers/${result.dossierId}`);
    return result;
  }

  @Post(':id/:command')
  @HttpCode(200)
  @Roles('lead-processor')
  async command(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id') id: string,
    @Param('command') name: string,
    @Body() body: unknown,
    @Headers() headers: Record<string, string | undefined>,
    @Res({ passthrough: true }) response: Response,
  ): Promise<DossierCommandResult> {
    assertDossierId(id);
    if (!isDossierCommandName(name) || name === 'create') {
      throw new ApiError(404, 'UNKNOWN_COMMAND', 'Deze opdracht bestaat niet.');
    }
    const command = validateDossierCommand(name, id, body ?? {});
    return this.execute(actor, command, headers, response);
  }

  @Get()
  @Roles('lead-processor', 'processor')
  async list(
    @CurrentActor() actor: AuthenticatedActor,
    @Query() params: Record<string, unknown>,
    @Headers('x-min-position') minPositionHeader: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<DossierPage> {
    const { query, minPosition } = dossierListQuery(params, actor.tenantId);
    await this.freshness(minPosition ?? position(minPositionHeader), response);
    const result = await this.readModels.list<DossierListDocument>('dossier-list', query);
    return {
      items: result.items.map((item) => ({
        ...item,
        stateLabel: DOSSIER_PHASE_LABELS[item.state as DossierPhase] ?? item.state,
      })),
      total: result.total,
      hasMore: result.hasMore,
      limit: query.limit,
      offset: query.offset ?? 0,
    };
  }

  /**
   * A dossier with its members as the signals are now (title, state; only those in the caller's
   * scope show them), its analysis, escalations, decisions, and the commands the caller may fire.
   */
  @Get(':id')
  @Roles('lead-processor', 'processor')
  async detail(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id') id: string,
    @Query() params: Record<string, unknown>,
    @Headers('x-min-position') minPositionHeader: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<DossierDetailAnswer> {
    assertDossierId(id);
    const { minPosition: minPositionParam } = queryParams(params, ['minPosition']);
    await this.freshness(position(minPositionParam ?? minPositionHeader), response);
    const doc = await this.readModels.get<DossierDetailDocument>('dossier-detail', `${actor.tenantId}:${id}`);
    if (!doc) {
      throw new ApiError(
        404,
        'DOSSIER_NOT_FOUND',
        'Dit dossier bestaat niet of je hebt er geen toegang toe.',
      );
    }
    const signals = await this.readStore.getMany<SignalInboxDocument>(
      await this.readModels.spec('signal-inbox'),
      doc.members.map((member) => `${actor.tenantId}:${member.signalId}`),
    );
    const scope = scopeFilters(actor)[0];
    const inScope = (signal: SignalInboxDocument) =>
      scope === undefined ||
      (scope.op === 'in' && signal.scopeKeys.some((key) => scope.values.includes(key)));
    response.setHeader('ETag', `"${doc.revision}"`);
    const phase = doc.state as DossierPhase;
    const state = {
      status: 'exists' as const,
      dossierId: doc.dossierId,
      tenantId: doc.tenantId,
      title: doc.title,
      phase,
      members: doc.members.map((member) => member.signalId),
    };
    const members = await Promise.all(
      doc.members.map(async (member): Promise<DossierMember> => {
        const stored = signals.get(`${actor.tenantId}:${member.signalId}`)?.doc;
        if (!stored || !inScope(stored)) return { ...member, visible: false as const };
        const signal = await openSignalText(this.sealed, stored, ['title']);
        const definition = getWorkflow(signal.workflow.name, signal.workflow.version);
        return {
          ...member,
          visible: true as const,
          title: signal.title,
          state: signal.state,
          stateLabel: definition.states[signal.state]?.label ?? signal.state,
          themes: signal.themes,
        };
      }),
    );
    return {
      ...doc,
      stateLabel: DOSSIER_PHASE_LABELS[phase] ?? doc.state,
      members,
      allowedCommands: allowedDossierCommands(state, actor).map((name) => ({
        name,
        label: DOSSIER_COMMANDS[name].label,
        path: `/dossiers/${id}/${name}`,
      })),
    };
  }

  private async execute(
    actor: AuthenticatedActor,
    command: ReturnType<typeof validateDossierCommand>,
    headers: Record<string, string | undefined>,
    response: Response,
  ): Promise<DossierCommandResult> {
    const idempotencyKey = headers['idempotency-key'];
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new ApiError(
        400,
        'INVALID_IDEMPOTENCY_KEY',
        'De Idempotency-Key moet 1 tot 200 zichtbare tekens tellen.',
      );
    }
    const expectedRevision = parseIfMatch(headers['if-match']);
    // The request's own id (correlate(), configure-app.ts), also in the answer's X-Correlation-Id.
    const correlationId = correlationIdOf(headers['x-correlation-id']);
    try {
      const { result, replayed } = await this.commandBus.execute(
        new ExecuteDossierCommand({
          actor,
          command,
          ...(expectedRevision !== undefined ? { expectedRevision } : {}),
          ...(idempotencyKey ? { idempotencyKey } : {}),
          correlationId,
        }),
      );
      response.setHeader('ETag', `"${result.revision}"`);
      if (replayed) response.setHeader('Idempotent-Replayed', 'true');
      return result;
    } catch (error) {
      throw asHttpError(error);
    }
  }

  private async freshness(minPosition: bigint | undefined, response: Response): Promise<void> {
    if (!(await this.readModels.reach(minPosition))) response.setHeader('X-Read-Model-Stale', 'true');
  }
}

function assertDossierId(id: string): void {
  if (!isUuid(id)) throw new ApiError(400, 'INVALID_ID', 'Dit is geen geldige dossier-id.');
}

function parseIfMatch(header: string | undefined): bigint | undefined {
  if (header === undefined) return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,18})"?\s*$/.exec(header);
  if (!match)
    throw new ApiError(400, 'INVALID_IF_MATCH', 'If-Match moet de revisie (ETag) van het dossier bevatten.');
  return BigInt(match[1]!);
}
