import { describe, expect, it } from '@jest/globals';
import { addCount, asDictionary, countOf, dictionary, own, type Counts } from './records.js';

describe('counts keyed by data', () => {
  it('countOf finds own counts only, as own does: never a member of Object.prototype', () => {
    const counts = JSON.parse('{"gent": 2, "zero": 0, "__proto__": 5}') as Counts;
    for (const key of ['gent', 'zero', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'absent'])
      expect([key, countOf(counts, key)]).toEqual([key, own(counts, key)]);
    expect(countOf(counts, 'gent')).toBe(2);
    expect(countOf(counts, 'constructor')).toBeUndefined();
    expect(countOf({}, '__proto__')).toBeUndefined();
  });

  it('addCount starts a count at the delta and removes it at zero, whatever the key', () => {
    const counts: Counts = {};
    addCount(counts, 'constructor', 1);
    expect(counts).toEqual({ constructor: 1 });
    addCount(counts, 'constructor', -1);
    expect(counts).toEqual({});
  });

  it('a dictionary has no prototype, counts as a plain record does and serialises the same', () => {
    const counts = dictionary<number>();
    expect(Object.getPrototypeOf(counts)).toBeNull();
    for (const key of ['constructor', 'toString', 'hasOwnProperty'])
      expect(countOf(counts, key)).toBeUndefined();
    addCount(counts, 'wonen', 2);
    addCount(counts, 'constructor', 1);
    expect(own(counts, 'wonen')).toBe(2);
    expect(JSON.stringify(counts)).toBe('{"wonen":2,"constructor":1}');
    addCount(counts, 'constructor', -1);
    expect(JSON.stringify(counts)).toBe('{"wonen":2}');
  });

  it('asDictionary copies a record read back from JSON into a dictionary, entries in their order', () => {
    const stored = JSON.parse('{"b": 1, "a": 2, "2026-01|wonen": 3}') as Counts;
    const copy = asDictionary(stored);
    expect(Object.getPrototypeOf(copy)).toBeNull();
    expect(JSON.stringify(copy)).toBe(JSON.stringify(stored));
    copy['c'] = 4;
    expect(stored['c']).toBeUndefined();
  });
});
