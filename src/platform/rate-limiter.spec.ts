import { describe, expect, it } from '@jest/globals';
import { RateLimiter } from './rate-limiter.js';

describe('RateLimiter', () => {
  it('allows max hits per window per key, then tells how long to wait', () => {
    let now = Date.parse('2026-11-28T10:00:00Z');
    const limiter = new RateLimiter(3, 60, { now: () => new Date(now) });
    expect([1, 2, 3].map(() => limiter.hit('a'))).toEqual([0, 0, 0]);
    expect(limiter.hit('a')).toBe(60);
    expect(limiter.hit('b')).toBe(0);
    now += 45_000;
    expect(limiter.hit('a')).toBe(15);
    now += 15_000;
    expect(limiter.hit('a')).toBe(0);
  });
});
