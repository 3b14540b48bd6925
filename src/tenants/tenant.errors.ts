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

/** A tenant setting (PATCH /tenant/settings, the tenant's creation) that is not valid. */
export const invalidSetting = (field: string, message: string): TenantDomainError =>
  new TenantDomainError('SETTING_INVALID', 400, message, { field });

/**
 * A field of any other request body (an organisation, an invite's acceptance) that is not valid:
 * FIELD_INVALID with the field, as the rest of the API answers it.
 */
export const invalidField = (field: string, message: string): TenantDomainError =>
  new TenantDomainError('FIELD_INVALID', 400, message, { field });
