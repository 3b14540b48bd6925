import { parseIsoDuration, type IsoDurationParts } from '../../workflows/load-definition.js';
import type { WorkflowDefinition } from '../../workflows/definition.js';
import { deadlineAt } from '../../workflows/calendar/working-days.js';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/**
 * Adds an ISO-8601 duration to an instant with calendar arithmetic in UTC: years and months move
 * the date (clamped to the month's last day, as Temporal does: 31 Jan + P1M = 28 Feb), weeks and
 * days are calendar days, the time part is exact. Working days and the tenant's time zone come later.
 */
export function addIsoDuration(instant: string, duration: string): string {
  const parts = durationParts(duration);
  if (parts === null) throw new RangeError(`"${duration}" is not an ISO-8601 duration`);
  const startMs = Date.parse(instant);
  if (Number.isNaN(startMs)) throw new RangeError(`"${instant}" is not an ISO-8601 instant`);
  if (parts.years === 0 && parts.months === 0) return isoOf(startMs + exactMsOf(parts));
  const start = new Date(startMs);
  const monthIndex = start.getUTCMonth() + parts.months;
  const year = start.getUTCFullYear() + parts.years + Math.floor(monthIndex / 12);
  const month = ((monthIndex % 12) + 12) % 12;
  const day = Math.min(start.getUTCDate(), daysInMonth(year, month));
  const moved = new Date(start.getTime());
  moved.setUTCFullYear(year, month, day);
  return isoOf(moved.getTime() + exactMsOf(parts));
}

/** The part of a duration with a fixed length: weeks and days (calendar days in UTC) and time. */
function exactMsOf(parts: IsoDurationParts): number {
  return Math.round(
    (parts.weeks * 7 + parts.days) * DAY_MS +
      ((parts.hours * 60 + parts.minutes) * 60 + parts.seconds) * 1000,
  );
}

/**
 * An instant in the one form `toISOString` gives (`2026-03-02T09:00:00.000Z`), so that instants
 * compare and sort as text; null for what is no ISO-8601 instant. Text already in that form (nearly
 * all of it: the decider writes it so) is checked character by character, without building a Date
 * or a match (this runs for several instants of every event a read model applies).
 */
export function normaliseInstant(value: string): string | null {
  if (isCanonicalInstant(value)) return value;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : isoOf(time);
}

/** The digit at `index` (0–9), or -1. */
function digitAt(text: string, index: number): number {
  const code = text.charCodeAt(index) - 48;
  return code >= 0 && code <= 9 ? code : -1;
}

/** Two digits at `index` as a number, or -1. */
function twoDigits(text: string, index: number): number {
  const tens = digitAt(text, index);
  const ones = digitAt(text, index + 1);
  return tens < 0 || ones < 0 ? -1 : tens * 10 + ones;
}

/**
 * `YYYY-MM-DDTHH:MM:SS.sssZ` naming a real moment: Date.parse rolls 30 February over to March and
 * takes 24:00, neither of which is canonical text.
 */
function isCanonicalInstant(value: string): boolean {
  if (value.length !== 24) return false;
  // Separators: - - T : : . Z
  if (
    value.charCodeAt(4) !== 45 ||
    value.charCodeAt(7) !== 45 ||
    value.charCodeAt(10) !== 84 ||
    value.charCodeAt(13) !== 58 ||
    value.charCodeAt(16) !== 58 ||
    value.charCodeAt(19) !== 46 ||
    value.charCodeAt(23) !== 90
  ) {
    return false;
  }
  const century = twoDigits(value, 0);
  const yearOfCentury = twoDigits(value, 2);
  const month = twoDigits(value, 5);
  const day = twoDigits(value, 8);
  if (century < 0 || yearOfCentury < 0 || month < 1 || month > 12 || day < 1) return false;
  if (day > daysInMonth(century * 100 + yearOfCentury, month - 1)) return false;
  const hours = twoDigits(value, 11);
  const minutes = twoDigits(value, 14);
  const seconds = twoDigits(value, 17);
  if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59 || seconds < 0 || seconds > 59) return false;
  return digitAt(value, 20) >= 0 && digitAt(value, 21) >= 0 && digitAt(value, 22) >= 0;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/**
 * `new Date(ms).toISOString()` for years 0000–9999, written out (days to civil date, after
 * Howard Hinnant's algorithm): building a Date to print it costs more than the rest of an event.
 */
