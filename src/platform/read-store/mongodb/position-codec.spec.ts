import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { decodePosition, encodePosition, POSITION_DIGITS } from './position-codec.js';

describe('position codec', () => {
  it('writes fixed-width decimal text', () => {
    expect(encodePosition(0n)).toBe('0'.repeat(POSITION_DIGITS));
    expect(encodePosition(42n)).toBe(`${'0'.repeat(POSITION_DIGITS - 2)}42`);
    expect(encodePosition(1n << 70n)).toBe('1180591620717411303424'.padStart(40, '0'));
  });

  it('round-trips every ESDB position (commit and prepare, 64 bits each) losslessly', () => {
    const max = (1n << 128n) - 1n;
    expect(decodePosition(encodePosition(max))).toBe(max);
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max }),
        (position) => decodePosition(encodePosition(position)) === position,
      ),
    );
  });

  it('orders encoded text as the numbers (so the server can compare and sort it)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 1n << 130n }),
        fc.bigInt({ min: 0n, max: 1n << 130n }),
        (a, b) => {
          const ea = encodePosition(a);
          const eb = encodePosition(b);
          return Math.sign(ea < eb ? -1 : ea > eb ? 1 : 0) === Math.sign(Number(a - b));
        },
      ),
    );
    expect(encodePosition(9n) < encodePosition(10n)).toBe(true);
  });

  it('refuses negative, too large and non-bigint positions', () => {
    expect(() => encodePosition(-1n)).toThrow(expect.objectContaining({ code: 'INVALID_POSITION' }));
    expect(() => encodePosition(10n ** 40n)).toThrow(expect.objectContaining({ code: 'INVALID_POSITION' }));
    expect(() => encodePosition(5 as unknown as bigint)).toThrow(
      expect.objectContaining({ code: 'INVALID_POSITION' }),
    );
  });

  it('refuses stored values that are not its encoding', () => {
    for (const stored of [
      '12',
      `-${'0'.repeat(39)}`,
      'x'.repeat(40),
      12,
      null,
      undefined,
      { $numberDecimal: '1' },
    ]) {
      expect(() => decodePosition(stored)).toThrow(expect.objectContaining({ code: 'INVALID_POSITION' }));
    }
  });
});
