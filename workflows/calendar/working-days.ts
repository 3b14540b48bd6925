import { parseIsoDuration } from '../load-definition.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/**
 * Deadlines are counted in the municipalities' days: Europe/Brussels, UTC+1 (CET) and UTC+2 (CEST)
 * from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October (the EU
 * rule, in force since 1996; earlier years are counted by it too). Worked out here rather than by
 * Intl: the read models ask for several deadlines of every event they apply.
 */
const summerTimes = new Map<number, readonly [number, number]>();

/** The UTC instants summer time starts and ends in a year. */
function summerTimeOf(year: number): readonly [number, number] {
  let span = summerTimes.get(year);
  if (span === undefined) {
    const lastSunday = (month: number) => {
      const last = Date.UTC(year, month + 1, 0);
      return last - new Date(last).getUTCDay() * DAY_MS;
    };
    span = [lastSunday(2) + HOUR_MS, lastSunday(9) + HOUR_MS] as const;
    if (summerTimes.size < 500) summerTimes.set(year, span);
  }
  return span;
}

/** The year last asked for (its first and next year's first instant) and its summer time: most asks are of one year. */
let lastYear = { from: 0, to: 0, start: 0, end: 0 };

/** How far Brussels' clocks are ahead of UTC at an instant (ms). */
export function brusselsOffsetMs(utcMs: number): number {
  if (!(utcMs >= lastYear.from && utcMs < lastYear.to)) {
    const year = new Date(utcMs).getUTCFullYear();
    const [start, end] = summerTimeOf(year);
    lastYear = { from: Date.UTC(year, 0, 1), to: Date.UTC(year + 1, 0, 1), start, end };
  }
  return utcMs >= lastYear.start && utcMs < lastYear.end ? 2 * HOUR_MS : HOUR_MS;
}

/**
 * The instant at which Brussels' clocks show `localMs` (a wall-clock time written as if UTC). A
 * time the spring change skips is taken an hour later; one the autumn change repeats, the first.
 */
function fromBrusselsTime(localMs: number): number {
  const before = brusselsOffsetMs(localMs - 2 * HOUR_MS);
  const utc = localMs - before;
  const offset = brusselsOffsetMs(utc);
  return offset === before ? utc : localMs - offset;
}

export interface PublicHoliday {
  /** `YYYY-MM-DD`. */
  date: string;
  /** Dutch name. */
  name: string;
}

/** Easter Sunday of the Gregorian calendar (the anonymous algorithm of Meeus/Jones/Butcher). */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return dayText(Date.UTC(year, month - 1, day));
}

/** The ten Belgian public holidays of a year (wettelijke feestdagen), in date order. */
export function belgianPublicHolidays(year: number): PublicHoliday[] {
  const easter = Date.parse(`${easterSunday(year)}T00:00:00Z`);
  const fromEaster = (days: number) => dayText(easter + days * DAY_MS);
  const fixed = (month: number, day: number) => dayText(Date.UTC(year, month - 1, day));
  return [
    { date: fixed(1, 1), name: 'Nieuwjaar' },
    { date: fromEaster(1), name: 'Paasmaandag' },
    { date: fixed(5, 1), name: 'Dag van de Arbeid' },
    { date: fromEaster(39), name: 'Onze-Lieve-Heer-Hemelvaart' },
    { date: fromEaster(50), name: 'Pinkstermaandag' },
    { date: fixed(7, 21), name: 'Nationale feestdag' },
    { date: fixed(8, 15), name: 'Onze-Lieve-Vrouw-Hemelvaart' },
    { date: fixed(11, 1), name: 'Allerheiligen' },
    { date: fixed(11, 11), name: 'Wapenstilstand' },
    { date: fixed(12, 25), name: 'Kerstmis' },
  ].sort((x, y) => x.date.localeCompare(y.date));
}

const holidaysByYear = new Map<number, ReadonlySet<string>>();

function holidaySet(year: number): ReadonlySet<string> {
  let set = holidaysByYear.get(year);
  if (set === undefined) {
    set = new Set(belgianPublicHolidays(year).map((holiday) => holiday.date));
    if (holidaysByYear.size < 500) holidaysByYear.set(year, set);
  }
  return set;
}

/** Monday to Friday and no Belgian public holiday; `day` is a calendar date, `YYYY-MM-DD`. */
export function isWorkingDay(day: string): boolean {
  const ms = Date.parse(`${day}T00:00:00Z`);
  const weekday = new Date(ms).getUTCDay();
  if (weekday === 0 || weekday === 6) return false;
  return !holidaySet(Number(day.slice(0, 4))).has(day);
}

/**
 * Whether each day since 1970-01-01 (UTC) is a working day, filled in as days are asked for:
 * 0 not known yet, 1 a working day, 2 not. Deadlines are counted day by day for every event a
 * read model applies, so the answer for a day is worked out once (131,072 days reach past 2300).
 */
const KNOWN_DAYS = 1 << 17;
const workingDays = new Uint8Array(KNOWN_DAYS);

/** `isWorkingDay` of the UTC day that starts `day` days after 1970-01-01. */
function isWorkingDayNumber(day: number): boolean {
  if (!(day >= 0 && day < KNOWN_DAYS)) return isWorkingDay(dayText(day * DAY_MS));
  let known = workingDays[day]!;
  if (known === 0) {
    // 1970-01-01 was a Thursday (getUTCDay 4).
    const weekday = (day + 4) % 7;
    known = weekday === 0 || weekday === 6 || !isWorkingDay(dayText(day * DAY_MS)) ? 2 : 1;
    workingDays[day] = known;
  }
  return known === 1;
}

