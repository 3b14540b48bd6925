import { Body, Controller, Headers, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import { hasControlCharacter, isBlank } from '../../platform/text.js';
import type { Response } from 'express';
import type { AuthenticatedActor } from '../../auth/actor.js';
import { CurrentActor, Roles } from '../../auth/decorators.js';
import { ApiError } from '../../platform/http/api-error.js';
import { isUuid, uuidv7 } from '../../platform/ids.js';
import { REASON_MAX, REASON_MIN } from './erase-text.decider.js';
import { SignalTextEraser, type ErasureResult } from './signal-text-eraser.js';

const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/**
 * `POST /signals/{id}/erase-text` `{ "reason": "…" }`: a lead processor erases the signal's free
 * text. The events stay (the history replays, the hash chain verifies); their text no longer
 * decrypts and every read model shows "[gewist]".
 */
@Controller('signals')
export class EraseTextController {
  constructor(@Inject(SignalTextEraser) private readonly eraser: SignalTextEraser) {}

  @Post(':id/erase-text')
  @HttpCode(200)
  @Roles('lead-processor')
  async eraseText(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id') id: string,
    @Body() body: unknown,
    @Headers('x-correlation-id') suppliedCorrelation: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ErasureResult> {
    if (!isUuid(id)) throw new ApiError(400, 'INVALID_ID', 'Dit is geen geldige signaal-id.');
    const reason = reasonOf(body);
    const correlationId =
      suppliedCorrelation && CORRELATION_ID.test(suppliedCorrelation) ? suppliedCorrelation : uuidv7();
    const result = await this.eraser.erase(id, reason, { kind: 'person', actor }, correlationId);
    response.setHeader('ETag', `"${result.revision}"`);
    response.setHeader('X-Correlation-Id', correlationId);
    return result;
  }
}

function reasonOf(body: unknown): string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError(
      400,
      'FIELD_REQUIRED',
      "Het veld 'reason' is verplicht: waarom wordt de tekst gewist?",
      {
        field: 'reason',
      },
    );
  }
  for (const key of Object.keys(body)) {
    if (key !== 'reason') {
      throw new ApiError(400, 'FIELD_NOT_ALLOWED', `Het veld '${key}' hoort niet bij deze opdracht.`, {
        field: key,
      });
    }
  }
  const reason = (body as { reason?: unknown }).reason;
  if (reason === undefined || reason === null) {
    throw new ApiError(
      400,
      'FIELD_REQUIRED',
      "Het veld 'reason' is verplicht: waarom wordt de tekst gewist?",
      {
        field: 'reason',
      },
    );
  }
  if (
    typeof reason !== 'string' ||
    reason.trim().length < REASON_MIN ||
    reason.trim().length > REASON_MAX ||
    isBlank(reason) ||
    hasControlCharacter(reason)
  ) {
    throw new ApiError(
      400,
      'FIELD_INVALID',
      `Het veld 'reason' moet tekst van ${REASON_MIN} tot ${REASON_MAX} tekens zijn.`,
      { field: 'reason' },
    );
  }
  return reason;
}
