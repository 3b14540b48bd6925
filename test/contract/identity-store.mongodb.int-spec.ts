import { randomBytes } from 'node:crypto';
import { afterAll, describe, it } from '@jest/globals';
import { MongoClient } from 'mongodb';
import { MongoIdentityStore } from '../../src/people/mongodb-identity-store.js';
import { describeIdentityStoreContract } from './identity-store.contract.js';

// Runs against a real server only when one is configured (CI service container, docker compose).
const uri = process.env['MONGODB_URI'];

if (uri) {
  const dbName = `identity_contract_${randomBytes(4).toString('hex')}`;
  afterAll(async () => {
    const client = new MongoClient(uri);
    try {
      await client.connect();
      await client.db(dbName).dropDatabase();
    } finally {
      await client.close();
    }
  }, 30_000);
  describeIdentityStoreContract('mongodb', () => MongoIdentityStore.connect(uri, dbName));
} else {
  describe('identity store contract: mongodb', () => {
    it.skip('needs MONGODB_URI', () => undefined);
  });
}
