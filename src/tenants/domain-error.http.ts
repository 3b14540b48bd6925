import type { Response } from 'express';
import { ApiError } from '../platform/http/api-error.js';
import { TenantDomainError } from './tenant.errors.js';

/** Runs a use case and turns its domain refusals into the API's error shape (429 with Retry-After). */
export async function answer<T>(work: () => Promise<T>, response?: Response): Promise<T> {
  try {
    return await work();
  } catch (error: unknown) {
    if (error instanceof TenantDomainError) {
      const retryAfter = error.details?.['retryAfter'];
      if (response && typeof retryAfter === 'number') response.setHeader('Retry-After', String(retryAfter));
      throw new ApiError(error.status, error.code, error.message, error.details);
    }
    throw error;
  }
}
