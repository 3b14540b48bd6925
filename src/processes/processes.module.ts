import { Global, Inject, Module, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { dossierFanOutWorkflow } from '../../workflows/dossier-fan-out/dossier-fan-out.js';
import {
  createSignalDeadlinesWorkflow,
  type DeadlinePolicy,
} from '../../workflows/signal-deadlines/signal-deadlines.js';
import { TenantDeadlinePolicy } from '../tenants/tenant-deadline-policy.js';
import { EventStore } from '../platform/event-store/event-store.port.js';
import { ProcessRunner } from '../platform/processes/process-runner.js';
import { storedEventsOf } from '../privacy/encrypting-event-store.js';
import { SignalRepository } from '../signals/signal.repository.js';
import { SignalsModule } from '../signals/signals.module.js';
import { MigrateSignalWorkflowController } from './migrate-signal-workflow/migrate-signal-workflow.http.js';
import { SignalWorkflowMigrator } from './migrate-signal-workflow/migrate-signal-workflow.js';
import {
  LogNotificationChannel,
  SmtpNotificationChannel,
  type NotificationChannel,
} from './notifier/notification-channel.js';
import { ResolvingNotifier } from './notifier/resolving-notifier.js';
import { loadProcessConfig, type ProcessConfig } from './process-config.js';
import { SignalCommandGateway } from './signal-command-gateway.js';
import { InlineProcessHost, ProcessWorkflowHost, ThreadProcessHost } from './process-host.js';
import { ProcessWorkflowsLeader } from './process-workflows-leader.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';

/** Per-tenant deadline overrides over the definition's deadlines; it answers synchronously. */
export { DEADLINE_POLICY } from './deadline-policy.token.js';
import { DEADLINE_POLICY } from './deadline-policy.token.js';
export { NOTIFICATION_CHANNEL, PROCESS_CONFIG } from './process-tokens.js';
import { NOTIFICATION_CHANNEL, PROCESS_CONFIG } from './process-tokens.js';

/** The process workflows (deadline timers, dossier fan-out), their runner, notifier and migration. */
@Global()
@Module({
  imports: [SignalsModule],
  controllers: [MigrateSignalWorkflowController],
  providers: [
    { provide: PROCESS_CONFIG, useFactory: () => loadProcessConfig() },
    // Each tenant's deadline overrides (TenantsModule is global).
    {
      provide: DEADLINE_POLICY,
      inject: [TenantDeadlinePolicy],
      useFactory: (tenants: TenantDeadlinePolicy): DeadlinePolicy => tenants.policy,
    },
    {
      provide: NOTIFICATION_CHANNEL,
      inject: [PROCESS_CONFIG],
      useFactory: (config: ProcessConfig): NotificationChannel =>
        config.smtpUrl
          ? new SmtpNotificationChannel(config.smtpUrl, config.smtpFrom, config.addressTemplate)
          : new LogNotificationChannel(),
    },
    {
      // In a thread of its own when the projections have one (the app's default), as the similar
      // index: then the request thread only carries out the commands and notifications it asks for.
      provide: ProcessWorkflowHost,
      inject: [
        APP_CONFIG,
        EventStore,
        CommandBus,
        SignalRepository,
        DEADLINE_POLICY,
        TenantDeadlinePolicy,
        NOTIFICATION_CHANNEL,
        PROCESS_CONFIG,
      ],
      useFactory: (
        app: AppConfig,
        store: EventStore,
        commandBus: CommandBus,
        signals: SignalRepository,
        policy: DeadlinePolicy,
        overrides: TenantDeadlinePolicy,
        channel: NotificationChannel,
        config: ProcessConfig,
      ): ProcessWorkflowHost => {
        const commands = new SignalCommandGateway(commandBus);
        const notifier = new ResolvingNotifier(signals, channel);
        if (app.projections === 'thread')
          return new ThreadProcessHost(
            { eventStore: app.eventStore, pollMs: config.pollMs },
            commands,
            notifier,
            overrides,
          );
        return new InlineProcessHost(
          new ProcessRunner(
            store,
            [createSignalDeadlinesWorkflow(policy), dossierFanOutWorkflow],
            commands,
            notifier,
            // Inputs as stored: the workflows read ids, states and metadata, never a signal's text.
            { pollMs: config.pollMs, inputStore: storedEventsOf(store) },
          ),
        );
      },
    },
    SignalWorkflowMigrator,
    ProcessWorkflowsLeader,
  ],
  exports: [ProcessWorkflowHost, DEADLINE_POLICY, SignalWorkflowMigrator, ProcessWorkflowsLeader],
})
export class ProcessesModule implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(
    @Inject(ProcessWorkflowsLeader) private readonly leader: ProcessWorkflowsLeader,
    @Inject(NOTIFICATION_CHANNEL) private readonly channel: NotificationChannel,
  ) {}

  onApplicationBootstrap(): void {
    this.leader.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.leader.stop();
    if (this.channel instanceof SmtpNotificationChannel) this.channel.close();
  }
}
