import { type Collection, MongoClient, MongoServerError } from 'mongodb';
import {
  AccountExistsError,
  type AccountRecord,
  ERASED_NAME,
  erasedEmail,
  IdentityStore,
  type InviteRecord,
  type RefreshTokenRecord,
} from './identity-store.port.js';

interface OidcNonce {
  _id: string;
  expiresAt: Date;
}

/** The production identity store: three collections in the MongoDB database of `MONGODB_URI`. */
export class MongoIdentityStore extends IdentityStore {
  private constructor(
    private readonly client: MongoClient,
    private readonly invites: Collection<InviteRecord>,
    private readonly accountsCollection: Collection<AccountRecord>,
    private readonly refreshTokens: Collection<RefreshTokenRecord>,
    private readonly nonces: Collection<OidcNonce>,
  ) {
    super();
  }

  static async connect(uri: string, dbName?: string): Promise<MongoIdentityStore> {
    const client = new MongoClient(uri);
    await client.connect();
    const db = client.db(dbName);
    const invites = db.collection<InviteRecord>('identity_invites');
    const accounts = db.collection<AccountRecord>('identity_accounts');
    const refreshTokens = db.collection<RefreshTokenRecord>('identity_refresh_tokens');
    await invites.createIndex({ tokenHash: 1 }, { unique: true });
    await invites.createIndex({ inviteId: 1 }, { unique: true });
    await accounts.createIndex({ tenantId: 1, personId: 1 }, { unique: true });
    await accounts.createIndex({ tenantId: 1, email: 1 }, { unique: true });
    await accounts.createIndex(
      { tenantId: 1, oidcSubject: 1 },
      { unique: true, partialFilterExpression: { oidcSubject: { $type: 'string' } } },
    );
    await refreshTokens.createIndex({ tokenHash: 1 }, { unique: true });
    await refreshTokens.createIndex({ familyId: 1 });
    await refreshTokens.createIndex({ tenantId: 1, personId: 1 });
    const nonces = db.collection<OidcNonce>('identity_oidc_nonces');
    // MongoDB drops expired nonces itself (within a minute); takeOidcNonce also checks the time.
    await nonces.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 });
    return new MongoIdentityStore(client, invites, accounts, refreshTokens, nonces);
  }

  async putInvite(record: InviteRecord): Promise<void> {
    await this.invites.insertOne({ ...record });
  }

  async inviteByTokenHash(tokenHash: string): Promise<InviteRecord | null> {
    return this.invites.findOne({ tokenHash }, { projection: { _id: 0 } });
  }

  async markInviteAccepted(inviteId: string, at: string): Promise<boolean> {
    const result = await this.invites.updateOne({ inviteId, acceptedAt: null }, { $set: { acceptedAt: at } });
    return result.modifiedCount === 1;
  }

  async createAccount(record: AccountRecord): Promise<void> {
    try {
      await this.accountsCollection.insertOne({ ...record });
    } catch (error: unknown) {
      if (error instanceof MongoServerError && error.code === 11000)
        throw new AccountExistsError('account exists');
      throw error;
    }
  }

  async accountByEmail(tenantId: string, email: string): Promise<AccountRecord | null> {
    return this.accountsCollection.findOne({ tenantId, email }, { projection: { _id: 0 } });
  }

  async accountBySubject(tenantId: string, oidcSubject: string): Promise<AccountRecord | null> {
    return this.accountsCollection.findOne({ tenantId, oidcSubject }, { projection: { _id: 0 } });
  }

  async account(tenantId: string, personId: string): Promise<AccountRecord | null> {
    return this.accountsCollection.findOne({ tenantId, personId }, { projection: { _id: 0 } });
  }

  async accounts(tenantId: string): Promise<AccountRecord[]> {
    return this.accountsCollection
      .find({ tenantId }, { projection: { _id: 0 } })
      .sort({ email: 1 })
      .toArray();
  }

  async markAccessRevoked(tenantId: string, personId: string, at: string): Promise<void> {
    await this.accountsCollection.updateOne({ tenantId, personId }, { $set: { accessRevokedAt: at } });
  }

  async eraseAccount(tenantId: string, personId: string, at: string): Promise<boolean> {
    const before = await this.accountsCollection.findOneAndUpdate(
      { tenantId, personId, erasedAt: null },
      {
        $set: {
          email: erasedEmail(personId),
          name: ERASED_NAME,
          passwordHash: null,
          oidcSubject: null,
          erasedAt: at,
        },
      },
      { returnDocument: 'before', projection: { email: 1 } },
    );
    if (!before) return false;
    // Invites keep their id and dates (the invite stream refers to them); the address goes.
    await this.invites.updateMany({ tenantId, email: before.email }, [
      { $set: { email: { $concat: ['erased:', '$inviteId'] } } },
    ]);
    await this.refreshTokens.updateMany({ tenantId, personId, revokedAt: null }, { $set: { revokedAt: at } });
    return true;
  }

  async putRefreshToken(record: RefreshTokenRecord): Promise<void> {
    await this.refreshTokens.insertOne({ ...record });
  }

  async refreshToken(tokenHash: string): Promise<RefreshTokenRecord | null> {
    return this.refreshTokens.findOne({ tokenHash }, { projection: { _id: 0 } });
  }

  async rotateRefreshToken(tokenHash: string, at: string, next: RefreshTokenRecord): Promise<boolean> {
    // Without a replica set there is no transaction: the mark first (the compare-and-set that lets
    // one caller through), then the new token; when that insert fails, the mark is taken back.
    const result = await this.refreshTokens.updateOne(
      { tokenHash, rotatedAt: null, revokedAt: null },
      { $set: { rotatedAt: at } },
    );
    if (result.modifiedCount !== 1) return false;
    try {
      await this.refreshTokens.insertOne({ ...next });
    } catch (error) {
      await this.refreshTokens
        .updateOne({ tokenHash, rotatedAt: at }, { $set: { rotatedAt: null } })
        .catch(() => undefined);
      throw error;
    }
    return true;
  }

  async revokeFamily(familyId: string, at: string): Promise<number> {
    return (await this.refreshTokens.updateMany({ familyId, revokedAt: null }, { $set: { revokedAt: at } }))
      .modifiedCount;
  }

  async revokePerson(tenantId: string, personId: string, at: string): Promise<number> {
    return (
      await this.refreshTokens.updateMany(
        { tenantId, personId, revokedAt: null },
        { $set: { revokedAt: at } },
      )
    ).modifiedCount;
  }

  async putOidcNonce(nonceHash: string, expiresAt: string): Promise<void> {
    await this.nonces.insertOne({ _id: nonceHash, expiresAt: new Date(expiresAt) });
  }

  async takeOidcNonce(nonceHash: string, now: string): Promise<boolean> {
    const taken = await this.nonces.findOneAndDelete({ _id: nonceHash, expiresAt: { $gt: new Date(now) } });
    return taken !== null;
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
