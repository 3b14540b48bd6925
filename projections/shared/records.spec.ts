import { describe, expect, it } from '@jest/globals';
import { addCount, countOf, own, type Counts } from './records.js';

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
});
