import { randomBytes } from 'node:crypto';
import { Binary, MongoClient, MongoServerError, type Collection } from 'mongodb';
import { uuidv7 } from '../../platform/ids.js';
import {
  DATA_KEY_BYTES,
  KeyStore,
  KeyStoreError,
  type DataKey,
  type KeyInfo,
  type KeyOwner,
} from './key-store.port.js';

interface KeyDocument {
  _id: string;
  tenantId: string;
  signalId: string;
  key: Binary | null;
  live: boolean;
  createdAt: string;
  destroyedAt: string | null;
}

export interface MongoKeyStoreOptions {
  dbName?: string;
  collection?: string;
  readOnly?: boolean;
}

const DUPLICATE_KEY = 11000;

/**
 * Data keys in a MongoDB collection (`data_keys` by default) beside, never inside, the events. A
 * partial unique index keeps one live key per signal when several API instances make it at once;
 * writes wait for the majority so that no event names a key a failover could lose.
 */
export class MongoKeyStore extends KeyStore {
  private constructor(
    private readonly client: MongoClient,
    private readonly keys: Collection<KeyDocument>,
    private readonly readOnly: boolean,
  ) {
    super();
  }

  static async connect(uri: string, options: MongoKeyStoreOptions = {}): Promise<MongoKeyStore> {
    const client = new MongoClient(uri);
    try {
      await client.connect();
      const keys = client
        .db(options.dbName)
        .collection<KeyDocument>(options.collection ?? 'data_keys', { writeConcern: { w: 'majority' } });
      if (!options.readOnly) {
        await keys.createIndex(
          { tenantId: 1, signalId: 1 },
          { name: 'live_key', unique: true, partialFilterExpression: { live: true } },
        );
        await keys.createIndex({ tenantId: 1, signalId: 1, createdAt: 1 }, { name: 'owner' });
      }
      return new MongoKeyStore(client, keys, options.readOnly === true);
    } catch (error) {
      await client.close();
      throw error;
    }
  }

  async activeKey(owner: KeyOwner): Promise<DataKey> {
    this.assertWritable();
    for (let attempt = 0; attempt < 3; attempt++) {
      const live = await this.keys.findOne({
        tenantId: owner.tenantId,
        signalId: owner.signalId,
        live: true,
      });
      if (live?.key) return { keyId: live._id, key: Buffer.from(live.key.buffer) };
      try {
        const document: KeyDocument = {
          _id: uuidv7(),
          tenantId: owner.tenantId,
          signalId: owner.signalId,
          key: new Binary(randomBytes(DATA_KEY_BYTES)),
          live: true,
          createdAt: new Date().toISOString(),
          destroyedAt: null,
        };
        await this.keys.insertOne(document);
        return { keyId: document._id, key: Buffer.from(document.key!.buffer) };
      } catch (error) {
        // Another instance made the signal's key first: read it.
        if (!(error instanceof MongoServerError && error.code === DUPLICATE_KEY)) throw error;
      }
    }
    throw new KeyStoreError('KEY_STORE_UNAVAILABLE', 'No data key could be made');
  }

  async key(keyId: string): Promise<DataKey | null> {
    const found = await this.keys.findOne({ _id: keyId });
    return found?.key ? { keyId, key: Buffer.from(found.key.buffer) } : null;
  }

  async keysOf(owner: KeyOwner): Promise<KeyInfo[]> {
    const found = await this.keys
      .find({ tenantId: owner.tenantId, signalId: owner.signalId })
      .sort({ createdAt: 1, _id: 1 })
      .toArray();
    return found.map((document) => ({
      keyId: document._id,
      tenantId: document.tenantId,
      signalId: document.signalId,
      createdAt: document.createdAt,
      destroyedAt: document.destroyedAt,
    }));
  }

  async destroy(keyIds: readonly string[]): Promise<number> {
    this.assertWritable();
    if (keyIds.length === 0) return 0;
    const result = await this.keys.updateMany(
      { _id: { $in: [...keyIds] }, live: true },
      { $set: { key: null, live: false, destroyedAt: new Date().toISOString() } },
    );
    return result.modifiedCount;
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  private assertWritable(): void {
    if (this.readOnly) {
      throw new KeyStoreError('KEY_STORE_READ_ONLY', 'This key store handle only reads keys');
    }
  }
}
