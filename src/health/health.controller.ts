import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Public } from '../auth/decorators.js';
import { EventStore } from '../platform/event-store/event-store.port.js';
import { ProjectionHost } from '../read-models/projection-host.js';

@Public()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EventStore) private readonly eventStore: EventStore,
    @Inject(ProjectionHost) private readonly projections: ProjectionHost,
  ) {}

  /** The event store's state and each read model's lag; 503 when the store cannot be reached. */
  @Get()
  async health(@Res({ passthrough: true }) response: Response) {
    const eventStore = await this.eventStore.health();
    const projections = eventStore.ok ? await this.projections.status() : [];
    const ok = eventStore.ok;
    response.status(ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return { status: ok ? 'ok' : 'unavailable', eventStore, projections };
  }
}
