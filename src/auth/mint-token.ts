import { SignJWT } from 'jose';
import type { AuthConfig } from '../config/app-config.js';
import { actorFromClaims, type ActorClaims } from './actor.js';
import { AuthenticationError } from './errors.js';

export class TokenMintingError extends Error {
  readonly code = 'TOKEN_MINTING_REFUSED';
}

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86400 } as const;
const TTL = /^([1-9]\d{0,5})([smhd])$/;

/** `30s`, `15m`, `8h`, `7d` → seconds. */
export function parseTtl(ttl: string): number {
  const match = TTL.exec(ttl);
  if (!match) throw new TokenMintingError(`ttl must look like 30s, 15m, 8h or 7d, got "${ttl}"`);
  return Number(match[1]) * UNIT_SECONDS[match[2] as keyof typeof UNIT_SECONDS];
}

/**
 * Signs a token the verifier accepts, for development and tests: with an identity provider
 * (JWKS) tokens come from that provider, so minting is refused. `now` lets tests mint expired tokens.
 */
export async function mintToken(
  config: AuthConfig,
  claims: ActorClaims,
  ttl = '8h',
  now: Date = new Date(),
): Promise<string> {
  if (config.key.kind !== 'hs256') {
    throw new TokenMintingError('JWKS_URL is configured: tokens come from the identity provider');
  }
  // The same validation as on the way in, so a minted token is never refused for its claims.
  try {
    actorFromClaims({ ...claims });
  } catch (error: unknown) {
    if (error instanceof AuthenticationError) throw new TokenMintingError(error.reason);
    throw error;
  }
  const issuedAt = Math.floor(now.getTime() / 1000);
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(config.issuer)
    .setAudience(config.audience)
    .setSubject(claims.sub)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + parseTtl(ttl))
    .sign(config.key.secret);
}
