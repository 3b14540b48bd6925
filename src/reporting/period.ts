import { DUTCH_MONTHS, dutchDay } from '../platform/dutch-months.js';
/** A reporting period: a month, a quarter, a year or a date range, in whole UTC days. */
export type PeriodKind = 'month' | 'quarter' | 'year' | 'range';

export interface Period {
  kind: PeriodKind;
  /** Stable text used in job ids and stream names: `2026-03`, `2026-Q3`, `2026`, `2026-01-01_2026-02-15`. */
  label: string;
  /** Inclusive start instant (00:00 UTC of the first day). */
  from: string;
  /** Exclusive end instant (00:00 UTC of the day after the last day). */
  to: string;
}

export class InvalidPeriodError extends Error {
  readonly code = 'PERIOD_INVALID';
}

const DAY_MS = 86_400_000;
/** A range longer than this is refused: a brief covers at most a few years. */
const MAX_RANGE_DAYS = 3 * 366;

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const QUARTER = /^(\d{4})-Q([1-4])$/;
const YEAR = /^(\d{4})$/;
const RANGE = /^(\d{4}-\d{2}-\d{2})(?:_|\.\.)(\d{4}-\d{2}-\d{2})$/;

function utc(year: number, month: number, day = 1): string {
  return new Date(Date.UTC(year, month, day)).toISOString();
}

function checkYear(year: number): void {
  if (year < 2000 || year > 2100) throw new InvalidPeriodError(`het jaar ${year} ligt buiten 2000–2100`);
}

function isoDay(text: string): number {
  const ms = Date.parse(`${text}T00:00:00.000Z`);
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== text) {
    throw new InvalidPeriodError(`"${text}" is geen geldige datum (JJJJ-MM-DD)`);
  }
  return ms;
}

/** Parses `2026-03`, `2026-Q3`, `2026` or `2026-01-01..2026-02-15` (both days included). */
export function parsePeriod(text: string): Period {
  if (typeof text !== 'string' || text.length > 40) {
    throw new InvalidPeriodError(
      'een periode is een maand (2026-03), kwartaal (2026-Q3), jaar (2026) of bereik',
    );
  }
  let match = MONTH.exec(text);
  if (match) {
    const year = Number(match[1]);
    checkYear(year);
    const month = Number(match[2]) - 1;
    return { kind: 'month', label: text, from: utc(year, month), to: utc(year, month + 1) };
  }
  match = QUARTER.exec(text);
  if (match) {
    const year = Number(match[1]);
    checkYear(year);
    const quarter = Number(match[2]);
    return {
      kind: 'quarter',
      label: text,
      from: utc(year, (quarter - 1) * 3),
      to: utc(year, quarter * 3),
    };
  }
  match = YEAR.exec(text);
  if (match) {
    const year = Number(match[1]);
    checkYear(year);
    return { kind: 'year', label: text, from: utc(year, 0), to: utc(year + 1, 0) };
  }
  match = RANGE.exec(text);
  if (match) {
    const start = isoDay(match[1]!);
    const end = isoDay(match[2]!);
    checkYear(new Date(start).getUTCFullYear());
    checkYear(new Date(end).getUTCFullYear());
    if (end < start) throw new InvalidPeriodError('de einddatum ligt voor de begindatum');
    if ((end - start) / DAY_MS + 1 > MAX_RANGE_DAYS) {
      throw new InvalidPeriodError(`een bereik is hoogstens ${MAX_RANGE_DAYS} dagen lang`);
    }
    return {
      kind: 'range',
      label: `${match[1]}_${match[2]}`,
      from: new Date(start).toISOString(),
      to: new Date(end + DAY_MS).toISOString(),
    };
  }
  throw new InvalidPeriodError(
    `"${text.replace(/[^\x20-\x7e]/g, '?')}" is geen periode: gebruik een maand (2026-03), kwartaal (2026-Q3), jaar (2026) of bereik (2026-01-01..2026-02-15)`,
  );
}

