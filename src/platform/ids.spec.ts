import { describe, expect, it } from '@jest/globals';
import { deterministicUuid, isUuid, uuidv7 } from './ids.js';

describe('uuidv7', () => {
  it('makes RFC 9562 version 7 ids carrying the millisecond time', () => {
    const now = Date.UTC(2026, 10, 28, 12, 0, 0);
    const id = uuidv7(now);
    expect(isUuid(id)).toBe(true);
    expect(id[14]).toBe('7');
    expect(['8', '9', 'a', 'b']).toContain(id[19]);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(now);
  });

  it('is strictly increasing within one millisecond and when the clock goes back', () => {
    const now = Date.UTC(2030, 0, 1);
    const ids = [
      ...Array.from({ length: 5000 }, () => uuidv7(now)),
      ...Array.from({ length: 10 }, () => uuidv7(now - 1000)),
    ];
    const sorted = [...ids].sort();
    expect(sorted).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('isUuid', () => {
  it.each([
    '',
    '..%2F',
    '$all',
    'x'.repeat(10_000),
    '0195f3c2-7b1a-7c3e-8d4f-5a6b7c8d9e0',
    '0195F3C2-7B1A-7C3E-8D4F-5A6B7C8D9E0F',
  ])('refuses %j', (value) => expect(isUuid(value)).toBe(false));
  it('refuses non-strings', () => {
    expect(isUuid(42)).toBe(false);
    expect(isUuid({})).toBe(false);
  });
});

describe('deterministicUuid', () => {
  it('gives the same version 8 id for the same parts, another for other parts', () => {
    const id = deterministicUuid('gent', 'user-1', 'key-1');
    expect(isUuid(id)).toBe(true);
    expect(id[14]).toBe('8');
    expect(deterministicUuid('gent', 'user-1', 'key-1')).toBe(id);
    expect(deterministicUuid('gent', 'user-1', 'key-2')).not.toBe(id);
    // Parts are length-prefixed: moving a boundary changes the id.
    expect(deterministicUuid('gent', 'user-1key-1')).not.toBe(deterministicUuid('gent', 'user-1', 'key-1'));
  });
});
