import { Inject, Logger, Module, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { EventStore } from '../platform/event-store/event-store.port.js';
import { ReadStore } from '../platform/read-store/read-store.port.js';
import { BriefsController } from './briefs.http.js';
import { loadReportingConfig, type ReportingConfig } from './reporting-config.js';
import { createReportingRuntime, type ReportingRuntime } from './reporting-runtime.js';
import { REPORTING_CONFIG, REPORTING_RUNTIME } from './reporting.tokens.js';

/**
 * Policy briefs: the API records requests as events and queues jobs. Without `REDIS_URL` this
 * process also runs the jobs (and reconciles at start, so a restart loses none); with Redis,
 * `npm run worker` runs them.
 */
@Module({
  controllers: [BriefsController],
  providers: [
    { provide: REPORTING_CONFIG, useFactory: () => loadReportingConfig() },
    {
      provide: REPORTING_RUNTIME,
      inject: [EventStore, ReadStore, REPORTING_CONFIG],
      useFactory: (store: EventStore, readStore: ReadStore, config: ReportingConfig) => {
        const logger = new Logger('Briefs');
        return createReportingRuntime({
          store,
          readStore,
          config,
          role: 'app',
          log: (line) => logger.log(line),
        });
      },
    },
  ],
})
export class ReportingModule implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(@Inject(REPORTING_RUNTIME) private readonly runtime: ReportingRuntime) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.runtime.start();
  }

  /** Before the stores close (onApplicationShutdown): the running brief finishes first. */
  async onModuleDestroy(): Promise<void> {
    await this.runtime.close();
  }
}
