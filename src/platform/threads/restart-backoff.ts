/**
 * When a worker thread ends on its own (its runner failed, memory), its host starts it again after
 * a wait that doubles while it keeps failing: `baseMs`, twice that, … up to `maxMs`. Used by the
 * hosts of the projection, process-workflow and similar-signal threads. The pending restart alone
 * does not keep the process alive.
 */
export class RestartBackoff {
  private timer: NodeJS.Timeout | null = null;
  private failures = 0;
  private performed = 0;

  constructor(
    private readonly baseMs = 1000,
    private readonly maxMs = 30_000,
  ) {}

  /** Calls `start` after the next wait (unless cancelled first); returns the wait in ms. */
  schedule(start: () => void): number {
    this.cancel();
    const delay = Math.min(this.maxMs, this.baseMs * 2 ** Math.min(this.failures, 10));
    this.failures += 1;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.performed += 1;
      start();
    }, delay);
    this.timer.unref();
    return delay;
  }

  /** The thread runs again: the next failure waits `baseMs` once more. */
  reset(): void {
    this.failures = 0;
  }

  /** Drops a pending restart (the host is stopping). */
  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Restarts carried out so far. */
  get restarts(): number {
    return this.performed;
  }
}
