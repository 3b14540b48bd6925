import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import {
  AccountExistsError,
  type AccountRecord,
  ERASED_NAME,
  erasedEmail,
  type IdentityStore,
  type RefreshTokenRecord,
} from '../../src/people/identity-store.port.js';

/** The behaviour every identity store must have: the embedded and the MongoDB one alike. */
export function describeIdentityStoreContract(name: string, open: () => Promise<IdentityStore>): void {
  describe(`identity store contract: ${name}`, () => {
    let store: IdentityStore;
    // Each test works in a tenant of its own, so that a shared database needs no cleaning.
    let tenantId: string;
    beforeEach(async () => {
      store = await open();
      tenantId = `t${randomUUID().slice(0, 8)}`;
    });
    afterEach(() => store.close());

    const account = (overrides: Partial<AccountRecord> = {}): AccountRecord => ({
      personId: randomUUID(),
      tenantId,
      email: `${randomUUID().slice(0, 6)}@stad.gent`,
      name: 'Iemand',
      passwordHash: 'scrypt$…',
      oidcSubject: null,
      createdAt: '2026-11-28T10:00:00.000Z',
      ...overrides,
    });
    const refresh = (overrides: Partial<RefreshTokenRecord> = {}): RefreshTokenRecord => ({
      tokenHash: randomUUID(),
      familyId: randomUUID(),
      personId: 'p-1',
      tenantId,
      expiresAt: '2026-12-28T10:00:00.000Z',
      rotatedAt: null,
      revokedAt: null,
      ...overrides,
    });

    it('finds an invite by its token hash and accepts it exactly once, also when raced', async () => {
      const inviteId = randomUUID();
      const tokenHash = randomUUID();
      await store.putInvite({
        inviteId,
        tenantId,
        tokenHash,
        email: 'a@b.be',
        expiresAt: '2026-12-01T00:00:00.000Z',
        acceptedAt: null,
      });
      expect(await store.inviteByTokenHash(tokenHash)).toEqual({
        inviteId,
        tenantId,
        tokenHash,
        email: 'a@b.be',
        expiresAt: '2026-12-01T00:00:00.000Z',
        acceptedAt: null,
      });
      expect(await store.inviteByTokenHash('unknown')).toBeNull();
      const results = await Promise.all(
        Array.from({ length: 10 }, () => store.markInviteAccepted(inviteId, '2026-11-28T11:00:00.000Z')),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await store.inviteByTokenHash(tokenHash))?.acceptedAt).toBe('2026-11-28T11:00:00.000Z');
    });

    it('keeps one account per e-mail and per OIDC identity within a tenant, and finds it each way', async () => {
      const first = account({ email: 'an@stad.gent', oidcSubject: 'https://idp|vo-1' });
      await store.createAccount(first);
      await expect(store.createAccount(account({ email: 'an@stad.gent' }))).rejects.toBeInstanceOf(
        AccountExistsError,
      );
      await expect(store.createAccount(account({ oidcSubject: 'https://idp|vo-1' }))).rejects.toBeInstanceOf(
        AccountExistsError,
      );
      // Two accounts without an OIDC identity do not collide on it.
      await store.createAccount(account({ oidcSubject: null }));
      await store.createAccount(account({ oidcSubject: null }));
      expect(await store.accountByEmail(tenantId, 'an@stad.gent')).toEqual(first);
      expect(await store.accountBySubject(tenantId, 'https://idp|vo-1')).toEqual(first);
      expect(await store.account(tenantId, first.personId)).toEqual(first);
      expect(await store.accountByEmail('elders', 'an@stad.gent')).toBeNull();
      expect((await store.accounts(tenantId)).map((a) => a.email)).toContain('an@stad.gent');
      expect(await store.accounts(tenantId)).toHaveLength(3);
    });

    it('rotates a refresh token once, storing the next one with it; revokes by family and by person', async () => {
      const token = refresh();
      await store.putRefreshToken(token);
      expect(await store.refreshToken(token.tokenHash)).toEqual(token);
      const nexts = Array.from({ length: 10 }, () => refresh({ familyId: token.familyId }));
      const rotations = await Promise.all(
        nexts.map((next) => store.rotateRefreshToken(token.tokenHash, '2026-11-28T12:00:00.000Z', next)),
      );
      expect(rotations.filter(Boolean)).toHaveLength(1);
      expect((await store.refreshToken(token.tokenHash))?.rotatedAt).toBe('2026-11-28T12:00:00.000Z');
      // Only the winner's next token is stored.
      const stored = await Promise.all(nexts.map((next) => store.refreshToken(next.tokenHash)));
      expect(stored.map((record) => record !== null)).toEqual(rotations);
      const sibling = refresh({ familyId: token.familyId });
      const other = refresh({ personId: 'p-2' });
      await store.putRefreshToken(sibling);
      await store.putRefreshToken(other);
      // The rotated token, the one stored with its rotation and the sibling.
      expect(await store.revokeFamily(token.familyId, '2026-11-28T13:00:00.000Z')).toBe(3);
      expect((await store.refreshToken(sibling.tokenHash))?.revokedAt).toBe('2026-11-28T13:00:00.000Z');
      const afterRevoke = refresh({ familyId: token.familyId });
      expect(await store.rotateRefreshToken(sibling.tokenHash, '2026-11-28T14:00:00.000Z', afterRevoke)).toBe(
        false,
      );
      expect(await store.refreshToken(afterRevoke.tokenHash)).toBeNull();
      expect((await store.refreshToken(other.tokenHash))?.revokedAt).toBeNull();
      expect(await store.revokePerson(tenantId, 'p-2', '2026-11-28T15:00:00.000Z')).toBe(1);
      expect(await store.revokePerson(tenantId, 'p-2', '2026-11-28T16:00:00.000Z')).toBe(0);
    });

    it('leaves a refresh token unrotated when its successor cannot be stored', async () => {
      const token = refresh();
      const taken = refresh();
      await store.putRefreshToken(token);
      await store.putRefreshToken(taken);
      // The next token's hash is taken: the store refuses it, and the old token stays usable. (The
      // refusal is the driver's error, made in another realm than Jest's when the native module was
      // loaded by an earlier test file of the worker: no `toThrow`, which asks for this realm's Error.)
      const refusal = await store
        .rotateRefreshToken(
          token.tokenHash,
          '2026-11-28T12:00:00.000Z',
          refresh({ tokenHash: taken.tokenHash }),
        )
        .then(
          () => null,
          (error: unknown) => error,
        );
      expect(refusal).not.toBeNull();
      expect((await store.refreshToken(token.tokenHash))?.rotatedAt).toBeNull();
      const next = refresh({ familyId: token.familyId });
      expect(await store.rotateRefreshToken(token.tokenHash, '2026-11-28T12:01:00.000Z', next)).toBe(true);
      expect(await store.refreshToken(next.tokenHash)).toEqual(next);
    });

    it("records when a person's access was revoked", async () => {
      const person = account({ personId: 'p-revoked', email: 'revoked@stad.gent' });
      await store.createAccount(person);
      expect((await store.account(tenantId, 'p-revoked'))?.accessRevokedAt ?? null).toBeNull();
      await store.markAccessRevoked(tenantId, 'p-revoked', '2026-11-29T10:00:00.000Z');
      expect((await store.account(tenantId, 'p-revoked'))?.accessRevokedAt).toBe('2026-11-29T10:00:00.000Z');
      await store.markAccessRevoked(tenantId, 'nobody', '2026-11-29T10:00:00.000Z'); // no account: nothing
      expect(await store.account(tenantId, 'nobody')).toBeNull();
    });

    it('takes an OIDC nonce once, also when raced, and never after it expires', async () => {
      const later = new Date(Date.now() + 600_000).toISOString();
      await store.putOidcNonce('nonce-hash-1', later);
      const takes = await Promise.all(
        Array.from({ length: 10 }, () => store.takeOidcNonce('nonce-hash-1', new Date().toISOString())),
      );
      expect(takes.filter(Boolean)).toHaveLength(1);
      expect(await store.takeOidcNonce('nonce-hash-1', new Date().toISOString())).toBe(false);
      expect(await store.takeOidcNonce('never-issued', new Date().toISOString())).toBe(false);
      await store.putOidcNonce('nonce-hash-2', later);
      expect(await store.takeOidcNonce('nonce-hash-2', new Date(Date.now() + 601_000).toISOString())).toBe(
        false,
      );
    });

    it('erases a person once: name, e-mail, login and their invites gone, refresh tokens revoked', async () => {
      const inviteHash = randomUUID();
      await store.putInvite({
        inviteId: randomUUID(),
        tenantId,
        tokenHash: inviteHash,
        email: 'wis.mij@stad.gent',
        expiresAt: '2026-12-01T00:00:00.000Z',
        acceptedAt: '2026-11-28T10:00:00.000Z',
      });
      const person = account({ email: 'wis.mij@stad.gent', name: 'Wis Mij', oidcSubject: 'https://idp|wis' });
      const bystander = account();
      await store.createAccount(person);
      await store.createAccount(bystander);
      const token = refresh({ personId: person.personId });
      const kept = refresh({ personId: bystander.personId });
      await store.putRefreshToken(token);
      await store.putRefreshToken(kept);

      const races = await Promise.all(
        Array.from({ length: 5 }, () =>
          store.eraseAccount(tenantId, person.personId, '2026-11-29T01:00:00.000Z'),
        ),
      );
      expect(races.filter(Boolean)).toHaveLength(1);
      expect(await store.eraseAccount(tenantId, person.personId, '2026-11-29T02:00:00.000Z')).toBe(false);
      expect(await store.eraseAccount(tenantId, randomUUID(), '2026-11-29T02:00:00.000Z')).toBe(false);

      const erased = await store.account(tenantId, person.personId);
      expect(erased).toEqual({
        ...person,
        name: ERASED_NAME,
        email: erasedEmail(person.personId),
        passwordHash: null,
        oidcSubject: null,
        erasedAt: '2026-11-29T01:00:00.000Z',
      });
      expect(await store.accountByEmail(tenantId, 'wis.mij@stad.gent')).toBeNull();
      expect(await store.accountBySubject(tenantId, 'https://idp|wis')).toBeNull();
      const listed = JSON.stringify(await store.accounts(tenantId));
      expect(listed).not.toContain('wis.mij');
      expect(listed).not.toContain('Wis Mij');
      expect(listed).toContain(bystander.email);
      const invite = await store.inviteByTokenHash(inviteHash);
      expect(invite?.acceptedAt).toBe('2026-11-28T10:00:00.000Z');
      expect(invite?.email).not.toContain('wis.mij');
      expect((await store.refreshToken(token.tokenHash))?.revokedAt).toBe('2026-11-29T01:00:00.000Z');
      expect((await store.refreshToken(kept.tokenHash))?.revokedAt).toBeNull();
      expect(await store.account(tenantId, bystander.personId)).toEqual(bystander);
      // The e-mail is free again: the person may be invited anew as someone new.
      await store.createAccount(account({ email: 'wis.mij@stad.gent' }));
      await store.createAccount(account({ oidcSubject: 'https://idp|wis' }));
    });
  });
}
