import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { RecordedEvent } from '../../src/platform/event-store/event-store.port.js';
import { organisationStream, tenantStream } from '../../src/tenants/tenant.events.js';
import { registerGent, startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Two administrators change the same tenant or organisation at once: the one whose change was
 * decided on what the other then changed gets 409 CONCURRENCY_CONFLICT (as the API's document
 * says), and loses nothing of the other's change; sent again, it goes through. The race is made,
 * not waited for: the other change is written between this request's read of the stream and its
 * append.
 */
describe('concurrent changes of a tenant and of an organisation', () => {
  let t: TestApp;
  let admin = '';

  beforeAll(async () => {
    t = await startTestApp();
    await registerGent(t);
    admin = `Bearer ${await t.token({ sub: 'admin-1', tenant: 'gent', roles: ['tenant-admin'] })}`;
    await t.http
      .post('/organisations')
      .set('Authorization', admin)
      .send({ id: 'caw', name: 'CAW Oost-Vlaanderen', engagementMode: 1 })
      .expect(201);
  }, 30_000);
  afterAll(() => t.close());

  /** Runs `request` with `other` written right after its first read of `stream`. */
  async function racedWith<T>(stream: string, other: () => Promise<unknown>, request: () => Promise<T>) {
    const readStream = t.store.readStream.bind(t.store);
    let raced = false;
    const racing = jest.spyOn(t.store, 'readStream').mockImplementation((name, options) => {
      if (name !== stream || raced) return readStream(name, options);
      raced = true;
      return (async function* () {
        const before: RecordedEvent[] = [];
        for await (const event of readStream(name, options)) before.push(event);
        await other();
        yield* before;
      })();
    });
    try {
      return await request();
    } finally {
      racing.mockRestore();
    }
  }

  it('PATCH /tenant/settings: 409 CONCURRENCY_CONFLICT, the other change kept, then the retry goes through', async () => {
    const patch = (body: object) => t.http.patch('/tenant/settings').set('Authorization', admin).send(body);
    const refused = await racedWith(
      tenantStream('gent'),
      () => patch({ retentionYears: 6 }).expect(200),
      () => patch({ supralocalOptIn: true }),
    );
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('CONCURRENCY_CONFLICT');
    const after = (await t.http.get('/tenant').set('Authorization', admin).expect(200)).body;
    expect(after.settings).toMatchObject({ retentionYears: 6, supralocalOptIn: false });
    const retried = await patch({ supralocalOptIn: true }).expect(200);
    expect(retried.body.settings).toMatchObject({ retentionYears: 6, supralocalOptIn: true });
  });

  it('PATCH /organisations/{id}: 409 CONCURRENCY_CONFLICT, the other change kept, then the retry goes through', async () => {
    const patch = (body: object) => t.http.patch('/organisations/caw').set('Authorization', admin).send(body);
    const refused = await racedWith(
      organisationStream('gent', 'caw'),
      () => patch({ name: 'CAW Oost-Vlaanderen vzw' }).expect(200),
      () => patch({ engagementMode: 2 }),
    );
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('CONCURRENCY_CONFLICT');
    const retried = await patch({ engagementMode: 2 }).expect(200);
    expect(retried.body).toMatchObject({ name: 'CAW Oost-Vlaanderen vzw', engagementMode: 2 });
  });
});
