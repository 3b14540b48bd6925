import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { servedBytes, servedInts, StoredWords } from './served-form.js';

/** As SQLite's hex() gives a blob: two upper-case digits per byte. */
const hexOf = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex').toUpperCase();

describe('served-form integers', () => {
  it('reads back every 32-bit integer from the stored words, as bytes and as hex text', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { maxLength: 40 }),
        (values) => {
          const bytes = servedBytes(Int32Array.from(values));
          expect([...servedInts(bytes)]).toEqual(values);
          const words = new StoredWords(hexOf(bytes));
          expect(words.length).toBe(values.length);
          expect([...words]).toEqual(values);
          // Lower-case digits read the same.
          expect([...new StoredWords(hexOf(bytes).toLowerCase())]).toEqual(values);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('answers `at` as an Int32Array does, negative and fractional indexes and all', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { maxLength: 12 }),
        fc.array(fc.oneof(fc.integer({ min: -15, max: 15 }), fc.double({ min: -15, max: 15, noNaN: true })), {
          maxLength: 20,
        }),
        (values, indexes) => {
          const ints = Int32Array.from(values);
          const words = new StoredWords(hexOf(servedBytes(ints)));
          for (const index of [...indexes, NaN, Infinity, -Infinity])
            expect(words.at(index)).toBe(ints.at(index));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses text that is not whole words of hexadecimal digits', () => {
    expect(() => new StoredWords('0102030')).toThrow(/32-bit words/);
    // Digits are checked where they are read.
    for (const text of ['0102030G', '01 02 03', '0x010203', '010203é4'])
      expect(() => new StoredWords(`00000000${text}`).at(1)).toThrow(/32-bit words/);
    expect(new StoredWords('0000000001020 0G').at(0)).toBe(0);
    expect(new StoredWords('').length).toBe(0);
  });
});
