import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { hasControlCharacter, isBlank } from '../platform/text.js';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { AuthenticatedActor } from '../auth/actor.js';
import { mintToken, TokenMintingError } from '../auth/mint-token.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { CLOCK, type Clock } from '../platform/clock.js';
import { EventStore } from '../platform/event-store/event-store.port.js';
import { uuidv7 } from '../platform/ids.js';
import { KeyedLock } from '../platform/keyed-lock.js';
import { LeasedSections } from '../platform/lease/leased-sections.js';
import { RateLimiter } from '../platform/rate-limiter.js';
import { isOrganisationId } from '../tenants/organisation.decider.js';
import { appendDecided, type EventAuthor, loadStream } from '../tenants/stream-io.js';
import { isPlainObject, text } from '../tenants/tenant.decider.js';
import { invalidField, TenantDomainError } from '../tenants/tenant.errors.js';
import { TenantsService } from '../tenants/tenants.service.js';
import type { Role } from '../../workflows/roles.js';
import { IDENTITY_CONFIG, type IdentityConfig } from './identity-config.js';
import {
  AccountExistsError,
  type AccountRecord,
  ERASED_NAME,
  IdentityStore,
  type RefreshTokenRecord,
} from './identity-store.port.js';
import { inviteStream, type InviteEvent, personStream, type PersonEvent } from './people.events.js';
import { checkGrant, decideErasePerson, foldInvite, foldPerson, type PersonState } from './person.decider.js';
import { IdentityAccessRevocations } from './access-revocations.js';
import { hashPassword, hashSecret, newSecret, verifyPassword } from './secrets.js';
import { CODE_VERIFIER, exchangeCode, type CodeProof } from './oidc-code-exchange.js';
import type {
  Assignee,
  InviteAccepted,
  InviteIssued,
  OidcNonce,
  PersonErased,
  PersonListItem,
  RolesChanged,
  TokenPair,
} from './people-answers.js';

export type { TokenPair };

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,190}\.[a-z]{2,}$/i;
const TENANT = /^[a-z][a-z0-9-]{1,62}$/;
const MIN_PASSWORD = 12;

const fail = (code: string, status: number, message: string, details?: Record<string, unknown>) =>
  new TenantDomainError(code, status, message, details);

const LOGIN_FAILED = () => fail('LOGIN_FAILED', 401, 'Het e-mailadres of het wachtwoord klopt niet.');
const REFRESH_INVALID = () =>
  fail('REFRESH_TOKEN_INVALID', 401, 'Je sessie is verlopen of ingetrokken. Meld je opnieuw aan.');

/** Invites, accounts, login with rotating refresh tokens, role grants: the people of a tenant. */
/** Roles whose holders can be the assignee of a signal. */
const ASSIGNEE_ROLES: ReadonlySet<string> = new Set(['processor', 'partner-processor', 'lead-processor']);

/** How long a nonce for an OIDC sign-in stays good (seconds). */
const OIDC_NONCE_TTL_SECONDS = 600;

