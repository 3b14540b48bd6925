import { Inject, Injectable } from '@nestjs/common';
import {
  dossierDetailProjection,
  dossierListProjection,
  quarterOf,
  supralocalCellsProjection,
  type DossierDetailDocument,
  type DossierListDocument,
  type SupralocalCellsFigures,
} from '../../projections/index.js';
import { isCode } from '../../workflows/taxonomy/taxonomy.js';
import type { AuthenticatedActor } from '../auth/actor.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { CLOCK, type Clock } from '../platform/clock.js';
import { csvDocument } from '../platform/csv.js';
import { ApiError } from '../platform/http/api-error.js';
import { ReadModels } from '../read-models/read-models.js';
import { POPULATION_BANDS } from '../tenants/tenant.events.js';
import {
  isQuarter,
  patterns,
  previousQuarter,
  quartersUpTo,
  themeLabel,
  themeSeries,
  type Participant,
  type Patterns,
  type ThemeSeries,
} from './core/patterns.js';
import { SupralocalParticipants } from './supralocal-participants.js';
import type { SupralocalEscalation, SupralocalEscalations } from './supralocal-answers.js';

export type { SupralocalEscalation };

const PAGE = 500;

const MAX_QUARTERS = 12;

const FIRST_YEAR = 2000;
const LAST_YEAR = 2100;

/** Who sees what: the analyst every participant; a lead processor only their own tenant's cells. */
interface Scope {
  participants: Participant[];
  columns?: ReadonlySet<string>;
  totals: boolean;
}

