import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { type AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { EncryptingEventStore, sealedTextOf } from '../../privacy/encrypting-event-store.js';
import { KeyStore } from '../../privacy/key-store/key-store.port.js';
import { SealedText } from '../../privacy/sealed-text.js';
import { EventStore } from './event-store.port.js';
import { LeasedSections } from '../lease/leased-sections.js';
import { openEventStore, openKeyStore } from '../open-stores.js';

@Global()
@Module({
  providers: [
    {
      provide: KeyStore,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => openKeyStore(config.keyStore),
    },
    {
      provide: EventStore,
      inject: [APP_CONFIG, KeyStore],
      // The store as it keeps events: ciphertext for encrypted free text (see EncryptingEventStore).
      useFactory: async (config: AppConfig, keys: KeyStore) =>
        new EncryptingEventStore(await openEventStore(config.eventStore), keys),
    },
    // What opens the text the read models keep sealed: the event store's keys and their cache.
    { provide: SealedText, inject: [EventStore], useFactory: sealedTextOf },
    // Checks across streams and their appends, one at a time across the instances on this store.
    {
      provide: LeasedSections,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new LeasedSections(config.leases.store),
    },
  ],
  exports: [EventStore, KeyStore, SealedText, LeasedSections],
})
export class EventStoreModule implements OnApplicationShutdown {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(KeyStore) private readonly keys: KeyStore,
    @Inject(LeasedSections) private readonly sections: LeasedSections,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.sections.close();
    await this.store.close();
    await this.keys.close();
  }
}
