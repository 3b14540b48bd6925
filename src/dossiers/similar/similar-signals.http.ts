import { Controller, Get, Headers, Inject, Param, Query, Res } from '@nestjs/common';
import { queryParams } from '../../platform/http/query-params.js';
import type { Response } from 'express';
import type { AuthenticatedActor } from '../../auth/actor.js';
import { CurrentActor, Roles } from '../../auth/decorators.js';
import { ApiError } from '../../platform/http/api-error.js';
import { isUuid } from '../../platform/ids.js';
import { position } from '../../signals/list-signals/inbox-query.js';
import { THEME_WEIGHT, TEXT_WEIGHT } from './similarity-index.js';
import { SimilarSignals } from './similar-signals.service.js';
import type { SimilarSignalsAnswer } from '../dossier-answers.js';

const FRESHNESS_TIMEOUT_MS = 2000;
const PARAMS = ['limit', 'minPosition'] as const;

/** `GET /signals/{id}/similar`: bundling suggestions, ranked, within the caller's scope. */
@Controller('signals')
@Roles('lead-processor', 'processor', 'partner-processor')
export class SimilarSignalsController {
  constructor(@Inject(SimilarSignals) private readonly similar: SimilarSignals) {}

  @Get(':id/similar')
  async list(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id') id: string,
    @Query() params: Record<string, unknown>,
    @Headers('x-min-position') minPositionHeader: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SimilarSignalsAnswer> {
    if (!isUuid(id)) throw new ApiError(400, 'INVALID_ID', 'Dit is geen geldige signaal-id.');
    const query = queryParams(params, PARAMS);
    const rawLimit = query.limit;
    if (
      rawLimit !== undefined &&
      (!/^\d{1,2}$/.test(rawLimit) || Number(rawLimit) < 1 || Number(rawLimit) > 50)
    )
      throw new ApiError(400, 'INVALID_QUERY', "De parameter 'limit' is een geheel getal van 1 tot 50.");
    const limit = rawLimit === undefined ? 10 : Number(rawLimit);
    const wanted = position(query.minPosition ?? minPositionHeader) ?? (await this.similar.head());
    const answer = await this.similar.similarTo({
      actor,
      signalId: id,
      limit,
      wanted,
      timeoutMs: FRESHNESS_TIMEOUT_MS,
    });
    if (!answer.reached) response.setHeader('X-Read-Model-Stale', 'true');
    if (!answer.found) {
      throw new ApiError(404, 'SIGNAL_NOT_FOUND', 'Dit signaal bestaat niet of je hebt er geen toegang toe.');
    }
    return {
      signalId: id,
      scoring: { text: TEXT_WEIGHT, themes: THEME_WEIGHT },
      items: answer.items,
    };
  }
}
