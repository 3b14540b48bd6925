import { streamName } from '../platform/event-store/stream-name.js';
import type { JsonObject } from '../platform/json.js';

/** Every audit read of a tenant is an event in the tenant's audit stream, `audit-<tenant>`. */
export const AUDIT_CATEGORY = 'audit';

/** Who read what of the audit trail: a stable stored type name. */
export const AUDIT_READ = 'AuditRead';

export type AuditReadKind = 'history' | 'as-of' | 'verify';

export interface AuditReadData extends JsonObject {
  read: AuditReadKind;
  /** The signal read; null for a verification of the whole tenant. */
  signalId: string | null;
  /** `asOf` as the reader gave it. */
  asOf: string | null;
  format: 'json' | 'csv' | null;
  /** Of a verification: events checked and violations found. */
  eventsChecked: number | null;
  violations: number | null;
}

export function auditStream(tenantId: string): string {
  return streamName(AUDIT_CATEGORY, tenantId);
}
