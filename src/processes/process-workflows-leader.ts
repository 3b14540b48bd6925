import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { LeaseStore } from '../platform/lease/lease-store.port.js';
import { LeasedRole, type RolePlacement } from '../platform/lease/leased-role.js';
import { createLeaseStore } from '../platform/lease/create-lease-store.js';
import { NOTIFICATION_CHANNEL, PROCESS_CONFIG } from './process-tokens.js';
import type { NotificationChannel } from './notifier/notification-channel.js';
import type { ProcessConfig } from './process-config.js';
import { ProcessWorkflowHost } from './process-host.js';

/** The lease's name: one per deployment (per Redis prefix, or per data folder). */
export const PROCESS_WORKFLOWS_LEASE = 'process-workflows';

/**
 * Runs the process workflows in the one instance that holds their lease (PROCESS_WORKFLOWS=on in
 * several instances): the others stand by and one of them takes over within LEASE_TTL_MS
 * of the holder's death, or at once when it stops. Within an instance nothing changes: the host
 * runs the workflows in a thread or in the app's thread, as before.
 */
@Injectable()
export class ProcessWorkflowsLeader {
  private readonly logger = new Logger('Processes');
  private leases: LeaseStore | null = null;
  private role: LeasedRole | null = null;
  private started: Promise<void> | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly app: AppConfig,
    @Inject(PROCESS_CONFIG) private readonly config: ProcessConfig,
    @Inject(ProcessWorkflowHost) private readonly host: ProcessWorkflowHost,
    @Inject(NOTIFICATION_CHANNEL) private readonly channel: NotificationChannel,
  ) {}

  /** Asks for the lease in the background: firing timers that fell due must not hold up the start. */
  start(): void {
    if (!this.config.enabled || this.role) return;
    this.leases = createLeaseStore(this.app.leases.store);
    const host = this.host;
    const logger = this.logger;
    const channel = this.channel;
    this.role = new LeasedRole(
      PROCESS_WORKFLOWS_LEASE,
      this.leases,
      {
        async start() {
          await host.start();
          logger.log(`process workflows running (notifications: ${channel.name})`);
        },
        stop: () => host.stop(),
      },
      { ttlMs: this.app.leases.ttlMs, logger },
    );
    this.started = this.role.start().catch((error: unknown) => {
      this.logger.error(`process workflows failed to start: ${String(error)}`);
    });
  }

  /** `off`: PROCESS_WORKFLOWS=off here; `standby`: another instance holds the lease. */
  status(): RolePlacement {
    if (!this.role) return { state: 'off', lease: null, holder: null };
    return {
      state: this.role.status.state,
      lease: this.app.leases.store.kind,
      holder: this.role.holder,
    };
  }

  async stop(): Promise<void> {
    await this.started;
    await this.role?.stop();
    await this.leases?.close();
    this.role = null;
    this.leases = null;
  }
}
