import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { organisationsOf, PILOT_MUNICIPALITIES } from '../../src/demo/municipalities.js';
import { seedDemoTenants } from '../../src/demo/seed-demo-tenants.js';
import { systemClock } from '../../src/platform/clock.js';
import { SqliteEventStore } from '../../src/platform/event-store/sqlite/sqlite-event-store.js';
import { TenantsService } from '../../src/tenants/tenants.service.js';

const dir = mkdtempSync(join(tmpdir(), 'ls-demo-tenants-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('demo tenants', () => {
  it('creates every pilot municipality with its organisations and public-page settings, once', async () => {
    const store = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
    const slugs = PILOT_MUNICIPALITIES.map((m) => m.slug);
    expect(await seedDemoTenants(store, slugs, systemClock)).toBe(slugs.length);
    expect(await seedDemoTenants(store, slugs, systemClock)).toBe(0);
    const tenants = new TenantsService(store, systemClock);
    const gent = PILOT_MUNICIPALITIES.find((m) => m.slug === 'gent')!;
    const state = await tenants.tenant('gent');
    expect(state).toMatchObject({ status: 'exists', nisCode: '44021', populationBand: 'gt-100000' });
    expect(state.status === 'exists' && state.settings.contactPoint?.email).toBe('signalen@gent.example');
    const organisations = await tenants.organisations('gent');
    expect(organisations.map((o) => [o.organisationId, o.engagementMode]).sort()).toEqual(
      organisationsOf(gent)
        .map((o) => [o.id, o.mode])
        .sort(),
    );
    await store.close();
  });
});