@Injectable()
export class SupralocalQueries {
  constructor(
    @Inject(ReadModels) private readonly readModels: ReadModels,
    @Inject(SupralocalParticipants) private readonly participants: SupralocalParticipants,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async patterns(
    actor: AuthenticatedActor,
    query: { period?: string; populationBand?: string },
  ): Promise<Patterns> {
    const period = this.period(query.period);
    const scope = await this.scope(actor, query.populationBand);
    const documents = await this.documents([period, previousQuarter(period)]);
    return patterns(documents, scope.participants, period, this.config.supralocal, scope);
  }

  async theme(
    actor: AuthenticatedActor,
    code: string,
    query: { period?: string; quarters?: string; populationBand?: string },
  ): Promise<ThemeSeries> {
    if (!isCode('themes', code))
      throw new ApiError(404, 'THEME_NOT_FOUND', `"${code}" is geen thema van de gedeelde thema-indeling.`);
    const period = this.period(query.period);
    // Digits only: Number() would also take 0x4, 1e1 and +4.
    const count =
      query.quarters === undefined ? 4 : /^\d{1,2}$/.test(query.quarters) ? Number(query.quarters) : NaN;
    if (!Number.isSafeInteger(count) || count < 1 || count > MAX_QUARTERS)
      throw invalid(`quarters moet een geheel getal van 1 tot ${MAX_QUARTERS} zijn.`);
    const scope = await this.scope(actor, query.populationBand);
    const quarters = quartersUpTo(period, count);
    return themeSeries(
      code,
      await this.documents(quarters),
      scope.participants,
      quarters,
      this.config.supralocal,
      scope,
    );
  }

  /**
   * The dossiers escalated to the supra-local level by the municipalities in scope, with their
   * public summary (title, summary, themes, the body it went to), newest first; within a quarter
   * of escalation when one is given. No member signal's text, no person.
   */
  async escalations(actor: AuthenticatedActor, query: { period?: string }): Promise<SupralocalEscalations> {
    const period = query.period === undefined || query.period === '' ? null : this.period(query.period);
    const scope = await this.scope(actor, undefined);
    const names = new Map(scope.participants.map((participant) => [participant.tenantId, participant.name]));
    const inScope = (tenantId: string) =>
      names.has(tenantId) && (scope.columns === undefined || scope.columns.has(tenantId));
    const escalations: SupralocalEscalation[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const page = await this.readModels.list<DossierListDocument>(dossierListProjection.name, {
        filters: [{ field: 'levels', op: 'in', values: ['supralocal'] }],
        limit: PAGE,
        offset,
        count: false,
      });
      for (const dossier of page.items) {
        if (!inScope(dossier.tenantId)) continue;
        const detail = await this.readModels.get<DossierDetailDocument>(
          dossierDetailProjection.name,
          `${dossier.tenantId}:${dossier.dossierId}`,
        );
        for (const escalation of detail?.escalations ?? []) {
          if (escalation.level !== 'supralocal') continue;
          if (period !== null && quarterOf(escalation.at) !== period) continue;
          escalations.push({
            tenantId: dossier.tenantId,
            municipality: names.get(dossier.tenantId)!,
            dossierId: dossier.dossierId,
            title: dossier.title,
            summary: detail!.summary,
            themes: dossier.themes,
            state: dossier.state,
            memberCount: dossier.memberCount,
            escalatedAt: escalation.at,
            body: escalation.body,
          });
        }
      }
      if (!page.hasMore) break;
    }
    escalations.sort(
      (a, b) => b.escalatedAt.localeCompare(a.escalatedAt) || a.dossierId.localeCompare(b.dossierId),
    );
    return { period, escalations };
  }

  /**
   * The cells of a pattern view as CSV: one line per municipality and theme, then (for the analyst)
   * one per theme and month over all participating municipalities; suppressed ones marked.
   */
  csv(view: Patterns): string {
    const names = new Map(view.municipalities.map((municipality) => [municipality.tenantId, municipality]));
    const rows = view.cells.map((cell) => {
      const municipality = names.get(cell.tenantId);
      const figures =
        'suppressed' in cell
          ? ['', '', '', '', '', 'onderdrukt']
          : [
              String(cell.signals),
              String(cell.givers),
              String(cell.organisations),
              String(cell.escalations),
              String(cell.dossiers),
              'gepubliceerd',
            ];
      return [
        view.period,
        cell.theme,
        themeLabel(cell.theme),
        cell.tenantId,
        municipality?.name ?? cell.tenantId,
        municipality?.populationBand ?? '',
        ...figures,
      ];
    });
    for (const theme of view.months?.themes ?? []) {
      for (const { period, figures } of theme.months) {
        if (figures === null) continue;
        rows.push([
          period,
          theme.theme,
          theme.label,
          '',
          'Alle deelnemende besturen',
          '',
          ...(figures.suppressed
            ? ['', '', '', '', '', 'onderdrukt']
            : [
                String(figures.signals),
                String(figures.givers),
                String(figures.organisations),
                String(figures.escalations),
                String(figures.dossiers),
                'gepubliceerd',
              ]),
        ]);
      }
    }
    return csvDocument(
      [
        'periode',
        'thema',
        'themanaam',
        'bestuur',
        'naam',
        'inwonersklasse',
        'signalen',
        'signaalgevers',
        'organisaties',
        'bovenlokaal geagendeerd',
        'dossiers',
        'status',
      ],
      rows,
    );
  }

  private period(value: string | undefined): string {
    if (value === undefined || value === '') {
      const now = this.clock.now().toISOString();
      return `${now.slice(0, 4)}-Q${Math.floor((Number(now.slice(5, 7)) - 1) / 3) + 1}`;
    }
    // The years a brief's period may have too; outside them a quarter before (0000-Q1's) cannot be written.
    const year = Number(value.slice(0, 4));
    if (!isQuarter(value) || year < FIRST_YEAR || year > LAST_YEAR)
      throw invalid(`period moet een kwartaal van ${FIRST_YEAR} tot ${LAST_YEAR} zijn, zoals 2026-Q3.`);
    return value;
  }

  private async scope(actor: AuthenticatedActor, populationBand: string | undefined): Promise<Scope> {
    if (populationBand !== undefined && !(POPULATION_BANDS as readonly string[]).includes(populationBand))
      throw invalid(
        `populationBand is geen inwonersklasse; kies uit ${POPULATION_BANDS.slice(0, -1).join(', ')} of ${POPULATION_BANDS.at(-1)}.`,
      );
    const participants = await this.participants.list();
    if (actor.roles.includes('supralocal-analyst')) {
      const columns =
        populationBand === undefined
          ? undefined
          : new Set(participants.filter((p) => p.populationBand === populationBand).map((p) => p.tenantId));
      return { participants, ...(columns ? { columns } : {}), totals: true };
    }
    // A lead processor: their own tenant's cells, suppressed as in the whole table, no totals.
    if (!participants.some((participant) => participant.tenantId === actor.tenantId)) {
      throw new ApiError(
        403,
        'SUPRALOCAL_NOT_OPTED_IN',
        'Je bestuur neemt niet deel aan de bovenlokale analyse. De beheerder kan dat aanzetten in de instellingen.',
      );
    }
    return { participants, columns: new Set([actor.tenantId]), totals: false };
  }

  /** The figures of these quarters' cells documents; their digest tallies are left unread. */
  private async documents(quarters: readonly string[]): Promise<SupralocalCellsFigures[]> {
    const documents: SupralocalCellsFigures[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const page = await this.readModels.list<SupralocalCellsFigures>(supralocalCellsProjection.name, {
        filters: [{ field: 'quarter', op: 'in', values: quarters }],
        limit: PAGE,
        offset,
        count: false,
        omit: ['tally'],
      });
      documents.push(...page.items);
      if (!page.hasMore) return documents;
    }
  }
}

/**
 * The query parameters each supra-local route takes. Any other is refused (400 INVALID_QUERY), as
 * on the other list routes: a typo (`?periode=`) would otherwise silently give other figures.
 */
export const SUPRALOCAL_PARAMS = {
  patterns: ['period', 'populationBand'],
  theme: ['period', 'quarters', 'populationBand'],
  escalations: ['period'],
} as const;

function invalid(message: string): ApiError {
  return new ApiError(400, 'INVALID_QUERY', message);
}
