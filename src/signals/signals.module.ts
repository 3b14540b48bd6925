import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { CLOCK, systemClock } from '../platform/clock.js';
import { ExecuteSignalCommandHandler } from './execute-signal-command/execute-signal-command.handler.js';
import { SignalRepository } from './signal.repository.js';
import { SignalWorkflowSource } from './signal-workflow-source.js';
import { TenantWorkflowSource } from '../tenants/tenant-workflow-source.js';
import { SignalQueriesController } from './list-signals/signal-queries.http.js';
import { SignalsController } from './signals.http.js';
import { SignalChangeFeed } from './live/signal-change-feed.js';
import { SignalEventsController } from './live/signal-events.http.js';

@Module({
  imports: [AuditModule],
  controllers: [SignalsController, SignalQueriesController, SignalEventsController],
  providers: [
    SignalRepository,
    ExecuteSignalCommandHandler,
    SignalChangeFeed,
    { provide: CLOCK, useValue: systemClock },
    // The version each tenant's settings choose for new signals (TenantsModule is global).
    { provide: SignalWorkflowSource, useClass: TenantWorkflowSource },
  ],
  exports: [SignalRepository, SignalWorkflowSource],
})
export class SignalsModule {}
