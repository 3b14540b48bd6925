import type { ActorClaims } from '../../src/auth/actor.js';
import { mintToken } from '../../src/auth/mint-token.js';
import type { AuthConfig } from '../../src/config/app-config.js';

/** The JWT_SECRET e2e suites put in process.env before compiling AppModule. */
export const TEST_JWT_SECRET = 'test-secret-for-e2e-only-0123456789abcdef';

export function testAuthConfig(secret = TEST_JWT_SECRET): AuthConfig {
  return {
    issuer: 'lokaal-signaal',
    audience: 'lokaal-signaal-api',
    key: { kind: 'hs256', secret: new TextEncoder().encode(secret), development: false },
  };
}

/** A token the app accepts when started with JWT_SECRET=TEST_JWT_SECRET and default issuer/audience. */
export function tokenFor(
  claims: Partial<ActorClaims> = {},
  options: { ttl?: string; now?: Date; config?: AuthConfig } = {},
): Promise<string> {
  return mintToken(
    options.config ?? testAuthConfig(),
    { sub: 'user-1', tenant: 'gent', roles: ['lead-processor'], ...claims },
    options.ttl,
    options.now,
  );
}
