import { parseIsoDuration } from '../../workflows/load-definition.js';
import type { WorkflowDefinition } from '../../workflows/definition.js';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/**
 * Adds an ISO-8601 duration to an instant with calendar arithmetic in UTC: years and months move
 * the date (clamped to the month's last day, as Temporal does: 31 Jan + P1M = 28 Feb), weeks and
 * days are calendar days, the time part is exact. Working days and the tenant's time zone come later.
 */
export function addIsoDuration(instant: string, duration: string): string {
  const parts = parseIsoDuration(duration);
  if (parts === null) throw new RangeError(`"${duration}" is not an ISO-8601 duration`);
  const start = new Date(instant);
  if (Number.isNaN(start.getTime())) throw new RangeError(`"${instant}" is not an ISO-8601 instant`);
  const monthIndex = start.getUTCMonth() + parts.months;
  const year = start.getUTCFullYear() + parts.years + Math.floor(monthIndex / 12);
  const month = ((monthIndex % 12) + 12) % 12;
  const day = Math.min(start.getUTCDate(), daysInMonth(year, month));
  const moved = new Date(start.getTime());
  moved.setUTCFullYear(year, month, day);
  const exactMs =
    (parts.weeks * 7 + parts.days) * DAY_MS +
    ((parts.hours * 60 + parts.minutes) * 60 + parts.seconds) * 1000;
  return new Date(moved.getTime() + Math.round(exactMs)).toISOString();
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

/** When a signal that entered `state` at `enteredAt` is overdue; null when the state has no deadline. */
export function dueAtFor(definition: WorkflowDefinition, state: string, enteredAt: string): string | null {
  const deadline = definition.states[state]?.deadline;
  return deadline === undefined ? null : addIsoDuration(enteredAt, deadline);
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

/** Calendar days (UTC) from one `YYYY-MM-DD` day to a later one; never negative. */
export function daysBetweenDays(from: string, to: string): number {
  return Math.max(
    0,
    Math.round((Date.parse(`${to}T00:00:00.000Z`) - Date.parse(`${from}T00:00:00.000Z`)) / DAY_MS),
  );
}
