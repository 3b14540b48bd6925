import { describe, expect, it } from '@jest/globals';
import { MAX_STREAM_MS, streamLimitMs, tokenTimes } from './signal-events.http.js';

const NOW = Date.parse('2026-11-29T10:00:00.000Z');

function bearer(payload: object): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `Bearer ${part({ alg: 'HS256' })}.${part(payload)}.signature`;
}

describe('how long a live stream stays open', () => {
  it('given a token valid for longer than the limit, then the limit', () => {
    expect(streamLimitMs(tokenTimes(bearer({ exp: NOW / 1000 + 3600 })).exp, NOW)).toBe(MAX_STREAM_MS);
  });

  it('given a token that expires sooner, then until it expires', () => {
    expect(streamLimitMs(tokenTimes(bearer({ exp: NOW / 1000 + 90 })).exp, NOW)).toBe(90_000);
    expect(streamLimitMs(tokenTimes(bearer({ exp: NOW / 1000 - 5 })).exp, NOW)).toBe(0);
  });

  it('given no readable expiry, then the limit (the guard already verified the token)', () => {
    expect(tokenTimes(undefined)).toEqual({});
    expect(tokenTimes('Bearer not-a-jwt')).toEqual({});
    expect(tokenTimes('Bearer a.%%%.c')).toEqual({});
    expect(tokenTimes(bearer({ sub: 'u1', iat: 'gisteren' }))).toEqual({});
    expect(tokenTimes(bearer({ iat: 100, exp: 200 }))).toEqual({ iat: 100, exp: 200 });
    expect(streamLimitMs(undefined, NOW)).toBe(MAX_STREAM_MS);
  });
});
