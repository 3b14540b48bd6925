import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { DeadlinePolicy } from '../../workflows/signal-deadlines/signal-deadlines.js';
import type { WorkflowRef } from '../signals/signal.events.js';
import { deadlineFromOverrides } from './deadline-overrides.js';
import { TenantsService } from './tenants.service.js';

/** How often the overrides are read again from the tenant streams. */
export const DEADLINE_OVERRIDES_REFRESH_MS = 30_000;

/**
 * The deadline timers' policy from the tenant settings: a tenant's override for a state (in
 * days) replaces the definition's deadline. The timers ask synchronously, so the overrides are
 * held in memory: read at start and every 30 s, so a change reaches timers scheduled after it
 * within that time (running timers keep the deadline they were set with).
 */
@Injectable()
export class TenantDeadlinePolicy implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('TenantDeadlinePolicy');
  private overrides = new Map<string, Readonly<Record<string, number>>>();
  private timer: NodeJS.Timeout | null = null;
  private readonly listeners = new Set<
    (overrides: ReadonlyMap<string, Readonly<Record<string, number>>>) => void
  >();

  constructor(@Inject(TenantsService) private readonly tenants: TenantsService) {}

  readonly policy: DeadlinePolicy = (tenantId: string, workflow: WorkflowRef, state: string) =>
    deadlineFromOverrides(this.overrides, tenantId, workflow, state);

  /** The overrides now, and each time they are read again (a process thread keeps its own copy). */
  follow(listener: (overrides: ReadonlyMap<string, Readonly<Record<string, number>>>) => void): () => void {
    this.listeners.add(listener);
    listener(this.overrides);
    return () => this.listeners.delete(listener);
  }

  async onModuleInit(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => {
      this.refresh().catch((error: unknown) =>
        this.logger.warn(`reading deadline overrides failed: ${String(error)}`),
      );
    }, DEADLINE_OVERRIDES_REFRESH_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async refresh(): Promise<void> {
    const next = new Map<string, Readonly<Record<string, number>>>();
    for (const tenant of await this.tenants.allTenants()) {
      if (Object.keys(tenant.settings.deadlineOverrides).length > 0)
        next.set(tenant.tenantId, { ...tenant.settings.deadlineOverrides });
    }
    this.overrides = next;
    for (const listener of this.listeners) listener(next);
  }
}
