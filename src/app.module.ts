import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ConfigModule } from './config/config.module.js';
import { HealthController } from './health/health.controller.js';
import { EventStoreModule } from './platform/event-store/event-store.module.js';

@Module({
  imports: [ConfigModule, CqrsModule.forRoot(), EventStoreModule],
  controllers: [HealthController],
})
export class AppModule {}
