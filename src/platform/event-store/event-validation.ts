import { isUuid } from '../ids.js';
import { plainJsonViolation } from '../json.js';
import { EventTooLargeError, InvalidEventError, InvalidReadOptionsError } from './errors.js';
import type { AllFilter, ExpectedRevision, NewEvent, TenantSelection } from './event-store.port.js';
import { canonicalParts, CHAIN_KEYS, type CanonicalParts } from './hash-chain.js';

export const MAX_EVENT_BYTES = 1024 * 1024;

const EVENT_TYPE_PATTERN = /^[A-Za-z][A-Za-z0-9_.:-]{0,99}$/;

/** An event checked and serialised once, as every adapter stores it. */
export interface SerializedEvent {
  id: string;
  type: string;
  data: string;
  metadata: string;
}

/** A serialised event with the canonical text its chain hash is computed over (hash-chain.ts). */
export interface PreparedEvent extends SerializedEvent {
  parts: CanonicalParts;
}

export function serializeEvent(event: NewEvent, newId: () => string): PreparedEvent {
  if (typeof event !== 'object' || event === null) {
    throw new InvalidEventError('INVALID_EVENT_DATA', 'An event must be an object');
  }
  const { type } = event;
  if (typeof type !== 'string' || !EVENT_TYPE_PATTERN.test(type)) {
    throw new InvalidEventError(
      'INVALID_EVENT_TYPE',
      'An event type is a non-empty name of letters, digits and . _ : - (at most 100), starting with a letter',
    );
  }
  if (event.id !== undefined && !isUuid(event.id)) {
    throw new InvalidEventError('INVALID_EVENT_ID', `Event id of ${type} is not a UUID`);
  }
  const id = event.id ?? newId();

  if (typeof event.data !== 'object' || event.data === null || Array.isArray(event.data)) {
    throw new InvalidEventError('INVALID_EVENT_DATA', `Data of ${type} must be a JSON object`);
  }
  const dataFault = plainJsonViolation(event.data, 'data');
  if (dataFault)
    throw new InvalidEventError('INVALID_EVENT_DATA', `Data of ${type} is not plain JSON: ${dataFault}`);

  const metadataFault = metadataViolation(event.metadata);
  if (metadataFault) {
    throw new InvalidEventError('INVALID_EVENT_METADATA', `Metadata of ${type} is invalid: ${metadataFault}`);
  }

  // Stored as canonical JSON (the chain metadata is appended by the adapter): serialised once, and
  // read back as objects in canonical order, which the verifier then writes at native speed.
  const parts = canonicalParts(event.data, event.metadata);
  const data = parts.data;
  const metadata = parts.metadata;
  // Each UTF-16 unit is at most 3 UTF-8 bytes: only measure exactly when the cheap bound is over.
  const bound = (data.length + metadata.length) * 3;
  if (bound > MAX_EVENT_BYTES) {
    const size = Buffer.byteLength(data) + Buffer.byteLength(metadata);
    if (size > MAX_EVENT_BYTES) throw new EventTooLargeError(type, size, MAX_EVENT_BYTES);
  }
  return { id, type, data, metadata, parts };
}

function metadataViolation(metadata: unknown): string | null {
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    return 'metadata must be a JSON object';
  }
  const fault = plainJsonViolation(metadata, 'metadata');
  if (fault) return fault;
  const m = metadata as Record<string, unknown>;
  for (const key of CHAIN_KEYS) {
    if (Object.hasOwn(m, key)) return `${key} is set by the event store (hash chain)`;
  }
  for (const key of ['tenantId', 'correlationId', 'causationId', 'occurredAt'] as const) {
    if (typeof m[key] !== 'string' || (m[key] as string).length === 0) return `${key} is required`;
  }
  const actor = m['actor'] as Record<string, unknown> | undefined;
  if (
    typeof actor !== 'object' ||
    actor === null ||
    typeof actor['id'] !== 'string' ||
    typeof actor['role'] !== 'string'
  ) {
    return 'actor {id, role} is required';
  }
  if (Number.isNaN(Date.parse(m['occurredAt'] as string))) return 'occurredAt is not an ISO-8601 time';
  return null;
}

export function assertExpectedRevision(expected: unknown): asserts expected is ExpectedRevision {
  if (expected === 'no-stream' || expected === 'exists' || expected === 'any') return;
  if (typeof expected === 'bigint' && expected >= 0n) return;
  throw new InvalidReadOptionsError(
    "expectedRevision must be 'no-stream', 'exists', 'any' or a revision (bigint ≥ 0)",
  );
}

export function assertLimit(limit: unknown): void {
  if (limit === undefined) return;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0) {
    throw new InvalidReadOptionsError('limit must be a whole number ≥ 0');
  }
}

/** A tenant selection: tenant ids (non-empty text), at least one unless `except`. */
export function assertTenantSelection(selection: TenantSelection | undefined): void {
  if (selection === undefined) return;
  const { tenants, except } = selection as { tenants: unknown; except?: unknown };
  if (
    !Array.isArray(tenants) ||
    (tenants.length === 0 && except !== true) ||
    tenants.some((tenant) => typeof tenant !== 'string' || tenant === '') ||
    (except !== undefined && typeof except !== 'boolean')
  ) {
    throw new InvalidReadOptionsError(
      'a tenant selection needs a list of tenant ids (non-empty unless except is true)',
    );
  }
}

export function assertFilter(filter: AllFilter | undefined): void {
  if (filter === undefined) return;
  const values = 'categories' in filter ? filter.categories : filter.eventTypes;
  if (
    !Array.isArray(values) ||
    values.length === 0 ||
    values.some((v) => typeof v !== 'string' || v === '')
  ) {
    throw new InvalidReadOptionsError('a filter needs a non-empty list of categories or event types');
  }
}
