import { ConfigError } from '../config/app-config.js';
import { parseTtl } from '../auth/mint-token.js';

/** The environment variables of accounts and login (README "Onboarding a municipality"). */
export interface IdentityConfig {
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  oidc: {
    issuer: string;
    jwksUrl: string;
    audience: string;
    /**
     * For the web app's sign-in button: the provider's authorization endpoint and this
     * application's client id there (OIDC_CLIENT_ID, else OIDC_AUDIENCE). Null: no browser flow
     * (API clients can still POST an ID token to /auth/oidc/login).
     */
    browser: { authorizationUrl: string; clientId: string } | null;
    /**
     * The authorization code flow with PKCE (OIDC_TOKEN_URL): the browser brings back a code and
     * its verifier, and this server exchanges them at the provider's token endpoint for the ID
     * token, authenticated with OIDC_CLIENT_SECRET when set (client_secret_basic). Null: the
     * browser uses the implicit ID-token flow.
     */
    codeExchange: { tokenUrl: string; clientId: string; clientSecret: string | null } | null;
  } | null;
  inviteRateLimit: RateLimitSpec;
  loginRateLimit: RateLimitSpec;
}

export interface RateLimitSpec {
  max: number;
  windowSeconds: number;
}

export const IDENTITY_CONFIG = Symbol('IDENTITY_CONFIG');

export function loadIdentityConfig(env: NodeJS.ProcessEnv = process.env): IdentityConfig {
  const ttl = (name: string, fallback: string): number => {
    try {
      return parseTtl(env[name] || fallback);
    } catch {
      throw new ConfigError(`${name} must look like 30s, 15m, 8h or 7d, got "${env[name]}"`);
    }
  };
  const issuer = env['OIDC_ISSUER'];
  const jwksUrl = env['OIDC_JWKS_URL'];
  const audience = env['OIDC_AUDIENCE'];
  const oidcSet = [issuer, jwksUrl, audience].filter(Boolean).length;
  if (oidcSet !== 0 && oidcSet !== 3) {
    throw new ConfigError('OIDC login needs OIDC_ISSUER, OIDC_JWKS_URL and OIDC_AUDIENCE together');
  }
  if (jwksUrl) providerUrl('OIDC_JWKS_URL', jwksUrl);
  const authorizationUrl = env['OIDC_AUTHORIZATION_URL'];
  const clientId = env['OIDC_CLIENT_ID'];
  const tokenUrl = env['OIDC_TOKEN_URL'];
  const clientSecret = env['OIDC_CLIENT_SECRET'];
  if ((authorizationUrl || clientId) && oidcSet !== 3) {
    throw new ConfigError(
      'OIDC_AUTHORIZATION_URL and OIDC_CLIENT_ID need OIDC_ISSUER, OIDC_JWKS_URL and OIDC_AUDIENCE',
    );
  }
  if (clientId && !authorizationUrl) {
    throw new ConfigError('OIDC_CLIENT_ID is used only with OIDC_AUTHORIZATION_URL');
  }
  if (tokenUrl && !authorizationUrl) {
    throw new ConfigError('OIDC_TOKEN_URL is used only with OIDC_AUTHORIZATION_URL');
  }
  if (clientSecret && !tokenUrl) {
    throw new ConfigError('OIDC_CLIENT_SECRET is used only with OIDC_TOKEN_URL');
  }
  if (authorizationUrl) providerUrl('OIDC_AUTHORIZATION_URL', authorizationUrl);
  if (tokenUrl) providerUrl('OIDC_TOKEN_URL', tokenUrl);
  const browserClientId = clientId || audience || '';
  return {
    accessTokenTtlSeconds: ttl('ACCESS_TOKEN_TTL', '15m'),
    refreshTokenTtlSeconds: ttl('REFRESH_TOKEN_TTL', '30d'),
    oidc:
      issuer && jwksUrl && audience
        ? {
            issuer,
            jwksUrl,
            audience,
            browser: authorizationUrl ? { authorizationUrl, clientId: browserClientId } : null,
            codeExchange: tokenUrl
              ? { tokenUrl, clientId: browserClientId, clientSecret: clientSecret || null }
              : null,
          }
        : null,
    inviteRateLimit: rateLimit(env, 'INVITE_RATE_LIMIT', '20/1h'),
    loginRateLimit: rateLimit(env, 'LOGIN_RATE_LIMIT', '5/15m'),
  };
}

/** An endpoint of the provider: a URL, https unless on this machine. */
function providerUrl(name: string, value: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${name} must be a URL, got "${value}"`);
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new ConfigError(`${name} must use https (http only for localhost)`);
  }
}

function rateLimit(env: NodeJS.ProcessEnv, name: string, fallback: string): RateLimitSpec {
  const value = env[name] || fallback;
  const match = /^([1-9]\d{0,5})\/(\w+)$/.exec(value);
  if (!match) throw new ConfigError(`${name} must look like 20/1h (requests per window), got "${value}"`);
  try {
    return { max: Number(match[1]), windowSeconds: parseTtl(match[2]!) };
  } catch {
    throw new ConfigError(`${name} must look like 20/1h (requests per window), got "${value}"`);
  }
}
