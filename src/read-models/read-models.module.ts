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
import { ProjectionRunner } from '../platform/projections/projection-runner.js';
import { MongoReadStore } from '../platform/read-store/mongodb/mongodb-read-store.js';
import { ReadStore } from '../platform/read-store/read-store.port.js';
import { SqliteReadStore } from '../platform/read-store/sqlite/sqlite-read-store.js';
import { ReadModels } from './read-models.js';

export async function createReadStore(config: AppConfig['readStore']): Promise<ReadStore> {
  return config.kind === 'mongodb'
    ? MongoReadStore.connect(config.uri)
    : new SqliteReadStore({ file: config.file });
}

/** The read side: the read store, the projection runner that fills it, and typed access for queries. */
@Global()
@Module({
  providers: [
    {
      provide: ReadStore,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => createReadStore(config.readStore),
    },
    {
      provide: ProjectionRunner,
      inject: [EventStore, ReadStore],
      useFactory: (store: EventStore, readStore: ReadStore) =>
        new ProjectionRunner(store, readStore, PROJECTIONS),
    },
    ReadModels,
  ],
  exports: [ReadStore, ProjectionRunner, ReadModels],
})
export class ReadModelsModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(ProjectionRunner) private readonly runner: ProjectionRunner,
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
