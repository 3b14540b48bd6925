import { afterAll, describe, it } from '@jest/globals';
import { MongoClient } from 'mongodb';
import { randomBytes } from 'node:crypto';
import { MongoKeyStore } from '../../src/privacy/key-store/mongodb-key-store.js';
import { describeKeyStoreContract } from './key-store.contract.js';

// Runs against a real server only when one is configured (CI service container, docker compose).
const uri = process.env['MONGODB_URI'];

if (uri) {
  const dbName = `key_store_contract_${randomBytes(4).toString('hex')}`;
  let n = 0;

  afterAll(async () => {
    const client = new MongoClient(uri);
    try {
      await client.connect();
      await client.db(dbName).dropDatabase();
    } finally {
      await client.close();
    }
  }, 30_000);

  describeKeyStoreContract('mongodb', async () => {
    const collection = `data_keys_${++n}`;
    return {
      store: await MongoKeyStore.connect(uri, { dbName, collection }),
      readOnly: () => MongoKeyStore.connect(uri, { dbName, collection, readOnly: true }),
    };
  });
} else {
  describe('KeyStore contract: mongodb', () => {
    it.skip('needs MONGODB_URI', () => undefined);
  });
}
