/** Refusals of the command pipeline around the decider; `message` is Dutch, for a person. */
export class PreconditionFailedError extends Error {
  readonly code = 'PRECONDITION_FAILED';

  constructor(
    readonly expectedRevision: bigint,
    readonly actualRevision: bigint | 'no-stream',
  ) {
    super('Het signaal is intussen gewijzigd. Laad het opnieuw en probeer nog eens.');
    this.name = 'PreconditionFailedError';
  }
}

export class CommandConflictError extends Error {
  readonly code = 'CONCURRENCY_CONFLICT';

  constructor() {
    super('Het signaal werd tegelijk door iemand anders gewijzigd. Probeer het opnieuw.');
    this.name = 'CommandConflictError';
  }
}

export class IdempotencyKeyReusedError extends Error {
  readonly code = 'IDEMPOTENCY_KEY_REUSED';

  constructor() {
    super('Deze Idempotency-Key werd al gebruikt voor een ander verzoek.');
    this.name = 'IdempotencyKeyReusedError';
  }
}
