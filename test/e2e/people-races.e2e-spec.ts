import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TenantsService } from '../../src/tenants/tenants.service.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const PASSWORD = 'een lang en sterk wachtwoord';

/**
 * "The last beheerder keeps that role" is read across people's streams, so each of two changes at
 * once used to see the other beheerder and both went through: a tenant without a beheerder.
 */
describe('role changes and erasures of beheerders sent at once', () => {
  let t: TestApp;
  let tenants = 0;

  /** A new tenant, with a beheerder's token that is no person of it (the operators'). */
  const newTenant = async (): Promise<{ tenant: string; operator: string }> => {
    tenants += 1;
    const tenant = `gemeente-${tenants}`;
    await t.app.get(TenantsService).createTenant(
      { id: 'platform-admin', role: 'platform-admin' },
      {
        tenantId: tenant,
        name: `Gemeente ${tenants}`,
        nisCode: String(10000 + tenants),
        populationBand: 'lt-10000',
      },
    );
    return {
      tenant,
      operator: `Bearer ${await t.token({ sub: 'operator-1', tenant, roles: ['tenant-admin'] })}`,
    };
  };

  /** A new person with the role tenant-admin, and a token of their own. */
  const newAdmin = async (
    { tenant, operator }: { tenant: string; operator: string },
    name: string,
  ): Promise<{ personId: string; token: string }> => {
    const issued = await t.http
      .post('/invites')
      .set('Authorization', operator)
      .send({ email: `${name}@${tenant}.be`, roles: ['tenant-admin'] })
      .expect(201);
    const accepted = await t.http
      .post('/invites/accept')
      .send({ tenant, token: issued.body.token, name: `Beheerder ${name}`, password: PASSWORD })
      .expect(201);
    const personId = accepted.body.personId as string;
    return { personId, token: `Bearer ${await t.token({ sub: personId, tenant, roles: ['tenant-admin'] })}` };
  };

  /** The tenant's people who are beheerder now. */
  const admins = async ({ operator }: { operator: string }): Promise<string[]> => {
    const { body } = await t.http.get('/people').set('Authorization', operator).expect(200);
    return (body.items as Array<{ personId: string; roles: string[]; erased: boolean }>)
      .filter((person) => !person.erased && person.roles.includes('tenant-admin'))
      .map((person) => person.personId);
  };

  /** Exactly one of two answers is a 200; the other one a documented refusal. */
  const oneWent = (answers: Array<{ status: number; body: { code?: string } }>) => {
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(1);
    const refused = answers.find((answer) => answer.status !== 200)!;
    // The change that went first may also have ended the other's token already.
    expect([
      [409, 'LAST_TENANT_ADMIN'],
      [401, 'TOKEN_REVOKED'],
    ]).toContainEqual([refused.status, refused.body.code]);
  };

  beforeAll(async () => {
    t = await startTestApp({ env: { INVITE_RATE_LIMIT: '100/1h' } });
  });
  afterAll(() => t.close());

  it('a beheerder revoking the role of both beheerders at once: one goes through, one beheerder is left', async () => {
    for (let round = 0; round < 5; round++) {
      const tenant = await newTenant();
      const a = await newAdmin(tenant, 'a');
      const b = await newAdmin(tenant, 'b');
      const revoke = (personId: string) =>
        t.http
          .post(`/people/${personId}/roles`)
          .set('Authorization', a.token)
          .send({ revoke: ['tenant-admin'] });
      oneWent(await Promise.all([revoke(b.personId), revoke(a.personId)]));
      expect(await admins(tenant)).toHaveLength(1);
    }
  });

  it('the same on two instances on one data folder: one revocation goes through, one beheerder is left', async () => {
    const other = await startTestApp({ dataDir: t.dataDir, env: { INVITE_RATE_LIMIT: '100/1h' } });
    try {
      for (let round = 0; round < 5; round++) {
        const tenant = await newTenant();
        const a = await newAdmin(tenant, 'a');
        const b = await newAdmin(tenant, 'b');
        const revoke = (app: TestApp, personId: string) =>
          app.http
            .post(`/people/${personId}/roles`)
            .set('Authorization', a.token)
            .send({ revoke: ['tenant-admin'] });
        oneWent(await Promise.all([revoke(t, b.personId), revoke(other, a.personId)]));
        expect(await admins(tenant)).toHaveLength(1);
      }
    } finally {
      await other.close();
    }
  });

  it('two beheerders erasing each other at once: one goes through, the other stays', async () => {
    for (let round = 0; round < 5; round++) {
      const tenant = await newTenant();
      const a = await newAdmin(tenant, 'a');
      const b = await newAdmin(tenant, 'b');
      const erase = (by: string, personId: string) =>
        t.http.post(`/people/${personId}/erase`).set('Authorization', by).send({ reason: 'Vertrokken.' });
      oneWent(await Promise.all([erase(a.token, b.personId), erase(b.token, a.personId)]));
      expect(await admins(tenant)).toHaveLength(1);
    }
  });

  it('the last beheerder among the people is not erased, a second one is', async () => {
    const tenant = await newTenant();
    const a = await newAdmin(tenant, 'a');
    const b = await newAdmin(tenant, 'b');
    await t.http
      .post(`/people/${b.personId}/erase`)
      .set('Authorization', a.token)
      .send({ reason: 'Vertrokken.' })
      .expect(200);
    const last = await t.http
      .post(`/people/${a.personId}/erase`)
      .set('Authorization', tenant.operator)
      .send({ reason: 'Vertrokken.' })
      .expect(409);
    expect(last.body).toMatchObject({
      code: 'LAST_TENANT_ADMIN',
      message: expect.stringMatching(/wis deze persoon/),
    });
    expect(await admins(tenant)).toEqual([a.personId]);
  });
});
