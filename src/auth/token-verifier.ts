import { webcrypto } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey, type JWTVerifyOptions } from 'jose';
import type { AuthConfig } from '../config/app-config.js';
import { actorFromClaims, type AuthenticatedActor } from './actor.js';
import { AUTH_CONFIG } from './auth.constants.js';
import { AuthenticationError, AuthProviderUnavailableError } from './errors.js';

/** Tolerated clock skew between the token issuer and this server. */
export const CLOCK_TOLERANCE_SECONDS = 30;

/** Asymmetric algorithms accepted from an identity provider; never HS* there (key confusion). */
const JWKS_ALGORITHMS = ['RS256', 'ES256'];

@Injectable()
export class TokenVerifier {
  private readonly key: Promise<webcrypto.CryptoKey> | JWTVerifyGetKey;
  private readonly algorithms: string[];

  constructor(@Inject(AUTH_CONFIG) private readonly config: AuthConfig) {
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
    return actorFromClaims(payload);
  }

  private options(): JWTVerifyOptions {
    return {
      algorithms: this.algorithms,
      issuer: this.config.issuer,
      audience: this.config.audience,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['exp', 'sub'],
    };
  }
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