/**
 * The instant `days` working days after `instant`, at the same time of day in Brussels: each day
 * counted is a working day (in Brussels), so a signal entering a state on a Friday with two days
 * left is due on Tuesday, at the time on the clock at which it entered, across a change of clocks.
 */
export function addWorkingDays(instant: string, days: number): string {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) throw new RangeError(`"${instant}" is not an ISO-8601 instant`);
  return new Date(fromBrusselsTime(addWorkingDaysMs(ms + brusselsOffsetMs(ms), days))).toISOString();
}

/** `days` working days after a wall-clock time (ms written as if UTC), day by day. */
function addWorkingDaysMs(start: number, days: number): number {
  let ms = start;
  let left = days;
  while (left > 0) {
    ms += DAY_MS;
    if (isWorkingDayNumber(Math.floor(ms / DAY_MS))) left -= 1;
  }
  return ms;
}

/** Parsed durations by text: a workflow names a handful, read for every event. */
const durations = new Map<string, ReturnType<typeof parseIsoDuration>>();

function durationOf(text: string): ReturnType<typeof parseIsoDuration> {
  if (durations.has(text)) return durations.get(text)!;
  const parts = parseIsoDuration(text);
  if (durations.size < 1000) durations.set(text, parts === null ? null : Object.freeze(parts));
  return parts;
}

/**
 * When a deadline of an ISO-8601 duration started at `instant` falls: days and weeks count
 * working days (a week is five), years and months move the calendar date, both on Brussels'
 * calendar and clock (a signal that enters a state at 00:30 on a Saturday in Brussels starts
 * counting on Monday, though it is still Friday in UTC); hours, minutes and seconds are exact.
 * The one rule the deadline timers and the read models share.
 */
export function deadlineAt(instant: string, duration: string): string {
  const parts = durationOf(duration);
  if (parts === null) throw new RangeError(`"${duration}" is not an ISO-8601 duration`);
  const start = Date.parse(instant);
  if (Number.isNaN(start)) throw new RangeError(`"${instant}" is not an ISO-8601 instant`);
  const offset = brusselsOffsetMs(start);
  const local = start + offset;
  const workingDays = workingDaysOf(parts);
  if (workingDays !== null) {
    // The read models ask this for nearly every event they apply: the date moves by whole days,
    // worked out once per start day (of Brussels).
    const localDay = Math.floor(local / DAY_MS);
    const days = calendarDaysFor(localDay, workingDays);
    const due = start + days * DAY_MS;
    // The same offset at the end (no change of clocks between): the UTC time of day stays as
    // written (an instant whose text is not its own date, such as T24:00, goes the long way).
    if (brusselsOffsetMs(due) === offset && isNormalInstant(instant)) {
      const day = Math.floor(start / DAY_MS);
      if (instant.startsWith(dayTextOf(day))) return dayTextOf(day + days) + instant.slice(10);
    }
    return new Date(fromBrusselsTime(local + days * DAY_MS)).toISOString();
  }
  let moved = new Date(local);
  if (parts.years !== 0 || parts.months !== 0) {
    const monthIndex = moved.getUTCMonth() + parts.months;
    const year = moved.getUTCFullYear() + parts.years + Math.floor(monthIndex / 12);
    const month = ((monthIndex % 12) + 12) % 12;
    const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
    moved = new Date(local);
    moved.setUTCFullYear(year, month, Math.min(moved.getUTCDate(), lastDay));
  }
  const exact = ((parts.hours * 60 + parts.minutes) * 60 + parts.seconds) * 1000;
  const withDays = addWorkingDaysMs(moved.getTime(), parts.weeks * 5 + Math.round(parts.days));
  // Back from Brussels' clock only when the date moved: a duration of only hours stays exact.
  const at = withDays === local ? start : fromBrusselsTime(withDays);
  return new Date(at + Math.round(exact)).toISOString();
}

/** The working days of a duration of only days and weeks (the common deadline), else null. */
function workingDaysOf(parts: NonNullable<ReturnType<typeof parseIsoDuration>>): number | null {
  if (parts.years !== 0 || parts.months !== 0 || parts.hours !== 0 || parts.minutes !== 0) return null;
  if (parts.seconds !== 0) return null;
  const days = parts.weeks * 5 + Math.round(parts.days);
  return days >= 0 && days < 1024 ? days : null;
}

/** `YYYY-MM-DDTHH:MM:SS.sssZ`, as toISOString writes an instant of years 0000–9999. */
function isNormalInstant(instant: string): boolean {
  return instant.length === 24 && instant.charCodeAt(10) === 84 && instant.charCodeAt(23) === 90;
}

/** Calendar days from a start day (of Brussels) to the day `workingDays` working days later, by (day, days). */
const calendarDays = new Map<number, number>();

function calendarDaysFor(day: number, workingDays: number): number {
  const key = day * 1024 + workingDays;
  let days = calendarDays.get(key);
  if (days === undefined) {
    days = (addWorkingDaysMs(day * DAY_MS, workingDays) - day * DAY_MS) / DAY_MS;
    if (calendarDays.size >= 100_000) calendarDays.clear();
    calendarDays.set(key, days);
  }
  return days;
}

/** `YYYY-MM-DD` by day number (days since 1970-01-01, UTC); a bounded memo. */
const dayTexts = new Map<number, string>();

function dayTextOf(day: number): string {
  let text = dayTexts.get(day);
  if (text === undefined) {
    text = dayText(day * DAY_MS);
    if (dayTexts.size >= 50_000) dayTexts.clear();
    dayTexts.set(day, text);
  }
  return text;
}

/** `multiple` times a deadline: the escalation point (three times the deadline). */
export function multipleDeadlineAt(instant: string, duration: string, multiple: number): string {
  let at = instant;
  for (let i = 0; i < multiple; i++) at = deadlineAt(at, duration);
  return at;
}

function dayText(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
