import { webcrypto } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey, type JWTVerifyOptions } from 'jose';
import type { AuthConfig } from '../config/app-config.js';
import { actorFromClaims, type AuthenticatedActor } from './actor.js';
import { AUTH_CONFIG, TOKEN_VERIFIER_OPTIONS } from './auth.constants.js';
import { AuthenticationError, AuthProviderUnavailableError } from './errors.js';

/** Tolerated clock skew between the token issuer and this server. */
export const CLOCK_TOLERANCE_SECONDS = 30;

/** Asymmetric algorithms accepted from an identity provider; never HS* there (key confusion). */
const JWKS_ALGORITHMS = ['RS256', 'ES256'];

/** Verified HS256 tokens remembered (a client sends the same token with every request). */
export const VERIFIED_TOKEN_CACHE_SIZE = 10_000;
/** Longer tokens are verified every time: the cache holds no junk-sized keys. */
const MAX_CACHED_TOKEN_LENGTH = 2048;

export interface TokenVerifierOptions {
  /** The clock (ms since the epoch) for expiry, in jose and in the cache; tests only. */
  now?: () => number;
  /** Verified tokens remembered (default VERIFIED_TOKEN_CACHE_SIZE). */
  cacheSize?: number;
}

interface VerifiedToken {
  actor: AuthenticatedActor;
  /** `exp` in seconds since the epoch. */
  exp: number;
}

@Injectable()
export class TokenVerifier {
  private readonly key: Promise<webcrypto.CryptoKey> | JWTVerifyGetKey;
  private readonly algorithms: string[];
  /**
   * HS256 only: token → what its verification gave, for as long as the token is valid. A token is
   * immutable and carries its signature, so a token seen verified again needs no second HMAC;
   * only its expiry is checked again, as jose does (`exp` ≤ now − tolerance is expired). An
   * altered token is another key and goes through jose. Not for JWKS: a key the provider
   * withdraws must stop its tokens at once.
   */
  private readonly verified: Map<string, VerifiedToken> | null;
  private readonly now: () => number;
  private readonly cacheSize: number;

  constructor(
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
    @Optional() @Inject(TOKEN_VERIFIER_OPTIONS) options: TokenVerifierOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.cacheSize = options.cacheSize ?? VERIFIED_TOKEN_CACHE_SIZE;
    this.verified = config.key.kind === 'hs256' ? new Map() : null;
    if (config.key.kind === 'hs256') {
      // Imported once: jose would otherwise turn the raw secret into a key on every request.
      this.key = webcrypto.subtle.importKey(
        'raw',
        config.key.secret,
        { name: 'HMAC', hash: 'SHA-256' },
        false,
        ['verify'],
      );
      this.algorithms = ['HS256'];
    } else {
      this.key = createRemoteJWKSet(new URL(config.key.url));
      this.algorithms = JWKS_ALGORITHMS;
    }
  }

  /** Verifies signature, algorithm, issuer, audience and expiry, then the claims this API needs. */
  async verify(token: string): Promise<AuthenticatedActor> {
    const cached = this.verified?.get(token);
    if (cached !== undefined) {
      if (Math.floor(this.now() / 1000) < cached.exp + CLOCK_TOLERANCE_SECONDS) return copyOf(cached.actor);
      this.verified!.delete(token);
    }
    let payload: Record<string, unknown>;
    try {
      // Two calls: jwtVerify's overloads take a key or a key resolver, not their union.
      const verified =
        typeof this.key === 'function'
          ? await jwtVerify(token, this.key, this.options())
          : await jwtVerify(token, await this.key, this.options());
      payload = verified.payload;
    } catch (error: unknown) {
      throw translate(error, this.config.key.kind);
    }
    const actor = actorFromClaims(payload);
    if (this.verified !== null && token.length <= MAX_CACHED_TOKEN_LENGTH)
      this.remember(token, actor, payload);
    return actor;
  }

  private remember(token: string, actor: AuthenticatedActor, payload: Record<string, unknown>): void {
    const exp = payload['exp'];
    if (typeof exp !== 'number' || this.cacheSize <= 0) return;
    const cache = this.verified!;
    if (cache.size >= this.cacheSize) {
      // Oldest first out (insertion order); an expired entry goes on its next use anyway.
      const oldest = cache.keys().next();
      if (!oldest.done) cache.delete(oldest.value);
    }
    cache.set(token, { actor: copyOf(actor), exp });
  }

  /** Tokens remembered as verified (tests, health). */
  get cachedTokens(): number {
    return this.verified?.size ?? 0;
  }

  private options(): JWTVerifyOptions {
    return {
      algorithms: this.algorithms,
      issuer: this.config.issuer,
      audience: this.config.audience,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['exp', 'sub'],
      currentDate: new Date(this.now()),
    };
  }
}

/** Each request gets its own actor: no caller can change what the cache hands the next one. */
function copyOf(actor: AuthenticatedActor): AuthenticatedActor {
  const copy: AuthenticatedActor = {
    id: actor.id,
    tenantId: actor.tenantId,
    roles: actor.roles.slice(),
    policyDomains: actor.policyDomains.slice(),
  };
  if (actor.organisationId !== undefined) copy.organisationId = actor.organisationId;
  if (actor.partnerScope !== undefined) copy.partnerScope = actor.partnerScope;
  return copy;
}

function translate(error: unknown, keyKind: AuthConfig['key']['kind']): Error {
  if (error instanceof errors.JWTExpired) return new AuthenticationError('TOKEN_EXPIRED', error.message);
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) {
    return new AuthProviderUnavailableError(error.message);
  }
  if (error instanceof errors.JOSEError) {
    // A plain JOSEError (no subclass) is jose's report of a failed JWKS fetch, e.g. a non-200 answer.
    if (error.constructor === errors.JOSEError) return new AuthProviderUnavailableError(error.message);
    return new AuthenticationError('TOKEN_INVALID', `${error.code}: ${error.message}`);
  }
  // With a remote key set, anything else comes from fetching it (network), not from the token.
  if (keyKind === 'jwks') {
    return new AuthProviderUnavailableError(error instanceof Error ? error.message : String(error));
  }
  return error instanceof Error ? error : new Error(String(error));
}
