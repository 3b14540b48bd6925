import { isUuid } from '../../platform/ids.js';
import type { JsonObject } from '../../platform/json.js';

export const SIGNAL_STREAM_PREFIX = 'signal-';
export const AUDIT_STREAM_PREFIX = 'audit-';
const UUID_LENGTH = 36;

/**
 * The tenant a stream belongs to, read from its name as the typed helpers build it: `signal-<tenant>-<uuid>`
 * (a tenant slug may hold dashes, the id is the last 36 characters) and `audit-<tenant>`. Null for
 * other categories, whose tenant is the one their events record.
 */
export function tenantOfStreamName(stream: string): string | null {
  if (stream.startsWith(SIGNAL_STREAM_PREFIX)) {
    const rest = stream.slice(SIGNAL_STREAM_PREFIX.length);
    const id = rest.slice(-UUID_LENGTH);
    if (rest.length > UUID_LENGTH + 1 && rest[rest.length - UUID_LENGTH - 1] === '-' && isUuid(id)) {
      return rest.slice(0, -UUID_LENGTH - 1);
    }
    return null;
  }
  if (stream.startsWith(AUDIT_STREAM_PREFIX)) return stream.slice(AUDIT_STREAM_PREFIX.length) || null;
  return null;
}

/** Whether an event belongs to a tenant's part of the store (for a tenant-scoped verification). */
export function belongsToTenant(event: { stream: string; metadata: JsonObject }, tenantId: string): boolean {
  const byName = tenantOfStreamName(event.stream);
  return byName !== null ? byName === tenantId : event.metadata['tenantId'] === tenantId;
}

export function isSignalStream(stream: string): boolean {
  return stream.startsWith(SIGNAL_STREAM_PREFIX);
}
