/**
 * Personal data and secrets of people, kept outside the event store so that they can be erased
 * or rotated without touching history: events carry opaque ids only. Secrets are stored as
 * SHA-256 hashes (invite and refresh tokens) or scrypt hashes (passwords), never in clear.
 */
export interface InviteRecord {
  inviteId: string;
  tenantId: string;
  tokenHash: string;
  email: string;
  expiresAt: string;
  acceptedAt: string | null;
}

export interface AccountRecord {
  personId: string;
  tenantId: string;
  /** Lower-cased. */
  email: string;
  name: string;
  passwordHash: string | null;
  /** `issuer|subject` of an OIDC identity bound when the invite was accepted. */
  oidcSubject: string | null;
  createdAt: string;
  /**
   * Set when the person was erased: the name is then ERASED_NAME, the e-mail a placeholder that is no
   * address (`erased:<personId>`), and the password hash and OIDC identity are gone. Absent (or null) otherwise.
   */
  erasedAt?: string | null;
  /** When the person's roles were last revoked: access tokens issued before then are refused. */
  accessRevokedAt?: string | null;
}

export const ERASED_NAME = '[gewist]';

export const erasedEmail = (personId: string): string => `erased:${personId}`;

export interface RefreshTokenRecord {
  tokenHash: string;
  familyId: string;
  personId: string;
  tenantId: string;
  expiresAt: string;
  /** Set when the token was exchanged for a new one: a second use is a replay. */
  rotatedAt: string | null;
  revokedAt: string | null;
}

export class AccountExistsError extends Error {
  readonly code = 'ACCOUNT_EXISTS';
}

export abstract class IdentityStore {
  abstract putInvite(record: InviteRecord): Promise<void>;
  abstract inviteByTokenHash(tokenHash: string): Promise<InviteRecord | null>;
  /** Compare-and-set: true only for the first caller. */
  abstract markInviteAccepted(inviteId: string, at: string): Promise<boolean>;

  /** Throws AccountExistsError when the e-mail (per tenant) or the OIDC identity is taken. */
  abstract createAccount(record: AccountRecord): Promise<void>;
  abstract accountByEmail(tenantId: string, email: string): Promise<AccountRecord | null>;
  abstract accountBySubject(tenantId: string, oidcSubject: string): Promise<AccountRecord | null>;
  abstract account(tenantId: string, personId: string): Promise<AccountRecord | null>;
  abstract accounts(tenantId: string): Promise<AccountRecord[]>;
  /**
   * Erases the person's name and e-mail (also from every invite of the tenant sent to that e-mail),
   * their password hash and OIDC identity, so that they can no longer log in; revokes their refresh
   * tokens. Nothing of the old values may remain readable in the store's files. Compare-and-set: true
   * only for the call that erased; false when the account is unknown or was erased before.
   */
  abstract eraseAccount(tenantId: string, personId: string, at: string): Promise<boolean>;
  /** Records that the person's roles were revoked at `at` (their older access tokens stop working). */
  abstract markAccessRevoked(tenantId: string, personId: string, at: string): Promise<void>;

  abstract putRefreshToken(record: RefreshTokenRecord): Promise<void>;
  abstract refreshToken(tokenHash: string): Promise<RefreshTokenRecord | null>;
  /**
   * Rotation, compare-and-set: marks the token rotated at `at` and stores `next` in its place, both
   * or neither; true only when the token was neither rotated nor revoked before (a second use of
   * it, or a concurrent one, gets false and nothing is stored). A failure leaves the token as it
   * was, so that the client's retry is not taken for the reuse of a stolen copy.
   */
  abstract rotateRefreshToken(tokenHash: string, at: string, next: RefreshTokenRecord): Promise<boolean>;
  abstract revokeFamily(familyId: string, at: string): Promise<number>;
  abstract revokePerson(tenantId: string, personId: string, at: string): Promise<number>;

  /**
   * An OIDC nonce this server issued (its hash), good until `expiresAt`; expired ones may be
   * dropped on the way.
   */
  abstract putOidcNonce(nonceHash: string, expiresAt: string): Promise<void>;
  /** Takes the nonce: true once, for the first caller, and only before it expires. */
  abstract takeOidcNonce(nonceHash: string, now: string): Promise<boolean>;

  abstract close(): Promise<void>;
}
