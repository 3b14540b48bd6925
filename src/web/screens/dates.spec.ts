import { describe, expect, it } from '@jest/globals';
import { formatDayOf } from '../terms';
import { formatDate, formatDateTime } from './insight/format';
import { formatDate as formatSignalDate } from './signals/labels';

/**
 * The screens write instants in the municipalities' time zone, whatever the time zone of the
 * browser (a laptop set to another zone, a test browser in UTC, as the test machines are): 23:30
 * UTC on New Year's Eve is half past midnight on 1 January in Brussels.
 */
describe('dates on the screens', () => {
  it('given an instant after midnight in Brussels, then the screens show Brussels day and time', () => {
    expect(formatSignalDate('2026-12-31T23:30:00.000Z')).toMatch(/^1 jan\.? 2027.*00:30$/);
    expect(formatDateTime('2026-12-31T23:30:00.000Z')).toMatch(/^1 jan\.? 2027.*00:30$/);
    expect(formatDate('2026-12-31T23:30:00.000Z')).toMatch(/^1 jan\.? 2027$/);
    // Summer time: 22:30 UTC on 30 June is 00:30 on 1 July.
    expect(formatSignalDate('2026-06-30T22:30:00.000Z')).toMatch(/^1 jul\.? 2026.*00:30$/);
    expect(formatDayOf('2026-12-31T23:30:00.000Z')).toBe('1/1/2027');
  });
});
