/**
 * What was read of the last event, and only of the last one: the read models of a runner take an
 * event one after the other (the runner applies a batch event by event, each through every read
 * model that handles it), so each event is read and checked once, and what was read of it becomes
 * garbage as soon as the runner moves on to the next event.
 *
 * Not a `WeakMap` keyed by event: V8's young-generation collector keeps the entries of a weak map
 * alive, so every event read, and every view read from it, outlived its scavenge and was copied
 * and promoted to the old generation. Applying the 100k demo events through all seven read models
 * in memory took 4.2–4.5 s that way and 2.6–2.9 s this way (test/bench/PROJECTIONS.md, tenth
 * session).
 *
 * Asked about another event than the last, it forgets the last one: reading an event again gives
 * an equal value (the reads are pure), just not the same object.
 */
export class LastRead<K extends object, V> {
  private key: K | undefined;
  private value: V | undefined;

  /** The value for `key`: remembered, or read (and remembered in place of the last one). */
  of(key: K, read: (key: K) => V): V {
    if (key === this.key) return this.value as V;
    const value = read(key);
    this.key = key;
    this.value = value;
    return value;
  }
}
