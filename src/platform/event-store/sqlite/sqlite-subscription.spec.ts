import { describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '../event-store.port.js';
import { type CommitFeed, type CommittedRow, SqliteAllSubscription } from './sqlite-subscription.js';

/** A store's log in memory: `commit` appends rows (as this process, or as another one). */
class FakeLog implements CommitFeed {
  readonly rows: CommittedRow[] = [];
  reads = 0;
  readonly pageSize: number;
  private readonly listeners = new Set<(rows: readonly CommittedRow[] | null) => void>();

  constructor(
    private readonly filter: (row: CommittedRow) => boolean = () => true,
    pageSize = 1000,
  ) {
    this.pageSize = pageSize;
  }

  readAfter(position: number): RecordedEvent[] {
    this.reads += 1;
    return this.rows
      .filter((row) => row.position > position && this.filter(row))
      .slice(0, this.pageSize)
      .map((row) => row.decode());
  }

  head(): number {
    return this.rows.at(-1)?.position ?? 0;
  }

  accepts(row: CommittedRow): boolean {
    return this.filter(row);
  }

  onCommit(listener: (rows: readonly CommittedRow[] | null) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  isClosed(): boolean {
    return false;
  }

  /** Commits `types` as rows; `own`: this process's commit (signalled with its rows). */
  commit(types: string[], own = true): void {
    const start = this.head() + 1;
    const made = types.map((type, i) => row(start + i, type));
    this.rows.push(...made);
    if (own) for (const listener of this.listeners) listener(made);
  }
}

function row(position: number, type: string): CommittedRow {
  return {
    position,
    stream: `s-${position}`,
    type,
    decode: () =>
      ({
        id: `e${position}`,
        type,
        stream: `s-${position}`,
        position: BigInt(position),
      }) as unknown as RecordedEvent,
  };
}

async function take(iterator: AsyncIterator<RecordedEvent>, n: number): Promise<number[]> {
  const positions: number[] = [];
  for (let i = 0; i < n; i++) {
    const next = await iterator.next();
    if (next.done) break;
    positions.push(Number(next.value.position));
  }
  return positions;
}

describe('SqliteAllSubscription', () => {
  it("takes this process's commits from the commit signal while they follow what it has seen", async () => {
    const log = new FakeLog();
    log.commit(['A', 'B']);
    const subscription = new SqliteAllSubscription(log, 0, 60_000, () => {});
    const iterator = subscription[Symbol.asyncIterator]();
    expect(await take(iterator, 2)).toEqual([1, 2]);
    const readsAfterCatchUp = log.reads;
    const next = take(iterator, 3);
    await Promise.resolve();
    log.commit(['C']);
    log.commit(['D', 'E']);
    expect(await next).toEqual([3, 4, 5]);
    expect(log.reads).toBe(readsAfterCatchUp);
    await subscription.stop();
  });

  it('reads the file when a commit leaves a gap (another process wrote in between)', async () => {
    const log = new FakeLog();
    const subscription = new SqliteAllSubscription(log, 0, 60_000, () => {});
    const iterator = subscription[Symbol.asyncIterator]();
    const first = take(iterator, 1);
    await new Promise((resolve) => setImmediate(resolve));
    log.commit(['A']);
    expect(await first).toEqual([1]);
    const reads = log.reads;
    log.commit(['B'], false); // another process: no signal here
    log.commit(['C']);
    expect(await take(iterator, 2)).toEqual([2, 3]);
    expect(log.reads).toBeGreaterThan(reads);
    await subscription.stop();
  });

  it('filters the rows it takes from a commit as the read does, and delivers nothing twice', async () => {
    const log = new FakeLog((r) => r.type !== 'skip');
    log.commit(['A', 'skip']);
    const subscription = new SqliteAllSubscription(log, 0, 60_000, () => {});
    const iterator = subscription[Symbol.asyncIterator]();
    expect(await take(iterator, 1)).toEqual([1]);
    const next = take(iterator, 2);
    await Promise.resolve();
    log.commit(['skip', 'B']);
    log.commit(['C']);
    expect(await next).toEqual([4, 5]);
    await subscription.stop();
  });

  it('finds commits of other processes by polling when this one is quiet', async () => {
    const log = new FakeLog();
    const subscription = new SqliteAllSubscription(log, 0, 5, () => {});
    const iterator = subscription[Symbol.asyncIterator]();
    const next = take(iterator, 2);
    log.commit(['A', 'B'], false);
    expect(await next).toEqual([1, 2]);
    await subscription.stop();
  });
});
