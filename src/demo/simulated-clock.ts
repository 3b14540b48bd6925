import { AsyncLocalStorage } from 'node:async_hooks';
import type { Clock } from '../platform/clock.js';

/**
 * A clock that reads simulated time: `at(time, task)` runs the task with `now()` returning that
 * time, for everything the task awaits. One mutable "current time" would not do: many commands
 * are in flight at once, each with its own time, and the handler reads the clock only after it
 * has waited for the signal's queue and read the stream.
 */
export class SimulatedClock implements Clock {
  private readonly current = new AsyncLocalStorage<number>();

  now(): Date {
    const time = this.current.getStore();
    if (time === undefined) throw new Error('SimulatedClock.now() called outside SimulatedClock.at()');
    return new Date(time);
  }

  at<T>(time: Date | number, task: () => T): T {
    return this.current.run(typeof time === 'number' ? time : time.getTime(), task);
  }
}
