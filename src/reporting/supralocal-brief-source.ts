import type { AuthenticatedActor } from '../auth/actor.js';
import type { SupralocalQueries } from '../supralocal/supralocal-queries.js';
import { SUPRALOCAL_SCOPE } from './brief.events.js';
import { participantBands, trendThemes, type SupralocalBriefInput } from './supralocal-brief-content.js';

/** Where the supra-local brief's figures come from (a port: the generator knows no read model). */
export abstract class SupralocalBriefSource {
  abstract read(quarter: string): Promise<SupralocalBriefInput>;
}

/** Quarters of the theme trend: this one and the three before. */
export const TREND_QUARTERS = 4;

/**
 * The figures through SupralocalQueries only, with the analyst's scope (every participating
 * municipality): the same suppression as the API's answers, so the brief can publish nothing the
 * analyst could not already see. The brief worker acts as an analyst of no tenant.
 */
export class QueriesSupralocalBriefSource extends SupralocalBriefSource {
  private readonly actor: AuthenticatedActor = {
    id: 'brief-worker',
    tenantId: SUPRALOCAL_SCOPE,
    roles: ['supralocal-analyst'],
    policyDomains: [],
  };

  constructor(private readonly queries: SupralocalQueries) {
    super();
  }

  async read(quarter: string): Promise<SupralocalBriefInput> {
    const patterns = await this.queries.patterns(this.actor, { period: quarter });
    const bands = [];
    for (const band of participantBands(patterns))
      bands.push({
        band,
        patterns: await this.queries.patterns(this.actor, { period: quarter, populationBand: band }),
      });
    const series = [];
    for (const theme of trendThemes(patterns))
      series.push(
        await this.queries.theme(this.actor, theme, { period: quarter, quarters: String(TREND_QUARTERS) }),
      );
    const { escalations } = await this.queries.escalations(this.actor, { period: quarter });
    return { quarter, patterns, bands, series, escalations };
  }
}
