import type { EventMetadata, NewEvent } from '../../src/platform/event-store/event-store.port.js';
import type { JsonObject } from '../../src/platform/json.js';
import { randomBytes } from 'node:crypto';

export function aMetadata(overrides: Partial<EventMetadata> = {}): EventMetadata {
  return {
    tenantId: 'gent',
    actor: { id: 'user-1', role: 'lead-processor' },
    correlationId: 'c0ffee00-0000-7000-8000-000000000001',
    causationId: 'c0ffee00-0000-7000-8000-000000000001',
    occurredAt: '2026-11-28T10:00:00.000Z',
    ...overrides,
  };
}

export function anEvent(type = 'TestHappened', data: JsonObject = { n: 1 }, id?: string): NewEvent {
  return { ...(id ? { id } : {}), type, data, metadata: aMetadata() };
}

/** A category no other test run uses, so tests can share a real server. */
export function uniqueCategory(): string {
  return `t${randomBytes(6).toString('hex')}`;
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}
