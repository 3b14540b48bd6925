import { Controller, Get, Inject, Param } from '@nestjs/common';
import {
  countAt,
  monthKey,
  readDashboardDocument,
  type Series,
  type SignalInboxDocument,
} from '../../projections/index.js';
import { codesOf } from '../../workflows/taxonomy/taxonomy.js';
import { Public } from '../auth/decorators.js';
import { CLOCK, type Clock } from '../platform/clock.js';
import { ApiError } from '../platform/http/api-error.js';
import { ReadModels } from '../read-models/read-models.js';
import type { PublicTenantPage } from './tenant-answers.js';
import type { EngagementMode } from './tenant.events.js';
import { TenantsService } from './tenants.service.js';

/** DOMAIN.md: a figure is public only from 5 signals on. */
export const MIN_PUBLIC_COUNT = 5;

const ENGAGEMENT_LABELS: Record<EngagementMode, string> = {
  1: 'Verwerkt de signalen van het eigen personeel',
  2: 'Verwerkt signalen op het hele grondgebied (mandaat)',
  3: 'Signaleert, zonder verwerking',
  4: 'Neemt deel aan het beleid, zonder toegang tot de tool',
};

/** The tenant's public "Lokaal Signaal" page: no authentication, no personal data, suppressed figures. */
@Controller('public')
export class PublicPageController {
  constructor(
    @Inject(TenantsService) private readonly tenants: TenantsService,
    @Inject(ReadModels) private readonly readModels: ReadModels,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Public()
  @Get(':tenant')
  async page(@Param('tenant') tenantId: string): Promise<PublicTenantPage> {
    const state = /^[a-z][a-z0-9-]{1,62}$/.test(tenantId) ? await this.tenants.tenant(tenantId) : null;
    if (!state || state.status !== 'exists') {
      throw new ApiError(404, 'TENANT_NOT_FOUND', 'Dit bestuur heeft (nog) geen Lokaal Signaal-pagina.');
    }
    const { settings } = state;
    const organisations = await this.tenants.organisations(tenantId);
    const year = String(this.clock.now().getUTCFullYear());
    return {
      tenant: { slug: state.tenantId, name: state.name, nisCode: state.nisCode },
      organisations: organisations.map((o) => ({
        id: o.organisationId,
        name: o.name,
        engagementMode: o.engagementMode,
        engagement: ENGAGEMENT_LABELS[o.engagementMode],
        description: o.description,
      })),
      agreements: settings.agreements,
      privacyStatement: settings.privacyStatement,
      contactPoint: settings.contactPoint,
      howToGetAnInvite:
        settings.inviteInstructions ??
        (settings.contactPoint
          ? `Vraag een uitnodiging aan bij ${settings.contactPoint.name} (${settings.contactPoint.email}). Je ontvangt een persoonlijke link om je account te maken.`
          : 'Vraag een uitnodiging aan bij de hoofdsignaalverwerker van je bestuur.'),
      supralocalOptIn: settings.supralocalOptIn,
      figures: await this.figures(tenantId, year),
    };
  }

  /** Received and closed this year, in total (tenant dashboard) and per theme; counts under 5 are left out. */
  private async figures(tenantId: string, year: string) {
    const stored = await this.readModels.get('tenant-dashboard', tenantId);
    const dashboard = stored && readDashboardDocument(stored);
    const january = monthKey(`${year}-01`);
    const sumYear = (perMonth: Series | undefined) => {
      let sum = 0;
      for (let month = january; month < january + 12 && perMonth; month++) sum += countAt(perMonth, month);
      return sum;
    };
    const suppress = (n: number) => (n >= MIN_PUBLIC_COUNT ? n : null);
    const from = `${year}-01-01T00:00:00.000Z`;
    const to = `${Number(year) + 1}-01-01T00:00:00.000Z`;
    const byTheme: Array<{ theme: string; received: number; closed: number | null }> = [];
    for (const theme of codesOf('themes')) {
      const base = [
        { field: 'tenantId', op: 'eq' as const, value: tenantId },
        { field: 'themes', op: 'eq' as const, value: theme },
        { field: 'submittedAt', op: 'range' as const, gte: from, lt: to },
      ];
      const received =
        (
          await this.readModels.list<SignalInboxDocument>('signal-inbox', {
            filters: base,
            limit: 1,
            count: true,
          })
        ).total ?? 0;
      if (received < MIN_PUBLIC_COUNT) continue;
      const closed =
        (
          await this.readModels.list<SignalInboxDocument>('signal-inbox', {
            filters: [...base, { field: 'state', op: 'eq', value: 'closed' }],
            limit: 1,
            count: true,
          })
        ).total ?? 0;
      // A closed count under 5 is hidden; received minus it would reveal it only as a range.
      byTheme.push({ theme, received, closed: suppress(closed) });
    }
    return {
      year: Number(year),
      minimumCount: MIN_PUBLIC_COUNT,
      received: suppress(sumYear(dashboard?.submittedPerMonth)),
      closed: suppress(sumYear(dashboard?.closedPerMonth)),
      byTheme,
      note: `Aantallen onder ${MIN_PUBLIC_COUNT} worden niet getoond. Per thema: signalen ontvangen dit jaar, en hoeveel daarvan afgesloten zijn.`,
    };
  }
}