export function isoOf(ms: number): string {
  const days = Math.floor(ms / DAY_MS);
  const inDay = ms - days * DAY_MS;
  if (!Number.isFinite(ms) || ms < -62_167_219_200_000 || ms > 253_402_300_799_999)
    return new Date(ms).toISOString();
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  const hours = Math.floor(inDay / 3_600_000);
  const minutes = Math.floor((inDay % 3_600_000) / 60_000);
  const seconds = Math.floor((inDay % 60_000) / 1000);
  const millis = inDay % 1000;
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}T${pad2(hours)}:${pad2(minutes)}:${pad2(seconds)}.${millis < 10 ? `00${millis}` : millis < 100 ? `0${millis}` : millis}Z`;
}

/** Parsed durations by text: a definition has a handful, and every lifecycle event needs one. */
const durations = new Map<string, IsoDurationParts | null>();

function durationParts(duration: string): IsoDurationParts | null {
  let parts = durations.get(duration);
  if (parts === undefined) {
    parts = parseIsoDuration(duration);
    if (durations.size < 1000) durations.set(duration, parts);
  }
  return parts;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in a month (0-based, as Date numbers them) of the proleptic Gregorian calendar. */
function daysInMonth(year: number, month: number): number {
  if (month !== 1) return DAYS_IN_MONTH[month]!;
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}

/**
 * When a signal that entered `state` at `enteredAt` is overdue, in working days with the Belgian
 * public holidays (the rule the deadline timers use); null when the state has no deadline.
 */
export function dueAtFor(definition: WorkflowDefinition, state: string, enteredAt: string): string | null {
  const deadline = definition.states[state]?.deadline;
  return deadline === undefined ? null : deadlineAt(enteredAt, deadline);
}

/** Minutes from one instant to a later one; never negative (clocks of two writers may disagree a little). */
export function minutesBetween(from: string, to: string): number {
  return Math.max(0, (Date.parse(to) - Date.parse(from)) / MINUTE_MS);
}

/** Whole days from one instant to a later one (0 within the first 24 hours); never negative. */
export function wholeDaysBetween(from: string, to: string): number {
  return Math.max(0, Math.floor((Date.parse(to) - Date.parse(from)) / DAY_MS));
}

/** `YYYY-MM` of a normalised ISO instant, in UTC. */
export function monthOf(instant: string): string {
  return instant.slice(0, 7);
}

/** `YYYY-MM-DD` of a normalised ISO instant, in UTC. */
export function dayOf(instant: string): string {
  return instant.slice(0, 10);
}

/**
 * Days since 1970-01-01 of a `YYYY-MM-DD` day (UTC), or of the day an instant's text starts with.
 * Read from the digits where they are plain (years 1000–9999, months 1–12, days 1–31, after
 * Howard Hinnant's days-from-civil; a day past the month's end rolls over as Date.UTC does), with
 * no substring or Date made: the dashboard asks it for several instants of every event.
 */
export function dayNumber(day: string): number {
  const century = twoDigits(day, 0);
  const yearOfCentury = twoDigits(day, 2);
  const month = twoDigits(day, 5);
  const date = twoDigits(day, 8);
  if (century < 10 || yearOfCentury < 0 || month < 1 || month > 12 || date < 1 || date > 31)
    return Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10))) / DAY_MS;
  const year = century * 100 + yearOfCentury - (month <= 2 ? 1 : 0);
  const era = Math.floor(year / 400);
  const yearOfEra = year - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + date - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** The day number (`dayNumber`, UTC) of a normalised ISO instant. */
export function dayNumberOf(instant: string): number {
  return dayNumber(instant);
}

/** `YYYY-MM-DD` of a day number (days since 1970-01-01, UTC): `dayNumber` the other way round. */
export function dayLabel(day: number): string {
  return isoOf(day * DAY_MS).slice(0, 10);
}
