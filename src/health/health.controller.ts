import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Public } from '../auth/decorators.js';
import { EventStore } from '../platform/event-store/event-store.port.js';

@Public()
@Controller('health')
export class HealthController {
  constructor(@Inject(EventStore) private readonly eventStore: EventStore) {}

  @Get()
  async health(@Res({ passthrough: true }) response: Response) {
    const eventStore = await this.eventStore.health();
    const ok = eventStore.ok;
    response.status(ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return { status: ok ? 'ok' : 'unavailable', eventStore };
  }
}
