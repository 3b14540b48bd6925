import { Logger, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AuthModule } from './auth/auth.module.js';
import { ConfigModule } from './config/config.module.js';
import { HealthController } from './health/health.controller.js';
import { EventStoreModule } from './platform/event-store/event-store.module.js';
import { PrivacyModule } from './privacy/privacy.module.js';
import { SignalsModule } from './signals/signals.module.js';
import { DashboardModule } from './dashboard/dashboard.module.js';
import { SupralocalModule } from './supralocal/supralocal.module.js';
import { ProcessesModule } from './processes/processes.module.js';
import { DossiersModule } from './dossiers/dossiers.module.js';
import { ReadModelsModule } from './read-models/read-models.module.js';
import { TenantsModule } from './tenants/tenants.module.js';
import { ReportingModule } from './reporting/reporting.module.js';
import { HttpDrainModule } from './platform/http/http-drain.js';
import { setLogSink, type LogSink } from './platform/logger.js';

@Module({
  imports: [
    ConfigModule,
    HttpDrainModule,
    AuthModule,
    CqrsModule.forRoot(),
    EventStoreModule,
    ReadModelsModule,
    // Before SignalsModule: its `/signals/:id/:command` route would take `erase-text` otherwise.
    PrivacyModule,
    SignalsModule,
    DashboardModule,
    TenantsModule,
    SupralocalModule,
    ProcessesModule,
    DossiersModule,
    ReportingModule,
  ],
  controllers: [HealthController],
})
export class AppModule {
  constructor() {
    // The platform's own modules (stores, runners) log through Nest's Logger in the app.
    setLogSink(nestLogSink());
  }
}

/** Lines of the platform's modules (src/platform/logger.ts) written by Nest's Logger, one per context. */
function nestLogSink(): LogSink {
  const loggers = new Map<string, Logger>();
  return (level, context, message) => {
    let logger = loggers.get(context);
    if (!logger) loggers.set(context, (logger = new Logger(context)));
    logger[level](message);
  };
}
