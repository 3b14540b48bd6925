import { HttpStatus } from '@nestjs/common';
import { ApiError } from '../platform/http/api-error.js';
import { DossierDomainError, type DossierErrorCode } from './dossier.errors.js';

/** Refusals of the command pipeline around the decider; `message` is Dutch, for a person. */
export class DossierPreconditionFailedError extends Error {
  readonly code = 'PRECONDITION_FAILED';

  constructor(
    readonly expectedRevision: bigint,
    readonly actualRevision: bigint | 'no-stream',
  ) {
    super('Het dossier is intussen gewijzigd. Laad het opnieuw en probeer nog eens.');
    this.name = 'DossierPreconditionFailedError';
  }
}

export class DossierConflictError extends Error {
  readonly code = 'CONCURRENCY_CONFLICT';

  constructor() {
    super('Het dossier werd tegelijk door iemand anders gewijzigd. Probeer het opnieuw.');
    this.name = 'DossierConflictError';
  }
}

const STATUS: Record<DossierErrorCode, number> = {
  DOSSIER_NOT_FOUND: HttpStatus.NOT_FOUND,
  DOSSIER_ALREADY_EXISTS: HttpStatus.CONFLICT,
  ROLE_NOT_ALLOWED: HttpStatus.FORBIDDEN,
  TRANSITION_NOT_ALLOWED: HttpStatus.CONFLICT,
  FIELD_INVALID: HttpStatus.BAD_REQUEST,
  SIGNAL_NOT_BUNDLABLE: HttpStatus.UNPROCESSABLE_ENTITY,
  SIGNAL_IN_OTHER_DOSSIER: HttpStatus.CONFLICT,
  SIGNAL_ALREADY_IN_DOSSIER: HttpStatus.CONFLICT,
  SIGNAL_NOT_IN_DOSSIER: HttpStatus.UNPROCESSABLE_ENTITY,
  DOSSIER_WOULD_BE_EMPTY: HttpStatus.CONFLICT,
  DOSSIER_TOO_LARGE: HttpStatus.UNPROCESSABLE_ENTITY,
};

/** The API error of a refused dossier command; other errors go to the global mapping as they are. */
export function asHttpError(error: unknown): unknown {
  if (error instanceof DossierDomainError) {
    return new ApiError(
      STATUS[error.code],
      error.code,
      error.message,
      Object.keys(error.details).length > 0 ? error.details : undefined,
    );
  }
  return error;
}
