/** The roles of DOMAIN.md, as they appear in tokens, definitions and metadata. */
export const ROLES = [
  'signal-giver',
  'lead-processor',
  'processor',
  'partner-processor',
  'official',
  'supralocal-analyst',
  'auditor',
  'tenant-admin',
] as const;

export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/**
 * The engine itself (process workflows: deadlines, dossier fan-out). Never a token role: auth
 * accepts only `ROLES`, so no caller can act as the system; definitions may name it.
 */
export const SYSTEM_ROLE = 'system';

export type DefinitionRole = Role | typeof SYSTEM_ROLE;

export function isDefinitionRole(value: unknown): value is DefinitionRole {
  return value === SYSTEM_ROLE || isRole(value);
}