@Injectable()
export class PeopleService {
  readonly inviteLimiter: RateLimiter;
  readonly loginLimiter: RateLimiter;
  private readonly addressLimiter: RateLimiter;
  private readonly oidcKeys: JWTVerifyGetKey | null;
  private readonly logger = new Logger('People');
  /** Role changes and erasures outside the app (the CLI): one after another in this process. */
  private readonly localChanges = new KeyedLock();

  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(IdentityStore) private readonly identities: IdentityStore,
    @Inject(TenantsService) private readonly tenants: TenantsService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly appConfig: AppConfig,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
    @Optional()
    @Inject(IdentityAccessRevocations)
    private readonly revocations?: IdentityAccessRevocations,
    @Optional() @Inject(LeasedSections) private readonly sections?: LeasedSections,
  ) {
    this.inviteLimiter = new RateLimiter(
      config.inviteRateLimit.max,
      config.inviteRateLimit.windowSeconds,
      clock,
    );
    this.loginLimiter = new RateLimiter(
      config.loginRateLimit.max,
      config.loginRateLimit.windowSeconds,
      clock,
    );
    this.addressLimiter = new RateLimiter(
      config.loginRateLimit.max * 10,
      config.loginRateLimit.windowSeconds,
      clock,
    );
    this.oidcKeys = config.oidc ? createRemoteJWKSet(new URL(config.oidc.jwksUrl)) : null;
  }

  /** Issues an invite; the token is returned once (to send to the invitee) and kept as a hash. */
  async invite(
    author: EventAuthor & { roles: readonly Role[]; tenantId: string },
    body: unknown,
  ): Promise<InviteIssued> {
    if (!isPlainObject(body)) throw fail('INVALID_BODY', 400, 'De inhoud moet een JSON-object zijn.');
    onlyFields(body, ['email', 'organisationId', 'roles', 'policyDomains', 'expiresInDays']);
    const email = normaliseEmail(body['email']);
    const organisationId = body['organisationId'] ?? null;
    if (organisationId !== null && !isOrganisationId(organisationId)) {
      throw fail('FIELD_INVALID', 400, 'organisationId is de code van een organisatie.', {
        field: 'organisationId',
      });
    }
    const mode =
      organisationId === null
        ? null
        : ((await this.tenants.engagementModeOf(author.tenantId, organisationId)) ?? 'unknown');
    const { roles, policyDomains } = checkGrant(author, body['roles'], body['policyDomains'], mode);
    const days = body['expiresInDays'] ?? 14;
    if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > 30) {
      throw fail('FIELD_INVALID', 400, 'expiresInDays is een geheel aantal dagen van 1 tot 30.', {
        field: 'expiresInDays',
      });
    }
    const wait = this.inviteLimiter.hit(`${author.tenantId}:${author.id}`);
    if (wait > 0) throw rateLimited(wait);
    const now = this.clock.now();
    const inviteId = uuidv7(now.getTime());
    const token = newSecret();
    const expiresAt = new Date(now.getTime() + days * 86_400_000).toISOString();
    await this.identities.putInvite({
      inviteId,
      tenantId: author.tenantId,
      tokenHash: hashSecret(token),
      email,
      expiresAt,
      acceptedAt: null,
    });
    const position = await appendDecided(
      this.store,
      inviteStream(author.tenantId, inviteId),
      author.tenantId,
      author,
      [{ type: 'InviteIssued', data: { inviteId, organisationId, roles, policyDomains, expiresAt } }],
      'no-stream',
      now,
    );
    return {
      inviteId,
      token,
      email,
      organisationId,
      roles,
      policyDomains,
      expiresAt,
      position: String(position),
    };
  }

  /** Accepting creates the account; with an OIDC ID token the provider's subject is bound to the person. */
  async accept(body: unknown, remote: string): Promise<InviteAccepted> {
    if (!isPlainObject(body)) throw fail('INVALID_BODY', 400, 'De inhoud moet een JSON-object zijn.');
    onlyFields(body, ['tenant', 'token', 'name', 'password', ...OIDC_PROOF_FIELDS]);
    const wait = this.addressLimiter.hit(`accept:${remote}`);
    if (wait > 0) throw rateLimited(wait);
    const tenantId = tenantOf(body['tenant']);
    const token = body['token'];
    if (typeof token !== 'string' || token.length < 20 || token.length > 200) {
      throw fail('FIELD_INVALID', 400, 'token is de code uit je uitnodiging.', { field: 'token' });
    }
    const name = text(body['name'], 'name', 2, 120, invalidField);
    const { password } = body;
    const withProvider = OIDC_PROOF_FIELDS.some((field) => body[field] !== undefined);
    if ((password === undefined) === !withProvider) {
      throw fail(
        'FIELD_REQUIRED',
        400,
        'Kies een wachtwoord (password) of meld je aan bij de identiteitsprovider (idToken, of code met codeVerifier en redirectUri).',
        {
          field: 'password',
        },
      );
    }
    let passwordHash: string | null = null;
    let oidcSubject: string | null = null;
    if (password !== undefined) {
      if (
        typeof password !== 'string' ||
        password.length < MIN_PASSWORD ||
        password.length > 200 ||
        isBlank(password) ||
        hasControlCharacter(password)
      ) {
        throw fail(
          'PASSWORD_TOO_WEAK',
          400,
          `Een wachtwoord heeft minstens ${MIN_PASSWORD} tekens (hoogstens 200), niet enkel spaties en geen stuurtekens.`,
          {
            field: 'password',
          },
        );
      }
    } else {
      oidcSubject = await this.oidcSubject(await this.oidcIdToken(body));
    }

    const record = await this.identities.inviteByTokenHash(hashSecret(token));
    // Another tenant's invite answers as if it did not exist.
    if (!record || record.tenantId !== tenantId) {
      throw fail(
        'INVITE_NOT_FOUND',
        404,
        'Deze uitnodiging bestaat niet. Controleer de link of vraag een nieuwe uitnodiging.',
      );
    }
    if (record.email.startsWith('erased:')) {
      // The address was erased with a person: an invite still open for it is withdrawn.
      throw fail(
        'INVITE_WITHDRAWN',
        410,
        'Deze uitnodiging werd ingetrokken. Vraag een nieuwe uitnodiging aan bij de beheerder.',
      );
    }
    const now = this.clock.now();
    const stream = inviteStream(tenantId, record.inviteId);
    const loaded = await loadStream<InviteEvent>(this.store, stream);
    const invite = foldInvite(loaded.events);
    if (invite.status === 'none') throw fail('INVITE_NOT_FOUND', 404, 'Deze uitnodiging bestaat niet.');
    if (invite.status === 'accepted' || record.acceptedAt !== null) {
      throw fail(
        'INVITE_ALREADY_USED',
        409,
        'Deze uitnodiging is al gebruikt. Meld je aan of vraag een nieuwe uitnodiging.',
      );
    }
    if (invite.expiresAt <= now.toISOString()) {
      throw fail('INVITE_EXPIRED', 410, 'Deze uitnodiging is verlopen. Vraag een nieuwe uitnodiging aan.');
    }
    if (await this.identities.accountByEmail(tenantId, record.email)) {
      throw fail('ACCOUNT_EXISTS', 409, 'Er bestaat al een account met dit e-mailadres. Meld je aan.');
    }
    if (oidcSubject && (await this.identities.accountBySubject(tenantId, oidcSubject))) {
      throw fail('ACCOUNT_EXISTS', 409, 'Deze identiteit is al aan een account gekoppeld. Meld je aan.');
    }
    if (password !== undefined) passwordHash = await hashPassword(password as string);
    const personId = uuidv7(now.getTime());
    // The accept event at the exact revision read is what makes an invite single-use, also under races.
    await appendDecided(
      this.store,
      stream,
      tenantId,
      { id: personId, role: 'invitee' },
      [{ type: 'InviteAccepted', data: { inviteId: invite.inviteId, personId } }],
      loaded.revision,
      now,
    ).catch((error: unknown) => {
      if (error instanceof TenantDomainError && error.code === 'CONCURRENCY_CONFLICT') {
        throw fail('INVITE_ALREADY_USED', 409, 'Deze uitnodiging is al gebruikt.');
      }
      throw error;
    });
    await this.identities.markInviteAccepted(invite.inviteId, now.toISOString());
    const created: AccountRecord = {
      personId,
      tenantId,
      email: record.email,
      name,
      passwordHash,
      oidcSubject,
      createdAt: now.toISOString(),
    };
    try {
      await this.identities.createAccount(created);
    } catch (error: unknown) {
      if (error instanceof AccountExistsError) {
        throw fail(
          'ACCOUNT_EXISTS',
          409,
          'Er bestaat al een account met dit e-mailadres of deze identiteit.',
        );
      }
      throw error;
    }
    const position = await appendDecided(
      this.store,
      personStream(tenantId, personId),
      tenantId,
      { id: personId, role: 'invitee' },
      [
        {
          type: 'PersonRegistered',
          data: {
            personId,
            inviteId: invite.inviteId,
            organisationId: invite.organisationId,
            method: oidcSubject ? 'oidc' : 'password',
          },
        },
        {
          type: 'RolesGranted',
          data: { personId, roles: invite.roles, policyDomains: invite.policyDomains },
        },
      ],
      'no-stream',
      now,
    );
    // Accepted through the provider: signed in at once, as the ID token's nonce is now used up;
    // but not where access tokens come from the identity provider (JWKS_URL): this installation
    // mints none, and the account it just made is the answer (not a 503 after the fact).
    const session =
      oidcSubject === null || this.appConfig.auth.key.kind !== 'hs256'
        ? undefined
        : await this.issue(created, uuidv7());
    return {
      personId,
      tenant: tenantId,
      // The address to sign in with (the invitee's own; the web app signs them in right away).
      email: record.email,
      roles: invite.roles,
      organisationId: invite.organisationId,
      position: String(position),
      ...(session === undefined ? {} : { session }),
    };
  }

  async login(body: unknown, remote: string): Promise<TokenPair> {
    if (!isPlainObject(body)) throw fail('INVALID_BODY', 400, 'De inhoud moet een JSON-object zijn.');
    onlyFields(body, ['tenant', 'email', 'password']);
    const tenantId = tenantOf(body['tenant']);
    const email = normaliseEmail(body['email']);
    const password = body['password'];
    if (typeof password !== 'string' || password.length === 0 || password.length > 200) {
      throw fail('FIELD_INVALID', 400, 'password is je wachtwoord.', { field: 'password' });
    }
    // Per account, and per address (×10: many accounts tried from one address).
    const wait = Math.max(
      this.loginLimiter.hit(`login:${tenantId}:${email}`),
      this.addressLimiter.hit(remote),
    );
    if (wait > 0) throw rateLimited(wait);
    const account = await this.identities.accountByEmail(tenantId, email);
    const ok = await verifyPassword(password, account?.passwordHash ?? null);
    if (!account || !ok) throw LOGIN_FAILED();
    this.loginLimiter.reset(`login:${tenantId}:${email}`);
    return this.issue(account, uuidv7());
  }

  /**
   * A nonce for the next sign-in at the OIDC provider: single use, valid 10 minutes, stored as a
   * hash. The ID token must carry it back (`nonce` claim), so a captured ID token cannot be
   * replayed here, whatever the browser checked.
   */
  async oidcNonce(remote: string): Promise<OidcNonce> {
    if (!this.config.oidc) {
      throw fail(
        'OIDC_NOT_CONFIGURED',
        404,
        'Aanmelden via een identiteitsprovider is bij deze installatie niet ingesteld.',
      );
    }
    const wait = this.addressLimiter.hit(`oidc-nonce:${remote}`);
    if (wait > 0) throw rateLimited(wait);
    const nonce = newSecret();
    const expiresAt = new Date(this.clock.now().getTime() + OIDC_NONCE_TTL_SECONDS * 1000);
    await this.identities.putOidcNonce(hashSecret(nonce), expiresAt.toISOString());
    return { nonce, expiresIn: OIDC_NONCE_TTL_SECONDS };
  }

  async oidcLogin(body: unknown, remote: string): Promise<TokenPair> {
    if (!isPlainObject(body)) throw fail('INVALID_BODY', 400, 'De inhoud moet een JSON-object zijn.');
    onlyFields(body, ['tenant', ...OIDC_PROOF_FIELDS]);
    const tenantId = tenantOf(body['tenant']);
    const wait = this.addressLimiter.hit(`oidc:${remote}`);
    if (wait > 0) throw rateLimited(wait);
    const subject = await this.oidcSubject(await this.oidcIdToken(body));
    const account = await this.identities.accountBySubject(tenantId, subject);
    if (!account) {
      throw fail(
        'OIDC_IDENTITY_NOT_LINKED',
        401,
        'Deze identiteit is nog niet gekoppeld aan een account van dit bestuur. Aanvaard eerst je uitnodiging.',
      );
    }
    return this.issue(account, uuidv7());
  }

  /** Exchanges a refresh token for a new pair; a second use of a rotated token revokes its family. */
  async refresh(body: unknown): Promise<TokenPair> {
    if (isPlainObject(body)) onlyFields(body, ['refreshToken']);
    const token = isPlainObject(body) ? body['refreshToken'] : undefined;
    if (typeof token !== 'string' || token.length > 200) {
      throw fail('FIELD_INVALID', 400, 'refreshToken is het vernieuwingstoken uit je aanmelding.', {
        field: 'refreshToken',
      });
    }
    const record = await this.identities.refreshToken(hashSecret(token));
    const now = this.clock.now();
    if (!record || record.revokedAt !== null || record.expiresAt <= now.toISOString())
      throw REFRESH_INVALID();
    const reused = async () => {
      // Reuse of a rotated token: someone holds a copy. End every session of this login.
      await this.identities.revokeFamily(record.familyId, now.toISOString());
      return fail(
        'REFRESH_TOKEN_REUSED',
        401,
        'Dit vernieuwingstoken werd al gebruikt. Uit voorzorg ben je afgemeld; meld je opnieuw aan.',
      );
    };
    if (record.rotatedAt !== null) throw await reused();
    const account = await this.identities.account(record.tenantId, record.personId);
    if (!account) throw REFRESH_INVALID();
    // The new pair is made before the old token is spent, and stored with its rotation: a refusal
    // or a failure on the way (the event store, the identity store) leaves the old token usable, so
    // the client's retry is not taken for the reuse of a stolen copy.
    const { pair, record: next } = await this.newPair(account, record.familyId);
    if (!(await this.identities.rotateRefreshToken(record.tokenHash, now.toISOString(), next)))
      throw await reused();
    return pair;
  }

  async logout(body: unknown): Promise<void> {
    if (isPlainObject(body)) onlyFields(body, ['refreshToken']);
    const token = isPlainObject(body) ? body['refreshToken'] : undefined;
    if (typeof token !== 'string' || token.length > 200) {
      throw fail('FIELD_INVALID', 400, 'refreshToken is het vernieuwingstoken uit je aanmelding.', {
        field: 'refreshToken',
      });
    }
    const record = await this.identities.refreshToken(hashSecret(token));
    if (record) await this.identities.revokeFamily(record.familyId, this.clock.now().toISOString());
  }

  /** Grants and revokes roles as events; every refresh token of the person is revoked. */
  /**
   * Role changes and erasures of one tenant run one after another, in this process and across the
   * instances on one store: "someone else is still beheerder" is read across people's streams, so
   * two revocations (or erasures) at once could each see the other as the remaining beheerder and
   * leave none.
   */
  private oneAtATime<T>(tenantId: string, task: () => Promise<T>): Promise<T> {
    const name = `people:${tenantId}`;
    if (!this.sections) return this.localChanges.run(name, task);
    return this.sections.run(name, task, () =>
      fail(
        'CONCURRENCY_CONFLICT',
        409,
        'De mensen van het bestuur worden net gewijzigd. Probeer het opnieuw.',
      ),
    );
  }

  changeRoles(actor: AuthenticatedActor, personId: string, body: unknown): Promise<RolesChanged> {
    return this.oneAtATime(actor.tenantId, () => this.changeRolesNow(actor, personId, body));
  }

  private async changeRolesNow(
    actor: AuthenticatedActor,
    personId: string,
    body: unknown,
  ): Promise<RolesChanged> {
    if (!isPlainObject(body))
      throw fail(
        'INVALID_BODY',
        400,
        'Geef grant en/of revoke (lijsten van rollen), en eventueel policyDomains.',
      );
    onlyFields(body, ['grant', 'revoke', 'policyDomains']);
    const person = await this.person(actor.tenantId, personId);
    if (person.state.status !== 'registered')
      throw fail('PERSON_NOT_FOUND', 404, 'Deze persoon bestaat niet.');
    if (person.state.erased) {
      throw fail(
        'PERSON_ERASED',
        409,
        'De gegevens van deze persoon zijn gewist: ze krijgt geen rollen meer.',
      );
    }
    const organisationId = person.state.organisationId;
    const mode =
      organisationId === null
        ? null
        : ((await this.tenants.engagementModeOf(actor.tenantId, organisationId)) ?? 'unknown');
    const events: Array<{ type: string; data: Record<string, never> | PersonEvent['data'] }> = [];
    if (body['grant'] !== undefined) {
      const granted = checkGrant(actor, body['grant'], body['policyDomains'], mode, 'grant');
      events.push({ type: 'RolesGranted', data: { personId, ...granted } });
    }
    if (body['revoke'] !== undefined) {
      const revoke = body['revoke'];
      if (
        !Array.isArray(revoke) ||
        revoke.length === 0 ||
        !revoke.every((r) => person.state.status === 'registered' && person.state.roles.includes(r as Role))
      ) {
        throw fail('FIELD_INVALID', 400, 'revoke is een lijst van rollen die deze persoon heeft.', {
          field: 'revoke',
        });
      }
      if (revoke.includes('tenant-admin')) await this.keepAnAdmin(actor.tenantId, personId);
      events.push({ type: 'RolesRevoked', data: { personId, roles: revoke as Role[] } });
    }
    if (events.length === 0) throw fail('FIELD_REQUIRED', 400, 'Geef grant of revoke.', { field: 'grant' });
    const now = this.clock.now();
    if (body['revoke'] !== undefined) {
      // Before the event: a crash in between ends the person's tokens without a change of roles
      // (they sign in again), never the other way round.
      await this.identities.markAccessRevoked(actor.tenantId, personId, now.toISOString());
      this.revocations?.forget(actor.tenantId, personId);
    }
    const position = await appendDecided(
      this.store,
      personStream(actor.tenantId, personId),
      actor.tenantId,
      { id: actor.id, role: 'tenant-admin' },
      events as Array<{ type: string; data: PersonEvent['data'] }>,
      person.revision,
      now,
    );
    const revoked = await this.identities.revokePerson(actor.tenantId, personId, now.toISOString());
    const after = await this.person(actor.tenantId, personId);
    return {
      personId,
      roles: after.state.status === 'registered' ? after.state.roles : [],
      refreshTokensRevoked: revoked,
      position: String(position),
    };
  }

  /**
   * Erases a person (tenant-admin): name and e-mail leave the identity store, login ends (password,
   * OIDC identity and refresh tokens go), and PersonErased records the opaque id and the reason. The
   * identity store is erased first and idempotently, so a retry after a failure completes the erasure;
   * the event at the revision read makes a second erasure a 409.
   */
  erasePerson(actor: AuthenticatedActor, personId: string, body: unknown): Promise<PersonErased> {
    return this.oneAtATime(actor.tenantId, () => this.erasePersonNow(actor, personId, body));
  }

  private async erasePersonNow(
    actor: AuthenticatedActor,
    personId: string,
    body: unknown,
  ): Promise<PersonErased> {
    const person = await this.person(actor.tenantId, personId);
    const account =
      person.state.status === 'registered' ? await this.identities.account(actor.tenantId, personId) : null;
    const decided = decideErasePerson(
      person.state,
      { personId, name: account?.name ?? '', email: account?.email ?? '' },
      actor.id,
      body,
    );
    if (
      person.state.status === 'registered' &&
      !person.state.erased &&
      person.state.roles.includes('tenant-admin')
    )
      await this.keepAnAdmin(
        actor.tenantId,
        personId,
        'Dit is de laatste beheerder van het bestuur: geef eerst iemand anders de rol beheerder, en wis deze persoon daarna.',
      );
    const now = this.clock.now();
    await this.identities.eraseAccount(actor.tenantId, personId, now.toISOString());
    this.revocations?.forget(actor.tenantId, personId);
    if (account) this.loginLimiter.reset(`login:${actor.tenantId}:${account.email}`);
    const position = await appendDecided(
      this.store,
      personStream(actor.tenantId, personId),
      actor.tenantId,
      { id: actor.id, role: 'tenant-admin' },
      [decided],
      person.revision,
      now,
    ).catch((error: unknown) => {
      if (error instanceof TenantDomainError && error.code === 'CONCURRENCY_CONFLICT') {
        throw fail('PERSON_ALREADY_ERASED', 409, 'De gegevens van deze persoon zijn al gewist.');
      }
      throw error;
    });
    return { personId, erased: true, erasedAt: now.toISOString(), position: String(position) };
  }

  /**
   * Refuses to take the role of beheerder from the tenant's last one: nobody could then invite,
   * grant or erase (only the operators' CLI could give it back).
   */
  private async keepAnAdmin(
    tenantId: string,
    personId: string,
    message = 'Dit is de laatste beheerder van het bestuur: geef eerst iemand anders de rol beheerder, en trek deze rol daarna in.',
  ): Promise<void> {
    const others = (await this.people(tenantId)).filter(
      (person) => person.personId !== personId && !person.erased && person.roles.includes('tenant-admin'),
    );
    if (others.length === 0) {
      throw fail('LAST_TENANT_ADMIN', 409, message);
    }
  }

  async people(tenantId: string): Promise<PersonListItem[]> {
    const accounts = await this.identities.accounts(tenantId);
    return Promise.all(
      accounts.map(async (account) => {
        const { state } = await this.person(tenantId, account.personId);
        const erased = Boolean(account.erasedAt) || (state.status === 'registered' && state.erased === true);
        return {
          personId: account.personId,
          name: erased ? ERASED_NAME : account.name,
          email: erased ? null : account.email,
          erased,
          organisationId: state.status === 'registered' ? state.organisationId : null,
          roles: state.status === 'registered' ? state.roles : [],
          policyDomains: state.status === 'registered' ? state.policyDomains : [],
          oidcLinked: account.oidcSubject !== null,
        };
      }),
    );
  }

  /**
   * The people a signal or dossier can be assigned to: everyone of the tenant who processes
   * signals (processor, partner processor, lead processor), not erased, with their name and policy
   * domains. No e-mail: what a lead processor needs to choose, nothing more.
   */
  async assignees(tenantId: string): Promise<Assignee[]> {
    const people = await this.people(tenantId);
    return people
      .filter((person) => !person.erased)
      .map((person) => ({
        personId: person.personId,
        name: person.name,
        roles: person.roles.filter((role) => ASSIGNEE_ROLES.has(role)),
        policyDomains: person.policyDomains,
        organisationId: person.organisationId,
      }))
      .filter((person) => person.roles.length > 0)
      .sort((a, b) => a.name.localeCompare(b.name, 'nl') || a.personId.localeCompare(b.personId));
  }

  private async person(
    tenantId: string,
    personId: string,
  ): Promise<{ state: PersonState; revision: bigint | 'no-stream' }> {
    if (!/^[0-9a-f-]{36}$/.test(personId)) return { state: { status: 'none' }, revision: 'no-stream' };
    const loaded = await loadStream<PersonEvent>(this.store, personStream(tenantId, personId));
    return { state: foldPerson(loaded.events), revision: loaded.revision as bigint | 'no-stream' };
  }

  /** A new pair for the account, its refresh token stored: a new login, or one of the family. */
  private async issue(account: AccountRecord, familyId: string): Promise<TokenPair> {
    const { pair, record } = await this.newPair(account, familyId);
    await this.identities.putRefreshToken(record);
    return pair;
  }

  /**
   * A token pair for the account and the record of its refresh token, not stored yet. The access
   * token carries the roles the person's events grant now.
   */
  private async newPair(
    account: AccountRecord,
    familyId: string,
  ): Promise<{ pair: TokenPair; record: RefreshTokenRecord }> {
    const { state } = await this.person(account.tenantId, account.personId);
    if (Boolean(account.erasedAt) || (state.status === 'registered' && state.erased)) {
      throw fail('ACCOUNT_ERASED', 401, 'Dit account bestaat niet meer: de gegevens werden gewist.');
    }
    if (state.status !== 'registered' || state.roles.length === 0) {
      throw fail(
        'ACCOUNT_WITHOUT_ROLES',
        403,
        'Je account heeft (nog) geen rol bij dit bestuur. Neem contact op met de beheerder.',
      );
    }
    const now = this.clock.now();
    let accessToken: string;
    try {
      accessToken = await mintToken(
        this.appConfig.auth,
        {
          sub: account.personId,
          tenant: account.tenantId,
          roles: state.roles,
          ...(state.organisationId ? { org: state.organisationId } : {}),
          ...(state.policyDomains.length > 0 ? { domains: state.policyDomains } : {}),
        },
        `${this.config.accessTokenTtlSeconds}s`,
        now,
      );
    } catch (error: unknown) {
      if (error instanceof TokenMintingError) {
        throw fail(
          'LOGIN_UNAVAILABLE',
          503,
          'Aanmelden kan hier niet: toegangstokens komen van de identiteitsprovider (JWKS_URL).',
        );
      }
      throw error;
    }
    const refreshToken = newSecret();
    return {
      pair: {
        accessToken,
        tokenType: 'Bearer',
        expiresIn: this.config.accessTokenTtlSeconds,
        refreshToken,
        refreshExpiresIn: this.config.refreshTokenTtlSeconds,
      },
      record: {
        tokenHash: hashSecret(refreshToken),
        familyId,
        personId: account.personId,
        tenantId: account.tenantId,
        expiresAt: new Date(now.getTime() + this.config.refreshTokenTtlSeconds * 1000).toISOString(),
        rotatedAt: null,
        revokedAt: null,
      },
    };
  }

  /**
   * The ID token a sign-in brings: as sent (`idToken`, the implicit flow and API clients), or
   * traded for the provider's code (`code`, `codeVerifier`, `redirectUri`: the authorization code
   * flow with PKCE, when OIDC_TOKEN_URL is set). Not both.
   */
  private async oidcIdToken(body: Record<string, unknown>): Promise<unknown> {
    const { idToken, code, codeVerifier, redirectUri } = body;
    if (code === undefined && codeVerifier === undefined && redirectUri === undefined) return idToken;
    if (idToken !== undefined) {
      throw fail('FIELD_NOT_ALLOWED', 400, 'Stuur een ID-token (idToken) of een code (code), niet allebei.', {
        field: 'idToken',
      });
    }
    const oidc = this.config.oidc;
    if (!oidc) {
      throw fail(
        'OIDC_NOT_CONFIGURED',
        404,
        'Aanmelden via een identiteitsprovider is bij deze installatie niet ingesteld.',
      );
    }
    if (!oidc.codeExchange) {
      throw fail(
        'OIDC_CODE_FLOW_NOT_CONFIGURED',
        400,
        'Deze installatie ruilt geen code van de identiteitsprovider in; stuur het ID-token (idToken).',
        { field: 'code' },
      );
    }
    const proof = codeProofOf(code, codeVerifier, redirectUri);
    const outcome = await exchangeCode(oidc.codeExchange, proof);
    if (outcome.kind === 'id-token') return outcome.idToken;
    if (outcome.kind === 'refused') {
      throw fail(
        'OIDC_CODE_REFUSED',
        401,
        'De identiteitsprovider aanvaardde deze aanmelding niet (meer). Meld je opnieuw aan.',
        { providerError: outcome.error },
      );
    }
    this.logger.warn(`OIDC token endpoint: ${outcome.reason}`);
    throw fail(
      'AUTH_PROVIDER_UNAVAILABLE',
      503,
      'De aanmeldingsdienst is tijdelijk niet bereikbaar. Probeer het later opnieuw.',
    );
  }

  /** Verifies an ID token of the configured OIDC provider: signature (JWKS), issuer, audience, expiry. */
  private async oidcSubject(idToken: unknown): Promise<string> {
    const oidc = this.config.oidc;
    if (!oidc || !this.oidcKeys) {
      throw fail(
        'OIDC_NOT_CONFIGURED',
        404,
        'Aanmelden via een identiteitsprovider is bij deze installatie niet ingesteld.',
      );
    }
    if (typeof idToken !== 'string' || idToken.length > 8192) {
      throw fail('FIELD_INVALID', 400, 'idToken is het ID-token van de identiteitsprovider.', {
        field: 'idToken',
      });
    }
    try {
      const { payload } = await jwtVerify(idToken, this.oidcKeys, {
        issuer: oidc.issuer,
        audience: oidc.audience,
        algorithms: ['RS256', 'ES256'],
        requiredClaims: ['sub', 'exp'],
        clockTolerance: 30,
      });
      if (typeof payload.sub !== 'string' || payload.sub.length === 0 || payload.sub.length > 255) {
        throw fail('OIDC_TOKEN_INVALID', 401, 'Het ID-token van de identiteitsprovider is ongeldig.');
      }
      // The nonce this server issued for this sign-in, used once: a replayed ID token fails here.
      const nonce = payload['nonce'];
      if (
        typeof nonce !== 'string' ||
        nonce.length > 200 ||
        !(await this.identities.takeOidcNonce(hashSecret(nonce), this.clock.now().toISOString()))
      ) {
        throw fail(
          'OIDC_NONCE_INVALID',
          401,
          'Deze aanmelding bij de identiteitsprovider is al gebruikt of verlopen. Meld je opnieuw aan.',
        );
      }
      return `${oidc.issuer}|${payload.sub}`;
    } catch (error: unknown) {
      if (error instanceof TenantDomainError) throw error;
      if (error instanceof joseErrors.JWTExpired) {
        throw fail(
          'OIDC_TOKEN_EXPIRED',
          401,
          'Je aanmelding bij de identiteitsprovider is verlopen. Meld je opnieuw aan.',
        );
      }
      if (
        error instanceof joseErrors.JOSEError &&
        error.constructor !== joseErrors.JOSEError &&
        !(error instanceof joseErrors.JWKSTimeout)
      ) {
        throw fail('OIDC_TOKEN_INVALID', 401, 'Het ID-token van de identiteitsprovider is ongeldig.');
      }
      throw fail(
        'AUTH_PROVIDER_UNAVAILABLE',
        503,
        'De aanmeldingsdienst is tijdelijk niet bereikbaar. Probeer het later opnieuw.',
      );
    }
  }
}

