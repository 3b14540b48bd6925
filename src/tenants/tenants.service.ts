import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { CLOCK, type Clock } from '../platform/clock.js';
import { EventStore, type AllSubscription } from '../platform/event-store/event-store.port.js';
import { storedEventsOf } from '../privacy/encrypting-event-store.js';
import {
  decideOrganisation,
  foldOrganisation,
  isOrganisationId,
  type OrganisationState,
} from './organisation.decider.js';
import { appendDecided, type EventAuthor, loadStream } from './stream-io.js';
import { decideTenant, foldTenant, type TenantState } from './tenant.decider.js';
import { TenantDomainError } from './tenant.errors.js';
import {
  DEFAULT_SETTINGS,
  type EngagementMode,
  organisationStream,
  type OrganisationEvent,
  ORGANISATION_EVENT_TYPES,
  tenantStream,
  TENANT_CATEGORY,
  TENANT_EVENT_TYPES,
  type TenantEvent,
  type TenantSettingsValue,
} from './tenant.events.js';

export type Organisation = Extract<OrganisationState, { status: 'exists' }>;
export type Tenant = Extract<TenantState, { status: 'exists' }>;

/** The settings other modules read: signal submission, timers, the retention sweep, supra-local views. */
export interface TenantSettingsView {
  workflowVersion: number;
  deadlineOverrides: Record<string, number>;
  retentionYears: number;
  supralocalOptIn: boolean;
  settings: TenantSettingsValue;
}

/** Tenants and their organisations: read → fold → decide → append at the revision read. */
@Injectable()
export class TenantsService {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  private readonly changeListeners = new Set<(tenantId: string) => void>();

