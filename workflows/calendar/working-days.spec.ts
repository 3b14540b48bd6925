import { describe, expect, it } from '@jest/globals';
import {
  addWorkingDays,
  belgianPublicHolidays,
  deadlineAt,
  easterSunday,
  isWorkingDay,
  multipleDeadlineAt,
} from './working-days.js';

// The official lists (FOD Werkgelegenheid) for 2025, 2026 and 2027.
const KNOWN: Record<number, string[]> = {
  2025: [
    '2025-01-01',
    '2025-04-21',
    '2025-05-01',
    '2025-05-29',
    '2025-06-09',
    '2025-07-21',
    '2025-08-15',
    '2025-11-01',
    '2025-11-11',
    '2025-12-25',
  ],
  2026: [
    '2026-01-01',
    '2026-04-06',
    '2026-05-01',
    '2026-05-14',
    '2026-05-25',
    '2026-07-21',
    '2026-08-15',
    '2026-11-01',
    '2026-11-11',
    '2026-12-25',
  ],
  2027: [
    '2027-01-01',
    '2027-03-29',
    '2027-05-01',
    '2027-05-06',
    '2027-05-17',
    '2027-07-21',
    '2027-08-15',
    '2027-11-01',
    '2027-11-11',
    '2027-12-25',
  ],
};

describe('Belgian public holidays', () => {
  it.each([
    [2025, '2025-04-20'],
    [2026, '2026-04-05'],
    [2027, '2027-03-28'],
    [2019, '2019-04-21'],
    [2038, '2038-04-25'],
  ])('Easter Sunday %i is %s', (year, easter) => {
    expect(easterSunday(year)).toBe(easter);
  });

  it.each(Object.entries(KNOWN))('given %s, then the ten known dates', (year, dates) => {
    expect(belgianPublicHolidays(Number(year)).map((holiday) => holiday.date)).toEqual(dates);
  });

  it('names the Easter-based ones', () => {
    const names = Object.fromEntries(belgianPublicHolidays(2026).map((h) => [h.date, h.name]));
    expect(names).toMatchObject({
      '2026-04-06': 'Paasmaandag',
      '2026-05-14': 'Onze-Lieve-Heer-Hemelvaart',
      '2026-05-25': 'Pinkstermaandag',
    });
  });
});

