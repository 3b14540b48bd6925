import { Controller, Get, HttpStatus, Inject, Logger, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Public } from '../auth/decorators.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { EventStore, type EventStoreHealth } from '../platform/event-store/event-store.port.js';
import type { RolePlacement } from '../platform/lease/leased-role.js';
import { ProjectionHost } from '../read-models/projection-host.js';
import { ProcessWorkflowsLeader } from '../processes/process-workflows-leader.js';

@Public()
@Controller('health')
export class HealthController {
  private readonly logger = new Logger('Health');
  /** The event store's detail when it was last found unreachable: logged once per change, not per poll. */
  private loggedFailure: string | null = null;

  constructor(
    @Inject(EventStore) private readonly eventStore: EventStore,
    @Inject(ProjectionHost) private readonly projections: ProjectionHost,
    @Inject(ProcessWorkflowsLeader) private readonly processes: ProcessWorkflowsLeader,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'healthDetails'>,
  ) {}

  /**
   * The event store's state, each read model's lag, and whether this instance runs the projection
   * runner and the process workflows (`leading`) or another one does (`standby`); 503 when the
   * store cannot be reached. The route needs no token, so who holds a lease (host:pid) and the
   * store's own detail (its host, raw error text) are left out unless HEALTH_DETAILS is on; an
   * unreachable store's detail goes to the log instead.
   */
  @Get()
  async health(@Res({ passthrough: true }) response: Response) {
    const eventStore = await this.eventStore.health();
    this.logFailure(eventStore);
    const projections = eventStore.ok ? await this.projections.status() : [];
    const ok = eventStore.ok;
    response.status(ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return {
      status: ok ? 'ok' : 'unavailable',
      eventStore: this.shown(eventStore),
      projections,
      projectionRunner: this.placement(this.projections.runner()),
      processWorkflows: this.placement(this.processes.status()),
    };
  }

  private shown(health: EventStoreHealth): EventStoreHealth {
    if (this.config.healthDetails) return health;
    const { detail: _detail, ...rest } = health;
    return rest;
  }

  private placement(placement: RolePlacement): RolePlacement | Omit<RolePlacement, 'holder'> {
    if (this.config.healthDetails) return placement;
    const { holder: _holder, ...rest } = placement;
    return rest;
  }

  private logFailure(health: EventStoreHealth): void {
    if (health.ok) {
      if (this.loggedFailure !== null) this.logger.log('event store reachable again');
      this.loggedFailure = null;
      return;
    }
    const detail = health.detail ?? 'no detail';
    if (detail === this.loggedFailure) return;
    this.loggedFailure = detail;
    this.logger.warn(`event store unreachable (${health.adapter}): ${detail}`);
  }
}
