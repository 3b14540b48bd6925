/** Stable codes of refused dossier commands; the HTTP layer maps each to a status. */
export type DossierErrorCode =
  | 'DOSSIER_NOT_FOUND'
  | 'DOSSIER_ALREADY_EXISTS'
  | 'ROLE_NOT_ALLOWED'
  | 'TRANSITION_NOT_ALLOWED'
  | 'FIELD_INVALID'
  | 'SIGNAL_NOT_BUNDLABLE'
  | 'SIGNAL_IN_OTHER_DOSSIER'
  | 'SIGNAL_ALREADY_IN_DOSSIER'
  | 'SIGNAL_NOT_IN_DOSSIER'
  | 'DOSSIER_WOULD_BE_EMPTY'
  | 'DOSSIER_TOO_LARGE';

/** A dossier command the domain refuses; `message` is Dutch, for the person who sent it. */
export class DossierDomainError extends Error {
  constructor(
    readonly code: DossierErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DossierDomainError';
  }
}
