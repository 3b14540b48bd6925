import { Inject, Injectable } from '@nestjs/common';
import type { AccessRevocations, AuthenticatedActor } from '../auth/actor.js';
import { claimedTimes } from '../auth/claimed-times.js';
import { AuthenticationError } from '../auth/errors.js';
import { IdentityStore } from './identity-store.port.js';

/** How long this process trusts what it read of a person's revocation (ms). */
const FRESH_MS = 5000;
const MAX_REMEMBERED = 10_000;

/**
 * Refuses access tokens issued before their person's roles were revoked or the person was erased,
 * as the identity store records it (so every process of a deployment agrees within FRESH_MS). A
 * person's record is read at most every 5 seconds per process; the token's `iat` is read only for
 * a person who has a revocation. A token issued in the same second as the revocation is refused
 * too (`iat` has whole seconds): the person signs in again.
 */
@Injectable()
export class IdentityAccessRevocations implements AccessRevocations {
  private readonly known = new Map<string, { revokedAt: number | null; readAt: number }>();

  constructor(@Inject(IdentityStore) private readonly identities: IdentityStore) {}

  async check(actor: AuthenticatedActor, token: string): Promise<void> {
    const revokedAt = await this.revokedAt(actor.tenantId, actor.id);
    if (revokedAt === null) return;
    const issuedAt = claimedTimes(token).iat ?? null;
    if (issuedAt === null || issuedAt * 1000 <= revokedAt) {
      throw new AuthenticationError('TOKEN_REVOKED', 'token issued before the roles were revoked');
    }
  }

  /** This process revoked the person's access just now: no need to wait for the next read. */
  forget(tenantId: string, personId: string): void {
    this.known.delete(`${tenantId}:${personId}`);
  }

  private async revokedAt(tenantId: string, personId: string): Promise<number | null> {
    const key = `${tenantId}:${personId}`;
    const now = Date.now();
    const known = this.known.get(key);
    if (known !== undefined && now - known.readAt < FRESH_MS) return known.revokedAt;
    const account = await this.identities.account(tenantId, personId);
    const times = [account?.accessRevokedAt, account?.erasedAt]
      .filter((value): value is string => typeof value === 'string')
      .map((value) => Date.parse(value))
      .filter((value) => Number.isFinite(value));
    const revokedAt = times.length === 0 ? null : Math.floor(Math.max(...times) / 1000) * 1000;
    this.known.delete(key);
    this.known.set(key, { revokedAt, readAt: now });
    if (this.known.size > MAX_REMEMBERED) this.known.delete(this.known.keys().next().value!);
    return revokedAt;
  }
}
