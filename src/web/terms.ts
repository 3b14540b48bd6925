/**
 * The glossary of DOMAIN.md for the screens: code values (English, as the API speaks) to the
 * Dutch words the users know. One place, so every screen says the same thing.
 */
export const ROLE_LABELS: Record<string, string> = {
  'signal-giver': 'Signaalgever',
  'lead-processor': 'Hoofdsignaalverwerker',
  processor: 'Signaalverwerker',
  'partner-processor': 'Signaalverwerker (partner)',
  official: 'Beleidsmaker',
  'supralocal-analyst': 'Bovenlokaal analist (VVSG)',
  auditor: 'Auditor',
  'tenant-admin': 'Beheerder',
};

/** The labels of the lifecycle definition (workflows/signal-lifecycle), for lists that show a state. */
export const STATE_LABELS: Record<string, string> = {
  submitted: 'Ingediend',
  triaged: 'Aanvaard als signaal',
  assigned: 'Toegewezen',
  'awaiting-info': 'Wacht op informatie',
  'in-analysis': 'In analyse',
  analysed: 'Geanalyseerd',
  'in-consultation': 'In overleg',
  escalated: 'Geagendeerd bij beleid',
  reopened: 'Heropend',
  closed: 'Afgesloten',
  rejected: 'Niet aanvaard',
  merged: 'Samengevoegd',
};

export function roleLabel(role: string): string {
  return ROLE_LABELS[role] ?? role;
}

export function stateLabel(state: string): string {
  return STATE_LABELS[state] ?? state;
}

/** A signal's title as lists show it: a signal may have none (or have had it erased). */
export function signalTitle(signal: { title: string | null }): string {
  return signal.title ?? '(zonder titel)';
}

const countFormat = new Intl.NumberFormat('nl-BE');

/** "1 signaal", "3 signalen" (and 0): a count with the noun in the right number. */
export function countOf(value: number, one: string, many: string): string {
  return `${countFormat.format(value)} ${value === 1 ? one : many}`;
}

/**
 * The municipalities' time zone: every date and time a screen writes is Brussels', whatever the
 * time zone of the browser (a laptop set elsewhere, a test browser in UTC).
 */
export const TIME_ZONE = 'Europe/Brussels';

const dayOfFormat = new Intl.DateTimeFormat('nl-BE', { timeZone: TIME_ZONE });

/** The day of an instant in Brussels, Belgian notation: "1/1/2027". */
export function formatDayOf(iso: string): string {
  return dayOfFormat.format(new Date(iso));
}
