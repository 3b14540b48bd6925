import taxonomy from './themes.v1.json' with { type: 'json' };

export interface TaxonomyEntry {
  code: string;
  label: string;
}

export type CodeList = 'themes' | 'targetGroups' | 'policyDomains' | 'areaTypes';

/** The shared taxonomy: one versioned file, so that municipalities can be compared. */
export const TAXONOMY: { version: number } & Record<CodeList, readonly TaxonomyEntry[]> = taxonomy;

const codeSets: Record<CodeList, ReadonlySet<string>> = {
  themes: new Set(TAXONOMY.themes.map((t) => t.code)),
  targetGroups: new Set(TAXONOMY.targetGroups.map((t) => t.code)),
  policyDomains: new Set(TAXONOMY.policyDomains.map((t) => t.code)),
  areaTypes: new Set(TAXONOMY.areaTypes.map((t) => t.code)),
};

export function isCode(list: CodeList, value: unknown): value is string {
  return typeof value === 'string' && codeSets[list].has(value);
}

export function codesOf(list: CodeList): string[] {
  return [...codeSets[list]];
}
