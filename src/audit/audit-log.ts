import { Inject, Injectable } from '@nestjs/common';
import type { AuthenticatedActor } from '../auth/actor.js';
import { CLOCK, type Clock } from '../platform/clock.js';
import { EventStore } from '../platform/event-store/event-store.port.js';
import type { JsonObject, JsonValue } from '../platform/json.js';
import { AUDIT_READ, auditStream, type AuditReadData } from './audit.events.js';
import type { AuditReadEntry, AuditReadPage } from './audit-answers.js';

export type { AuditReadEntry, AuditReadPage };

/** The tenant's record of audit reads: written before any audit answer leaves, listed newest first. */
@Injectable()
export class AuditLog {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async record(
    actor: AuthenticatedActor,
    role: string,
    read: AuditReadData,
    correlationId: string,
  ): Promise<void> {
    await this.store.append(
      auditStream(actor.tenantId),
      [
        {
          type: AUDIT_READ,
          data: read,
          metadata: {
            tenantId: actor.tenantId,
            actor: {
              id: actor.id,
              role,
              ...(actor.organisationId ? { organisationId: actor.organisationId } : {}),
            },
            correlationId,
            causationId: correlationId,
            occurredAt: this.clock.now().toISOString(),
          },
        },
      ],
      // Reads only ever add to the log: no decision depends on its revision.
      { expectedRevision: 'any' },
    );
  }

  async list(tenantId: string, page: { limit: number; before?: bigint }): Promise<AuditReadPage> {
    if (page.before === 0n) return { items: [], next: null };
    const items: AuditReadEntry[] = [];
    const from = page.before === undefined ? 'end' : page.before - 1n;
    for await (const event of this.store.readStream(auditStream(tenantId), {
      direction: 'backwards',
      from,
      limit: page.limit,
    })) {
      if (event.type !== AUDIT_READ) continue;
      const actor = object(event.metadata.actor);
      items.push({
        revision: Number(event.revision),
        at: event.metadata.occurredAt,
        actor: {
          id: text(actor['id']),
          role: text(actor['role']),
          organisationId: text(actor['organisationId']),
        },
        read: text(event.data['read']),
        signalId: text(event.data['signalId']),
        asOf: text(event.data['asOf']),
        format: text(event.data['format']),
        eventsChecked: number(event.data['eventsChecked']),
        violations: number(event.data['violations']),
      });
    }
    const oldest = items[items.length - 1];
    return {
      items,
      next: items.length === page.limit && oldest && oldest.revision > 0 ? String(oldest.revision) : null,
    };
  }
}

function object(value: JsonValue | undefined): JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
}

function text(value: JsonValue | undefined): string | null {
  return typeof value === 'string' ? value : null;
}

function number(value: JsonValue | undefined): number | null {
  return typeof value === 'number' ? value : null;
}
