import type { AllSubscription, RecordedEvent } from '../event-store.port.js';

/** What a subscription needs of the store: pages after a position and a commit signal. */
export interface CommitFeed {
  readAfter(position: number): RecordedEvent[];
  /** Calls the listener after each commit of this process; returns the unsubscribe function. */
  onCommit(listener: () => void): () => void;
  isClosed(): boolean;
}

/**
 * Catch-up then live over `$all`. Commits of this process wake it at once; commits of other
 * processes sharing the file are found by polling. Positions are assigned under SQLite's single
 * write lock, so a committed position is never followed by a smaller one: reading strictly after
 * the last position seen cannot skip an event.
 */
export class SqliteAllSubscription implements AllSubscription {
  private stopped = false;
  private wake: (() => void) | null = null;
  private readonly unsubscribe: () => void;
  private readonly iterator: AsyncGenerator<RecordedEvent>;
  /** The last page read, and the index of the first of its events not handed out yet. */
  private page: RecordedEvent[] = [];
  private next = 0;

  constructor(
    private readonly feed: CommitFeed,
    private after: number,
    private readonly pollIntervalMs: number,
    private readonly onEnd: (subscription: SqliteAllSubscription) => void,
  ) {
    this.unsubscribe = feed.onCommit(() => this.wake?.());
    this.iterator = this.follow();
  }

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    return this.iterator;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    this.end();
  }

  /** The rest of the last page read, up to `max` events (AllSubscription.takeReady). */
  takeReady(max: number): RecordedEvent[] {
    if (this.stopped || max <= 0 || this.next >= this.page.length) return [];
    const end = Math.min(this.page.length, this.next + max);
    const taken = this.page.slice(this.next, end);
    this.next = end;
    return taken;
  }

  private async *follow(): AsyncGenerator<RecordedEvent> {
    try {
      while (!this.stopped && !this.feed.isClosed()) {
        if (this.next >= this.page.length) {
          const events = this.feed.readAfter(this.after);
          if (events.length === 0) {
            await this.nextCommit();
            continue;
          }
          // Every event of the page is handed out (here or by takeReady) before the next page.
          this.page = events;
          this.next = 0;
          this.after = Number(events[events.length - 1]!.position);
        }
        yield this.page[this.next++]!;
      }
    } finally {
      this.end();
    }
  }

  private nextCommit(): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, this.pollIntervalMs);
      this.wake = done;
    });
  }

  private end(): void {
    this.unsubscribe();
    this.onEnd(this);
  }
}
