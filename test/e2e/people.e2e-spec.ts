import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { IdentityStore } from '../../src/people/identity-store.port.js';
import { PeopleService } from '../../src/people/people.service.js';
import { TenantsService } from '../../src/tenants/tenants.service.js';
import { serverNonce, startLocalIdp, type LocalIdp } from '../support/local-idp.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Issue #4 parts 1–3 and 5 through HTTP: tenant settings, organisations and their engagement
 * modes, the invite lifecycle, login with rotating refresh tokens, revocation on role changes,
 * OIDC login against a JWKS served by the test, rate limits, and the public local page.
 */
let offsetMs = 0;
const clock = { now: () => new Date(Date.now() + offsetMs) };
const DAY = 86_400_000;

const SIGNAL = {
  title: 'Gezinnen vinden geen betaalbare huurwoning',
  description: 'Sinds de zomer vinden gezinnen met kinderen geen huurwoning onder 800 euro.',
  themes: ['wonen'],
};

describe('tenants, organisations and people', () => {
  let t: TestApp;
  let idp: LocalIdp;
  let admin: string;
  let lead: string;

  beforeAll(async () => {
    idp = await startLocalIdp();
    t = await startTestApp({
      clock,
      env: {
        INVITE_RATE_LIMIT: '4/1h',
        LOGIN_RATE_LIMIT: '3/15m',
        ...idp.env,
      },
    });
    const tenants = t.app.get(TenantsService);
    const platform = { id: 'platform-admin', role: 'platform-admin' };
    await tenants.createTenant(platform, {
      tenantId: 'gent',
      name: 'Gent',
      nisCode: '44021',
      populationBand: 'gt-100000',
    });
    await tenants.createTenant(platform, {
      tenantId: 'eeklo',
      name: 'Eeklo',
      nisCode: '43005',
      populationBand: '10000-25000',
    });
    admin = `Bearer ${await t.token({ sub: 'admin-1', roles: ['tenant-admin'] })}`;
    lead = `Bearer ${await t.token({ sub: 'lead-1', roles: ['lead-processor'] })}`;
  }, 30_000);

  afterAll(async () => {
    await t.close();
    await idp.close();
  });

  describe('tenant settings', () => {
    it('shows the tenant with default settings (workflow v1, 5 years retention)', async () => {
      const response = await t.http.get('/tenant').set('Authorization', admin).expect(200);
      expect(response.body).toMatchObject({
        tenantId: 'gent',
        name: 'Gent',
        nisCode: '44021',
        populationBand: 'gt-100000',
        settings: { workflowVersion: 1, retentionYears: 5, supralocalOptIn: false, deadlineOverrides: {} },
      });
    });

    it('changes settings as events, for the tenant-admin only', async () => {
      const patch = {
        deadlineOverrides: { submitted: 3 },
        supralocalOptIn: true,
        retentionYears: 7,
        localSubThemes: [{ code: 'leegstand', label: 'Leegstand', theme: 'wonen' }],
        contactPoint: { name: 'Meldpunt Lokaal Signaal', email: 'signalen@stad.gent', phone: '09 210 10 10' },
        privacyStatement:
          'Een signaal beschrijft een situatie, geen persoon. Wij bewaren vrije tekst 7 jaar na afsluiting.',
        agreements: [
          {
            title: 'Samenwerking met CAW',
            summary: 'CAW verwerkt de signalen van het eigen personeel.',
            organisationIds: ['caw'],
          },
        ],
      };
      await t.http.patch('/tenant/settings').set('Authorization', lead).send(patch).expect(403);
      const response = await t.http
        .patch('/tenant/settings')
        .set('Authorization', admin)
        .send(patch)
        .expect(200);
      expect(response.body.settings).toMatchObject(patch);
      const events: string[] = [];
      for await (const event of t.store.readStream('tenant-gent')) events.push(event.type);
      expect(events).toEqual(['TenantCreated', 'TenantSettingsChanged']);
      // The same patch again changes nothing and records nothing.
      await t.http.patch('/tenant/settings').set('Authorization', admin).send(patch).expect(200, {
        settings: response.body.settings,
        position: null,
      });
    });

    it.each([
      [{ retentionYears: 0 }, 'SETTING_INVALID', 'retentionYears'],
      [{ workflowVersion: 3 }, 'SETTING_INVALID', 'workflowVersion'],
      [{ deadlineOverrides: { closed: 2 } }, 'SETTING_INVALID', 'deadlineOverrides'],
      [
        { localSubThemes: [{ code: 'x-y', label: 'Xy', theme: 'geen-thema' }] },
        'SETTING_INVALID',
        'localSubThemes',
      ],
      [{ tenantId: 'eeklo' }, 'SETTING_UNKNOWN', 'tenantId'],
    ])('refuses %j with 400 %s naming the field, in Dutch', async (patch, code, field) => {
      const response = await t.http
        .patch('/tenant/settings')
        .set('Authorization', admin)
        .send(patch)
        .expect(400);
      expect(response.body).toEqual({
        statusCode: 400,
        code,
        message: expect.any(String),
        details: { field },
      });
    });

    it('answers 404 TENANT_NOT_FOUND for a tenant the platform administrator did not create', async () => {
      const other = `Bearer ${await t.token({ sub: 'admin-x', tenant: 'bornem', roles: ['tenant-admin'] })}`;
      const response = await t.http.get('/tenant').set('Authorization', other).expect(404);
      expect(response.body.code).toBe('TENANT_NOT_FOUND');
    });

    it("refuses a second tenant with a municipality's NIS code", async () => {
      const tenants = t.app.get(TenantsService);
      const platform = { id: 'platform-admin', role: 'platform-admin' };
      const create = (tenantId: string) =>
        tenants.createTenant(platform, {
          tenantId,
          name: 'Gent bis',
          nisCode: '44021',
          populationBand: 'gt-100000',
        });
      await expect(create('gent-bis')).rejects.toMatchObject({ code: 'NIS_CODE_TAKEN', status: 409 });
      expect((await tenants.tenant('gent-bis')).status).toBe('none');
    });
  });

  describe('organisations', () => {
    it('registers organisations with an engagement mode (tenant-admin)', async () => {
      for (const body of [
        { id: 'caw', name: 'CAW Oost-Vlaanderen', engagementMode: 1 },
        { id: 'ocmw-partner', name: 'Welzijnsvereniging', engagementMode: 2 },
        { id: 'school', name: 'Basisschool De Boomgaard', engagementMode: 3 },
        {
          id: 'buurtwerk',
          name: 'Buurtwerk Rabot',
          engagementMode: 4,
          description: 'Denkt mee over het beleid.',
        },
      ]) {
        await t.http.post('/organisations').set('Authorization', admin).send(body).expect(201);
      }
      await t.http
        .post('/organisations')
        .set('Authorization', lead)
        .send({ id: 'x1', name: 'X', engagementMode: 1 })
        .expect(403);
      const duplicate = await t.http
        .post('/organisations')
        .set('Authorization', admin)
        .send({ id: 'caw', name: 'CAW', engagementMode: 1 })
        .expect(409);
      expect(duplicate.body.code).toBe('ORGANISATION_ALREADY_EXISTS');
      const bad = await t.http
        .post('/organisations')
        .set('Authorization', admin)
        .send({ id: 'y1', name: 'Yser', engagementMode: 7 })
        .expect(400);
      expect(bad.body).toMatchObject({ code: 'FIELD_INVALID', details: { field: 'engagementMode' } });
      const list = await t.http.get('/organisations').set('Authorization', lead).expect(200);
      expect(list.body.items.map((o: { organisationId: string }) => o.organisationId).sort()).toEqual([
        'buurtwerk',
        'caw',
        'ocmw-partner',
        'school',
      ]);
    });
  });

  const invite = (by: string, body: object) => t.http.post('/invites').set('Authorization', by).send(body);
  const accept = (body: object) => t.http.post('/invites/accept').send(body);
  const login = (email: string, password: string, tenant = 'gent') =>
    t.http.post('/auth/login').send({ tenant, email, password });
  const PASSWORD = 'een lang en sterk wachtwoord';

  let partnerId = '';

  describe('invite lifecycle', () => {
    let token = '';

    it('issues an invite whose token is stored only as a hash and whose e-mail stays out of the events', async () => {
      const response = await invite(admin, {
        email: 'An.Peeters@caw.be',
        organisationId: 'caw',
        roles: ['partner-processor'],
      }).expect(201);
      token = response.body.token;
      expect(response.body).toMatchObject({
        email: 'an.peeters@caw.be',
        roles: ['partner-processor'],
        organisationId: 'caw',
      });
      const identity = readFileSync(join(t.dataDir, 'identity.sqlite')).toString('latin1');
      expect(identity).not.toContain(token);
      for await (const event of t.store.readAll()) {
        const text = JSON.stringify({ data: event.data, metadata: event.metadata });
        expect(text).not.toContain('an.peeters@caw.be');
        expect(text).not.toContain(token);
      }
    });

    it('answers an invite of another tenant as if it did not exist', async () => {
      const response = await accept({
        tenant: 'eeklo',
        token,
        name: 'An Peeters',
        password: PASSWORD,
      }).expect(404);
      expect(response.body.code).toBe('INVITE_NOT_FOUND');
    });

    it('refuses a short password and a body without password or idToken', async () => {
      expect(
        (await accept({ tenant: 'gent', token, name: 'An Peeters', password: 'kort' }).expect(400)).body.code,
      ).toBe('PASSWORD_TOO_WEAK');
      expect((await accept({ tenant: 'gent', token, name: 'An Peeters' }).expect(400)).body.code).toBe(
        'FIELD_REQUIRED',
      );
      // Long enough, but nothing in it: twelve spaces.
      expect(
        (await accept({ tenant: 'gent', token, name: 'An Peeters', password: ' '.repeat(12) }).expect(400))
          .body.code,
      ).toBe('PASSWORD_TOO_WEAK');
      // A name is a field like any other (not a tenant setting).
      expect(
        (
          await accept({ tenant: 'gent', token, name: 'A', password: 'een lang en sterk wachtwoord' }).expect(
            400,
          )
        ).body,
      ).toMatchObject({ code: 'FIELD_INVALID', details: { field: 'name' } });
    });

    it('creates the account once; a second use is refused', async () => {
      const response = await accept({ tenant: 'gent', token, name: 'An Peeters', password: PASSWORD }).expect(
        201,
      );
      partnerId = response.body.personId;
      expect(response.body).toMatchObject({
        tenant: 'gent',
        roles: ['partner-processor'],
        organisationId: 'caw',
        email: 'an.peeters@caw.be',
      });
      const again = await accept({ tenant: 'gent', token, name: 'An Peeters', password: PASSWORD }).expect(
        409,
      );
      expect(again.body.code).toBe('INVITE_ALREADY_USED');
      const identity = readFileSync(join(t.dataDir, 'identity.sqlite')).toString('latin1');
      expect(identity).not.toContain(PASSWORD);
    });

    it('lets exactly one of 10 concurrent accepts of one invite create an account', async () => {
      const issued = await invite(admin, { email: 'race@stad.gent', roles: ['signal-giver'] }).expect(201);
      const responses = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          accept({ tenant: 'gent', token: issued.body.token, name: `Racer ${i}`, password: PASSWORD }),
        ),
      );
      const statuses = responses.map((r) => r.status).sort();
      expect(statuses).toEqual([201, ...Array(9).fill(409)]);
      expect(new Set(responses.filter((r) => r.status === 409).map((r) => r.body.code))).toEqual(
        new Set(['INVITE_ALREADY_USED']),
      );
      let accepted = 0;
      for await (const event of t.store.readStream(`invite-gent-${issued.body.inviteId}`)) {
        if (event.type === 'InviteAccepted') accepted += 1;
      }
      expect(accepted).toBe(1);
    });

    it('refuses an expired invite with 410', async () => {
      const issued = await invite(admin, {
        email: 'laat@stad.gent',
        roles: ['signal-giver'],
        expiresInDays: 1,
      }).expect(201);
      offsetMs = 2 * DAY;
      try {
        const response = await accept({
          tenant: 'gent',
          token: issued.body.token,
          name: 'Te Laat',
          password: PASSWORD,
        }).expect(410);
        expect(response.body.code).toBe('INVITE_EXPIRED');
      } finally {
        offsetMs = 0;
      }
    });

    it('keeps invites within the roles of the inviter and the engagement mode of the organisation', async () => {
      const cases: Array<[string, object, number, string]> = [
        [lead, { email: 'a@stad.gent', roles: ['tenant-admin'] }, 403, 'ROLE_NOT_GRANTABLE'],
        [
          admin,
          { email: 'b@buurtwerk.be', organisationId: 'buurtwerk', roles: ['signal-giver'] },
          422,
          'ORGANISATION_HAS_NO_ACCOUNTS',
        ],
        [
          admin,
          { email: 'c@school.be', organisationId: 'school', roles: ['partner-processor'] },
          422,
          'ROLE_NOT_ALLOWED_FOR_ORGANISATION',
        ],
        [
          admin,
          { email: 'd@elders.be', organisationId: 'onbekend', roles: ['signal-giver'] },
          422,
          'ORGANISATION_NOT_FOUND',
        ],
        [admin, { email: 'geen-mail', roles: ['signal-giver'] }, 400, 'FIELD_INVALID'],
        [
          admin,
          { email: 'e@stad.gent', roles: ['signal-giver'], tenantId: 'eeklo' },
          400,
          'FIELD_NOT_ALLOWED',
        ],
      ];
      for (const [by, body, status, code] of cases) {
        const response = await invite(by, body);
        expect({ body, status: response.status, code: response.body.code }).toEqual({ body, status, code });
      }
      const giver = `Bearer ${await t.token({ sub: 'giver-1', roles: ['signal-giver'] })}`;
      expect((await invite(giver, { email: 'f@stad.gent', roles: ['signal-giver'] })).status).toBe(403);
    });
  });

  describe('login, refresh rotation and revocation', () => {
    it('refuses a wrong password with one message for every cause', async () => {
      const wrong = await login('an.peeters@caw.be', 'niet het wachtwoord').expect(401);
      const unknown = await login('niemand@caw.be', PASSWORD).expect(401);
      expect(wrong.body).toEqual(unknown.body);
      expect(wrong.body.code).toBe('LOGIN_FAILED');
      // A field the route does not take is named, as on every other route; nothing is tried.
      for (const [route, body] of [
        ['/auth/login', { tenant: 'gent', email: 'an.peeters@caw.be', password: PASSWORD, remember: true }],
        ['/auth/refresh', { refreshToken: 'x'.repeat(40), tenant: 'gent' }],
        ['/auth/logout', { refreshToken: 'x'.repeat(40), all: true }],
      ] as const) {
        const refused = await t.http.post(route).send(body).expect(400);
        expect({ route, ...refused.body }).toMatchObject({ route, code: 'FIELD_NOT_ALLOWED' });
      }
    });

    it('issues an access token the API accepts, with the roles the events grant', async () => {
      const response = await login('AN.PEETERS@caw.be', PASSWORD).expect(200);
      expect(response.body).toMatchObject({
        tokenType: 'Bearer',
        expiresIn: 900,
        refreshToken: expect.any(String),
      });
      expect(response.headers['cache-control']).toBe('no-store');
      const me = await t.http
        .get('/me')
        .set('Authorization', `Bearer ${response.body.accessToken}`)
        .expect(200);
      expect(me.body).toEqual({
        id: partnerId,
        tenantId: 'gent',
        // For every role, signal givers and processors too, who may not read GET /tenant.
        tenantName: 'Gent',
        roles: ['partner-processor'],
        organisationId: 'caw',
        policyDomains: [],
        partnerScope: 'organisation',
      });
    });

    it('rotates refresh tokens; reusing a rotated one revokes the whole family', async () => {
      const first = (await login('an.peeters@caw.be', PASSWORD).expect(200)).body;
      const second = (
        await t.http.post('/auth/refresh').send({ refreshToken: first.refreshToken }).expect(200)
      ).body;
      expect(second.refreshToken).not.toBe(first.refreshToken);
      await t.http.get('/me').set('Authorization', `Bearer ${second.accessToken}`).expect(200);
      const reuse = await t.http.post('/auth/refresh').send({ refreshToken: first.refreshToken }).expect(401);
      expect(reuse.body.code).toBe('REFRESH_TOKEN_REUSED');
      const revoked = await t.http
        .post('/auth/refresh')
        .send({ refreshToken: second.refreshToken })
        .expect(401);
      expect(revoked.body.code).toBe('REFRESH_TOKEN_INVALID');
    });

    it('keeps a refresh token usable when its rotation fails on the way (no reuse taken for a retry)', async () => {
      const pair = (await login('an.peeters@caw.be', PASSWORD).expect(200)).body;
      // The person's stream cannot be read once (the event store failed): the new pair cannot be
      // made. The old token was spent before the pair was made, so the retry counted as reuse
      // and ended the login.
      const readStream = t.store.readStream.bind(t.store);
      let failures = 0;
      const failing = jest.spyOn(t.store, 'readStream').mockImplementation((stream, options) => {
        if (stream.startsWith('person-') && failures++ === 0)
          throw new Error('the event store is unreachable');
        return readStream(stream, options);
      });
      try {
        await expect(t.app.get(PeopleService).refresh({ refreshToken: pair.refreshToken })).rejects.toThrow(
          'the event store is unreachable',
        );
      } finally {
        failing.mockRestore();
      }
      expect(failures).toBe(1);
      const retried = await t.http
        .post('/auth/refresh')
        .send({ refreshToken: pair.refreshToken })
        .expect(200);
      await t.http.get('/me').set('Authorization', `Bearer ${retried.body.accessToken}`).expect(200);
      // Spent now: a second use is reuse.
      const reuse = await t.http.post('/auth/refresh').send({ refreshToken: pair.refreshToken }).expect(401);
      expect(reuse.body.code).toBe('REFRESH_TOKEN_REUSED');
    });

    it('ends a login on logout', async () => {
      const pair = (await login('an.peeters@caw.be', PASSWORD).expect(200)).body;
      await t.http.post('/auth/logout').send({ refreshToken: pair.refreshToken }).expect(204);
      await t.http.post('/auth/refresh').send({ refreshToken: pair.refreshToken }).expect(401);
    });

    it('refuses an expired refresh token', async () => {
      const pair = (await login('an.peeters@caw.be', PASSWORD).expect(200)).body;
      offsetMs = 31 * DAY;
      try {
        await t.http.post('/auth/refresh').send({ refreshToken: pair.refreshToken }).expect(401);
      } finally {
        offsetMs = 0;
      }
    });

    it('revokes every refresh token of a person whose role grants change; the next login carries the new roles', async () => {
      const before = (await login('an.peeters@caw.be', PASSWORD).expect(200)).body;
      const other = (await login('an.peeters@caw.be', PASSWORD).expect(200)).body;
      const grant = await t.http
        .post(`/people/${partnerId}/roles`)
        .set('Authorization', admin)
        .send({ grant: ['signal-giver'] })
        .expect(200);
      expect(grant.body).toMatchObject({
        roles: ['partner-processor', 'signal-giver'],
      });
      // Every refresh token of the person that was not revoked yet, these two among them.
      expect(grant.body.refreshTokensRevoked).toBeGreaterThanOrEqual(2);
      for (const pair of [before, other]) {
        const response = await t.http
          .post('/auth/refresh')
          .send({ refreshToken: pair.refreshToken })
          .expect(401);
        expect(response.body.code).toBe('REFRESH_TOKEN_INVALID');
      }
      await t.http
        .post(`/people/${partnerId}/roles`)
        .set('Authorization', admin)
        .send({ revoke: ['partner-processor'] })
        .expect(200);
      // The access token of before the revocation ends with it (not 15 minutes later at its exp).
      const stale = await t.http.get('/me').set('Authorization', `Bearer ${before.accessToken}`).expect(401);
      expect(stale.body.code).toBe('TOKEN_REVOKED');
      await new Promise((resolve) => setTimeout(resolve, 1000)); // iat has whole seconds
      const after = (await login('an.peeters@caw.be', PASSWORD).expect(200)).body;
      const me = await t.http.get('/me').set('Authorization', `Bearer ${after.accessToken}`).expect(200);
      expect(me.body.roles).toEqual(['signal-giver']);
      const events: string[] = [];
      for await (const event of t.store.readStream(`person-gent-${partnerId}`)) events.push(event.type);
      expect(events).toEqual(['PersonRegistered', 'RolesGranted', 'RolesGranted', 'RolesRevoked']);
      // Role changes are the tenant-admin's; a revoke of a role the person lacks is refused.
      await t.http
        .post(`/people/${partnerId}/roles`)
        .set('Authorization', lead)
        .send({ grant: ['processor'] })
        .expect(403);
      await t.http
        .post(`/people/${partnerId}/roles`)
        .set('Authorization', admin)
        .send({ revoke: ['auditor'] })
        .expect(400);
      // Bad input names its field, as on every other route.
      const refusal = (body: object) =>
        t.http.post(`/people/${partnerId}/roles`).set('Authorization', admin).send(body).expect(400);
      expect((await refusal({ grant: ['processor'], roles: ['auditor'] })).body).toMatchObject({
        code: 'FIELD_NOT_ALLOWED',
        details: { field: 'roles' },
      });
      expect((await refusal({ grant: ['koning'] })).body).toMatchObject({
        code: 'FIELD_INVALID',
        details: { field: 'grant' },
      });
      expect((await refusal([])).body.code).toBe('INVALID_BODY');
      const people = await t.http.get('/people').set('Authorization', admin).expect(200);
      expect(people.body.items).toContainEqual(
        expect.objectContaining({ personId: partnerId, roles: ['signal-giver'] }),
      );
    });

    it("refuses an engagement mode that gives the organisation's people fewer roles than they hold", async () => {
      const change = (body: object) =>
        t.http.patch('/organisations/caw').set('Authorization', admin).send(body);
      // An Peeters of caw holds signal-giver (above): mode 4 (no access) would leave her with a role.
      const refused = await change({ engagementMode: 4 }).expect(409);
      expect(refused.body).toMatchObject({ code: 'ORGANISATION_HAS_ACCOUNTS' });
      expect(refused.body.message).toMatch(/engagementvorm 4 .* 1 medewerker/);
      // Mode 3 keeps signal givers; back to 1 for the tests after this one.
      await change({ engagementMode: 3 }).expect(200);
      await change({ engagementMode: 1 }).expect(200);
      expect((await change({}).expect(400)).body.code).toBe('INVALID_BODY');
    });

    it('keeps a beheerder: the last one cannot lose the role, and can once another has it', async () => {
      // Another inviter: the first one's invites are counted by the rate limit tests below.
      const inviter = `Bearer ${await t.token({ sub: 'admin-2', roles: ['tenant-admin'] })}`;
      const admins: string[] = [];
      for (const email of ['beheer.een@gent.be', 'beheer.twee@gent.be']) {
        const issued = await invite(inviter, { email, roles: ['tenant-admin'] }).expect(201);
        const accepted = await accept({
          tenant: 'gent',
          token: issued.body.token,
          name: 'Beheerder',
          password: PASSWORD,
        }).expect(201);
        admins.push(accepted.body.personId as string);
        if (admins.length === 1) {
          const last = await t.http
            .post(`/people/${admins[0]}/roles`)
            .set('Authorization', admin)
            .send({ revoke: ['tenant-admin'] })
            .expect(409);
          expect(last.body).toMatchObject({ code: 'LAST_TENANT_ADMIN' });
        }
      }
      await t.http
        .post(`/people/${admins[0]}/roles`)
        .set('Authorization', admin)
        .send({ revoke: ['tenant-admin'] })
        .expect(200);
    });

    it('lists the people a lead processor can assign to, by name, without e-mail, for their own tenant only', async () => {
      const assignees = () => t.http.get('/people/assignees').set('Authorization', lead).expect(200);
      // A signal giver only: not someone to assign a signal to.
      expect((await assignees()).body.items.map((p: { personId: string }) => p.personId)).not.toContain(
        partnerId,
      );
      await t.http
        .post(`/people/${partnerId}/roles`)
        .set('Authorization', admin)
        .send({ grant: ['partner-processor'] })
        .expect(200);
      const { body } = await assignees();
      const partner = body.items.find((p: { personId: string }) => p.personId === partnerId);
      expect(partner).toEqual({
        personId: partnerId,
        name: expect.any(String),
        roles: ['partner-processor'],
        policyDomains: [],
        organisationId: 'caw',
      });
      expect(JSON.stringify(body)).not.toMatch(/@|signal-giver/);
      const processor = `Bearer ${await t.token({ sub: 'proc-9', roles: ['processor'] })}`;
      const refused = await t.http.get('/people/assignees').set('Authorization', processor).expect(403);
      expect(refused.body.code).toBe('ROLE_NOT_ALLOWED');
      const eeklo = `Bearer ${await t.token({ sub: 'lead-9', tenant: 'eeklo', roles: ['lead-processor'] })}`;
      const elsewhere = await t.http.get('/people/assignees').set('Authorization', eeklo).expect(200);
      expect(elsewhere.body.items.map((p: { personId: string }) => p.personId)).not.toContain(partnerId);
    });

    it('refuses a refresh for a person whose last role was taken while it ran: 403 ACCOUNT_WITHOUT_ROLES', async () => {
      const pair = (await login('an.peeters@caw.be', PASSWORD).expect(200)).body;
      const roles = (await t.http.get('/people').set('Authorization', admin).expect(200)).body.items.find(
        (person: { personId: string }) => person.personId === partnerId,
      ).roles as string[];
      // The race: the tenant-admin takes every role between the refresh's check of its token and
      // its read of the person (a role change revokes the refresh tokens, but this one was read).
      const identities = t.app.get(IdentityStore);
      const account = identities.account.bind(identities);
      const racing = jest.spyOn(identities, 'account').mockImplementationOnce(async (tenantId, personId) => {
        await t.http
          .post(`/people/${partnerId}/roles`)
          .set('Authorization', admin)
          .send({ revoke: roles })
          .expect(200);
        return account(tenantId, personId);
      });
      try {
        const refused = await t.http
          .post('/auth/refresh')
          .send({ refreshToken: pair.refreshToken })
          .expect(403);
        expect(refused.body.code).toBe('ACCOUNT_WITHOUT_ROLES');
      } finally {
        racing.mockRestore();
        await t.http
          .post(`/people/${partnerId}/roles`)
          .set('Authorization', admin)
          .send({ grant: roles })
          .expect(200);
      }
      // Revoked by the role change, not spent by the refusal: invalid, not reused.
      const after = await t.http.post('/auth/refresh').send({ refreshToken: pair.refreshToken }).expect(401);
      expect(after.body.code).toBe('REFRESH_TOKEN_INVALID');
    });
  });

  describe('engagement modes in commands and queries', () => {
    it('lets a partner-processor of a mode-1 organisation see its own staff only, of mode 2 the territory, of mode 3 nothing', async () => {
      const cawGiver = `Bearer ${await t.token({ sub: 'caw-giver', roles: ['signal-giver'], org: 'caw' })}`;
      const otherGiver = `Bearer ${await t.token({ sub: 'city-giver', roles: ['signal-giver'] })}`;
      const own = (await t.http.post('/signals').set('Authorization', cawGiver).send(SIGNAL).expect(201)).body
        .signalId;
      const other = (await t.http.post('/signals').set('Authorization', otherGiver).send(SIGNAL).expect(201))
        .body.signalId;
      const partner = `Bearer ${await t.token({ sub: 'caw-partner', roles: ['partner-processor'], org: 'caw' })}`;
      const head = await t.head();
      const visible = async () => {
        const list = await t.http
          .get('/signals')
          .set('Authorization', partner)
          .set('X-Min-Position', head)
          .expect(200);
        const ids = list.body.items.map((item: { signalId: string }) => item.signalId);
        return {
          listed: [ids.includes(own), ids.includes(other)],
          detail: [
            (await t.http.get(`/signals/${own}`).set('Authorization', partner)).status,
            (await t.http.get(`/signals/${other}`).set('Authorization', partner)).status,
          ],
          history: (await t.http.get(`/signals/${other}/history`).set('Authorization', partner)).status,
          command: (
            await t.http
              .post(`/signals/${other}/add-note`)
              .set('Authorization', partner)
              .send({ note: 'Opvolgen.' })
          ).status,
        };
      };
      expect(await visible()).toEqual({
        listed: [true, false],
        detail: [200, 404],
        history: 404,
        command: 404,
      });
      await t.http
        .patch('/organisations/caw')
        .set('Authorization', admin)
        .send({ engagementMode: 2 })
        .expect(200);
      expect(await visible()).toEqual({
        listed: [true, true],
        detail: [200, 200],
        history: 200,
        command: 200,
      });
      // Mode 3 leaves caw's people only signal-giver: their other roles are revoked first (the
      // partner-processor token of this test is the identity provider's, with no person behind it).
      const people = await t.http.get('/people').set('Authorization', admin).expect(200);
      for (const person of people.body.items as Array<{
        personId: string;
        organisationId: string;
        roles: string[];
      }>) {
        const others = person.roles.filter((role) => role !== 'signal-giver');
        if (person.organisationId !== 'caw' || others.length === 0) continue;
        await t.http
          .post(`/people/${person.personId}/roles`)
          .set('Authorization', admin)
          .send({ revoke: others })
          .expect(200);
      }
      await t.http
        .patch('/organisations/caw')
        .set('Authorization', admin)
        .send({ engagementMode: 3 })
        .expect(200);
      const none = await visible();
      expect({ listed: none.listed, detail: none.detail }).toEqual({
        listed: [false, false],
        detail: [404, 404],
      });
      await t.http
        .patch('/organisations/caw')
        .set('Authorization', admin)
        .send({ engagementMode: 1 })
        .expect(200);
    });
  });

  describe('OIDC login', () => {
    it('binds the provider subject when an invite is accepted with an ID token, then logs in with it', async () => {
      const issued = await invite(admin, {
        email: 'els@stad.gent',
        roles: ['processor'],
        policyDomains: ['wonen'],
      }).expect(201);
      const idToken = await idp.idToken({
        sub: 'vo-123456',
        email: 'els@stad.gent',
        nonce: await serverNonce(t.http),
      });
      const accepted = await accept({
        tenant: 'gent',
        token: issued.body.token,
        name: 'Els',
        idToken,
      }).expect(201);
      const pair = await t.http
        .post('/auth/oidc/login')
        .send({
          tenant: 'gent',
          idToken: await idp.idToken({ sub: 'vo-123456', nonce: await serverNonce(t.http) }),
        })
        .expect(200);
      const me = await t.http.get('/me').set('Authorization', `Bearer ${pair.body.accessToken}`).expect(200);
      expect(me.body).toMatchObject({
        id: accepted.body.personId,
        roles: ['processor'],
        policyDomains: ['wonen'],
      });
      const unknown = await t.http
        .post('/auth/oidc/login')
        .send({
          tenant: 'gent',
          idToken: await idp.idToken({ sub: 'vo-999', nonce: await serverNonce(t.http) }),
        })
        .expect(401);
      expect(unknown.body.code).toBe('OIDC_IDENTITY_NOT_LINKED');
      const elsewhere = await t.http
        .post('/auth/oidc/login')
        .send({
          tenant: 'eeklo',
          idToken: await idp.idToken({ sub: 'vo-123456', nonce: await serverNonce(t.http) }),
        })
        .expect(401);
      expect(elsewhere.body.code).toBe('OIDC_IDENTITY_NOT_LINKED');
    });

    it('takes the ID token only with a nonce this server issued, once', async () => {
      const nonce = await serverNonce(t.http);
      const idToken = await idp.idToken({ sub: 'vo-123456', nonce });
      await t.http.post('/auth/oidc/login').send({ tenant: 'gent', idToken }).expect(200);
      // The same ID token again (a replay), one without a nonce, one with a nonce of its own making.
      for (const replayed of [
        idToken,
        await idp.idToken({ sub: 'vo-123456' }),
        await idp.idToken({ sub: 'vo-123456', nonce: 'zelfgemaakt-0123456789' }),
      ]) {
        const refused = await t.http
          .post('/auth/oidc/login')
          .send({ tenant: 'gent', idToken: replayed })
          .expect(401);
        expect(refused.body).toMatchObject({
          code: 'OIDC_NONCE_INVALID',
          message: expect.stringContaining('opnieuw'),
        });
      }
      // A nonce is good for 10 minutes.
      const stale = await serverNonce(t.http);
      offsetMs = 11 * 60_000;
      try {
        const late = await t.http
          .post('/auth/oidc/login')
          .send({ tenant: 'gent', idToken: await idp.idToken({ sub: 'vo-123456', nonce: stale }) })
          .expect(401);
        expect(late.body.code).toBe('OIDC_NONCE_INVALID');
      } finally {
        offsetMs = 0;
      }
    });

    it('answers 403 ACCOUNT_WITHOUT_ROLES to a linked identity whose person has no role left', async () => {
      // An inviter of its own: the invite budget of `admin` (INVITE_RATE_LIMIT) is spent above.
      const inviter = `Bearer ${await t.token({ sub: 'admin-oidc', roles: ['tenant-admin'] })}`;
      const issued = await invite(inviter, { email: 'wim@stad.gent', roles: ['processor'] }).expect(201);
      const accepted = await accept({
        tenant: 'gent',
        token: issued.body.token,
        name: 'Wim',
        idToken: await idp.idToken({
          sub: 'vo-777777',
          email: 'wim@stad.gent',
          nonce: await serverNonce(t.http),
        }),
      }).expect(201);
      await t.http
        .post(`/people/${accepted.body.personId}/roles`)
        .set('Authorization', inviter)
        .send({ revoke: ['processor'] })
        .expect(200);
      const refused = await t.http
        .post('/auth/oidc/login')
        .send({
          tenant: 'gent',
          idToken: await idp.idToken({ sub: 'vo-777777', nonce: await serverNonce(t.http) }),
        })
        .expect(403);
      expect(refused.body.code).toBe('ACCOUNT_WITHOUT_ROLES');
    });
  });

  describe('rate limits', () => {
    it('limits invites per inviter: the fifth within the hour is 429 with Retry-After', async () => {
      const busy = `Bearer ${await t.token({ sub: 'admin-busy', roles: ['tenant-admin'] })}`;
      for (let i = 0; i < 4; i++)
        await invite(busy, { email: `r${i}@stad.gent`, roles: ['signal-giver'] }).expect(201);
      const refused = await invite(busy, { email: 'r4@stad.gent', roles: ['signal-giver'] }).expect(429);
      expect(refused.body).toMatchObject({
        code: 'RATE_LIMITED',
        message: expect.stringContaining('Probeer'),
      });
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(3000);
      // Another inviter has a budget of its own.
      const fresh = `Bearer ${await t.token({ sub: 'admin-fresh', roles: ['tenant-admin'] })}`;
      await invite(fresh, { email: 'r5@stad.gent', roles: ['signal-giver'] }).expect(201);
    });

    it('limits login attempts per account: after 3 failures even the right password waits', async () => {
      offsetMs = 20 * 60_000; // a fresh window, away from the logins above
      try {
        for (let i = 0; i < 3; i++) await login('an.peeters@caw.be', `fout-${i}`).expect(401);
        const refused = await login('an.peeters@caw.be', PASSWORD).expect(429);
        expect(refused.body.code).toBe('RATE_LIMITED');
        expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
        offsetMs += 16 * 60_000;
        await login('an.peeters@caw.be', PASSWORD).expect(200);
      } finally {
        offsetMs = 0;
      }
    });
  });

  describe('bad input on the new routes', () => {
    it('answers with the API error shape, never a 5xx, and records nothing', async () => {
      const before = await t.head();
      const cases: Array<[string, () => ReturnType<typeof t.http.post>, number, string]> = [
        [
          '__proto__ key',
          () =>
            t.http
              .patch('/tenant/settings')
              .set('Authorization', admin)
              .set('Content-Type', 'application/json')
              .send('{"__proto__":{"retentionYears":1}}'),
          400,
          '',
        ],
        [
          'Mongo operator as value',
          () =>
            t.http
              .patch('/tenant/settings')
              .set('Authorization', admin)
              .send({ retentionYears: { $gt: 0 } }),
          400,
          'SETTING_INVALID',
        ],
        [
          'Mongo operator as e-mail',
          () => t.http.post('/auth/login').send({ tenant: 'gent', email: { $ne: '' }, password: 'x' }),
          400,
          'FIELD_INVALID',
        ],
        [
          'malformed JSON',
          () => t.http.post('/auth/login').set('Content-Type', 'application/json').send('{"tenant":'),
          400,
          'MALFORMED_JSON',
        ],
        [
          'wrong content type',
          () => t.http.post('/invites/accept').set('Content-Type', 'text/plain').send('token=x'),
          415,
          '',
        ],
        ['array body', () => t.http.post('/organisations').set('Authorization', admin).send([1, 2]), 400, ''],
        [
          'tenant slug with a path',
          () => t.http.post('/auth/login').send({ tenant: '../gent', email: 'a@b.be', password: 'x' }),
          400,
          'FIELD_INVALID',
        ],
        [
          'refresh token of 10 kB',
          () => t.http.post('/auth/refresh').send({ refreshToken: 'x'.repeat(10_000) }),
          400,
          'FIELD_INVALID',
        ],
        [
          'organisation id with a path',
          () =>
            t.http.patch('/organisations/..%2Fcaw').set('Authorization', admin).send({ engagementMode: 2 }),
          404,
          'ORGANISATION_NOT_FOUND',
        ],
        [
          'person id that is no uuid',
          () =>
            t.http
              .post('/people/$all/roles')
              .set('Authorization', admin)
              .send({ grant: ['processor'] }),
          400,
          'INVALID_ID',
        ],
        [
          'person id that is a token subject, not a person',
          () =>
            t.http
              .post('/people/lead-1/roles')
              .set('Authorization', admin)
              .send({ grant: ['processor'] }),
          400,
          'INVALID_ID',
        ],
        [
          'person id that is an unknown uuid',
          () =>
            t.http
              .post('/people/0190f0f0-0000-7000-8000-000000000000/roles')
              .set('Authorization', admin)
              .send({ grant: ['processor'] }),
          404,
          'PERSON_NOT_FOUND',
        ],
      ];
      for (const [name, send, status, code] of cases) {
        const response = await send();
        expect({ name, status: response.status }).toEqual({ name, status });
        expect(response.body).toMatchObject({
          statusCode: status,
          code: code || expect.any(String),
          message: expect.any(String),
        });
        expect(JSON.stringify(response.body)).not.toMatch(/at .*\.ts:\d+/);
      }
      expect(await t.head()).toBe(before);
      expect(({} as Record<string, unknown>)['retentionYears']).toBeUndefined();
    });
  });

  describe('the public local page', () => {
    it('shows organisations, agreements, privacy statement, contact point and figures of at least 5, without a token', async () => {
      const giver = `Bearer ${await t.token({ sub: 'giver-pub', roles: ['signal-giver'] })}`;
      for (let i = 0; i < 5; i++)
        await t.http
          .post('/signals')
          .set('Authorization', giver)
          .send({ ...SIGNAL, themes: ['energie'] })
          .expect(201);
      for (let i = 0; i < 2; i++)
        await t.http
          .post('/signals')
          .set('Authorization', giver)
          .send({ ...SIGNAL, themes: ['jeugd'] })
          .expect(201);
      // The figures come from the read models: wait until they hold what was just written.
      await t.http
        .get('/signals?limit=1')
        .set('Authorization', lead)
        .set('X-Min-Position', await t.head())
        .expect(200);
      const page = await t.http.get('/public/gent').expect(200);
      expect(page.body.tenant).toEqual({ slug: 'gent', name: 'Gent', nisCode: '44021' });
      expect(page.body.organisations).toContainEqual(
        expect.objectContaining({
          id: 'buurtwerk',
          engagementMode: 4,
          description: 'Denkt mee over het beleid.',
        }),
      );
      expect(page.body.agreements).toHaveLength(1);
      expect(page.body.privacyStatement).toMatch(/situatie, geen persoon/);
      expect(page.body.contactPoint).toMatchObject({ email: 'signalen@stad.gent' });
      expect(page.body.howToGetAnInvite).toContain('signalen@stad.gent');
      const themes = page.body.figures.byTheme.map((row: { theme: string }) => row.theme);
      expect(themes).toContain('energie');
      expect(themes).not.toContain('jeugd'); // 2 signals: under 5, not shown
      expect(page.body.figures.byTheme.find((row: { theme: string }) => row.theme === 'energie')).toEqual({
        theme: 'energie',
        received: 5,
        closed: null,
      });
      expect(page.body.figures.received).toBeGreaterThanOrEqual(5);
      expect(JSON.stringify(page.body)).not.toMatch(/giver-pub|an\.peeters/);
      const missing = await t.http.get('/public/bornem').expect(404);
      expect(missing.body.code).toBe('TENANT_NOT_FOUND');
    });
  });
});
