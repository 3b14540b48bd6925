import { afterAll, describe, expect, it } from '@jest/globals';
import { MongoClient } from 'mongodb';
import { randomBytes } from 'node:crypto';
import { MongoReadStore } from '../../src/platform/read-store/mongodb/mongodb-read-store.js';
import type { CollectionSpec } from '../../src/platform/read-store/read-store.port.js';
import { describeReadStoreContract } from './read-store.contract.js';

// Runs against a real server only when one is configured (CI service container, docker compose).
const uri = process.env['MONGODB_URI'];

if (uri) {
  // A database of its own per run and mode, dropped at the end; the server may be shared.
  const run = randomBytes(4).toString('hex');
  const auto = `read_store_contract_${run}`;
  const guarded = `read_store_contract_${run}_guarded`;

  afterAll(async () => {
    const client = new MongoClient(uri);
    try {
      await client.connect();
      await client.db(auto).dropDatabase();
      await client.db(guarded).dropDatabase();
    } finally {
      await client.close();
    }
  }, 30_000);

  /** The names of a collection's indexes in database `dbName`, but the primary key's (`_id_`). */
  const queryIndexesIn = (dbName: string) => async (spec: CollectionSpec) => {
    const client = new MongoClient(uri);
    try {
      await client.connect();
      const indexes = await client.db(dbName).collection(`rm_${spec.name}_v${spec.version}`).indexes();
      return indexes.map((index) => index.name ?? '').filter((name) => name !== '_id_');
    } finally {
      await client.close();
    }
  };

  // On a replica set this is the transactional path; on a standalone server, the guarded one.
  describeReadStoreContract(
    'mongodb',
    () => MongoReadStore.connect(uri, { dbName: auto }),
    queryIndexesIn(auto),
  );
  // The position-guarded path (E11000 handling included), whatever the server supports.
  describeReadStoreContract(
    'mongodb without transactions',
    () => MongoReadStore.connect(uri, { dbName: guarded, transactions: 'never' }),
    queryIndexesIn(guarded),
  );

  describe('MongoReadStore storage layout', () => {
    it('stores { _id, d, p, i } in rm_<name>_v<version> with an index per declared field', async () => {
      const store = await MongoReadStore.connect(uri, { dbName: auto });
      const client = new MongoClient(uri);
      try {
        await client.connect();
        const spec: CollectionSpec = {
          name: `t${randomBytes(6).toString('hex')}`,
          version: 3,
          indexes: [
            { field: 'status', type: 'string' },
            { field: 'tags', type: 'string[]' },
          ],
        };
        await store.ensureCollection(spec);
        const doc = { status: 'open', tags: ['a'], title: 'x' };
        await store.commit([
          {
            collection: spec,
            puts: [{ id: 'd1', doc, position: 1n << 70n }],
            deletes: [],
            parked: [],
            checkpoint: 1n,
            caughtUp: true,
          },
        ]);
        const collection = client.db(auto).collection<{ _id: string }>(`rm_${spec.name}_v3`);
        expect(await collection.findOne({ _id: 'd1' })).toEqual({
          _id: 'd1',
          d: JSON.stringify(doc),
          p: (1n << 70n).toString().padStart(40, '0'),
          i: { status: 'open', tags: ['a'] },
        });
        const names = (await collection.indexes()).map((index) => index.name);
        expect(names).toEqual(expect.arrayContaining(['_id_', 'i_status', 'i_tags']));
        const checkpoint = await client
          .db(auto)
          .collection<{ _id: string }>('projection_checkpoints')
          .findOne({ _id: `rm_${spec.name}_v3` });
        expect(checkpoint).toMatchObject({ n: spec.name, v: 3, caughtUp: true });
      } finally {
        await client.close();
        await store.close();
      }
    }, 30_000);
  });
} else {
  describe.skip('ReadStore contract: mongodb (skipped: MONGODB_URI is not set)', () => {
    it.skip('needs MONGODB_URI, e.g. mongodb://localhost:27017/?replicaSet=rs0', () => undefined);
  });
}
