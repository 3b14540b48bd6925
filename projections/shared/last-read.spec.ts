import { describe, expect, it } from '@jest/globals';
import { LastRead } from './last-read.js';

describe('LastRead', () => {
  it('reads a key once while it is the last one asked for, and again after another', () => {
    const reads: string[] = [];
    const read = (key: { name: string }) => {
      reads.push(key.name);
      return { of: key.name };
    };
    const memo = new LastRead<{ name: string }, { of: string }>();
    const a = { name: 'a' };
    const b = { name: 'b' };
    const first = memo.of(a, read);
    expect(memo.of(a, read)).toBe(first);
    expect(memo.of(b, read)).toEqual({ of: 'b' });
    expect(memo.of(a, read)).toEqual(first);
    expect(memo.of(a, read)).not.toBe(first);
    expect(reads).toEqual(['a', 'b', 'a']);
  });

  it('remembers null, and nothing of a read that throws', () => {
    const memo = new LastRead<object, string | null>();
    const key = {};
    let calls = 0;
    const readNull = () => {
      calls++;
      return null;
    };
    expect(memo.of(key, readNull)).toBeNull();
    expect(memo.of(key, readNull)).toBeNull();
    expect(calls).toBe(1);
    const other = {};
    expect(() =>
      memo.of(other, () => {
        throw new Error('refused');
      }),
    ).toThrow('refused');
    expect(memo.of(other, () => 'read again')).toBe('read again');
  });
});
