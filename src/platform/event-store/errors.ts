import type { CurrentRevision, ExpectedRevision } from './event-store.port.js';

/** Base of every error the event store raises on purpose; `code` is stable and documented. */
export abstract class EventStoreError extends Error {
  abstract readonly code: string;
}

export class ConcurrencyError extends EventStoreError {
  readonly code = 'CONCURRENCY_CONFLICT';

  constructor(
    readonly stream: string,
    readonly expectedRevision: ExpectedRevision,
    readonly actualRevision: CurrentRevision,
  ) {
    super(`Stream ${stream} is at revision ${String(actualRevision)}, expected ${String(expectedRevision)}`);
    this.name = 'ConcurrencyError';
  }
}

export class InvalidStreamNameError extends EventStoreError {
  readonly code = 'INVALID_STREAM_NAME';

  constructor(reason: string) {
    super(`Invalid stream name: ${reason}`);
    this.name = 'InvalidStreamNameError';
  }
}

export class InvalidEventError extends EventStoreError {
  constructor(
    readonly code:
      'INVALID_EVENT_TYPE' | 'INVALID_EVENT_DATA' | 'INVALID_EVENT_METADATA' | 'INVALID_EVENT_ID',
    message: string,
  ) {
    super(message);
    this.name = 'InvalidEventError';
  }
}

export class EventTooLargeError extends EventStoreError {
  readonly code = 'EVENT_TOO_LARGE';

  constructor(
    readonly eventType: string,
    readonly size: number,
    readonly limit: number,
  ) {
    super(`Event ${eventType} is ${size} bytes, over the limit of ${limit}`);
    this.name = 'EventTooLargeError';
  }
}

/** An event id that is already stored, in an append that is not a replay of the original. */
export class DuplicateEventIdError extends EventStoreError {
  readonly code = 'DUPLICATE_EVENT_ID';

  constructor(readonly eventId: string) {
    super(`Event id ${eventId} is already stored, in another append`);
    this.name = 'DuplicateEventIdError';
  }
}

export class InvalidReadOptionsError extends EventStoreError {
  readonly code = 'INVALID_READ_OPTIONS';

  constructor(message: string) {
    super(message);
    this.name = 'InvalidReadOptionsError';
  }
}

export class EventStoreClosedError extends EventStoreError {
  readonly code = 'EVENT_STORE_CLOSED';

  constructor() {
    super('The event store is closed');
    this.name = 'EventStoreClosedError';
  }
}
