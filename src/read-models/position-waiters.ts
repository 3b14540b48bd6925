/**
 * The position every read model has applied, as one read of the store (null while one has none).
 * Checkpoints only move forward, so any answer ≥ a position means that position was reached.
 */
export type ProgressSource = () => Promise<bigint | null>;

interface Waiter {
  readonly position: bigint;
  readonly resolve: (reached: boolean) => void;
  readonly reject: (error: unknown) => void;
  readonly timer: ReturnType<typeof setTimeout>;
  /** A read that began after this waiter came has answered (it gets at least one). */
  checked: boolean;
  /** Its deadline passed before its first read answered: that read decides. */
  expired: boolean;
}

/**
 * All read-your-writes waits of a process on one source of progress: a single read of the
 * checkpoints at a time, every `intervalMs` while anyone waits, wakes every waiter whose position
 * it reached; each waiter keeps its own deadline. A newcomer does not wait for the next interval:
 * a read begins at once (or right after the one under way), so an already reached position is
 * answered as fast as by a read of its own. The number of reads does not grow with the waiters.
 */
export class PositionWaiters {
  private readonly waiters = new Set<Waiter>();
  /** The read under way, if any. */
  private reading: Promise<void> | null = null;
  /** A waiter came while a read was under way: the next read begins as soon as it ends. */
  private newcomers = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private immediate: ReturnType<typeof setImmediate> | null = null;

  constructor(
    private readonly progress: ProgressSource,
    private readonly intervalMs = 10,
  ) {}

  /** Number of reads waiting now (tests and diagnostics). */
  get size(): number {
    return this.waiters.size;
  }

  /** True once the progress reaches `position`, false after `timeoutMs` (after at least one read). */
  wait(position: bigint, timeoutMs: number): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      const waiter: Waiter = {
        position,
        resolve,
        reject,
        checked: false,
        expired: false,
        timer: setTimeout(() => {
          if (waiter.checked) this.settle(waiter, false);
          else waiter.expired = true;
        }, timeoutMs),
      };
      this.waiters.add(waiter);
      this.readSoon();
    });
  }

  /** A newcomer: a read begins in this turn of the event loop (shared by all who come in it), or right after the one under way. */
  private readSoon(): void {
    if (this.reading) {
      this.newcomers = true;
      return;
    }
    if (this.immediate) return;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.immediate = setImmediate(() => {
      this.immediate = null;
      this.read();
    });
  }

  private read(): void {
    if (this.reading || this.waiters.size === 0) return;
    this.newcomers = false;
    // Only those waiting when the read begins learn from it.
    const batch = [...this.waiters];
    this.reading = this.progress().then(
      (progress) => {
        for (const waiter of batch) {
          if (!this.waiters.has(waiter)) continue;
          waiter.checked = true;
          if (progress !== null && progress >= waiter.position) this.settle(waiter, true);
          else if (waiter.expired) this.settle(waiter, false);
        }
      },
      (error: unknown) => {
        // As a read of its own would have: the wait fails with the store's error.
        for (const waiter of batch) {
          if (!this.waiters.has(waiter)) continue;
          clearTimeout(waiter.timer);
          this.waiters.delete(waiter);
          waiter.reject(error);
        }
      },
    );
    void this.reading.then(() => {
      this.reading = null;
      if (this.waiters.size === 0) return;
      if (this.newcomers) this.readSoon();
      else
        this.timer = setTimeout(() => {
          this.timer = null;
          this.read();
        }, this.intervalMs);
    });
  }

  private settle(waiter: Waiter, reached: boolean): void {
    if (!this.waiters.delete(waiter)) return;
    clearTimeout(waiter.timer);
    waiter.resolve(reached);
  }
}
