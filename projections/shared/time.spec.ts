import { describe, expect, it } from '@jest/globals';
import { V1 } from '../testing/builders.js';
import {
  addIsoDuration,
  dayNumber,
  dueAtFor,
  minutesBetween,
  isoOf,
  monthOf,
  normaliseInstant,
  wholeDaysBetween,
} from './time.js';

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
  it("adds the state's deadline of the definition in working days (Easter Monday, 1 May, Ascension skipped)", () => {
    expect(dueAtFor(V1, 'submitted', '2026-03-02T09:00:00.000Z')).toBe('2026-03-04T09:00:00.000Z');
    // 10:00 in Brussels on 2 March (CET) + 60 working days: 10:00 on 29 May (CEST), 08:00 UTC.
    expect(dueAtFor(V1, 'escalated', '2026-03-02T09:00:00.000Z')).toBe('2026-05-29T08:00:00.000Z');
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

describe('normaliseInstant', () => {
  it.each([
    ['2026-03-02T09:00:00.000Z', '2026-03-02T09:00:00.000Z'],
    ['2024-02-29T23:59:59.999Z', '2024-02-29T23:59:59.999Z'],
    ['2000-02-29T00:00:00.000Z', '2000-02-29T00:00:00.000Z'],
    // Accepted by Date.parse, but not in canonical form: rolled over or rewritten.
    ['2026-02-29T00:00:00.000Z', '2026-03-01T00:00:00.000Z'],
    ['2100-02-29T00:00:00.000Z', '2100-03-01T00:00:00.000Z'],
    ['2026-04-31T10:00:00.000Z', '2026-05-01T10:00:00.000Z'],
    ['2026-01-01T24:00:00.000Z', '2026-01-02T00:00:00.000Z'],
    ['2026-03-02T10:00:00+01:00', '2026-03-02T09:00:00.000Z'],
    ['2026-03-02T09:00:00Z', '2026-03-02T09:00:00.000Z'],
    ['2026-03-02 09:00:00.000Z', '2026-03-02T09:00:00.000Z'],
  ])('%s → %s', (text, expected) => {
    expect(normaliseInstant(text)).toBe(expected);
  });

  it.each([
    '',
    'yesterday',
    '2026-13-01T00:00:00.000Z',
    '2026-01-01T23:60:00.000Z',
    '2026-0a-02T09:00:00.000Z',
    '2026-03-02T09:00:00.0a0Z',
  ])('refuses %j', (text) => {
    expect(normaliseInstant(text)).toBeNull();
  });

  it('agrees with toISOString on random instants, canonical or not', () => {
    for (let i = 0; i < 2000; i++) {
      const ms = Math.floor((i * 7_919_993_777) % 9_000_000_000_000);
      const iso = new Date(ms).toISOString();
      expect(normaliseInstant(iso)).toBe(iso);
      // Day 29–31 of every month, valid or not.
      const shifted = `${iso.slice(0, 8)}${String(29 + (i % 3))}${iso.slice(10)}`;
      const parsed = Date.parse(shifted);
      expect(normaliseInstant(shifted)).toBe(Number.isNaN(parsed) ? null : new Date(parsed).toISOString());
    }
  });
});

describe('isoOf', () => {
  it('prints what toISOString prints, over the whole range and at its edges', () => {
    const edges = [0, -1, 1, 951_782_400_000, 4_107_542_399_999, -62_167_219_200_000, 253_402_300_799_999];
    for (const ms of edges) expect(isoOf(ms)).toBe(new Date(ms).toISOString());
    for (let i = 0; i < 5000; i++) {
      const ms = Math.round(-62_167_219_200_000 + ((i * 2_654_435_761) % 10_000) * 31_556_952_000.7) + i;
      if (ms > 253_402_300_799_999) continue;
      expect(isoOf(ms)).toBe(new Date(ms).toISOString());
    }
  });

  it('leaves years beyond 9999 to Date', () => {
    expect(isoOf(253_402_300_800_000)).toBe(new Date(253_402_300_800_000).toISOString());
  });
});

describe('dayNumber', () => {
  it('counts days since 1970-01-01 as Date does', () => {
    for (const day of ['1970-01-01', '1969-12-31', '2000-02-29', '2026-03-29', '2026-12-31', '9999-12-31']) {
      expect(dayNumber(day)).toBe(Date.parse(`${day}T00:00:00.000Z`) / 86_400_000);
    }
  });

  it('reads every day of four centuries, and days past a month end, as Date.UTC does', () => {
    const utc = (day: string) =>
      Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10))) / 86_400_000;
    const pad = (n: number, width: number) => String(n).padStart(width, '0');
    for (let year = 1800; year < 2200; year += 1)
      for (let month = 1; month <= 12; month++)
        for (const date of [1, 15, 28, 29, 30, 31]) {
          const day = `${pad(year, 4)}-${pad(month, 2)}-${pad(date, 2)}`;
          expect(dayNumber(day)).toBe(utc(day));
          expect(dayNumber(`${day}T23:59:59.999Z`)).toBe(utc(day));
        }
  });

  it('leaves what is no plain day to Date.UTC (NaN for text that is no day)', () => {
    expect(dayNumber('0050-01-01')).toBe(Date.UTC(50, 0, 1) / 86_400_000);
    expect(dayNumber('2026-13-01')).toBe(Date.UTC(2026, 12, 1) / 86_400_000);
    expect(dayNumber('2026-02-00')).toBe(Date.UTC(2026, 1, 0) / 86_400_000);
    expect(dayNumber('not a day')).toBeNaN();
  });
});
