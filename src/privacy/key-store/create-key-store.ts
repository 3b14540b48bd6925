import type { AppConfig } from '../../config/app-config.js';
import type { KeyStore } from './key-store.port.js';
import { MongoKeyStore } from './mongodb-key-store.js';
import { SqliteKeyStore } from './sqlite-key-store.js';

export async function createKeyStore(
  config: AppConfig['keyStore'],
  options: { readOnly?: boolean } = {},
): Promise<KeyStore> {
  return config.kind === 'mongodb'
    ? MongoKeyStore.connect(config.uri, options)
    : new SqliteKeyStore({ file: config.file, synchronous: config.synchronous, ...options });
}
