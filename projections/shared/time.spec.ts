import { describe, expect, it } from '@jest/globals';
import { V1 } from '../testing/builders.js';
import { addIsoDuration, dueAtFor, minutesBetween, monthOf, wholeDaysBetween } from './time.js';

describe('addIsoDuration (calendar arithmetic in UTC)', () => {
  it.each([
    ['2026-03-02T09:00:00.000Z', 'P2D', '2026-03-04T09:00:00.000Z'],
    ['2026-03-02T09:00:00.000Z', 'PT12H', '2026-03-02T21:00:00.000Z'],
    ['2026-03-02T09:00:00.000Z', 'P1W', '2026-03-09T09:00:00.000Z'],
    ['2026-03-02T09:00:00.000Z', 'P1DT1H30M', '2026-03-03T10:30:00.000Z'],
    ['2026-03-02T09:00:00.000Z', 'PT0.5S', '2026-03-02T09:00:00.500Z'],
    ['2026-12-30T09:00:00.000Z', 'P3D', '2027-01-02T09:00:00.000Z'],
    ['2026-11-15T09:00:00.000Z', 'P3M', '2027-02-15T09:00:00.000Z'],
    // The month's last day when the day does not exist, as Temporal constrains.
    ['2026-01-31T09:00:00.000Z', 'P1M', '2026-02-28T09:00:00.000Z'],
    ['2028-01-31T09:00:00.000Z', 'P1M', '2028-02-29T09:00:00.000Z'],
    ['2028-02-29T09:00:00.000Z', 'P1Y', '2029-02-28T09:00:00.000Z'],
    ['2026-01-31T09:00:00.000Z', 'P1M1D', '2026-03-01T09:00:00.000Z'],
    // UTC: the Belgian switch to summer time (29 March 2026) does not move the hour.
    ['2026-03-28T12:00:00.000Z', 'P2D', '2026-03-30T12:00:00.000Z'],
  ])('%s + %s = %s', (instant, duration, expected) => {
    expect(addIsoDuration(instant, duration)).toBe(expected);
  });

  it('refuses what is no duration or no instant', () => {
    expect(() => addIsoDuration('2026-03-02T09:00:00.000Z', '2D')).toThrow(/not an ISO-8601 duration/);
    expect(() => addIsoDuration('yesterday', 'P2D')).toThrow(/not an ISO-8601 instant/);
  });
});

describe('dueAtFor', () => {
  it("adds the state's deadline of the definition", () => {
    expect(dueAtFor(V1, 'submitted', '2026-03-02T09:00:00.000Z')).toBe('2026-03-04T09:00:00.000Z');
    expect(dueAtFor(V1, 'escalated', '2026-03-02T09:00:00.000Z')).toBe('2026-05-01T09:00:00.000Z');
  });

  it('is null for a state without a deadline', () => {
    expect(dueAtFor(V1, 'closed', '2026-03-02T09:00:00.000Z')).toBeNull();
  });
});

describe('time helpers', () => {
  it('measures minutes and whole days, never negative', () => {
    expect(minutesBetween('2026-03-02T09:00:00.000Z', '2026-03-02T10:30:00.000Z')).toBe(90);
    expect(minutesBetween('2026-03-02T10:30:00.000Z', '2026-03-02T09:00:00.000Z')).toBe(0);
    expect(wholeDaysBetween('2026-03-02T09:00:00.000Z', '2026-03-09T08:59:59.999Z')).toBe(6);
    expect(wholeDaysBetween('2026-03-02T09:00:00.000Z', '2026-03-09T09:00:00.000Z')).toBe(7);
  });

  it('names the UTC month', () => {
    expect(monthOf('2026-11-30T23:30:00.000Z')).toBe('2026-11');
  });
});
