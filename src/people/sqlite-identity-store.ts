import DatabaseConstructor, { type Database } from 'better-sqlite3';
import { closedAfterFailedSetup } from '../platform/sqlite-setup.js';
import {
  AccountExistsError,
  type AccountRecord,
  ERASED_NAME,
  erasedEmail,
  IdentityStore,
  type InviteRecord,
  type RefreshTokenRecord,
} from './identity-store.port.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS invites (
  invite_id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE,
  email TEXT NOT NULL, expires_at TEXT NOT NULL, accepted_at TEXT);
CREATE TABLE IF NOT EXISTS accounts (
  person_id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, email TEXT NOT NULL, name TEXT NOT NULL,
  password_hash TEXT, oidc_subject TEXT, created_at TEXT NOT NULL,
  UNIQUE (tenant_id, email), UNIQUE (tenant_id, oidc_subject));
CREATE TABLE IF NOT EXISTS refresh_tokens (
  token_hash TEXT PRIMARY KEY, family_id TEXT NOT NULL, person_id TEXT NOT NULL,
  tenant_id TEXT NOT NULL, expires_at TEXT NOT NULL, rotated_at TEXT, revoked_at TEXT);
CREATE INDEX IF NOT EXISTS refresh_family ON refresh_tokens (family_id);
CREATE INDEX IF NOT EXISTS refresh_person ON refresh_tokens (tenant_id, person_id);
CREATE TABLE IF NOT EXISTS oidc_nonces (nonce_hash TEXT PRIMARY KEY, expires_at TEXT NOT NULL);
`;

type Row = Record<string, string | null>;

const invite = (row: Row | undefined): InviteRecord | null =>
  row
    ? {
        inviteId: row['invite_id']!,
        tenantId: row['tenant_id']!,
        tokenHash: row['token_hash']!,
        email: row['email']!,
        expiresAt: row['expires_at']!,
        acceptedAt: row['accepted_at'] ?? null,
      }
    : null;

const account = (row: Row | undefined): AccountRecord | null =>
  row
    ? {
        personId: row['person_id']!,
        tenantId: row['tenant_id']!,
        email: row['email']!,
        name: row['name']!,
        passwordHash: row['password_hash'] ?? null,
        oidcSubject: row['oidc_subject'] ?? null,
        createdAt: row['created_at']!,
        ...(row['erased_at'] ? { erasedAt: row['erased_at'] } : {}),
        ...(row['access_revoked_at'] ? { accessRevokedAt: row['access_revoked_at'] } : {}),
      }
    : null;

const refresh = (row: Row | undefined): RefreshTokenRecord | null =>
  row
    ? {
        tokenHash: row['token_hash']!,
        familyId: row['family_id']!,
        personId: row['person_id']!,
        tenantId: row['tenant_id']!,
        expiresAt: row['expires_at']!,
        rotatedAt: row['rotated_at'] ?? null,
        revokedAt: row['revoked_at'] ?? null,
      }
    : null;

/** The embedded identity store: its own SQLite file beside the event store (`DATA_DIR/identity.sqlite`). */
export class SqliteIdentityStore extends IdentityStore {
  private readonly db: Database;

  constructor(file: string) {
    super();
    this.db = new DatabaseConstructor(file);
    try {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = FULL');
      this.db.pragma('busy_timeout = 5000');
      // Deleted and overwritten content is zeroed in the file, so that an erased e-mail or name does not
      // linger in free pages (see eraseAccount, which also checkpoints the WAL away).
      this.db.pragma('secure_delete = ON');
      // Immediate: two processes opening an older file at once must not both add a column.
      this.db
        .transaction(() => {
          this.db.exec(SCHEMA);
          const columns = this.db.prepare('PRAGMA table_info(accounts)').all() as Array<{ name: string }>;
          if (!columns.some((column) => column.name === 'erased_at')) {
            this.db.exec('ALTER TABLE accounts ADD COLUMN erased_at TEXT');
          }
          if (!columns.some((column) => column.name === 'access_revoked_at')) {
            this.db.exec('ALTER TABLE accounts ADD COLUMN access_revoked_at TEXT');
          }
        })
        .immediate();
    } catch (error) {
      throw closedAfterFailedSetup(this.db, error);
    }
  }

  async putInvite(r: InviteRecord): Promise<void> {
    this.db
      .prepare('INSERT INTO invites VALUES (?, ?, ?, ?, ?, ?)')
      .run(r.inviteId, r.tenantId, r.tokenHash, r.email, r.expiresAt, r.acceptedAt);
  }

  async inviteByTokenHash(tokenHash: string): Promise<InviteRecord | null> {
    return invite(
      this.db.prepare('SELECT * FROM invites WHERE token_hash = ?').get(tokenHash) as Row | undefined,
    );
  }

  async markInviteAccepted(inviteId: string, at: string): Promise<boolean> {
    const result = this.db
      .prepare('UPDATE invites SET accepted_at = ? WHERE invite_id = ? AND accepted_at IS NULL')
      .run(at, inviteId);
    return result.changes === 1;
  }

  async createAccount(r: AccountRecord): Promise<void> {
    try {
      this.db
        .prepare(
          `INSERT INTO accounts (person_id, tenant_id, email, name, password_hash, oidc_subject, created_at, erased_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          r.personId,
          r.tenantId,
          r.email,
          r.name,
          r.passwordHash,
          r.oidcSubject,
          r.createdAt,
          r.erasedAt ?? null,
        );
    } catch (error: unknown) {
      if (isConstraintError(error)) {
        throw new AccountExistsError('account exists');
      }
      throw error;
    }
  }

  async accountByEmail(tenantId: string, email: string): Promise<AccountRecord | null> {
    return account(
      this.db.prepare('SELECT * FROM accounts WHERE tenant_id = ? AND email = ?').get(tenantId, email) as
        Row | undefined,
    );
  }

  async accountBySubject(tenantId: string, oidcSubject: string): Promise<AccountRecord | null> {
    return account(
      this.db
        .prepare('SELECT * FROM accounts WHERE tenant_id = ? AND oidc_subject = ?')
        .get(tenantId, oidcSubject) as Row | undefined,
    );
  }

  async account(tenantId: string, personId: string): Promise<AccountRecord | null> {
    return account(
      this.db
        .prepare('SELECT * FROM accounts WHERE tenant_id = ? AND person_id = ?')
        .get(tenantId, personId) as Row | undefined,
    );
  }

  async accounts(tenantId: string): Promise<AccountRecord[]> {
    const rows = this.db
      .prepare('SELECT * FROM accounts WHERE tenant_id = ? ORDER BY email')
      .all(tenantId) as Row[];
    return rows.map((row) => account(row)!);
  }

  async markAccessRevoked(tenantId: string, personId: string, at: string): Promise<void> {
    this.db
      .prepare('UPDATE accounts SET access_revoked_at = ? WHERE tenant_id = ? AND person_id = ?')
      .run(at, tenantId, personId);
  }

  async eraseAccount(tenantId: string, personId: string, at: string): Promise<boolean> {
    const erased = this.db.transaction(() => {
      const row = this.db
        .prepare('SELECT email FROM accounts WHERE tenant_id = ? AND person_id = ? AND erased_at IS NULL')
        .get(tenantId, personId) as { email: string } | undefined;
      if (!row) return false;
      this.db
        .prepare(
          `UPDATE accounts SET email = ?, name = ?, password_hash = NULL, oidc_subject = NULL, erased_at = ?
           WHERE tenant_id = ? AND person_id = ?`,
        )
        .run(erasedEmail(personId), ERASED_NAME, at, tenantId, personId);
      // Invites keep their id and dates (the invite stream refers to them); the address goes.
      this.db
        .prepare("UPDATE invites SET email = 'erased:' || invite_id WHERE tenant_id = ? AND email = ?")
        .run(tenantId, row.email);
      this.db
        .prepare(
          'UPDATE refresh_tokens SET revoked_at = ? WHERE tenant_id = ? AND person_id = ? AND revoked_at IS NULL',
        )
        .run(at, tenantId, personId);
      return true;
    })();
    // The WAL still holds the pages written before: copy the new ones into the file and empty it.
    if (erased) this.db.pragma('wal_checkpoint(TRUNCATE)');
    return erased;
  }

  async putRefreshToken(record: RefreshTokenRecord): Promise<void> {
    this.insertRefreshToken(record);
  }

  private insertRefreshToken(r: RefreshTokenRecord): void {
    this.db
      .prepare('INSERT INTO refresh_tokens VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(r.tokenHash, r.familyId, r.personId, r.tenantId, r.expiresAt, r.rotatedAt, r.revokedAt);
  }

  async refreshToken(tokenHash: string): Promise<RefreshTokenRecord | null> {
    return refresh(
      this.db.prepare('SELECT * FROM refresh_tokens WHERE token_hash = ?').get(tokenHash) as Row | undefined,
    );
  }

  async rotateRefreshToken(tokenHash: string, at: string, next: RefreshTokenRecord): Promise<boolean> {
    // One transaction: the mark and the new token, both or neither.
    return this.db.transaction(() => {
      const marked = this.db
        .prepare(
          'UPDATE refresh_tokens SET rotated_at = ? WHERE token_hash = ? AND rotated_at IS NULL AND revoked_at IS NULL',
        )
        .run(at, tokenHash).changes;
      if (marked !== 1) return false;
      this.insertRefreshToken(next);
      return true;
    })();
  }

  async revokeFamily(familyId: string, at: string): Promise<number> {
    return this.db
      .prepare('UPDATE refresh_tokens SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL')
      .run(at, familyId).changes;
  }

  async revokePerson(tenantId: string, personId: string, at: string): Promise<number> {
    return this.db
      .prepare(
        'UPDATE refresh_tokens SET revoked_at = ? WHERE tenant_id = ? AND person_id = ? AND revoked_at IS NULL',
      )
      .run(at, tenantId, personId).changes;
  }

  async putOidcNonce(nonceHash: string, expiresAt: string): Promise<void> {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM oidc_nonces WHERE expires_at <= ?').run(new Date().toISOString());
      this.db.prepare('INSERT INTO oidc_nonces VALUES (?, ?)').run(nonceHash, expiresAt);
    })();
  }

  async takeOidcNonce(nonceHash: string, now: string): Promise<boolean> {
    const result = this.db
      .prepare('DELETE FROM oidc_nonces WHERE nonce_hash = ? AND expires_at > ?')
      .run(nonceHash, now);
    return result.changes === 1;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/** By its code, not its class: under Jest's VM modules the driver's errors come from another realm. */
function isConstraintError(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    String((error as { code: unknown }).code).startsWith('SQLITE_CONSTRAINT')
  );
}
