import { ApiFailure } from '../../api/client';
import { fieldLabel } from './labels';

/**
 * The messages a refused command carries per field: the privacy guard's 422 names one field
 * (`details.field`), a validation failure lists `{ field, messages }` entries. Field names in
 * the server's message are replaced by the Dutch label the person sees on the form.
 */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiFailure)) return {};
  const errors: Record<string, string> = {};
  const single = error.field;
  if (single) errors[single] = withLabel(error.message, single);
  for (const entry of Object.values(error.details)) {
    if (!entry || typeof entry !== 'object') continue;
    const { field, messages } = entry as { field?: unknown; messages?: unknown };
    if (typeof field !== 'string') continue;
    const text = Array.isArray(messages) ? messages.filter((m) => typeof m === 'string').join(' ') : '';
    errors[field] = withLabel(text || error.message, field);
  }
  return errors;
}

function withLabel(message: string, field: string): string {
  return message.split(`'${field}'`).join(`'${fieldLabel(field)}'`);
}

/** A fresh key per form submit: a retry of the same submit is answered once, a new submit is new. */
export function newIdempotencyKey(): string {
  // randomUUID exists only in secure contexts (https, localhost); getRandomValues everywhere.
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
