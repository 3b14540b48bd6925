import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { RestartBackoff } from './restart-backoff.js';

describe('RestartBackoff', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('waits twice as long after each failure, up to the maximum, and counts the restarts made', () => {
    const backoff = new RestartBackoff(100, 500);
    const started: number[] = [];
    const waits = [1, 2, 3, 4, 5].map(() => {
      const wait = backoff.schedule(() => started.push(Date.now()));
      jest.advanceTimersByTime(wait);
      return wait;
    });
    expect(waits).toEqual([100, 200, 400, 500, 500]);
    expect(started).toHaveLength(5);
    expect(backoff.restarts).toBe(5);
  });

  it('starts from the first wait again after a reset, and a cancelled restart never happens', () => {
    const backoff = new RestartBackoff(100);
    const start = jest.fn();
    backoff.schedule(start);
    jest.advanceTimersByTime(100);
    backoff.reset();
    expect(backoff.schedule(start)).toBe(100);
    backoff.cancel();
    jest.advanceTimersByTime(10_000);
    expect(start).toHaveBeenCalledTimes(1);
    expect(backoff.restarts).toBe(1);
  });
});