/**
 * Parses a quarter (`2026-Q3`) and nothing else: for what only covers a quarter (the supra-local
 * brief), so that a wrong value is told what a quarter looks like, not every kind of period.
 */
export function parseQuarter(text: string): Period {
  if (typeof text === 'string' && QUARTER.test(text)) return parsePeriod(text);
  if (typeof text !== 'string' || text.length > 40)
    throw new InvalidPeriodError('een kwartaal is een jaar en Q1 tot Q4, zoals 2026-Q3');
  throw new InvalidPeriodError(
    `"${text.replace(/[^\x20-\x7e]/g, '?')}" is geen kwartaal: gebruik een jaar en Q1 tot Q4, zoals 2026-Q3`,
  );
}

/** The period just before, of the same kind and length (for a range: as many days). */
export function previousPeriod(period: Period): Period {
  const from = new Date(period.from);
  const year = from.getUTCFullYear();
  const month = from.getUTCMonth();
  switch (period.kind) {
    case 'month':
      return parsePeriod(utc(year, month - 1).slice(0, 7));
    case 'quarter': {
      const quarter = Math.floor(month / 3) + 1;
      return parsePeriod(quarter === 1 ? `${year - 1}-Q4` : `${year}-Q${quarter - 1}`);
    }
    case 'year':
      return parsePeriod(String(year - 1));
    case 'range': {
      const length = Date.parse(period.to) - Date.parse(period.from);
      const to = Date.parse(period.from);
      const fromMs = to - length;
      return {
        kind: 'range',
        label: `${new Date(fromMs).toISOString().slice(0, 10)}_${new Date(to - DAY_MS).toISOString().slice(0, 10)}`,
        from: new Date(fromMs).toISOString(),
        to: new Date(to).toISOString(),
      };
    }
    default: {
      const never: never = period.kind;
      throw new Error(`unknown period kind ${String(never)}`);
    }
  }
}

/** The last complete period of a cadence before `now` (what a scheduled brief covers). */
export function lastCompletePeriod(cadence: 'month' | 'quarter' | 'year', now: Date): Period {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  if (cadence === 'month') return previousPeriod(parsePeriod(utc(year, month).slice(0, 7)));
  if (cadence === 'quarter') return previousPeriod(parsePeriod(`${year}-Q${Math.floor(month / 3) + 1}`));
  return parsePeriod(String(year - 1));
}

/** The period in words, as an official reads it: "3de kwartaal 2026", "maart 2026". */
export function describePeriod(period: Period): string {
  const from = new Date(period.from);
  const year = from.getUTCFullYear();
  switch (period.kind) {
    case 'month':
      return `${DUTCH_MONTHS[from.getUTCMonth()]} ${year}`;
    case 'quarter': {
      const quarter = Math.floor(from.getUTCMonth() / 3) + 1;
      return `${quarter === 1 ? '1ste' : `${quarter}de`} kwartaal ${year}`;
    }
    case 'year':
      return `jaar ${year}`;
    case 'range':
      return `${formatDay(period.from)} tot en met ${formatDay(new Date(Date.parse(period.to) - DAY_MS).toISOString())}`;
    default: {
      const never: never = period.kind;
      throw new Error(`unknown period kind ${String(never)}`);
    }
  }
}

/**
 * The day of an instant in Dutch, in the municipalities' time zone: a brief made at 00:30 on
 * New Year's Day says so, not 31 December. (A period's days start at 00:00 UTC, which is the same
 * day in Brussels, an hour or two later.)
 */
export function formatDay(instant: string): string {
  return dutchDay(instant);
}

/** The months (`YYYY-MM`) a period touches, in order: the x axis of the trend charts. */
export function monthsOf(period: Period): string[] {
  const months: string[] = [];
  const cursor = new Date(period.from);
  cursor.setUTCDate(1);
  while (cursor.toISOString() < period.to) {
    months.push(cursor.toISOString().slice(0, 7));
    cursor.setUTCMonth(cursor.getUTCMonth() + 1);
  }
  return months;
}
