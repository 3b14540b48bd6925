import { ApiFailure } from '../../api/client';

/** Field name → Dutch message, from a refused command that named its field. */
export type FieldErrors = Record<string, string>;

/**
 * Splits a failure into a message at a field (when the server named one we show) and a general
 * message otherwise. `messages` replaces the server's text for a field where it speaks API terms.
 */
export function fieldErrorOf(
  failure: unknown,
  shown: readonly string[],
  messages: Record<string, string> = {},
): { fields: FieldErrors; general: unknown } {
  if (failure instanceof ApiFailure) {
    const field = failure.field ?? problemField(failure);
    if (field && shown.includes(field)) {
      return { fields: { [field]: messages[field] ?? failure.message }, general: null };
    }
  }
  return { fields: {}, general: failure };
}

/** The dossier API lists its problems as `details: [{field, messages}]` (spread by the client). */
function problemField(failure: ApiFailure): string | undefined {
  const first = failure.details['0'];
  if (first && typeof first === 'object' && 'field' in first) {
    const field = (first as { field: unknown }).field;
    return typeof field === 'string' ? field : undefined;
  }
  return undefined;
}

/** The API's messages quote its field names ('privacyStatement'); a person reads the field's label. */
export function withLabels(fields: FieldErrors, labels: Record<string, string>): FieldErrors {
  return Object.fromEntries(
    Object.entries(fields).map(([field, message]) => [
      field,
      message.replace(`'${field}'`, `'${labels[field] ?? field}'`),
    ]),
  );
}
