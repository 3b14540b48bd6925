import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { startTsChild } from '../support/processes.js';
import { startTestApp } from '../support/test-app.js';
import { TEST_JWT_SECRET } from '../support/tokens.js';

const dataDir = mkdtempSync(join(tmpdir(), 'ls-onboarding-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function cli(...args: string[]) {
  const child = startTsChild('src/cli/cli.ts', args, { DATA_DIR: dataDir, JWT_SECRET: TEST_JWT_SECRET });
  const { code } = await child.exited;
  return { code, output: child.lines.join('\n') };
}

/** README "Onboarding a municipality", step by step: CLI on the store, then the API on the same data. */
describe('onboarding a municipality', () => {
  it('creates the tenant and an organisation, invites the first tenant-admin, who accepts and logs in', async () => {
    const tenant = await cli(
      'tenant',
      'create',
      '--slug',
      'mortsel',
      '--name',
      'Mortsel',
      '--nis',
      '11029',
      '--population',
      '25000-50000',
    );
    expect(tenant).toEqual({ code: 0, output: 'tenant mortsel created (Mortsel, NIS 11029, 25000-50000)' });
    const again = await cli(
      'tenant',
      'create',
      '--slug',
      'mortsel',
      '--name',
      'Mortsel',
      '--nis',
      '11029',
      '--population',
      '25000-50000',
    );
    expect(again.code).toBe(1);
    expect((await cli('tenant', 'create', '--slug', 'x'.repeat(3), '--name', 'X')).code).toBe(2);
    const organisation = await cli(
      'organisation',
      'register',
      '--tenant',
      'mortsel',
      '--id',
      'caw-de-kempen',
      '--name',
      'CAW De Kempen',
      '--mode',
      '1',
    );
    expect(organisation.code).toBe(0);
    const invite = await cli(
      'people',
      'invite',
      '--tenant',
      'mortsel',
      '--email',
      'beheer@mortsel.be',
      '--role',
      'tenant-admin',
    );
    expect(invite.code).toBe(0);
    const token = /^token: (\S+)$/m.exec(invite.output)?.[1];
    expect(token).toMatch(/^[\w-]{43}$/);

    const t = await startTestApp({ dataDir });
    try {
      await t.http
        .post('/invites/accept')
        .send({
          tenant: 'mortsel',
          token,
          name: 'Beheerder Mortsel',
          password: 'een lang en sterk wachtwoord',
        })
        .expect(201);
      const login = await t.http
        .post('/auth/login')
        .send({ tenant: 'mortsel', email: 'beheer@mortsel.be', password: 'een lang en sterk wachtwoord' })
        .expect(200);
      const admin = `Bearer ${login.body.accessToken}`;
      const me = await t.http.get('/tenant').set('Authorization', admin).expect(200);
      expect(me.body).toMatchObject({ tenantId: 'mortsel', name: 'Mortsel' });
      const organisations = await t.http.get('/organisations').set('Authorization', admin).expect(200);
      expect(organisations.body.items).toEqual([
        expect.objectContaining({ organisationId: 'caw-de-kempen', engagementMode: 1 }),
      ]);
      await t.http
        .post('/invites')
        .set('Authorization', admin)
        .send({ email: 'an@caw-de-kempen.be', organisationId: 'caw-de-kempen', roles: ['partner-processor'] })
        .expect(201);
      const page = await t.http.get('/public/mortsel').expect(200);
      expect(page.body.organisations).toEqual([
        expect.objectContaining({ id: 'caw-de-kempen', engagementMode: 1 }),
      ]);
    } finally {
      await t.close();
    }
  }, 90_000);
});
