import { describe, expect, it } from '@jest/globals';
import { runAllOrStop } from './rebuild-lanes.js';

/** A lane that runs until its signal aborts, then rejects with the signal's reason after `cleanupMs`. */
function untilStopped(log: string[], name: string, cleanupMs = 0) {
  return (signal: AbortSignal) =>
    new Promise<number>((_resolve, reject) => {
      signal.addEventListener('abort', () => {
        log.push(`${name} stopping`);
        setTimeout(() => {
          log.push(`${name} stopped`);
          reject(signal.reason as Error);
        }, cleanupMs);
      });
    });
}

describe('runAllOrStop (the lanes of a rebuild)', () => {
  it('resolves with every lane’s result, in lane order, when all succeed', async () => {
    const lanes = [30, 5, 15].map((ms, i) => async () => {
      await new Promise((resolve) => setTimeout(resolve, ms));
      return i * 10;
    });
    await expect(runAllOrStop(lanes)).resolves.toEqual([0, 10, 20]);
  });

  it('stops the other lanes at the first failure and throws it once they have stopped', async () => {
    const log: string[] = [];
    const outOfMemory = Object.assign(new Error('Worker terminated due to reaching memory limit'), {
      code: 'ERR_WORKER_OUT_OF_MEMORY',
    });
    const failing = async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      log.push('lane 1 failed');
      throw outOfMemory;
    };
    const started = Date.now();
    const outcome = runAllOrStop([untilStopped(log, 'lane 0', 20), failing, untilStopped(log, 'lane 2')]);
    await expect(outcome).rejects.toBe(outOfMemory);
    // Without the stop, lanes 0 and 2 would never end: the rejection came from stopping them.
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(log).toEqual([
      'lane 1 failed',
      'lane 0 stopping',
      'lane 2 stopping',
      'lane 2 stopped',
      'lane 0 stopped',
    ]);
  });

  it('throws the first failure, not the errors of the lanes it stopped', async () => {
    const first = new Error('first');
    const later = async (signal: AbortSignal) => {
      await new Promise((resolve) => signal.addEventListener('abort', resolve));
      throw new Error('failed while stopping');
    };
    await expect(runAllOrStop([later, async () => Promise.reject(first), later])).rejects.toBe(first);
  });
});
