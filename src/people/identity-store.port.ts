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
}

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

  abstract putRefreshToken(record: RefreshTokenRecord): Promise<void>;
  abstract refreshToken(tokenHash: string): Promise<RefreshTokenRecord | null>;
  /** Compare-and-set: true only when the token was neither rotated nor revoked before. */
  abstract markRotated(tokenHash: string, at: string): Promise<boolean>;
  abstract revokeFamily(familyId: string, at: string): Promise<number>;
  abstract revokePerson(tenantId: string, personId: string, at: string): Promise<number>;

  abstract close(): Promise<void>;
}
