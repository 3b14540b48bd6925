export type ErasureErrorCode = 'TEXT_ALREADY_ERASED' | 'ERASURE_REASON_INVALID';

/** An erasure the domain refuses; `message` is Dutch, for the person who asked. */
export class ErasureError extends Error {
  constructor(
    readonly code: ErasureErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ErasureError';
  }
}
