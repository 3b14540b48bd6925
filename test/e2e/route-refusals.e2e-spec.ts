import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ActorClaims } from '../../src/auth/actor.js';
import { registerGent, startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Refusals the OpenAPI document gives and no other suite asked for through the answer-checking
 * test app: a role's 403 on the briefs and the supra-local escalations, the briefs' 400 and 404,
 * an organisation's 400 and 403, a tenant the platform never created (404), a logout without its
 * token (400), a login without roles (403) and a grant the organisation cannot have (422). Each answer is checked against the document (status and body schema).
 */
const who: Record<string, Partial<ActorClaims>> = {
  processor: { sub: 'proc-1', tenant: 'gent', roles: ['processor'], domains: ['wonen'] },
  official: { sub: 'official-1', tenant: 'gent', roles: ['official'] },
  analyst: { sub: 'analyst-1', tenant: 'vvsg', roles: ['supralocal-analyst'] },
  admin: { sub: 'admin-1', tenant: 'gent', roles: ['tenant-admin'] },
  lead: { sub: 'lead-1', tenant: 'gent', roles: ['lead-processor'] },
  strayAdmin: { sub: 'admin-9', tenant: 'nergens', roles: ['tenant-admin'] },
};

describe('documented refusals of the briefs, organisations, tenant settings and logout', () => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  const as = (role: string) => ({ Authorization: `Bearer ${tokens[role]}` });
  const code = async (request: PromiseLike<{ status: number; body: { code?: string } }>) => {
    const answer = await request;
    return `${answer.status} ${answer.body.code}`;
  };

  beforeAll(async () => {
    t = await startTestApp();
    await registerGent(t);
    for (const [role, claims] of Object.entries(who)) tokens[role] = await t.token(claims);
    await t.http
      .post('/organisations')
      .set(as('admin'))
      .send({ id: 'caw', name: 'CAW Oost-Vlaanderen', engagementMode: 1 })
      .expect(201);
  }, 30_000);
  afterAll(() => t.close());

  it.each([
    '/briefs',
    '/briefs/schedule',
    '/briefs/brief__gent__2026-Q3__1',
    '/briefs/brief__gent__2026-Q3__1/download?format=pdf',
    '/supralocal/escalations',
  ])('GET %s: 403 ROLE_NOT_ALLOWED for a processor', async (path) => {
    expect(await code(t.http.get(path).set(as('processor')))).toBe('403 ROLE_NOT_ALLOWED');
  });

  it('the briefs: 404 for one never requested, 400 for an id or format that is not one', async () => {
    expect(
      await code(t.http.get('/briefs/brief__gent__2026-Q3__9/download?format=pdf').set(as('official'))),
    ).toBe('404 BRIEF_NOT_FOUND');
    expect(await code(t.http.get('/supralocal/briefs/..%2Fgeheim').set(as('analyst')))).toBe(
      '400 BRIEF_ID_INVALID',
    );
    const download = '/supralocal/briefs/supralocal-brief__2026-Q3__1/download';
    expect(await code(t.http.get(`${download}?format=exe`).set(as('analyst')))).toBe('400 FORMAT_INVALID');
    expect(await code(t.http.get(`${download}?format=pdf`).set(as('analyst')))).toBe('404 BRIEF_NOT_FOUND');
  });

  it('PATCH /organisations/{id}: 400 FIELD_INVALID naming the field, 403 for a lead processor', async () => {
    const patch = (role: string, body: object) => t.http.patch('/organisations/caw').set(as(role)).send(body);
    const bad = await patch('admin', { name: 'C' });
    expect({ status: bad.status, body: bad.body }).toMatchObject({
      status: 400,
      body: { code: 'FIELD_INVALID', details: { field: 'name' } },
    });
    expect(await code(patch('lead', { name: 'CAW' }))).toBe('403 ROLE_NOT_ALLOWED');
  });

  it('PATCH /tenant/settings: 404 TENANT_NOT_FOUND for a tenant the platform never created', async () => {
    expect(
      await code(t.http.patch('/tenant/settings').set(as('strayAdmin')).send({ retentionYears: 6 })),
    ).toBe('404 TENANT_NOT_FOUND');
  });

  it('POST /auth/logout: 400 FIELD_INVALID without a refresh token', async () => {
    expect(await code(t.http.post('/auth/logout').send({}))).toBe('400 FIELD_INVALID');
  });
  it('a person without roles: login 403 ACCOUNT_WITHOUT_ROLES; a grant the organisation cannot have: 422', async () => {
    const invite = await t.http
      .post('/invites')
      .set(as('admin'))
      .send({ email: 'jan@caw.be', organisationId: 'caw', roles: ['signal-giver'] })
      .expect(201);
    const password = 'een lang en sterk wachtwoord';
    const accepted = await t.http
      .post('/invites/accept')
      .send({ tenant: 'gent', token: invite.body.token, name: 'Jan', password })
      .expect(201);
    const person = accepted.body.personId as string;
    const roles = (body: object) => t.http.post(`/people/${person}/roles`).set(as('admin')).send(body);
    await roles({ revoke: ['signal-giver'] }).expect(200);
    expect(
      await code(t.http.post('/auth/login').send({ tenant: 'gent', email: 'jan@caw.be', password })),
    ).toBe('403 ACCOUNT_WITHOUT_ROLES');
    // Engagement mode 4: policy participation without accounts.
    await t.http.patch('/organisations/caw').set(as('admin')).send({ engagementMode: 4 }).expect(200);
    expect(await code(roles({ grant: ['signal-giver'] }))).toBe('422 ORGANISATION_HAS_NO_ACCOUNTS');
  });
});
