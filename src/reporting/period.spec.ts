import { describe, expect, it } from '@jest/globals';
import {
  formatDay,
  describePeriod,
  lastCompletePeriod,
  monthsOf,
  parsePeriod,
  parseQuarter,
  previousPeriod,
} from './period.js';

describe('periods', () => {
  it('parses months, quarters, years and ranges into half-open UTC intervals', () => {
    expect(parsePeriod('2026-03')).toEqual({
      kind: 'month',
      label: '2026-03',
      from: '2026-03-01T00:00:00.000Z',
      to: '2026-04-01T00:00:00.000Z',
    });
    expect(parsePeriod('2026-Q4')).toMatchObject({
      from: '2026-10-01T00:00:00.000Z',
      to: '2027-01-01T00:00:00.000Z',
    });
    expect(parsePeriod('2026')).toMatchObject({ kind: 'year', to: '2027-01-01T00:00:00.000Z' });
    expect(parsePeriod('2026-01-15..2026-02-14')).toMatchObject({
      kind: 'range',
      label: '2026-01-15_2026-02-14',
      from: '2026-01-15T00:00:00.000Z',
      to: '2026-02-15T00:00:00.000Z',
    });
    expect(parsePeriod('2026-01-15_2026-02-14').label).toBe('2026-01-15_2026-02-14');
  });

  it.each([
    '2026-13',
    '2026-Q0',
    '2026-Q5',
    '1999',
    '26',
    '2026-02-30..2026-03-01',
    '2026-03-01..2026-02-01',
    '2020-01-01..2026-01-01',
    '$all',
    '',
    'x'.repeat(100),
  ])('refuses %p with a Dutch message', (text) => {
    expect(() => parsePeriod(text)).toThrow(expect.objectContaining({ code: 'PERIOD_INVALID' }));
  });

  it('parses a quarter only where nothing else will do, with a message about quarters', () => {
    expect(parseQuarter('2026-Q3')).toEqual(parsePeriod('2026-Q3'));
    for (const text of ['2026-Q5', '2026-Q0', '2026-07', '2026', '2026-01-01..2026-02-01', 'Q3'])
      expect(() => parseQuarter(text)).toThrow(
        expect.objectContaining({
          code: 'PERIOD_INVALID',
          message: `"${text}" is geen kwartaal: gebruik een jaar en Q1 tot Q4, zoals 2026-Q3`,
        }),
      );
    expect(() => parseQuarter('x'.repeat(100))).toThrow(
      expect.objectContaining({ message: 'een kwartaal is een jaar en Q1 tot Q4, zoals 2026-Q3' }),
    );
    expect(() => parseQuarter('1999-Q3')).toThrow(
      expect.objectContaining({ message: 'het jaar 1999 ligt buiten 2000–2100' }),
    );
  });

  it('finds the previous period of the same kind and length', () => {
    expect(previousPeriod(parsePeriod('2026-01')).label).toBe('2025-12');
    expect(previousPeriod(parsePeriod('2026-Q1')).label).toBe('2025-Q4');
    expect(previousPeriod(parsePeriod('2026-Q3')).label).toBe('2026-Q2');
    expect(previousPeriod(parsePeriod('2026')).label).toBe('2025');
    expect(previousPeriod(parsePeriod('2026-03-01..2026-03-10'))).toMatchObject({
      label: '2026-02-19_2026-02-28',
      to: '2026-03-01T00:00:00.000Z',
    });
  });

  it('names the last complete period of a cadence', () => {
    const now = new Date('2026-11-28T12:00:00Z');
    expect(lastCompletePeriod('quarter', now).label).toBe('2026-Q3');
    expect(lastCompletePeriod('month', now).label).toBe('2026-10');
    expect(lastCompletePeriod('year', now).label).toBe('2025');
    expect(lastCompletePeriod('quarter', new Date('2026-01-01T06:00:00Z')).label).toBe('2025-Q4');
  });

  it('describes periods in Dutch and lists their months', () => {
    expect(describePeriod(parsePeriod('2026-Q1'))).toBe('1ste kwartaal 2026');
    expect(describePeriod(parsePeriod('2026-03'))).toBe('maart 2026');
    expect(describePeriod(parsePeriod('2026-01-15..2026-02-14'))).toBe(
      '15 januari 2026 tot en met 14 februari 2026',
    );
    expect(monthsOf(parsePeriod('2026-Q3'))).toEqual(['2026-07', '2026-08', '2026-09']);
    expect(monthsOf(parsePeriod('2026-01-15..2026-02-14'))).toEqual(['2026-01', '2026-02']);
  });

  it('given instants late in the evening UTC, when their day is written, then it is the day in Brussels', () => {
    // 23:30 UTC on New Year's Eve is half past midnight on New Year's Day in Brussels (winter time).
    expect(formatDay('2026-12-31T23:30:00.000Z')).toBe('1 januari 2027');
    // Summer time: 22:30 UTC on 30 June is 00:30 on 1 July; 21:59 UTC is still 30 June.
    expect(formatDay('2026-06-30T22:30:00.000Z')).toBe('1 juli 2026');
    expect(formatDay('2026-06-30T21:59:00.000Z')).toBe('30 juni 2026');
    // 29 February, and the day of a period's bounds (00:00 UTC) stays the same day.
    expect(formatDay('2028-02-28T23:00:00.000Z')).toBe('29 februari 2028');
    expect(formatDay('2026-10-01T00:00:00.000Z')).toBe('1 oktober 2026');
  });
});
