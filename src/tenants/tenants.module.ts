import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import {
  ACCESS_REVOCATIONS,
  ACTOR_ENRICHER,
  type ActorEnricher,
  type AuthenticatedActor,
} from '../auth/actor.js';
import { IdentityAccessRevocations } from '../people/access-revocations.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { CLOCK, systemClock } from '../platform/clock.js';
import { IDENTITY_CONFIG, loadIdentityConfig } from '../people/identity-config.js';
import { IdentityStore } from '../people/identity-store.port.js';
import { InvitesController, LoginController, PeopleController } from '../people/people.http.js';
import { PeopleService } from '../people/people.service.js';
import { SqliteIdentityStore } from '../people/sqlite-identity-store.js';
import { partnerScopeOf } from './organisation.decider.js';
import { PublicPageController } from './public-page.http.js';
import { OrganisationsController, TenantController } from './tenants.http.js';
import { TenantSettings, TenantsService } from './tenants.service.js';
import { TenantDeadlinePolicy } from './tenant-deadline-policy.js';
import { resolve } from 'node:path';
import { mkdirSync } from 'node:fs';

/** Sets a partner-processor's scope from its organisation's engagement mode, read from its events. */
@Injectable()
export class OrganisationScopeEnricher implements ActorEnricher {
  constructor(@Inject(TenantsService) private readonly tenants: TenantsService) {}

  async enrich(actor: AuthenticatedActor): Promise<AuthenticatedActor> {
    if (!actor.roles.includes('partner-processor') || !actor.organisationId) return actor;
    const mode = await this.tenants.engagementModeOf(actor.tenantId, actor.organisationId);
    return { ...actor, partnerScope: partnerScopeOf(mode) };
  }
}

export async function createIdentityStore(config: AppConfig): Promise<IdentityStore> {
  if (config.readStore.kind === 'mongodb') {
    // Loaded only when configured (as open-stores.ts does): an embedded app never loads the driver.
    const { MongoIdentityStore } = await import('../people/mongodb-identity-store.js');
    return MongoIdentityStore.connect(config.readStore.uri);
  }
  mkdirSync(config.dataDir, { recursive: true });
  return new SqliteIdentityStore(resolve(config.dataDir, 'identity.sqlite'));
}

/** Tenants, organisations, people and login, and the public local page. */
@Global()
@Module({
  controllers: [
    TenantController,
    OrganisationsController,
    PublicPageController,
    InvitesController,
    LoginController,
    PeopleController,
  ],
  providers: [
    { provide: CLOCK, useValue: systemClock },
    { provide: IDENTITY_CONFIG, useFactory: () => loadIdentityConfig() },
    { provide: IdentityStore, inject: [APP_CONFIG], useFactory: createIdentityStore },
    TenantsService,
    TenantSettings,
    TenantDeadlinePolicy,
    PeopleService,
    IdentityAccessRevocations,
    { provide: ACTOR_ENRICHER, useClass: OrganisationScopeEnricher },
    { provide: ACCESS_REVOCATIONS, useExisting: IdentityAccessRevocations },
  ],
  exports: [TenantSettings, TenantsService, TenantDeadlinePolicy, ACTOR_ENRICHER, ACCESS_REVOCATIONS],
})
export class TenantsModule implements OnApplicationShutdown {
  constructor(@Inject(IdentityStore) private readonly identities: IdentityStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.identities.close();
  }
}
