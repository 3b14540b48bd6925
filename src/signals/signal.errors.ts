/** Stable codes of refused signal commands; the HTTP layer maps each to a status. */
export type SignalErrorCode =
  | 'UNKNOWN_COMMAND'
  | 'SIGNAL_NOT_FOUND'
  | 'SIGNAL_ALREADY_EXISTS'
  | 'ROLE_NOT_ALLOWED'
  | 'TRANSITION_NOT_ALLOWED'
  | 'FIELD_REQUIRED'
  | 'FIELD_NOT_ALLOWED'
  | 'FIELD_INVALID'
  | 'MERGE_TARGET_INVALID'
  | 'WORKFLOW_VERSION_MISMATCH'
  | 'NO_STATE_MAPPING';

/** A command the domain refuses; `message` is Dutch, for the person who sent it. */
export class SignalDomainError extends Error {
  constructor(
    readonly code: SignalErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'SignalDomainError';
  }
}
