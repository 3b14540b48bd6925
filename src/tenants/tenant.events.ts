import { streamName } from '../platform/event-store/stream-name.js';
import type { JsonObject } from '../platform/json.js';
import type { Agreement, ContactPoint, LocalSubTheme, TenantSettingsValue } from './tenant-answers.js';

export type { Agreement, ContactPoint, LocalSubTheme, TenantSettingsValue };

/** A tenant's own stream: its creation and every change of its settings. */
/** The category of the tenant streams (`tenant-<tenantId>`). */
export const TENANT_CATEGORY = 'tenant';

export function tenantStream(tenantId: string): string {
  return streamName(TENANT_CATEGORY, tenantId);
}

/** One stream per organisation of a tenant. */
export function organisationStream(tenantId: string, organisationId: string): string {
  return streamName('organisation', tenantId, organisationId);
}

export const POPULATION_BANDS = [
  'lt-10000',
  '10000-25000',
  '25000-50000',
  '50000-100000',
  'gt-100000',
] as const;
export type PopulationBand = (typeof POPULATION_BANDS)[number];

export const DEFAULT_SETTINGS: TenantSettingsValue = {
  workflowVersion: 1,
  deadlineOverrides: {},
  supralocalOptIn: false,
  localSubThemes: [],
  contactPoint: null,
  privacyStatement: null,
  inviteInstructions: null,
  agreements: [],
  retentionYears: 5,
};

export const SETTING_NAMES = Object.keys(DEFAULT_SETTINGS) as Array<keyof TenantSettingsValue>;

export type TenantSettingsPatch = Partial<TenantSettingsValue>;

export interface TenantCreatedData extends JsonObject {
  tenantId: string;
  name: string;
  nisCode: string;
  populationBand: PopulationBand;
}

export interface TenantSettingsChangedData extends JsonObject {
  tenantId: string;
  /** Only the settings that changed, with their new value. */
  changes: JsonObject;
}

/** DOMAIN.md's engagement modes of an organisation. */
export const ENGAGEMENT_MODES = [1, 2, 3, 4] as const;
export type EngagementMode = (typeof ENGAGEMENT_MODES)[number];

export interface OrganisationRegisteredData extends JsonObject {
  tenantId: string;
  organisationId: string;
  name: string;
  engagementMode: EngagementMode;
  description: string | null;
}

export interface OrganisationChangedData extends JsonObject {
  tenantId: string;
  organisationId: string;
  changes: JsonObject;
}

export type TenantEvent =
  | { type: 'TenantCreated'; data: TenantCreatedData }
  | { type: 'TenantSettingsChanged'; data: TenantSettingsChangedData };

export type OrganisationEvent =
  | { type: 'OrganisationRegistered'; data: OrganisationRegisteredData }
  | { type: 'OrganisationChanged'; data: OrganisationChangedData };

export const TENANT_EVENT_TYPES = ['TenantCreated', 'TenantSettingsChanged'] as const;
export const ORGANISATION_EVENT_TYPES = ['OrganisationRegistered', 'OrganisationChanged'] as const;
