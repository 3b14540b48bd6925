import { Controller, Get, Headers, Inject, Param, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { AuthenticatedActor } from '../auth/actor.js';
import { CurrentActor, Roles } from '../auth/decorators.js';
import { ApiError } from '../platform/http/api-error.js';
import type { Patterns, ThemeSeries } from './core/patterns.js';
import type { SupralocalEscalations } from './supralocal-answers.js';
import { queryParams } from '../platform/http/query-params.js';
import { SUPRALOCAL_PARAMS, SupralocalQueries } from './supralocal-queries.js';
import { ReadModels } from '../read-models/read-models.js';
import { position } from '../signals/list-signals/inbox-query.js';

/**
 * Supra-local pattern views: the `supralocal-analyst` sees every opted-in municipality, a lead
 * processor only their own tenant's cells. Every figure is suppressed on the server.
 */
@Controller('supralocal')
@Roles('supralocal-analyst', 'lead-processor')
export class SupralocalController {
  constructor(
    @Inject(SupralocalQueries) private readonly queries: SupralocalQueries,
    @Inject(ReadModels) private readonly readModels: ReadModels,
  ) {}

  /** Read-your-writes on request (`X-Min-Position`), as the other read-model routes. */
  private async reach(minPosition: string | undefined, response: Response): Promise<void> {
    if (!(await this.readModels.reach(position(minPosition))))
      response.setHeader('X-Read-Model-Stale', 'true');
  }

  /** Themes rising across municipalities, the table's cells, co-occurrence; JSON or CSV (`Accept: text/csv`). */
  @Get('patterns')
  async patterns(
    @CurrentActor() actor: AuthenticatedActor,
    @Query() params: Record<string, unknown>,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
    @Headers('x-min-position') minPosition: string | undefined,
  ): Promise<Patterns | string> {
    const query = queryParams(params, SUPRALOCAL_PARAMS.patterns);
    const csv = wantsCsv(request);
    await this.reach(minPosition, response);
    const view = await this.queries.patterns(actor, query);
    response.setHeader('Cache-Control', 'no-store');
    response.setHeader('Vary', 'Accept');
    if (!csv) return view;
    response.type('text/csv; charset=utf-8');
    response.setHeader(
      'Content-Disposition',
      `attachment; filename="bovenlokale-patronen-${view.period}.csv"`,
    );
    return this.queries.csv(view);
  }

  /** Dossiers escalated to the supra-local level, with their public summaries (`?period=` a quarter). */
  @Get('escalations')
  async escalations(
    @CurrentActor() actor: AuthenticatedActor,
    @Query() params: Record<string, unknown>,
    @Headers('x-min-position') minPosition: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SupralocalEscalations> {
    const query = queryParams(params, SUPRALOCAL_PARAMS.escalations);
    await this.reach(minPosition, response);
    return this.queries.escalations(actor, query);
  }

  /** One shared theme over the last quarters (default 4), per municipality. */
  @Get('themes/:code')
  async theme(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('code') code: string,
    @Query() params: Record<string, unknown>,
    @Headers('x-min-position') minPosition: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ThemeSeries> {
    const query = queryParams(params, SUPRALOCAL_PARAMS.theme);
    await this.reach(minPosition, response);
    return this.queries.theme(actor, code, query);
  }
}

function wantsCsv(request: Request): boolean {
  const format = request.accepts(['application/json', 'text/csv']);
  if (format === false)
    throw new ApiError(
      406,
      'NOT_ACCEPTABLE',
      'De patronen zijn er als JSON (application/json) of als CSV (text/csv).',
    );
  return format === 'text/csv';
}
