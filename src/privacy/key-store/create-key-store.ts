import type { AppConfig } from '../../config/app-config.js';
import type { KeyStore } from './key-store.port.js';
import { SqliteKeyStore } from './sqlite-key-store.js';

export async function createKeyStore(
  config: AppConfig['keyStore'],
  options: { readOnly?: boolean } = {},
): Promise<KeyStore> {
  if (config.kind === 'mongodb') {
    // Loaded only when configured (see openEventStore).
    const { MongoKeyStore } = await import('./mongodb-key-store.js');
    return MongoKeyStore.connect(config.uri, options);
  }
  return new SqliteKeyStore({ file: config.file, synchronous: config.synchronous, ...options });
}
