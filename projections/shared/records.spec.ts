import { describe, expect, it } from '@jest/globals';
import { addCount, asDictionary, countOf, CountChanges, dictionary, own, type Counts } from './records.js';
import { addAt, countAt, emptySeries } from './series.js';

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

describe('count changes planned for one event', () => {
  const refusal = (reason: string) => new Error(reason);

  it('nets changes to the same count before checking, and applies them all', () => {
    const counts: Counts = { open: 1 };
    const series = emptySeries();
    addAt(series, 10, 1);
    const changes = new CountChanges()
      .add(counts, 'byState', 'open', -1)
      .add(counts, 'byState', 'closed', 1)
      .add(counts, 'byState', 'triaged', 1)
      .add(counts, 'byState', 'triaged', -1)
      .addAt(series, 'byDay', 10, -1, String)
      .addAt(series, 'byDay', 11, 2, String);
    changes.check(refusal);
    changes.apply();
    expect(counts).toEqual({ closed: 1 });
    expect([countAt(series, 10), countAt(series, 11)]).toEqual([0, 2]);
  });

  it('refuses a decrease below zero, naming the count, and changes nothing', () => {
    const counts: Counts = { open: 1 };
    const series = emptySeries();
    const plan = () =>
      new CountChanges()
        .add(counts, 'byState', 'closed', 1)
        .add(counts, 'byState', 'open', -2)
        .addAt(series, 'byDay', 3, -1, (key) => `day ${key}`);
    expect(() => plan().check(refusal)).toThrow(/byState\["open"\] would drop below zero \(1 -2\)/);
    expect(() =>
      new CountChanges().addAt(series, 'byDay', 3, -1, (key) => `day ${key}`).check(refusal),
    ).toThrow(/byDay\["day 3"\] would drop below zero \(0 -1\)/);
    expect(counts).toEqual({ open: 1 });
    expect(series).toEqual(emptySeries());
  });

  it('refuses a series count too far from the others, also an increase', () => {
    const series = emptySeries();
    addAt(series, 0, 1);
    expect(() => new CountChanges().addAt(series, 'byDay', 5000, 1, String).check(refusal)).toThrow(
      /byDay\["5000"\] lies more than 4096 steps from the other counts/,
    );
  });

  it('looks up only the counts a decrease could take below zero', () => {
    const read: string[] = [];
    const counts = new Proxy<Counts>(
      { open: 2 },
      { get: (target, key) => (read.push(String(key)), Reflect.get(target, key)) },
    );
    new CountChanges()
      .add(counts, 'byState', 'closed', 1)
      .add(counts, 'byState', 'assigned', 1)
      .add(counts, 'byState', 'open', -1)
      .check(refusal);
    expect(read).toEqual(['open']);
  });
});
