import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { type AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { EventStore } from './event-store.port.js';
import { EventStoreDbEventStore } from './eventstoredb/eventstoredb-event-store.js';
import { SqliteEventStore } from './sqlite/sqlite-event-store.js';

export function createEventStore(config: AppConfig['eventStore']): EventStore {
  return config.kind === 'eventstoredb'
    ? EventStoreDbEventStore.fromConnectionString(config.connectionString)
    : new SqliteEventStore({ file: config.file, synchronous: config.synchronous });
}

@Global()
@Module({
  providers: [
    {
      provide: EventStore,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => createEventStore(config.eventStore),
    },
  ],
  exports: [EventStore],
})
export class EventStoreModule implements OnApplicationShutdown {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
