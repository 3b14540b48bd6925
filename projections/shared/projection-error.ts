import type { RecordedEvent } from '../../src/platform/event-store/event-store.port.js';

/**
 * An event a projection cannot make sense of. The runner parks it with this message, so the
 * message names the event and says what is wrong with it.
 */
export class ProjectionEventError extends Error {
  readonly code = 'PROJECTION_EVENT_REJECTED';

  constructor(event: RecordedEvent, reason: string) {
    super(`${event.type} at position ${event.position} (stream ${event.stream}): ${reason}`);
    this.name = 'ProjectionEventError';
  }
}
