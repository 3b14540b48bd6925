/** Time as a dependency, so deciders and tests never read the wall clock themselves. */
export interface Clock {
  now(): Date;
}

export const CLOCK = Symbol('CLOCK');

export const systemClock: Clock = { now: () => new Date() };
