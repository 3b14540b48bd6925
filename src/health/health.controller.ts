import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Public } from '../auth/decorators.js';
import { EventStore } from '../platform/event-store/event-store.port.js';
import { ProjectionHost } from '../read-models/projection-host.js';
import { ProcessWorkflowsLeader } from '../processes/process-workflows-leader.js';

@Public()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EventStore) private readonly eventStore: EventStore,
    @Inject(ProjectionHost) private readonly projections: ProjectionHost,
    @Inject(ProcessWorkflowsLeader) private readonly processes: ProcessWorkflowsLeader,
  ) {}

  /**
   * The event store's state, each read model's lag, and whether this instance runs the projection
   * runner and the process workflows (`leading`) or another one does (`standby`); 503 when the
   * store cannot be reached.
   */
  @Get()
  async health(@Res({ passthrough: true }) response: Response) {
    const eventStore = await this.eventStore.health();
    const projections = eventStore.ok ? await this.projections.status() : [];
    const ok = eventStore.ok;
    response.status(ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return {
      status: ok ? 'ok' : 'unavailable',
      eventStore,
      projections,
      projectionRunner: this.projections.runner(),
      processWorkflows: this.processes.status(),
    };
  }
}
