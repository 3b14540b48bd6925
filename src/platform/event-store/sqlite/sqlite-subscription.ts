import type { AllSubscription, RecordedEvent } from '../event-store.port.js';

/** An event this process's connection committed, as the commit signal hands it on. */
export interface CommittedRow {
  readonly position: number;
  readonly stream: string;
  readonly type: string;
  /** A new object each time, as a read would give. */
  decode(): RecordedEvent;
}

/** What a subscription needs of the store: pages after a position and a commit signal. */
export interface CommitFeed {
  /** At most `pageSize` events after the position that pass the subscription's filter. */
  readAfter(position: number): RecordedEvent[];
  pageSize: number;
  /** The last committed position (0 for an empty store). */
  head(): number;
  /** Whether a committed row passes the subscription's filter (what `readAfter` selects). */
  accepts(row: CommittedRow): boolean;
  /**
   * Calls the listener after each commit of this process with the rows it committed, in position
   * order, or null when they are not known (a commit whose sync failed, the store closing).
   */
  onCommit(listener: (rows: readonly CommittedRow[] | null) => void): () => void;
  isClosed(): boolean;
}

/** Rows held from commit signals beyond this many are dropped: the subscription reads instead. */
const MAX_HELD_ROWS = 2000;

/**
 * Catch-up then live over `$all`. Commits of this process wake it at once and hand it their rows:
 * when they continue right after what it has seen, it takes them from there instead of reading
 * the file again. Otherwise (a gap: another process committed in between; a catch-up; rows not
 * known) it reads. Commits of other processes sharing the file are found by polling, or by the gap
 * they leave before this process's next commit. Positions are assigned under SQLite's single
 * write lock, so a committed position is never followed by a smaller one: reading strictly after
 * the last position seen cannot skip an event.
 */
export class SqliteAllSubscription implements AllSubscription {
  private stopped = false;
  private wake: ((notified: boolean) => void) | null = null;
  /** Every row up to this position has been seen (delivered when it passed the filter). */
  private scanned: number;
  /** Rows handed by commit signals, not yet taken. */
  private held: CommittedRow[] = [];
  /** The next step reads the file (catch-up, a gap, rows not known, a poll). */
  private mustRead = true;
  private readonly unsubscribe: () => void;
  private readonly iterator: AsyncGenerator<RecordedEvent>;

  constructor(
    private readonly feed: CommitFeed,
    private after: number,
    private readonly pollIntervalMs: number,
    private readonly onEnd: (subscription: SqliteAllSubscription) => void,
  ) {
    this.scanned = after;
    this.unsubscribe = feed.onCommit((rows) => {
      if (rows === null || this.held.length + rows.length > MAX_HELD_ROWS) {
        this.mustRead = true;
        this.held = [];
      } else if (!this.mustRead) {
        for (const row of rows) this.held.push(row);
      }
      this.wake?.(true);
    });
    this.iterator = this.follow();
  }

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    return this.iterator;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.(true);
    this.end();
  }

  private async *follow(): AsyncGenerator<RecordedEvent> {
    try {
      while (!this.stopped && !this.feed.isClosed()) {
        if (this.mustRead) {
          yield* this.read();
          continue;
        }
        const rows = this.takeHeld();
        if (rows === null) {
          this.mustRead = true;
          continue;
        }
        if (rows.length === 0) {
          // Nothing new: wait for a commit signal, or poll for other processes' commits.
          if (!(await this.nextCommit())) this.mustRead = true;
          continue;
        }
        for (const row of rows) {
          if (this.stopped) return;
          this.scanned = row.position;
          if (!this.feed.accepts(row)) continue;
          this.after = row.position;
          yield row.decode();
        }
      }
    } finally {
      this.end();
    }
  }

  /** One page from the file; a short page leaves everything committed before it seen. */
  private async *read(): AsyncGenerator<RecordedEvent> {
    this.mustRead = false;
    this.held = [];
    const head = this.feed.head();
    const events = this.feed.readAfter(this.after);
    for (const event of events) {
      if (this.stopped) return;
      this.after = Number(event.position);
      if (this.after > this.scanned) this.scanned = this.after;
      yield event;
    }
    if (events.length >= this.feed.pageSize) this.mustRead = true;
    else if (head > this.scanned) this.scanned = head;
  }

  /**
   * The held rows that continue right after what was seen (rows already seen are dropped); null
   * when the next one leaves a gap (the file must be read).
   */
  private takeHeld(): CommittedRow[] | null {
    let start = 0;
    while (start < this.held.length && this.held[start]!.position <= this.scanned) start += 1;
    if (start === this.held.length) {
      this.held = [];
      return [];
    }
    let expected = this.scanned + 1;
    let end = start;
    while (end < this.held.length && this.held[end]!.position === expected) {
      end += 1;
      expected += 1;
    }
    if (end === start) {
      this.held = [];
      return null;
    }
    const rows = this.held.slice(start, end);
    this.held = this.held.slice(end);
    return rows;
  }

  /** True when a commit signal came, false when the poll interval passed without one. */
  private nextCommit(): Promise<boolean> {
    return new Promise((resolve) => {
      const done = (notified: boolean): void => {
        clearTimeout(timer);
        this.wake = null;
        resolve(notified);
      };
      const timer = setTimeout(() => done(false), this.pollIntervalMs);
      this.wake = done;
    });
  }

  private end(): void {
    this.unsubscribe();
    this.onEnd(this);
  }
}
