/** The months in Dutch, January first: for briefs, periods and demo texts. */
export const DUTCH_MONTHS = [
  'januari',
  'februari',
  'maart',
  'april',
  'mei',
  'juni',
  'juli',
  'augustus',
  'september',
  'oktober',
  'november',
  'december',
] as const;

/** A month `2026-07` in words, `juli 2026` (anything else as it is). */
export function dutchMonth(month: string): string {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  const name = match ? DUTCH_MONTHS[Number(match[2]) - 1] : undefined;
  return name === undefined ? month : `${name} ${match![1]}`;
}

/** Where the municipalities are: the dates people read are the dates of this time zone. */
export const MUNICIPALITY_TIME_ZONE = 'Europe/Brussels';

const calendarParts = new Intl.DateTimeFormat('en-US', {
  timeZone: MUNICIPALITY_TIME_ZONE,
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
});

/**
 * The day of an instant as people in Flanders read it: "1 januari 2027" for
 * `2026-12-31T23:30:00.000Z` (half past midnight in Brussels), not the UTC day.
 */
export function dutchDay(instant: string | Date): string {
  const date = typeof instant === 'string' ? new Date(instant) : instant;
  const parts = calendarParts.formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return `${part('day')} ${DUTCH_MONTHS[part('month') - 1]} ${part('year')}`;
}
