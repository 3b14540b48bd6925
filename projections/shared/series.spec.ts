import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  addAt,
  countAt,
  emptySeries,
  labelled,
  MAX_SERIES_SPAN,
  monthKey,
  monthLabel,
  spanAfter,
  takeBefore,
  type Series,
} from './series.js';

/** The same counts kept the plain way, to compare with. */
function modelOf(changes: ReadonlyArray<[number, number]>): Map<number, number> {
  const model = new Map<number, number>();
  for (const [key, delta] of changes) {
    const next = (model.get(key) ?? 0) + delta;
    if (next === 0) model.delete(key);
    else model.set(key, next);
  }
  return model;
}

const change = fc.tuple(fc.integer({ min: -50, max: 50 }), fc.integer({ min: -3, max: 3 }));

describe('series', () => {
  it('given changes at any keys, then it counts as a map would, with non-zero ends', () => {
    fc.assert(
      fc.property(fc.array(change, { maxLength: 60 }), (changes) => {
        const series = emptySeries();
        for (const [key, delta] of changes) addAt(series, key, delta);
        const model = modelOf(changes);
        for (let key = -55; key <= 55; key++) expect(countAt(series, key)).toBe(model.get(key) ?? 0);
        expect(series.counts.reduce((sum, n) => sum + n, 0)).toBe(
          [...model.values()].reduce((sum, n) => sum + n, 0),
        );
        if (series.counts.length > 0) {
          expect(series.counts[0]).not.toBe(0);
          expect(series.counts.at(-1)).not.toBe(0);
        } else {
          expect(series).toEqual({ from: 0, counts: [] });
        }
      }),
    );
  });

  it('given the same counts reached two ways, then the series are equal (a document does not depend on its path)', () => {
    const a = emptySeries();
    addAt(a, 10, 1);
    addAt(a, 3, 1);
    addAt(a, 3, -1);
    const b = emptySeries();
    addAt(b, 10, 1);
    expect(a).toEqual(b);
    expect(a).toEqual({ from: 10, counts: [1] });
  });

  it('given keys before a boundary, then takeBefore answers their sum and leaves the rest', () => {
    fc.assert(
      fc.property(
        fc.array(change, { maxLength: 40 }),
        fc.integer({ min: -60, max: 60 }),
        (changes, boundary) => {
          const series = emptySeries();
          for (const [key, delta] of changes) addAt(series, key, delta);
          const model = modelOf(changes);
          const before = [...model].filter(([key]) => key < boundary).reduce((sum, [, n]) => sum + n, 0);
          expect(takeBefore(series, boundary)).toBe(before);
          for (let key = -60; key <= 60; key++)
            expect(countAt(series, key)).toBe(key < boundary ? 0 : (model.get(key) ?? 0));
        },
      ),
    );
  });

  it('refuses a key that would stretch it beyond its span, and changes nothing', () => {
    const series: Series = { from: 100, counts: [1] };
    expect(spanAfter(series, 100 + MAX_SERIES_SPAN - 1)).toBe(MAX_SERIES_SPAN);
    expect(spanAfter(series, 100 + MAX_SERIES_SPAN)).toBe(MAX_SERIES_SPAN + 1);
    expect(() => addAt(series, 100 + MAX_SERIES_SPAN, 1)).toThrow(RangeError);
    expect(() => addAt(series, 100 - MAX_SERIES_SPAN, 1)).toThrow(RangeError);
    expect(() => addAt(series, 1.5, 1)).toThrow(RangeError);
    expect(series).toEqual({ from: 100, counts: [1] });
  });

  it('names months as YYYY-MM and lists non-zero counts in key order', () => {
    expect(monthLabel(monthKey('2026-01'))).toBe('2026-01');
    expect(monthKey('2026-01') - monthKey('2025-12')).toBe(1);
    const series = emptySeries();
    addAt(series, monthKey('2026-03'), 2);
    addAt(series, monthKey('2025-11'), 1);
    expect(Object.entries(labelled(series, monthLabel))).toEqual([
      ['2025-11', 1],
      ['2026-03', 2],
    ]);
  });

  it('reads the month an instant starts with, and odd text as Number() reads its parts', () => {
    const sliced = (text: string) => Number(text.slice(0, 4)) * 12 + Number(text.slice(5, 7)) - 1;
    for (const text of [
      '2026-03-02T09:00:00.000Z',
      '0001-01',
      '9999-12',
      '2026-1',
      ' 202-03',
      '2026-xx',
      'abcd-03',
    ])
      expect(monthKey(text)).toEqual(sliced(text));
  });
});
