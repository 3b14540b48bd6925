import { describe, expect, it } from '@jest/globals';
import { canonicalJson, isPlainJsonObject, plainJsonFault, plainJsonViolation } from './json.js';

describe('plainJsonViolation', () => {
  it('accepts plain JSON values', () => {
    expect(
      plainJsonViolation({
        a: [1, 'x', null, true, { b: -0.5 }],
        c: Object.create(null) as object,
        d: '😀 é',
      }),
    ).toBeNull();
  });

  it.each<[string, unknown, RegExp]>([
    ['NaN', { n: Number.NaN }, /\$\.n is not a finite number/],
    ['Infinity', [Infinity], /\$\[0\] is not a finite number/],
    ['a Date', { d: new Date() }, /\$\.d is not a plain object/],
    ['undefined', { u: undefined }, /type undefined/],
    ['a function', { f: () => 0 }, /type function/],
    ['a bigint', { b: 1n }, /type bigint/],
    ['a symbol key', { [Symbol('s')]: 1 }, /symbol keys/],
    ['__proto__', JSON.parse('{"a":{"__proto__":{"x":1}}}'), /forbidden key "__proto__"/],
    ['a lone high surrogate', { t: 'a\ud800' }, /\$\.t holds a lone surrogate/],
    ['a lone low surrogate', ['\udc00b'], /\$\[0\] holds a lone surrogate/],
    ['a key with a lone surrogate', { '\ud83d': 1 }, /key with a lone surrogate/],
  ])('names the fault of %s', (_label, value, message) => {
    expect(plainJsonViolation(value)).toMatch(message);
  });

  it.each<[string, unknown, object]>([
    ['NaN', { n: Number.NaN }, { kind: 'not-finite', path: '$.n' }],
    ['a Date', { d: new Date() }, { kind: 'not-plain-object', path: '$.d' }],
    ['undefined', [undefined], { kind: 'not-json-type', path: '$[0]', type: 'undefined' }],
    ['a symbol key', { [Symbol('s')]: 1 }, { kind: 'symbol-key', path: '$' }],
    [
      '__proto__',
      JSON.parse('{"a":[{"__proto__":{"x":1}}]}'),
      { kind: 'forbidden-key', path: '$.a[0]', key: '__proto__' },
    ],
    ['a lone surrogate', { t: 'a\ud800' }, { kind: 'lone-surrogate', path: '$.t' }],
    ['a key with a lone surrogate', { '\ud83d': 1 }, { kind: 'key-lone-surrogate', path: '$' }],
  ])('gives the fault of %s as machine values', (_label, value, fault) => {
    expect(plainJsonFault(value)).toEqual(fault);
  });

  it('gives no fault for plain JSON, and the depth where nesting is too deep', () => {
    expect(plainJsonFault({ a: [1, { b: 'x' }] })).toBeNull();
    let deep: unknown = 1;
    for (let i = 0; i < 100; i++) deep = [deep];
    expect(plainJsonFault(deep)).toMatchObject({ kind: 'too-deep' });
  });

  it('refuses cycles and very deep nesting instead of overflowing the stack', () => {
    const cycle: Record<string, unknown> = {};
    cycle['self'] = cycle;
    expect(plainJsonViolation(cycle)).toMatch(/nested deeper/);
    let deep: unknown = 1;
    for (let i = 0; i < 100; i++) deep = [deep];
    expect(plainJsonViolation(deep)).toMatch(/nested deeper/);
  });

  it('tells objects from arrays and primitives', () => {
    expect(isPlainJsonObject({})).toBe(true);
    expect(isPlainJsonObject([])).toBe(false);
    expect(isPlainJsonObject('x')).toBe(false);
    expect(isPlainJsonObject(null)).toBe(false);
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every level and keeps arrays in order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'é' } })).toBe(
      '{"a":{"c":"é","d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });
  it('gives equal text for equal values whatever the key order', () => {
    expect(canonicalJson({ x: 1, y: [true, null] })).toBe(canonicalJson({ y: [true, null], x: 1 }));
  });
});