  /** Called after this service wrote a tenant's events (its settings readers drop what they hold). */
  onTenantWritten(listener: (tenantId: string) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  private written(tenantId: string): void {
    for (const listener of this.changeListeners) listener(tenantId);
  }

  async tenant(tenantId: string): Promise<TenantState> {
    const { events } = await loadStream<TenantEvent>(this.store, tenantStream(tenantId));
    return foldTenant(events);
  }

  async createTenant(
    author: EventAuthor,
    input: { tenantId: string; name: string; nisCode: string; populationBand: string },
  ): Promise<Tenant> {
    if (!/^[a-z][a-z0-9-]{1,62}$/.test(input.tenantId)) {
      throw new TenantDomainError(
        'SETTING_INVALID',
        400,
        'De korte naam (slug) bestaat uit kleine letters, cijfers en koppeltekens.',
        { field: 'slug' },
      );
    }
    const stream = tenantStream(input.tenantId);
    const { events, revision } = await loadStream<TenantEvent>(this.store, stream);
    const decided = decideTenant({ type: 'CreateTenant', ...input }, foldTenant(events));
    // A NIS code names one municipality (checked here, not under a lock: creating a tenant is the
    // operators' rare act; two at once with one code would both pass).
    const holder = (await this.allTenants()).find(
      (tenant) => tenant.nisCode === input.nisCode && tenant.tenantId !== input.tenantId,
    );
    if (holder) {
      throw new TenantDomainError(
        'NIS_CODE_TAKEN',
        409,
        `De NIS-code ${input.nisCode} is al van het bestuur '${holder.tenantId}'.`,
        { field: 'nis' },
      );
    }
    try {
      await appendDecided(this.store, stream, input.tenantId, author, decided, revision, this.clock.now());
    } finally {
      this.written(input.tenantId);
    }
    return foldTenant([...events, ...decided]) as Tenant;
  }

  async changeSettings(
    author: EventAuthor,
    tenantId: string,
    patch: unknown,
  ): Promise<{ tenant: Tenant; position: bigint | null }> {
    const stream = tenantStream(tenantId);
    const { events, revision } = await loadStream<TenantEvent>(this.store, stream);
    const decided = decideTenant({ type: 'ChangeTenantSettings', tenantId, patch }, foldTenant(events));
    let position: bigint | null;
    try {
      position = await appendDecided(
        this.store,
        stream,
        tenantId,
        author,
        decided,
        revision,
        this.clock.now(),
      );
    } finally {
      // Also after a failed append: it may have committed without being acknowledged.
      this.written(tenantId);
    }
    return { tenant: foldTenant([...events, ...decided]) as Tenant, position };
  }

  /** Every tenant the platform administrator created, folded from the tenant streams (a few events each). */
  async allTenants(): Promise<Tenant[]> {
    const byStream = new Map<string, TenantEvent[]>();
    for await (const event of this.store.readAll({ filter: { categories: ['tenant'] } })) {
      if (!(TENANT_EVENT_TYPES as readonly string[]).includes(event.type)) continue;
      const events = byStream.get(event.stream) ?? [];
      events.push({ type: event.type, data: event.data } as TenantEvent);
      byStream.set(event.stream, events);
    }
    return [...byStream.values()]
      .map((events) => foldTenant(events))
      .filter((state): state is Tenant => state.status === 'exists')
      .sort((a, b) => a.tenantId.localeCompare(b.tenantId));
  }

  /** Defaults for a tenant that was never created (the demo municipalities, older data). */
  async settingsOf(tenantId: string): Promise<TenantSettingsView> {
    const state = await this.tenant(tenantId);
    const settings = state.status === 'exists' ? state.settings : DEFAULT_SETTINGS;
    return {
      workflowVersion: settings.workflowVersion,
      deadlineOverrides: settings.deadlineOverrides,
      retentionYears: settings.retentionYears,
      supralocalOptIn: settings.supralocalOptIn,
      settings,
    };
  }

  async organisation(tenantId: string, organisationId: string): Promise<OrganisationState> {
    if (!isOrganisationId(organisationId)) return { status: 'none' };
    const { events } = await loadStream<OrganisationEvent>(
      this.store,
      organisationStream(tenantId, organisationId),
    );
    return foldOrganisation(events);
  }

  /** null: the organisation is not registered with the tenant. */
  async engagementModeOf(tenantId: string, organisationId: string): Promise<EngagementMode | null> {
    const state = await this.organisation(tenantId, organisationId);
    return state.status === 'exists' ? state.engagementMode : null;
  }

  async registerOrganisation(author: EventAuthor, tenantId: string, body: unknown): Promise<Organisation> {
    const id = (body as { id?: unknown } | null)?.id;
    const stream = isOrganisationId(id) ? organisationStream(tenantId, id) : null;
    const loaded = stream
      ? await loadStream<OrganisationEvent>(this.store, stream)
      : { events: [], revision: 'no-stream' as const };
    const decided = decideOrganisation(
      { type: 'RegisterOrganisation', tenantId, body },
      foldOrganisation(loaded.events),
    );
    await appendDecided(this.store, stream!, tenantId, author, decided, loaded.revision, this.clock.now());
    return foldOrganisation(decided) as Organisation;
  }

  async changeOrganisation(
    author: EventAuthor,
    tenantId: string,
    organisationId: string,
    body: unknown,
    staff: ReadonlyArray<{ roles: readonly string[] }> = [],
  ): Promise<Organisation> {
    if (!isOrganisationId(organisationId)) {
      throw new TenantDomainError('ORGANISATION_NOT_FOUND', 404, 'Deze organisatie bestaat niet.');
    }
    const stream = organisationStream(tenantId, organisationId);
    const { events, revision } = await loadStream<OrganisationEvent>(this.store, stream);
    const decided = decideOrganisation(
      { type: 'ChangeOrganisation', tenantId, organisationId, body, staff },
      foldOrganisation(events),
    );
    await appendDecided(this.store, stream, tenantId, author, decided, revision, this.clock.now());
    return foldOrganisation([...events, ...decided]) as Organisation;
  }

  /**
   * Every organisation of a tenant, folded from the organisation events in `$all`. Organisations
   * are few (tens per municipality) and change rarely; a read model can replace this when they are not.
   */
  async organisations(tenantId: string): Promise<Organisation[]> {
    const byStream = new Map<string, OrganisationEvent[]>();
    for await (const event of this.store.readAll({ filter: { categories: ['organisation'] } })) {
      if (event.metadata.tenantId !== tenantId) continue;
      if (!(ORGANISATION_EVENT_TYPES as readonly string[]).includes(event.type)) continue;
      const list = byStream.get(event.stream) ?? [];
      list.push({ type: event.type, data: event.data } as OrganisationEvent);
      byStream.set(event.stream, list);
    }
    return [...byStream.values()]
      .map((events) => foldOrganisation(events))
      .filter((state): state is Organisation => state.status === 'exists')
      .sort((a, b) => a.name.localeCompare(b.name, 'nl'));
  }
}

/**
 * The small reader other modules inject: `settingsOf(tenantId)` gives the workflow version for
 * new signals, deadline overrides per state (days), the retention period and the supra-local opt-in.
 *
 * In the app (with the event store injected and the application started) it keeps each tenant's
 * settings in memory instead of reading the tenant's stream for every new signal: an entry is
 * dropped when this process's `TenantsService` writes the tenant, and every cached entry when a
 * tenant event reaches the subscription to the `tenant` category (a write of another process, the
 * CLI, shows within the store's poll interval). Outside the app (CLI, tests that construct it) and
 * while the subscription is not running it reads the stream every time.
 */
@Injectable()
export class TenantSettings implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('TenantSettings');
  private readonly cache = new Map<string, Promise<TenantSettingsView>>();
  private subscription: AllSubscription | null = null;
  private loop: Promise<void> | null = null;

  constructor(
    @Inject(TenantsService) private readonly tenants: TenantsService,
    @Optional() @Inject(EventStore) private readonly store?: EventStore,
  ) {
    tenants.onTenantWritten((tenantId) => this.cache.delete(tenantId));
  }

  settingsOf(tenantId: string): Promise<TenantSettingsView> {
    if (this.subscription === null) return this.tenants.settingsOf(tenantId);
    let settings = this.cache.get(tenantId);
    if (settings === undefined) {
      settings = this.tenants.settingsOf(tenantId);
      this.cache.set(tenantId, settings);
      // A failed read is not kept.
      settings.catch(() => {
        if (this.cache.get(tenantId) === settings) this.cache.delete(tenantId);
      });
    }
    return settings;
  }

  onApplicationBootstrap(): void {
    if (!this.store) return;
    // Tenant events carry no encrypted text: follow them as stored.
    const subscription = storedEventsOf(this.store).subscribeToAll({
      fromPosition: 'end',
      filter: { categories: [TENANT_CATEGORY] },
    });
    this.subscription = subscription;
    this.loop = (async () => {
      try {
        for await (const _event of subscription) this.cache.clear();
      } catch (error) {
        this.logger.warn(`following tenant events failed, reading settings per request: ${String(error)}`);
      } finally {
        if (this.subscription === subscription) this.subscription = null;
        this.cache.clear();
      }
    })();
  }

  async onApplicationShutdown(): Promise<void> {
    const subscription = this.subscription;
    this.subscription = null;
    this.cache.clear();
    await subscription?.stop();
    await this.loop;
  }
}