describe('working days', () => {
  it('weekends and holidays are no working days; other weekdays are', () => {
    expect(isWorkingDay('2026-04-06')).toBe(false); // Easter Monday
    expect(isWorkingDay('2026-04-04')).toBe(false); // Saturday
    expect(isWorkingDay('2026-04-05')).toBe(false); // Sunday
    expect(isWorkingDay('2026-04-07')).toBe(true);
    expect(isWorkingDay('2027-11-11')).toBe(false); // a Thursday
  });

  it('every weekday of 2025-2027 that is no holiday is a working day, and nothing else', () => {
    const counts: Record<string, number> = {};
    for (let ms = Date.UTC(2025, 0, 1); ms < Date.UTC(2028, 0, 1); ms += 86_400_000) {
      const day = new Date(ms).toISOString().slice(0, 10);
      if (isWorkingDay(day)) counts[day.slice(0, 4)] = (counts[day.slice(0, 4)] ?? 0) + 1;
    }
    const expected = (year: number) => {
      let weekdays = 0;
      for (let ms = Date.UTC(year, 0, 1); ms < Date.UTC(year + 1, 0, 1); ms += 86_400_000) {
        const weekday = new Date(ms).getUTCDay();
        if (weekday !== 0 && weekday !== 6) weekdays += 1;
      }
      const onWeekdays = KNOWN[year]!.filter((d) => ![0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay()));
      return weekdays - onWeekdays.length;
    };
    expect(counts).toEqual({ '2025': expected(2025), '2026': expected(2026), '2027': expected(2027) });
    // 2026: 261 weekdays, 8 holidays on a weekday (15 August is a Saturday, 1 November a Sunday).
    expect(counts['2026']).toBe(253);
  });

  it('adds working days at the same time of day, skipping a weekend and Easter Monday', () => {
    // Thursday 2 April 2026 + 2 working days: Friday 3, (weekend, Easter Monday), Tuesday 7.
    expect(addWorkingDays('2026-04-02T09:30:00.000Z', 2)).toBe('2026-04-07T09:30:00.000Z');
    expect(addWorkingDays('2026-03-02T09:00:00.000Z', 2)).toBe('2026-03-04T09:00:00.000Z');
    // Entered on a Saturday: Monday is the first day counted.
    expect(addWorkingDays('2026-03-07T09:00:00.000Z', 1)).toBe('2026-03-09T09:00:00.000Z');
  });

  it('deadlines: days and weeks in working days, hours exact, three times for escalation', () => {
    expect(deadlineAt('2026-12-23T10:00:00.000Z', 'P3D')).toBe('2026-12-29T10:00:00.000Z');
    expect(deadlineAt('2026-03-02T09:00:00.000Z', 'P1W')).toBe('2026-03-09T09:00:00.000Z');
    expect(deadlineAt('2026-03-02T09:00:00.000Z', 'PT12H')).toBe('2026-03-02T21:00:00.000Z');
    expect(deadlineAt('2026-01-31T09:00:00.000Z', 'P1M')).toBe('2026-02-28T09:00:00.000Z');
    expect(multipleDeadlineAt('2026-03-02T09:00:00.000Z', 'P2D', 3)).toBe('2026-03-10T09:00:00.000Z');
    expect(() => deadlineAt('2026-03-02T09:00:00.000Z', '5 dagen')).toThrow(RangeError);
  });

  it("given a step taken between midnight and 01:00/02:00 in Brussels, then days count from Brussels' day, not the UTC day", () => {
    // 00:30 on Wednesday 23 December in Brussels (23:30 UTC on the 22nd) + 2 working days:
    // Thursday 24, (Christmas, weekend), Monday 28, at 00:30 Brussels time; not Christmas Day.
    expect(deadlineAt('2026-12-22T23:30:00.000Z', 'P2D')).toBe('2026-12-27T23:30:00.000Z');
    // 00:30 on Saturday 7 March in Brussels (still Friday in UTC) + 2: Monday 9, Tuesday 10.
    expect(deadlineAt('2026-03-06T23:30:00.000Z', 'P2D')).toBe('2026-03-09T23:30:00.000Z');
    expect(addWorkingDays('2026-03-06T23:30:00.000Z', 2)).toBe('2026-03-09T23:30:00.000Z');
    // 00:30 on Saturday 4 July in summer time (22:30 UTC on Friday) + 1: Monday 6 July.
    expect(deadlineAt('2026-07-03T22:30:00.000Z', 'P1D')).toBe('2026-07-05T22:30:00.000Z');
    // 23:30 on New Year's Eve in Brussels + 3: (New Year's Day, weekend) Monday 4, Tuesday 5, Wednesday 6.
    expect(deadlineAt('2026-12-31T22:30:00.000Z', 'P3D')).toBe('2027-01-06T22:30:00.000Z');
    // Escalation, three times two across the year end, from 00:30 on Thursday 24 December: Tuesday
    // 29, Thursday 31, (New Year's Day, weekend) Tuesday 5 January, at 00:30 Brussels time.
    expect(multipleDeadlineAt('2026-12-23T23:30:00.000Z', 'P2D', 3)).toBe('2027-01-04T23:30:00.000Z');
  });

  it('given a change of clocks between, then the deadline keeps the time on the clock in Brussels', () => {
    // Friday 27 March 2026, 09:00 in Brussels (CET, 08:00 UTC) + 2: Tuesday 31 March 09:00 (CEST, 07:00 UTC).
    expect(deadlineAt('2026-03-27T08:00:00.000Z', 'P2D')).toBe('2026-03-31T07:00:00.000Z');
    expect(addWorkingDays('2026-03-27T08:00:00.000Z', 2)).toBe('2026-03-31T07:00:00.000Z');
    // Friday 23 October 2026, 09:00 (CEST, 07:00 UTC) + 2: Tuesday 27 October 09:00 (CET, 08:00 UTC).
    expect(deadlineAt('2026-10-23T07:00:00.000Z', 'P2D')).toBe('2026-10-27T08:00:00.000Z');
    // Hours stay exact across the change: 12 hours from 20:00 on Saturday 24 October (CEST).
    expect(deadlineAt('2026-10-24T18:00:00.000Z', 'PT12H')).toBe('2026-10-25T06:00:00.000Z');
    // A month from 31 January 2028 is 29 February; a year from 29 February 2028, 28 February 2029.
    expect(deadlineAt('2028-01-31T09:00:00.000Z', 'P1M')).toBe('2028-02-29T09:00:00.000Z');
    expect(deadlineAt('2028-02-29T09:00:00.000Z', 'P1Y')).toBe('2029-02-28T09:00:00.000Z');
    // A month from 09:00 on 1 March (CET) is 09:00 on 1 April (CEST).
    expect(deadlineAt('2026-03-01T08:00:00.000Z', 'P1M')).toBe('2026-04-01T07:00:00.000Z');
  });

  it('a deadline in days or weeks is the instant moved by as many working days, whatever its form', () => {
    // deadlineAt remembers per start day how far a deadline in days moves the date; addWorkingDays
    // counts the days one by one. Instants spread over 1990–2089, at any time of day.
    let seed = 7;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    for (let i = 0; i < 2000; i++) {
      const instant = new Date(Date.UTC(1990, 0, 1) + Math.floor(next() * 100 * 365.25 * 86_400_000));
      const text = instant.toISOString();
      const days = Math.floor(next() * 40);
      expect(deadlineAt(text, `P${days}D`)).toBe(addWorkingDays(text, days));
      expect(deadlineAt(text, `P${days % 6}W`)).toBe(addWorkingDays(text, (days % 6) * 5));
      // Asked twice (the second answer comes from what the first worked out).
      expect(deadlineAt(text, `P${days}D`)).toBe(addWorkingDays(text, days));
    }
    // Instants written otherwise: another offset, no milliseconds, 24:00 (midnight of the next day).
    expect(deadlineAt('2026-04-02T11:30:00+02:00', 'P2D')).toBe('2026-04-07T09:30:00.000Z');
    expect(deadlineAt('2026-04-02T09:30:00Z', 'P2D')).toBe('2026-04-07T09:30:00.000Z');
    expect(deadlineAt('2026-04-02T24:00:00.000Z', 'P1D')).toBe(addWorkingDays('2026-04-03T00:00:00.000Z', 1));
    expect(() => deadlineAt('2026-04-02T25:00:00.000Z', 'P1D')).toThrow(RangeError);
  });
});
