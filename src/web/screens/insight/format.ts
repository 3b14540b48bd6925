import lifecycleV1 from '../../../../workflows/signal-lifecycle/signal-lifecycle.v1.json' with { type: 'json' };
import lifecycleV2 from '../../../../workflows/signal-lifecycle/signal-lifecycle.v2.json' with { type: 'json' };
import taxonomy from '../../../../workflows/taxonomy/themes.v1.json' with { type: 'json' };
import type { Published } from '../../../supralocal/supralocal-answers';
import { TIME_ZONE } from '../../terms';

/** Numbers, dates and code labels as the insight screens show them (Dutch, Belgian notation). */

const numberFormat = new Intl.NumberFormat('nl-BE', { maximumFractionDigits: 1 });
const dateTimeFormat = new Intl.DateTimeFormat('nl-BE', {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: TIME_ZONE,
});
const dateFormat = new Intl.DateTimeFormat('nl-BE', { dateStyle: 'medium', timeZone: TIME_ZONE });
const dayFormat = new Intl.DateTimeFormat('nl-BE', { dateStyle: 'medium', timeZone: 'UTC' });
const monthFormat = new Intl.DateTimeFormat('nl-BE', { month: 'short', year: 'numeric', timeZone: 'UTC' });

export function formatNumber(value: number): string {
  return numberFormat.format(value);
}

export function formatDateTime(iso: string): string {
  return dateTimeFormat.format(new Date(iso));
}

export function formatDate(iso: string): string {
  return dateFormat.format(new Date(iso));
}

/** A period of whole UTC days (`to` exclusive, as the API gives it) as "1 okt 2026 tot en met 31 dec 2026". */
export function formatPeriodDays(from: string, to: string): string {
  const last = new Date(Date.parse(to) - 1);
  return `${dayFormat.format(new Date(from))} tot en met ${dayFormat.format(last)}`;
}

/** `2026-03` → "mrt 2026". */
export function formatMonth(month: string): string {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  if (!match) return month;
  return monthFormat.format(new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1)));
}

/** Hours as "3,5 u" or, from two days on, "4,2 d"; "–" when nothing was measured. */
export function formatHours(hours: number | null): string {
  if (hours === null) return '–';
  if (hours >= 48) return `${formatNumber(hours / 24)} d`;
  return `${formatNumber(hours)} u`;
}

const themes = new Map(taxonomy.themes.map((entry) => [entry.code, entry.label]));
const policyDomains = new Map(taxonomy.policyDomains.map((entry) => [entry.code, entry.label]));

export function themeName(code: string): string {
  return themes.get(code) ?? code;
}

export function policyDomainName(code: string): string {
  return policyDomains.get(code) ?? code;
}

/** What a suppressed figure says instead of a number: never 0 (a zero would be a disclosure). */
export const SUPPRESSED_SMALL = '< drempel';
export const SUPPRESSED_SECONDARY = 'niet gepubliceerd';

/** A published figure's signals, or the words for why it is not published. */
export function publishedText(figure: Published | null | undefined): string {
  if (!figure) return '–';
  if (!figure.suppressed) return formatNumber(figure.signals);
  return figure.reason === 'small' ? SUPPRESSED_SMALL : SUPPRESSED_SECONDARY;
}

const COMMAND_LABELS = new Map<number, Record<string, { label: string }>>([
  [lifecycleV1.version, lifecycleV1.commands],
  [lifecycleV2.version, lifecycleV2.commands],
]);

/** A decision's Dutch label from the workflow version it was taken under ("Aanvaarden als signaal"). */
export function commandLabel(command: string, workflow: { name: string; version: number } | null): string {
  const labels =
    workflow?.name === lifecycleV1.name
      ? COMMAND_LABELS.get(workflow.version)
      : COMMAND_LABELS.get(lifecycleV2.version);
  return labels?.[command]?.label ?? command;
}
