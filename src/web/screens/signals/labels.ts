import taxonomy from '../../../../workflows/taxonomy/themes.v1.json' with { type: 'json' };
import { FIELDS, type FieldSpec } from '../../../../workflows/signal-lifecycle/fields';
import { TIME_ZONE } from '../../terms';

/**
 * The shared taxonomy (workflows/taxonomy/themes.v1.json) and the command fields
 * (workflows/signal-lifecycle/fields.ts) as the screens need them: the same files the server
 * validates against, so a code the form offers is a code the API accepts.
 */
export type { CodeList } from '../../../../workflows/taxonomy/taxonomy';
import type { CodeList } from '../../../../workflows/taxonomy/taxonomy';

export interface Option {
  value: string;
  label: string;
}

export const CODE_OPTIONS: Record<CodeList, Option[]> = {
  themes: taxonomy.themes.map(({ code, label }) => ({ value: code, label })),
  targetGroups: taxonomy.targetGroups.map(({ code, label }) => ({ value: code, label })),
  policyDomains: taxonomy.policyDomains.map(({ code, label }) => ({ value: code, label })),
  areaTypes: taxonomy.areaTypes.map(({ code, label }) => ({ value: code, label })),
};

const LABELS: Record<CodeList, Map<string, string>> = {
  themes: new Map(CODE_OPTIONS.themes.map((o) => [o.value, o.label])),
  targetGroups: new Map(CODE_OPTIONS.targetGroups.map((o) => [o.value, o.label])),
  policyDomains: new Map(CODE_OPTIONS.policyDomains.map((o) => [o.value, o.label])),
  areaTypes: new Map(CODE_OPTIONS.areaTypes.map((o) => [o.value, o.label])),
};

export function codeLabel(list: CodeList, code: string): string {
  return LABELS[list].get(code) ?? code;
}

export function codeLabels(list: CodeList, codes: readonly string[] | null | undefined): string {
  return (codes ?? []).map((code) => codeLabel(list, code)).join(', ');
}

/** Dutch words for the enum values of the command fields. */
export const ENUM_LABELS: Record<string, string> = {
  low: 'Laag',
  normal: 'Normaal',
  high: 'Hoog',
  local: 'Lokaal',
  supralocal: 'Bovenlokaal',
};

export function enumLabel(value: string | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return ENUM_LABELS[value] ?? value;
}

export function fieldSpec(name: string): FieldSpec | undefined {
  return Object.prototype.hasOwnProperty.call(FIELDS, name)
    ? (FIELDS as Record<string, FieldSpec>)[name]
    : undefined;
}

export function fieldLabel(name: string): string {
  return fieldSpec(name)?.label ?? name;
}

export type { FieldSpec };

const DATE = new Intl.DateTimeFormat('nl-BE', {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: TIME_ZONE,
});

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : DATE.format(date);
}
