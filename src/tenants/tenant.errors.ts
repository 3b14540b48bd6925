/** A refused tenant, organisation or people command: a stable code, an HTTP status, a Dutch message. */
export class TenantDomainError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'TenantDomainError';
  }
}

export const invalidSetting = (field: string, message: string): TenantDomainError =>
  new TenantDomainError('SETTING_INVALID', 400, message, { field });
