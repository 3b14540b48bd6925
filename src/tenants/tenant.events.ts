import { streamName } from '../platform/event-store/stream-name.js';
import type { JsonObject } from '../platform/json.js';

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

export interface LocalSubTheme {
  code: string;
  label: string;
  /** The shared theme code (workflows/taxonomy) it maps onto. */
  theme: string;
}

export interface ContactPoint {
  name: string;
  email: string;
  phone: string | null;
}

export interface Agreement {
  title: string;
  summary: string;
  organisationIds: string[];
}

/** Every tenant setting; a tenant without changes has the defaults. */
export interface TenantSettingsValue {
  /** Version of the signal-lifecycle workflow that new signals start under. */
  workflowVersion: number;
  /** Deadline per workflow state, in days, instead of the definition's. */
  deadlineOverrides: Record<string, number>;
  supralocalOptIn: boolean;
  localSubThemes: LocalSubTheme[];
  contactPoint: ContactPoint | null;
  privacyStatement: string | null;
  /** How a frontline worker asks for an invite, shown on the public page. */
  inviteInstructions: string | null;
  agreements: Agreement[];
  /** Years after closing a signal that its free text is kept. */
  retentionYears: number;
}

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
