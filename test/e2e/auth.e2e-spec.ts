import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication, LoggerService } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { base64url, SignJWT } from 'jose';
import request from 'supertest';
import { AppModule } from '../../src/app.module.js';
import { TEST_JWT_SECRET, testAuthConfig, tokenFor } from '../support/tokens.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

async function boot(logger?: LoggerService): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  const app = moduleRef.createNestApplication(logger ? { logger } : {});
  app.enableShutdownHooks();
  await app.init();
  return app;
}

describe('authentication with JWT_SECRET', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ls-e2e-auth-'));
  let app: INestApplication;

  beforeAll(async () => {
    process.env['DATA_DIR'] = dataDir;
    process.env['JWT_SECRET'] = TEST_JWT_SECRET;
    delete process.env['JWKS_URL'];
    delete process.env['EVENTSTORE_CONNECTION_STRING'];
    app = await boot();
  });

  afterAll(async () => {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps /health public', async () => {
    await request(app.getHttpServer()).get('/health').expect(200);
  });

  it('answers GET /me with the actor of the token', async () => {
    const token = await tokenFor({
      sub: 'an-devos',
      tenant: 'roeselare',
      roles: ['processor', 'partner-processor'],
      org: 'caw-zuid',
      domains: ['wonen'],
    });
    const response = await request(app.getHttpServer())
      .get('/me')
      .auth(token, { type: 'bearer' })
      .expect(200);
    expect(response.body).toEqual({
      id: 'an-devos',
      tenantId: 'roeselare',
      // No tenant roeselare was created in this app: no name to show.
      tenantName: null,
      roles: ['processor', 'partner-processor'],
      organisationId: 'caw-zuid',
      policyDomains: ['wonen'],
      // Set by the server from the organisation's engagement mode (not registered: its own staff).
      partnerScope: 'organisation',
    });
  });

  it('takes the tenant from the token only, whatever the request says', async () => {
    const token = await tokenFor({ tenant: 'mortsel' });
    const response = await request(app.getHttpServer())
      .get('/me?tenant=kortrijk&tenantId=kortrijk')
      .set('X-Tenant', 'kortrijk')
      .auth(token, { type: 'bearer' })
      .expect(200);
    expect(response.body.tenantId).toBe('mortsel');
  });

  it('answers 401 UNAUTHENTICATED without a token, in Dutch and without a stack', async () => {
    const response = await request(app.getHttpServer()).get('/me').expect(401);
    expect(response.body).toEqual({
      statusCode: 401,
      code: 'UNAUTHENTICATED',
      message: 'Je bent niet aangemeld. Meld je aan om verder te gaan.',
    });
    expect(response.headers['www-authenticate']).toBe('Bearer realm="lokaal-signaal"');
  });

  const past = new Date(Date.now() - 2 * 3600_000);
  const signedWith = (claims: Record<string, unknown>, alg = 'HS256', aud = 'lokaal-signaal-api') =>
    new SignJWT(claims)
      .setProtectedHeader({ alg })
      .setIssuer('lokaal-signaal')
      .setAudience(aud)
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode(TEST_JWT_SECRET));
  const claims = { sub: 'u1', tenant: 'gent', roles: ['lead-processor'] };
  const cases: [string, () => Promise<string>, string][] = [
    ['expired', () => tokenFor({}, { ttl: '1h', now: past }), 'TOKEN_EXPIRED'],
    [
      'signed with another secret',
      () => tokenFor({}, { config: testAuthConfig('another-secret-of-at-least-32-bytes!!') }),
      'TOKEN_INVALID',
    ],
    [
      'with alg none',
      async () => {
        const part = (value: object) => base64url.encode(JSON.stringify(value));
        const exp = Math.floor(Date.now() / 1000) + 600;
        return `${part({ alg: 'none' })}.${part({ ...claims, iss: 'lokaal-signaal', aud: 'lokaal-signaal-api', exp })}.`;
      },
      'TOKEN_INVALID',
    ],
    ['with alg HS384', () => signedWith(claims, 'HS384'), 'TOKEN_INVALID'],
    ['for another audience', () => signedWith(claims, 'HS256', 'another-api'), 'TOKEN_INVALID'],
    ['with an unknown role', () => signedWith({ ...claims, roles: ['root'] }), 'TOKEN_INVALID'],
    ['without tenant', () => signedWith({ sub: 'u1', roles: ['processor'] }), 'TOKEN_INVALID'],
  ];

  it.each(cases)('answers 401 to a token %s', async (_name, token, code) => {
    const response = await request(app.getHttpServer())
      .get('/me')
      .auth(await token(), { type: 'bearer' })
      .expect(401);
    expect(response.body).toEqual({ statusCode: 401, code, message: expect.any(String) });
    expect(response.headers['www-authenticate']).toContain('error="invalid_token"');
  });
});

