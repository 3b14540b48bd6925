import { Inject, Logger, Module, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { EventStore } from '../platform/event-store/event-store.port.js';
import { ReadStore } from '../platform/read-store/read-store.port.js';
import { CLOCK, systemClock, type Clock } from '../platform/clock.js';
import { SealedText } from '../privacy/sealed-text.js';
import { SupralocalModule } from '../supralocal/supralocal.module.js';
import { SupralocalQueries } from '../supralocal/supralocal-queries.js';
import { BriefsController, SupralocalBriefsController } from './briefs.http.js';
import { loadReportingConfig, type ReportingConfig } from './reporting-config.js';
import { createReportingRuntime, type ReportingRuntime } from './reporting-runtime.js';
import { REPORTING_CONFIG, REPORTING_RUNTIME } from './reporting.tokens.js';
import { QueriesSupralocalBriefSource } from './supralocal-brief-source.js';

/**
 * Policy briefs: the API records requests as events and queues jobs. Without `REDIS_URL` this
 * process also runs the jobs (and reconciles at start, so a restart loses none); with Redis,
 * `npm run worker` runs them.
 */
@Module({
  imports: [SupralocalModule],
  controllers: [BriefsController, SupralocalBriefsController],
  providers: [
    { provide: REPORTING_CONFIG, useFactory: () => loadReportingConfig() },
    { provide: CLOCK, useValue: systemClock },
    {
      provide: REPORTING_RUNTIME,
      inject: [EventStore, ReadStore, REPORTING_CONFIG, SupralocalQueries, SealedText, CLOCK],
      useFactory: (
        store: EventStore,
        readStore: ReadStore,
        config: ReportingConfig,
        supralocal: SupralocalQueries,
        sealed: SealedText,
        clock: Clock,
      ) => {
        const logger = new Logger('Briefs');
        return createReportingRuntime({
          store,
          readStore,
          sealed,
          config,
          supralocal: new QueriesSupralocalBriefSource(supralocal),
          role: 'app',
          log: (line) => logger.log(line),
          // The app's clock: requests, ledger entries and the generated briefs agree on "now".
          now: () => clock.now(),
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
