import { Controller, Get, Headers, Inject, Param, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { AuthenticatedActor } from '../auth/actor.js';
import { CurrentActor, Roles } from '../auth/decorators.js';
import { ApiError } from '../platform/http/api-error.js';
import { historyCsv, type DecisionHistory } from './core/decision-history.js';
import { correlationIdOf } from '../platform/http/correlation.js';
import { SignalAuditReader } from './signal-audit-reader.js';

/** `GET /signals/{id}/history`: the decision history, replayed from the signal's stream; JSON or CSV. */
@Controller('signals')
@Roles('signal-giver', 'lead-processor', 'processor', 'partner-processor', 'auditor')
export class SignalHistoryController {
  constructor(@Inject(SignalAuditReader) private readonly reader: SignalAuditReader) {}

  @Get(':id/history')
  async history(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id') id: string,
    @Headers('x-correlation-id') correlation: string | undefined,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<DecisionHistory | string> {
    const format = request.accepts(['application/json', 'text/csv']);
    if (format === false) {
      throw new ApiError(
        406,
        'NOT_ACCEPTABLE',
        'De geschiedenis is er als JSON (application/json) of als CSV (text/csv).',
      );
    }
    const csv = format === 'text/csv';
    const history = await this.reader.history(actor, id, csv ? 'csv' : 'json', correlationIdOf(correlation));
    response.setHeader('Cache-Control', 'no-store');
    response.setHeader('Vary', 'Accept');
    if (!csv) return history;
    response.type('text/csv; charset=utf-8');
    response.setHeader('Content-Disposition', `attachment; filename="signaal-${id}-geschiedenis.csv"`);
    return historyCsv(history);
  }
}
