import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AuthModule } from './auth/auth.module.js';
import { ConfigModule } from './config/config.module.js';
import { HealthController } from './health/health.controller.js';
import { EventStoreModule } from './platform/event-store/event-store.module.js';
import { SignalsModule } from './signals/signals.module.js';
import { DashboardModule } from './dashboard/dashboard.module.js';
import { ReadModelsModule } from './read-models/read-models.module.js';
import { ReportingModule } from './reporting/reporting.module.js';

@Module({
  imports: [
    ConfigModule,
    AuthModule,
    CqrsModule.forRoot(),
    EventStoreModule,
    ReadModelsModule,
    SignalsModule,
    DashboardModule,
    ReportingModule,
  ],
  controllers: [HealthController],
})
export class AppModule {}