/** The fields a sign-in with the OIDC provider may bring: an ID token, or a code and its proof. */
const OIDC_PROOF_FIELDS = ['idToken', 'code', 'codeVerifier', 'redirectUri'];

/** Checks what the browser brought back from the provider before anything is sent there. */
function codeProofOf(code: unknown, codeVerifier: unknown, redirectUri: unknown): CodeProof {
  // Visible ASCII only (codes are URL-safe text); nothing else goes to the provider.
  if (typeof code !== 'string' || code.length > 2048 || !/^[!-~]+$/.test(code)) {
    throw fail('FIELD_INVALID', 400, 'code is de code die de identiteitsprovider terugstuurde.', {
      field: 'code',
    });
  }
  if (typeof codeVerifier !== 'string' || !CODE_VERIFIER.test(codeVerifier)) {
    throw fail(
      'FIELD_INVALID',
      400,
      'codeVerifier is de PKCE-verificatiecode van deze aanmelding (43 tot 128 tekens A-Z, a-z, 0-9, - . _ ~).',
      { field: 'codeVerifier' },
    );
  }
  let url: URL | null;
  try {
    url = typeof redirectUri === 'string' && redirectUri.length <= 2048 ? new URL(redirectUri) : null;
  } catch {
    url = null;
  }
  if (url === null || !['https:', 'http:'].includes(url.protocol) || url.hash !== '') {
    throw fail(
      'FIELD_INVALID',
      400,
      'redirectUri is het terugkeeradres van de aanmelding (een http(s)-adres zonder #).',
      { field: 'redirectUri' },
    );
  }
  return { code, codeVerifier, redirectUri: redirectUri as string };
}

