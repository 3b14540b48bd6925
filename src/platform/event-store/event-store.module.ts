import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { type AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { EncryptingEventStore } from '../../privacy/encrypting-event-store.js';
import { createKeyStore } from '../../privacy/key-store/create-key-store.js';
import { KeyStore } from '../../privacy/key-store/key-store.port.js';
import { EventStore } from './event-store.port.js';
import { EventStoreDbEventStore } from './eventstoredb/eventstoredb-event-store.js';
import { SqliteEventStore } from './sqlite/sqlite-event-store.js';

/**
 * The store as it keeps events: ciphertext for encrypted free text (see EncryptingEventStore).
 * `pollIntervalMs` (SQLite): a worker thread's connection hears of the app's commits only by
 * polling, so it polls often (reads are cheap).
 */
export function createEventStore(
  config: AppConfig['eventStore'],
  options: { pollIntervalMs?: number } = {},
): EventStore {
  return config.kind === 'eventstoredb'
    ? EventStoreDbEventStore.fromConnectionString(config.connectionString)
    : new SqliteEventStore({ file: config.file, synchronous: config.synchronous, ...options });
}

@Global()
@Module({
  providers: [
    {
      provide: KeyStore,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => createKeyStore(config.keyStore),
    },
    {
      provide: EventStore,
      inject: [APP_CONFIG, KeyStore],
      useFactory: (config: AppConfig, keys: KeyStore) =>
        new EncryptingEventStore(createEventStore(config.eventStore), keys),
    },
  ],
  exports: [EventStore, KeyStore],
})
export class EventStoreModule implements OnApplicationShutdown {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(KeyStore) private readonly keys: KeyStore,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
    await this.keys.close();
  }
}
