import taxonomy from '../../../../workflows/taxonomy/themes.v1.json';

/** The shared themes (workflows/taxonomy), for pickers and labels. */
export const THEMES: readonly { code: string; label: string }[] = taxonomy.themes;
export const POLICY_DOMAINS: readonly { code: string; label: string }[] = taxonomy.policyDomains;

const labels = new Map(THEMES.map((t) => [t.code, t.label]));

export function themeLabel(code: string): string {
  return labels.get(code) ?? code;
}

export const ENGAGEMENT_MODES: readonly { value: string; label: string }[] = [
  { value: '1', label: '1 - Verwerkt de signalen van het eigen personeel' },
  { value: '2', label: '2 - Verwerkt signalen op het hele grondgebied (mandaat)' },
  { value: '3', label: '3 - Signaleert, zonder verwerking' },
  { value: '4', label: '4 - Neemt deel aan het beleid, zonder toegang tot de tool' },
];