describe('authentication on the embedded default (development secret)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ls-e2e-auth-dev-'));
  const warnings: string[] = [];
  const logger: LoggerService = {
    log: () => undefined,
    error: () => undefined,
    warn: (message: unknown) => void warnings.push(String(message)),
  };
  let app: INestApplication;
  let tokens: string[];

  beforeAll(async () => {
    process.env['DATA_DIR'] = dataDir;
    delete process.env['JWT_SECRET'];
    delete process.env['JWKS_URL'];
    delete process.env['EVENTSTORE_CONNECTION_STRING'];
    // Several `npm run token` at once on a fresh DATA_DIR race to create the secret; all must agree.
    const env = { ...process.env, DATA_DIR: dataDir };
    const runs = ['gent', 'bornem', 'eeklo', 'kortrijk'].map((tenant) =>
      run(
        process.execPath,
        ['--import', 'tsx', 'src/cli/token.ts', '--tenant', tenant, '--role', 'signal-giver', '--sub', 'u1'],
        { cwd: root, env },
      ),
    );
    tokens = (await Promise.all(runs)).map(({ stdout }) => stdout.trim());
    app = await boot(logger);
  }, 60_000);

  afterAll(async () => {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('warns at start that a development secret is in use', () => {
    expect(warnings.some((w) => w.includes('Development JWT secret in use'))).toBe(true);
  });

  it('accepts the tokens printed by `npm run token`, each with its own tenant', async () => {
    const tenants: string[] = [];
    for (const token of tokens) {
      const response = await request(app.getHttpServer())
        .get('/me')
        .auth(token, { type: 'bearer' })
        .expect(200);
      tenants.push(response.body.tenantId);
    }
    expect(tenants).toEqual(['gent', 'bornem', 'eeklo', 'kortrijk']);
  });

  /** `npm run token` for a processor of Gent, with `env`. */
  const tokenForProcessor = (env: NodeJS.ProcessEnv) =>
    run(
      process.execPath,
      ['--import', 'tsx', 'src/cli/token.ts', '--tenant', 'gent', '--role', 'processor', '--sub', 'u1'],
      { cwd: root, env },
    );

  it('refuses a DATA_DIR that does not exist instead of creating a secret no app reads', async () => {
    const mistyped = `${dataDir}-mistyped`;
    const env = { ...process.env, DATA_DIR: mistyped };
    const cli = tokenForProcessor(env);
    await expect(cli).rejects.toMatchObject({
      code: 1,
      stdout: '',
      stderr: expect.stringContaining(`DATA_DIR ${mistyped} does not exist`),
    });
    expect(existsSync(mistyped)).toBe(false);
  }, 30_000);

  it('refuses with a clear message when JWKS_URL is configured', async () => {
    const env = { ...process.env, DATA_DIR: dataDir, JWKS_URL: 'https://idp.example/jwks' };
    const cli = tokenForProcessor(env);
    await expect(cli).rejects.toMatchObject({
      code: 1,
      stdout: '',
      stderr: expect.stringContaining('tokens come from the identity provider'),
    });
  }, 30_000);
});