function normaliseEmail(value: unknown): string {
  if (typeof value !== 'string' || value.length > 254 || !EMAIL.test(value.trim())) {
    throw fail('FIELD_INVALID', 400, 'Dit is geen geldig e-mailadres.', { field: 'email' });
  }
  return value.trim().toLowerCase();
}

function tenantOf(value: unknown): string {
  if (typeof value !== 'string' || !TENANT.test(value)) {
    throw fail('FIELD_INVALID', 400, 'tenant is de korte naam van je bestuur (bv. gent).', {
      field: 'tenant',
    });
  }
  return value;
}

function rateLimited(retryAfter: number): TenantDomainError {
  return fail('RATE_LIMITED', 429, `Te veel pogingen. Probeer het over ${retryAfter} seconden opnieuw.`, {
    retryAfter,
  });
}

/** Refuses a field the route does not take, naming it (FIELD_NOT_ALLOWED, details.field), as every route does. */
function onlyFields(body: Record<string, unknown>, allowed: readonly string[]): void {
  for (const key of Object.keys(body)) {
    if (!allowed.includes(key)) {
      throw fail('FIELD_NOT_ALLOWED', 400, `Het veld '${key.slice(0, 40)}' is hier niet toegelaten.`, {
        field: key.slice(0, 40),
      });
    }
  }
}
