import {
  Global,
  Inject,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { PROJECTIONS } from '../../projections/index.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { EventStore } from '../platform/event-store/event-store.port.js';
import { InlineProjectionHost, ProjectionHost, ThreadProjectionHost } from './projection-host.js';
import { openReadStore } from '../platform/open-stores.js';
import { ReadStore } from '../platform/read-store/read-store.port.js';
import { ReadModels } from './read-models.js';

/** The read side: the read store, the projection runner that fills it, and typed access for queries. */
@Global()
@Module({
  providers: [
    {
      provide: ReadStore,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => openReadStore(config.readStore),
    },
    {
      provide: ProjectionHost,
      inject: [APP_CONFIG, EventStore, ReadStore],
      useFactory: (config: AppConfig, store: EventStore, readStore: ReadStore) => {
        if (config.projections === 'inline') return new InlineProjectionHost(store, readStore);
        if (config.projections === 'off') return new ThreadProjectionHost(config, store, readStore, false);
        // Of several instances on one read store, the one holding the lease runs the worker.
        return new ThreadProjectionHost(config, store, readStore, true, { lease: config.leases });
      },
    },
    ReadModels,
  ],
  exports: [ReadStore, ProjectionHost, ReadModels],
})
export class ReadModelsModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(ProjectionHost) private readonly runner: ProjectionHost,
    @Inject(ReadStore) private readonly readStore: ReadStore,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.runner.start();
    new Logger('Projections').log(
      `following the event store for ${PROJECTIONS.map((p) => p.name).join(', ')}`,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runner.stop();
    await this.readStore.close();
  }
}
