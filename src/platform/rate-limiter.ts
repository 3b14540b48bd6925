import type { Clock } from './clock.js';

/**
 * A fixed-window counter per key, in this process's memory: enough for one API instance; several
 * instances each count their own share (a shared store such as Redis would be needed to be exact).
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly max: number,
    private readonly windowSeconds: number,
    private readonly clock: Clock,
  ) {}

  /** Counts one attempt; the seconds to wait when over the limit, else 0. */
  hit(key: string): number {
    const now = this.clock.now().getTime();
    const windowMs = this.windowSeconds * 1000;
    if (this.windows.size > 50_000) this.prune(now, windowMs);
    const current = this.windows.get(key);
    if (!current || now - current.start >= windowMs) {
      this.windows.set(key, { start: now, count: 1 });
      return 0;
    }
    current.count += 1;
    if (current.count <= this.max) return 0;
    return Math.max(1, Math.ceil((current.start + windowMs - now) / 1000));
  }

  reset(key: string): void {
    this.windows.delete(key);
  }

  private prune(now: number, windowMs: number): void {
    for (const [key, window] of this.windows) if (now - window.start >= windowMs) this.windows.delete(key);
  }
}
