/**
 * What the tenant, organisation and public-page endpoints answer: the API's contract, declared
 * once. The controllers answer with it and the web's admin screens and public page read it. Types
 * only, with no imports, so that the web's compiler reads nothing else of the server.
 */

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

/** GET /tenant: the caller's own tenant, its profile and settings. */
export interface TenantAnswer {
  tenantId: string;
  name: string;
  /** The municipality's NIS code. */
  nisCode: string;
  /** e.g. `10000-25000`. */
  populationBand: string;
  settings: TenantSettingsValue;
}

/** PATCH /tenant/settings: the settings as they are now (position null when nothing changed). */
export interface TenantSettingsChanged {
  settings: TenantSettingsValue;
  position: string | null;
}

/** A partner organisation with its engagement mode (DOMAIN.md: 1 to 4). */
export interface OrganisationAnswer {
  tenantId: string;
  organisationId: string;
  name: string;
  engagementMode: number;
  description: string | null;
}

/** GET /organisations. */
export interface OrganisationPage {
  items: OrganisationAnswer[];
}

/** GET /public/{tenant}: the municipality's public page, for anyone. */
export interface PublicTenantPage {
  tenant: { slug: string; name: string; nisCode: string };
  organisations: Array<{
    id: string;
    name: string;
    engagementMode: number;
    /** The engagement mode in words. */
    engagement: string;
    description: string | null;
  }>;
  agreements: Agreement[];
  privacyStatement: string | null;
  contactPoint: ContactPoint | null;
  howToGetAnInvite: string;
  supralocalOptIn: boolean;
  /** This year's received and closed signals; a count under `minimumCount` is null (not shown). */
  figures: {
    year: number;
    minimumCount: number;
    received: number | null;
    closed: number | null;
    byTheme: Array<{ theme: string; received: number; closed: number | null }>;
    note: string;
  };
}
