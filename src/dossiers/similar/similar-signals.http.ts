import { Controller, Get, Headers, Inject, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { AuthenticatedActor } from '../../auth/actor.js';
import { CurrentActor, Roles } from '../../auth/decorators.js';
import { ApiError } from '../../platform/http/api-error.js';
import { isUuid } from '../../platform/ids.js';
import { isInScope, type ExistingSignal } from '../../signals/signal.decider.js';
import { position } from '../../signals/list-signals/inbox-query.js';
import { THEME_WEIGHT, TEXT_WEIGHT, type IndexedSignal } from './similarity-index.js';
import { SimilarSignals } from './similar-signals.service.js';

const FRESHNESS_TIMEOUT_MS = 2000;
const PARAMS = new Set(['limit', 'minPosition']);

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
  ) {
    if (!isUuid(id)) throw new ApiError(400, 'INVALID_ID', 'Dit is geen geldige signaal-id.');
    for (const name of Object.keys(params)) {
      if (!PARAMS.has(name))
        throw new ApiError(400, 'INVALID_QUERY', `Onbekende parameter '${name.slice(0, 40)}'.`);
    }
    const rawLimit = params['limit'];
    if (
      rawLimit !== undefined &&
      (typeof rawLimit !== 'string' ||
        !/^\d{1,2}$/.test(rawLimit) ||
        Number(rawLimit) < 1 ||
        Number(rawLimit) > 50)
    )
      throw new ApiError(400, 'INVALID_QUERY', "De parameter 'limit' is een geheel getal van 1 tot 50.");
    const limit = rawLimit === undefined ? 10 : Number(rawLimit);
    const rawMin = params['minPosition'];
    if (rawMin !== undefined && typeof rawMin !== 'string')
      throw new ApiError(400, 'INVALID_QUERY', "De parameter 'minPosition' mag maar één keer voorkomen.");
    const wanted = position(rawMin ?? minPositionHeader) ?? (await this.similar.head());
    if (wanted !== null && !(await this.similar.reach(wanted, FRESHNESS_TIMEOUT_MS)))
      response.setHeader('X-Read-Model-Stale', 'true');

    const { index } = this.similar;
    const visible = (signal: IndexedSignal) =>
      actor.roles.some((role) => isInScope(role, actor, asSignal(actor.tenantId, signal)));
    const subject = index.get(actor.tenantId, id);
    if (!subject || !visible(subject)) {
      throw new ApiError(404, 'SIGNAL_NOT_FOUND', 'Dit signaal bestaat niet of u hebt er geen toegang toe.');
    }
    const ranked = index.similar(actor.tenantId, id, { limit, visible });
    return {
      signalId: id,
      scoring: { text: TEXT_WEIGHT, themes: THEME_WEIGHT },
      items: ranked.map(({ signal, score, text, themes, sharedTerms }) => ({
        signalId: signal.signalId,
        title: signal.title,
        state: signal.state,
        themes: signal.themes,
        dossierId: signal.dossierId,
        score: round(score),
        textScore: round(text),
        themeScore: round(themes),
        sharedTerms,
      })),
    };
  }
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

/** The decider's view of an indexed signal, for DOMAIN.md's scope rules. */
function asSignal(tenantId: string, signal: IndexedSignal): ExistingSignal {
  return {
    status: 'exists',
    signalId: signal.signalId,
    tenantId,
    workflow: { name: 'signal-lifecycle', version: 1 },
    state: signal.state,
    previousState: null,
    givenBy: signal.givenBy,
    organisationId: signal.organisationId,
    mergedInto: null,
    submittedAt: '',
    stateEnteredAt: '',
    attributes: {
      title: signal.title,
      description: signal.description,
      themes: signal.themes,
      targetGroups: [],
      area: null,
      areaType: null,
      estimatedPeopleAffected: null,
      urgency: null,
      structural: null,
      assigneeId: signal.assigneeId,
      policyDomain: signal.policyDomain,
    },
  };
}
