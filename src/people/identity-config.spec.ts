import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '../config/app-config.js';
import { loadIdentityConfig } from './identity-config.js';

const OIDC = {
  OIDC_ISSUER: 'https://idp.example.be',
  OIDC_JWKS_URL: 'https://idp.example.be/jwks',
  OIDC_AUDIENCE: 'lokaal-signaal',
};

describe('loadIdentityConfig: the provider’s key set', () => {
  it('refuses an OIDC_JWKS_URL that is no URL, or plain http away from this machine, naming it', () => {
    // It stopped the start with a bare "TypeError: Invalid URL".
    expect(() => loadIdentityConfig({ ...OIDC, OIDC_JWKS_URL: 'notaurl' })).toThrow(
      new ConfigError('OIDC_JWKS_URL must be a URL, got "notaurl"'),
    );
    expect(() => loadIdentityConfig({ ...OIDC, OIDC_JWKS_URL: 'http://idp.example.be/jwks' })).toThrow(
      /OIDC_JWKS_URL must use https/,
    );
    expect(loadIdentityConfig({ ...OIDC, OIDC_JWKS_URL: 'http://localhost:9000/jwks' }).oidc?.jwksUrl).toBe(
      'http://localhost:9000/jwks',
    );
  });
});

describe('loadIdentityConfig: the browser sign-in with an OIDC provider', () => {
  it('offers no browser flow without OIDC_AUTHORIZATION_URL', () => {
    expect(loadIdentityConfig({ ...OIDC }).oidc?.browser).toBeNull();
    expect(loadIdentityConfig({}).oidc).toBeNull();
  });

  it('uses OIDC_AUDIENCE as client id unless OIDC_CLIENT_ID is set', () => {
    const authorizationUrl = 'https://idp.example.be/authorize';
    expect(loadIdentityConfig({ ...OIDC, OIDC_AUTHORIZATION_URL: authorizationUrl }).oidc?.browser).toEqual({
      authorizationUrl,
      clientId: 'lokaal-signaal',
    });
    expect(
      loadIdentityConfig({ ...OIDC, OIDC_AUTHORIZATION_URL: authorizationUrl, OIDC_CLIENT_ID: 'web' }).oidc
        ?.browser,
    ).toEqual({ authorizationUrl, clientId: 'web' });
  });

  it('refuses an authorization endpoint without the provider, over plain http, or a client id alone', () => {
    expect(() => loadIdentityConfig({ OIDC_AUTHORIZATION_URL: 'https://idp.example.be/authorize' })).toThrow(
      ConfigError,
    );
    expect(() =>
      loadIdentityConfig({ ...OIDC, OIDC_AUTHORIZATION_URL: 'http://idp.example.be/authorize' }),
    ).toThrow(/https/);
    expect(() => loadIdentityConfig({ ...OIDC, OIDC_AUTHORIZATION_URL: 'geen url' })).toThrow(ConfigError);
    expect(() => loadIdentityConfig({ ...OIDC, OIDC_CLIENT_ID: 'web' })).toThrow(/OIDC_AUTHORIZATION_URL/);
    expect(
      loadIdentityConfig({ ...OIDC, OIDC_AUTHORIZATION_URL: 'http://127.0.0.1:9000/authorize' }).oidc?.browser
        ?.authorizationUrl,
    ).toBe('http://127.0.0.1:9000/authorize');
  });

  it('exchanges codes at OIDC_TOKEN_URL (with OIDC_CLIENT_SECRET when set); the implicit flow without it', () => {
    const authorizationUrl = 'https://idp.example.be/authorize';
    expect(
      loadIdentityConfig({ ...OIDC, OIDC_AUTHORIZATION_URL: authorizationUrl }).oidc?.codeExchange,
    ).toBeNull();
    expect(
      loadIdentityConfig({
        ...OIDC,
        OIDC_AUTHORIZATION_URL: authorizationUrl,
        OIDC_CLIENT_ID: 'web',
        OIDC_TOKEN_URL: 'https://idp.example.be/token',
        OIDC_CLIENT_SECRET: 'geheim',
      }).oidc?.codeExchange,
    ).toEqual({ tokenUrl: 'https://idp.example.be/token', clientId: 'web', clientSecret: 'geheim' });
    expect(
      loadIdentityConfig({
        ...OIDC,
        OIDC_AUTHORIZATION_URL: authorizationUrl,
        OIDC_TOKEN_URL: 'https://idp.example.be/token',
      }).oidc?.codeExchange,
    ).toEqual({ tokenUrl: 'https://idp.example.be/token', clientId: 'lokaal-signaal', clientSecret: null });
  });

  it('refuses a token endpoint without the authorization endpoint or over plain http, and a secret alone', () => {
    const authorizationUrl = 'https://idp.example.be/authorize';
    expect(() => loadIdentityConfig({ ...OIDC, OIDC_TOKEN_URL: 'https://idp.example.be/token' })).toThrow(
      /OIDC_AUTHORIZATION_URL/,
    );
    expect(() =>
      loadIdentityConfig({
        ...OIDC,
        OIDC_AUTHORIZATION_URL: authorizationUrl,
        OIDC_TOKEN_URL: 'http://idp.example.be/token',
      }),
    ).toThrow(/OIDC_TOKEN_URL must use https/);
    expect(() =>
      loadIdentityConfig({ ...OIDC, OIDC_AUTHORIZATION_URL: authorizationUrl, OIDC_CLIENT_SECRET: 'geheim' }),
    ).toThrow(/OIDC_CLIENT_SECRET is used only with OIDC_TOKEN_URL/);
  });
});
