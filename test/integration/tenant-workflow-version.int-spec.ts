import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { systemClock } from '../../src/platform/clock.js';
import { SqliteEventStore } from '../../src/platform/event-store/sqlite/sqlite-event-store.js';
import { ExecuteSignalCommand } from '../../src/signals/execute-signal-command/execute-signal-command.command.js';
import { ExecuteSignalCommandHandler } from '../../src/signals/execute-signal-command/execute-signal-command.handler.js';
import { SignalRepository } from '../../src/signals/signal.repository.js';
import { DEFAULT_SETTINGS } from '../../src/tenants/tenant.events.js';
import { TenantWorkflowSource } from '../../src/tenants/tenant-workflow-source.js';
import { TenantSettings, TenantsService } from '../../src/tenants/tenants.service.js';

const dir = mkdtempSync(join(tmpdir(), 'ls-tenant-wf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const submit = (tenantId: string) =>
  new ExecuteSignalCommand({
    actor: { id: 'giver-1', tenantId, roles: ['signal-giver'], policyDomains: [] },
    name: 'submit',
    fields: {
      title: 'Wachtlijsten jeugdhulp',
      description: 'Jongeren wachten maanden op begeleiding.',
      themes: ['jeugd'],
    },
    correlationId: 'c-1',
  });

describe('the tenant setting "workflow version for new signals" at submission', () => {
  it('submits under the version the tenant settings name, read from the tenant stream', async () => {
    const store = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
    const tenants = new TenantsService(store, systemClock);
    await tenants.createTenant(
      { id: 'platform', role: 'platform-admin' },
      { tenantId: 'gent', name: 'Gent', nisCode: '44021', populationBand: 'gt-100000' },
    );
    await tenants.changeSettings({ id: 'admin', role: 'tenant-admin' }, 'gent', { workflowVersion: 2 });
    const handler = new ExecuteSignalCommandHandler(
      store,
      new SignalRepository(store),
      systemClock,
      new TenantWorkflowSource(new TenantSettings(tenants)),
    );
    const { result } = await handler.execute(submit('gent'));
    for await (const event of store.readStream(`signal-gent-${result.signalId}`)) {
      expect(event.data['workflow']).toEqual({ name: 'signal-lifecycle', version: 2 });
    }
    // A tenant never created gets the defaults (version 1) too.
    await expect(handler.execute(submit('eeklo'))).resolves.toMatchObject({ result: { state: 'submitted' } });
    await store.close();
  });

  it('consults the settings: a version that is not shipped stops the submission', async () => {
    const store = new SqliteEventStore({ file: join(dir, 'events-2.sqlite') });
    const settings = {
      settingsOf: async () => ({
        workflowVersion: 99,
        deadlineOverrides: {},
        retentionYears: 5,
        supralocalOptIn: false,
        settings: DEFAULT_SETTINGS,
      }),
    };
    const handler = new ExecuteSignalCommandHandler(
      store,
      new SignalRepository(store),
      systemClock,
      new TenantWorkflowSource(settings as unknown as TenantSettings),
    );
    await expect(handler.execute(submit('gent'))).rejects.toMatchObject({ code: 'UNKNOWN_WORKFLOW' });
    await store.close();
  });

  it("holds each tenant's settings in the app while following tenant events; a write drops them", async () => {
    const file = join(dir, 'events-3.sqlite');
    const store = new SqliteEventStore({ file, pollIntervalMs: 10 });
    const tenants = new TenantsService(store, systemClock);
    const admin = { id: 'admin', role: 'tenant-admin' };
    await tenants.createTenant(
      { id: 'platform', role: 'platform-admin' },
      { tenantId: 'gent', name: 'Gent', nisCode: '44021', populationBand: 'gt-100000' },
    );
    let reads = 0;
    const read = tenants.settingsOf.bind(tenants);
    tenants.settingsOf = (tenantId: string) => {
      reads += 1;
      return read(tenantId);
    };
    const settings = new TenantSettings(tenants, store);
    // Outside the app (no subscription yet): every call reads the stream.
    await settings.settingsOf('gent');
    await settings.settingsOf('gent');
    expect(reads).toBe(2);

    settings.onApplicationBootstrap();
    expect((await settings.settingsOf('gent')).workflowVersion).toBe(1);
    expect((await settings.settingsOf('gent')).workflowVersion).toBe(1);
    expect(reads).toBe(3);
    // A change through this process's service counts at once.
    await tenants.changeSettings(admin, 'gent', { workflowVersion: 2 });
    expect((await settings.settingsOf('gent')).workflowVersion).toBe(2);
    expect(reads).toBe(4);
    // Another writer on its own connection (the CLI, another process): once the subscription reads it.
    const other = new SqliteEventStore({ file });
    await new TenantsService(other, systemClock).changeSettings(admin, 'gent', { workflowVersion: 1 });
    const deadline = Date.now() + 5000;
    while ((await settings.settingsOf('gent')).workflowVersion !== 1 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect((await settings.settingsOf('gent')).workflowVersion).toBe(1);

    // Stopped: reads every time again, and sees every write.
    await settings.onApplicationShutdown();
    await new TenantsService(other, systemClock).changeSettings(admin, 'gent', { workflowVersion: 2 });
    expect((await settings.settingsOf('gent')).workflowVersion).toBe(2);
    await other.close();
    await store.close();
  });
});
