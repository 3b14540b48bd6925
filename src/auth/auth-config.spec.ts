import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from '../config/app-config.js';

describe('loadConfig: the auth section', () => {
  let dataDir: string;
  const env = (vars: Record<string, string> = {}): NodeJS.ProcessEnv => ({ DATA_DIR: dataDir, ...vars });

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'ls-auth-config-'));
  });
  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates a 48-byte development secret readable by the owner only, and reads it back', () => {
    const first = loadConfig(env()).auth;
    expect(first.issuer).toBe('lokaal-signaal');
    expect(first.audience).toBe('lokaal-signaal-api');
    expect(first.key).toMatchObject({ kind: 'hs256', development: true });
    const file = join(dataDir, 'dev-jwt-secret');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const second = loadConfig(env()).auth;
    if (first.key.kind !== 'hs256' || second.key.kind !== 'hs256') throw new Error('expected hs256');
    expect(first.key.secret.byteLength).toBe(48);
    expect(Buffer.from(second.key.secret).equals(Buffer.from(first.key.secret))).toBe(true);
  });

  it('creates DATA_DIR when it does not exist yet', () => {
    const nested = join(dataDir, 'a', 'b');
    loadConfig({ DATA_DIR: nested });
    expect(existsSync(join(nested, 'dev-jwt-secret'))).toBe(true);
  });

  it('refuses a development secret file that was truncated', () => {
    writeFileSync(join(dataDir, 'dev-jwt-secret'), 'c2hvcnQ\n');
    expect(() => loadConfig(env())).toThrow(/delete it/);
  });

  it('uses JWT_SECRET as UTF-8 bytes, at least 32 of them, and no file', () => {
    const auth = loadConfig(env({ JWT_SECRET: 'é'.repeat(16), JWT_ISSUER: 'iss', JWT_AUDIENCE: 'aud' })).auth;
    expect(auth).toEqual({
      issuer: 'iss',
      audience: 'aud',
      key: { kind: 'hs256', secret: new TextEncoder().encode('é'.repeat(16)), development: false },
    });
    expect(existsSync(join(dataDir, 'dev-jwt-secret'))).toBe(false);
    expect(() => loadConfig(env({ JWT_SECRET: 'x'.repeat(31) }))).toThrow(
      new ConfigError('JWT_SECRET must be at least 32 bytes long'),
    );
  });

  it.each([
    ['https://idp.example/realms/acm/protocol/openid-connect/certs', true],
    ['http://127.0.0.1:8080/jwks', true],
    ['http://localhost/jwks', true],
    ['http://idp.example/jwks', false],
    ['ftp://idp.example/jwks', false],
    ['not a url', false],
  ])('JWKS_URL %s accepted: %s', (url, accepted) => {
    const load = () => loadConfig(env({ JWKS_URL: url }));
    if (accepted) expect(load().auth.key).toEqual({ kind: 'jwks', url: new URL(url).href });
    else expect(load).toThrow(ConfigError);
  });

  it('refuses JWT_SECRET and JWKS_URL together', () => {
    expect(() =>
      loadConfig(env({ JWT_SECRET: 'x'.repeat(32), JWKS_URL: 'https://idp.example/jwks' })),
    ).toThrow(/either JWT_SECRET or JWKS_URL/);
  });

  it('refuses to start in production without JWT_SECRET or JWKS_URL, naming both', () => {
    const load = () => loadConfig(env({ NODE_ENV: 'production' }));
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/JWT_SECRET.*JWKS_URL/);
    expect(existsSync(join(dataDir, 'dev-jwt-secret'))).toBe(false);
    expect(loadConfig(env({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) })).auth.key.kind).toBe(
      'hs256',
    );
  });

  it('keeps the secret file as one base64url line', () => {
    loadConfig(env());
    expect(readFileSync(join(dataDir, 'dev-jwt-secret'), 'utf8')).toMatch(/^[A-Za-z0-9_-]{64}\n$/);
  });
});
