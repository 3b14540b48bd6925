import type { AppConfig } from '../config/app-config.js';
import { openEventStore, openKeyStore } from '../platform/open-stores.js';
import type { EventStore } from '../platform/event-store/event-store.port.js';
import { EncryptingEventStore } from './encrypting-event-store.js';

/**
 * The event store on connections of its own that read the plaintext (a key store handle that only
 * reads keys): for a worker thread following the app's store. The app's commits reach a SQLite
 * connection by polling, so `pollIntervalMs` is short there (reads are cheap).
 */
export async function openPlaintextReader(
  config: Pick<AppConfig, 'eventStore' | 'keyStore'>,
  pollIntervalMs: number,
): Promise<{ store: EventStore; close(): Promise<void> }> {
  const stored = await openEventStore(config.eventStore, { pollIntervalMs });
  const keys = await openKeyStore(config.keyStore, { readOnly: true });
  const store = new EncryptingEventStore(stored, keys);
  return {
    store,
    async close() {
      await store.close();
      await keys.close();
    },
  };
}
