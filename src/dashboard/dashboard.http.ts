import { Controller, Get, Headers, Inject, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import {
  dashboardView,
  readDashboardDocument,
  servedDashboardMembers,
  workloadView,
  type ProcessorWorkloadDocument,
} from '../../projections/index.js';
import type { AuthenticatedActor } from '../auth/actor.js';
import { CurrentActor, Roles } from '../auth/decorators.js';
import { CLOCK, type Clock } from '../platform/clock.js';
import { ReadModels } from '../read-models/read-models.js';
import type { DashboardAnswer } from './dashboard-answer.js';
import { position } from '../signals/list-signals/inbox-query.js';
import { queryParams } from '../platform/http/query-params.js';

/** The tenant dashboard of the token's tenant: aggregated figures only, never a signal's text. */
@Controller('dashboard')
@Roles('lead-processor', 'official', 'tenant-admin')
export class DashboardController {
  constructor(
    @Inject(ReadModels) private readonly readModels: ReadModels,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  async dashboard(
    @CurrentActor() actor: AuthenticatedActor,
    @Query() params: Record<string, unknown>,
    @Headers('x-min-position') minPositionHeader: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const { minPosition: minPositionParam } = queryParams(params, ['minPosition']);
    // Read-your-writes as the inbox has it: the parameter, or the header.
    if (!(await this.readModels.reach(position(minPositionParam ?? minPositionHeader))))
      response.setHeader('X-Read-Model-Stale', 'true');
    const [served, workload] = await Promise.all([
      this.readModels.getServed('tenant-dashboard', actor.tenantId),
      this.readModels.get<ProcessorWorkloadDocument>('processor-workload', actor.tenantId),
    ]);
    const now = this.clock.now();
    // Who works on what is for the lead processor, not for officials.
    const workloadShown = workload && actor.roles.includes('lead-processor') ? workloadView(workload) : null;
    if (served) {
      // The stored answer, sent as it is: nothing parsed or walked that grows with the history.
      response.type('application/json');
      return (
        `{"tenantId":${JSON.stringify(actor.tenantId)},"generatedAt":"${now.toISOString()}",` +
        servedDashboardMembers(served, now) +
        (workloadShown ? `,"workload":${JSON.stringify(workloadShown)}}` : '}')
      );
    }
    // No served form: a tenant without signals yet, or an older version active during an upgrade.
    const dashboard = await this.readModels.get('tenant-dashboard', actor.tenantId);
    const answer: DashboardAnswer = {
      tenantId: actor.tenantId,
      generatedAt: now.toISOString(),
      ...(dashboard ? dashboardView(readDashboardDocument(dashboard), now) : null),
      ...(workloadShown ? { workload: workloadShown } : {}),
    };
    return answer;
  }
}
