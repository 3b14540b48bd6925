import type { AllSubscription, RecordedEvent } from '../event-store.port.js';

/**
 * What a subscription needs of the store: pages of stored rows after a position, how to decode a
 * row and where it stands, and a commit signal.
 */
export interface CommitFeed<Row = unknown> {
  readAfter(position: number): Row[];
  decode(row: Row): RecordedEvent;
  positionOf(row: Row): number;
  /** Calls the listener after each commit of this process; returns the unsubscribe function. */
  onCommit(listener: () => void): () => void;
  isClosed(): boolean;
}

/**
 * Catch-up then live over `$all`. Commits of this process wake it at once; commits of other
 * processes sharing the file are found by polling. Positions are assigned under SQLite's single
 * write lock, so a committed position is never followed by a smaller one: reading strictly after
 * the last position seen cannot skip an event.
 *
 * A page is kept as the rows read and each event decoded only as it is handed out: a page decoded
 * at once lived as long as its last event was unread and outlived the young generation's
 * collections (a 100k catch-up copied and promoted ~1.7 kB of every event; test/bench/PROJECTIONS.md,
 * tenth session).
 */
export class SqliteAllSubscription<Row = unknown> implements AllSubscription {
  private stopped = false;
  private wake: (() => void) | null = null;
  private readonly unsubscribe: () => void;
  private readonly iterator: AsyncGenerator<RecordedEvent>;
  /** The last page read, and the index of the first of its rows not handed out yet. */
  private page: Row[] = [];
  private next = 0;

  constructor(
    private readonly feed: CommitFeed<Row>,
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
    const taken: RecordedEvent[] = new Array(end - this.next);
    for (let i = 0; i < taken.length; i++) taken[i] = this.feed.decode(this.page[this.next + i]!);
    this.next = end;
    return taken;
  }

  private async *follow(): AsyncGenerator<RecordedEvent> {
    try {
      while (!this.stopped && !this.feed.isClosed()) {
        if (this.next >= this.page.length) {
          const rows = this.feed.readAfter(this.after);
          if (rows.length === 0) {
            await this.nextCommit();
            continue;
          }
          // Every event of the page is handed out (here or by takeReady) before the next page.
          this.page = rows;
          this.next = 0;
          this.after = this.feed.positionOf(rows[rows.length - 1]!);
        }
        yield this.feed.decode(this.page[this.next++]!);
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
