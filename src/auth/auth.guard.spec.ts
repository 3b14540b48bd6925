import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import type { AppConfig, AuthConfig } from '../config/app-config.js';
import { APP_CONFIG, ConfigModule } from '../config/config.module.js';
import type { AuthenticatedActor } from './actor.js';
import { AuthModule } from './auth.module.js';
import { CurrentActor, Public, Roles } from './decorators.js';
import { mintToken } from './mint-token.js';

const AUTH: AuthConfig = {
  issuer: 'lokaal-signaal',
  audience: 'lokaal-signaal-api',
  key: {
    kind: 'hs256',
    secret: new TextEncoder().encode('guard-spec-secret-of-at-least-32-bytes'),
    development: false,
  },
};

@Roles('lead-processor', 'tenant-admin')
@Controller('things')
class ThingsController {
  @Get()
  list(@CurrentActor() actor: AuthenticatedActor) {
    return { tenant: actor.tenantId };
  }

  @Roles('auditor')
  @Get('audit')
  audit() {
    return { ok: true };
  }

  @Public()
  @Get('public')
  open() {
    return { ok: true };
  }
}

@Controller('plain')
class PlainController {
  @Get()
  plain(@CurrentActor() actor: AuthenticatedActor) {
    return actor;
  }
}

describe('AuthGuard (global, deny by default)', () => {
  let app: INestApplication;
  const token = (roles: AuthenticatedActor['roles']) =>
    mintToken(AUTH, { sub: 'u1', tenant: 'eeklo', roles });

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule, AuthModule],
      controllers: [ThingsController, PlainController],
    })
      .overrideProvider(APP_CONFIG)
      .useValue({ dataDir: '/nonexistent', auth: AUTH } as Partial<AppConfig>)
      .compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
  });

  afterAll(async () => {
    await app.close();
  });

  it('lets a route without @Roles through for any verified actor', async () => {
    const response = await request(app.getHttpServer())
      .get('/plain')
      .set('Authorization', `Bearer ${await token(['signal-giver'])}`)
      .expect(200);
    expect(response.body).toEqual({
      id: 'u1',
      tenantId: 'eeklo',
      roles: ['signal-giver'],
      policyDomains: [],
    });
  });

  it('checks the class roles: one of them is enough', async () => {
    await request(app.getHttpServer())
      .get('/things')
      .set('Authorization', `Bearer ${await token(['processor', 'tenant-admin'])}`)
      .expect(200, { tenant: 'eeklo' });
  });

  it('answers 403 ROLE_NOT_ALLOWED, in Dutch, without any of the roles', async () => {
    const response = await request(app.getHttpServer())
      .get('/things')
      .set('Authorization', `Bearer ${await token(['signal-giver'])}`)
      .expect(403);
    expect(response.body).toEqual({
      statusCode: 403,
      code: 'ROLE_NOT_ALLOWED',
      message: 'Je rol laat deze actie niet toe.',
    });
  });

  it('lets @Roles on a handler override the class', async () => {
    const auditor = `Bearer ${await token(['auditor'])}`;
    const lead = `Bearer ${await token(['lead-processor'])}`;
    await request(app.getHttpServer()).get('/things/audit').set('Authorization', auditor).expect(200);
    await request(app.getHttpServer()).get('/things/audit').set('Authorization', lead).expect(403);
  });

  it('checks the token before the roles: no token is 401, not 403', async () => {
    const response = await request(app.getHttpServer()).get('/things').expect(401);
    expect(response.body.code).toBe('UNAUTHENTICATED');
    expect(response.headers['www-authenticate']).toBe('Bearer realm="lokaal-signaal"');
  });

  it('lets @Public() on a handler open a route of a protected class', async () => {
    await request(app.getHttpServer()).get('/things/public').expect(200, { ok: true });
  });

  it.each([
    ['Basic dXNlcjpwYXNz', 'UNAUTHENTICATED'],
    ['Bearer', 'UNAUTHENTICATED'],
    ['Bearer not.a.token', 'TOKEN_INVALID'],
    [`Bearer ${'a'.repeat(9000)}`, 'TOKEN_INVALID'],
  ])('answers %j with 401 %s', async (header, code) => {
    const response = await request(app.getHttpServer())
      .get('/plain')
      .set('Authorization', header)
      .expect(401);
    expect(response.body).toEqual({ statusCode: 401, code, message: expect.any(String) });
  });

  it('accepts the scheme in any case', async () => {
    await request(app.getHttpServer())
      .get('/plain')
      .set('Authorization', `bearer ${await token(['official'])}`)
      .expect(200);
  });
});
