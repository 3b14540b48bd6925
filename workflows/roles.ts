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
