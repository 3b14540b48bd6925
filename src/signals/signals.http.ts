import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import { CurrentActor, Roles } from '../auth/decorators.js';
import type { AuthenticatedActor } from '../auth/actor.js';
import { isUuid } from '../platform/ids.js';
import { ApiError } from '../platform/http/api-error.js';
import { correlationIdOf } from '../platform/http/correlation.js';
import { KNOWN_COMMANDS, validateCommandBody } from './command-fields.validation.js';
import {
  ExecuteSignalCommand,
  type SignalCommandResult,
} from './execute-signal-command/execute-signal-command.command.js';
import { isInScope, type SignalState } from './signal.decider.js';
import { signalDecider, SignalRepository } from './signal.repository.js';
import { SignalWorkflowSource } from './signal-workflow-source.js';
import type { JsonObject } from '../platform/json.js';
import type { AllowedCommands } from './signal-answers.js';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

/**
 * Signals over HTTP. Commands: `POST /signals` submits, `POST /signals/{id}/{command}` fires any
 * other command of the signal's workflow definition (one route for a data-driven set of commands;
 * OpenAPI lists each command's path and body). The revision travels as ETag / If-Match.
 */
@Controller('signals')
@Roles('signal-giver', 'lead-processor', 'processor', 'partner-processor')
export class SignalsController {
  constructor(
    @Inject(CommandBus) private readonly commandBus: CommandBus,
    @Inject(SignalRepository) private readonly signals: SignalRepository,
    @Inject(SignalWorkflowSource) private readonly workflows: SignalWorkflowSource,
  ) {}

  @Post()
  @HttpCode(201)
  async submit(
    @CurrentActor() actor: AuthenticatedActor,
    @Body() body: unknown,
    @Headers() headers: Record<string, string | undefined>,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SignalCommandResult> {
    const definition = await this.workflows.definitionForNewSignals(actor.tenantId);
    const fields = validateCommandBody(definition, 'submit', body);
    const outcome = await this.execute(actor, 'submit', undefined, fields, headers, response);
    response.location(`/signals/${outcome.signalId}`);
    return outcome;
  }

  @Post(':id/:command')
  @HttpCode(200)
  async command(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id') id: string,
    @Param('command') command: string,
    @Body() body: unknown,
    @Headers() headers: Record<string, string | undefined>,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SignalCommandResult> {
    assertSignalId(id);
    if (!KNOWN_COMMANDS.has(command) || command === 'submit') {
      throw new ApiError(404, 'UNKNOWN_COMMAND', 'Deze opdracht bestaat niet.');
    }
    // The handler checks the body against the definition the signal runs under, on the state it
    // loads to decide: the stream is read once.
    return this.execute(actor, command, id, (body ?? {}) as JsonObject, headers, response, true);
  }

  @Get(':id/allowed-commands')
  async allowedCommands(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id') id: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<AllowedCommands> {
    assertSignalId(id);
    const loaded = await this.signals.load(actor.tenantId, id);
    visibleSignal(loaded.state, actor);
    response.setHeader('ETag', `"${String(loaded.revision)}"`);
    return {
      signalId: id,
      revision: String(loaded.revision),
      commands: signalDecider
        .allowedCommands(loaded.state, actor, await this.workflows.definitionForNewSignals(actor.tenantId))
        .map(({ name, spec }) => ({
          name,
          label: spec.label,
          required: spec.required,
          optional: spec.optional,
          ...(spec.requireOneOf ? { requireOneOf: spec.requireOneOf } : {}),
          path: `/signals/${id}/${name}`,
        })),
    };
  }

  private async execute(
    actor: AuthenticatedActor,
    name: string,
    signalId: string | undefined,
    fields: JsonObject,
    headers: Record<string, string | undefined>,
    response: Response,
    unchecked = false,
  ): Promise<SignalCommandResult> {
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
    const { result, replayed } = await this.commandBus.execute(
      new ExecuteSignalCommand({
        actor,
        name,
        ...(signalId ? { signalId } : {}),
        fields,
        ...(unchecked ? { unchecked: true as const } : {}),
        ...(expectedRevision !== undefined ? { expectedRevision } : {}),
        ...(idempotencyKey ? { idempotencyKey } : {}),
        correlationId,
      }),
    );
    response.setHeader('ETag', `"${result.revision}"`);
    if (replayed) response.setHeader('Idempotent-Replayed', 'true');
    return result;
  }
}

function assertSignalId(id: string): void {
  if (!isUuid(id)) throw new ApiError(400, 'INVALID_ID', 'Dit is geen geldige signaal-id.');
}

function parseIfMatch(header: string | undefined): bigint | undefined {
  if (header === undefined) return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,18})"?\s*$/.exec(header);
  if (!match)
    throw new ApiError(400, 'INVALID_IF_MATCH', 'If-Match moet de revisie (ETag) van het signaal bevatten.');
  return BigInt(match[1]!);
}

/** Refuses a signal outside the actor's scope with the same 404 as one that does not exist. */
function visibleSignal(state: SignalState, actor: AuthenticatedActor): void {
  if (state.status === 'exists' && actor.roles.some((role) => isInScope(role, actor, state))) return;
  throw new ApiError(404, 'SIGNAL_NOT_FOUND', 'Dit signaal bestaat niet of je hebt er geen toegang toe.');
}
