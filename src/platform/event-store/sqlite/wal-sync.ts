import { open, type FileHandle } from 'node:fs/promises';
import type { Database } from 'better-sqlite3';
import type { SynchronousMode } from './schema.js';

/**
 * Durable commits without blocking the event loop on the disk.
 *
 * At `synchronous = FULL` SQLite fsyncs the write-ahead log inside every commit: better-sqlite3 is
 * synchronous, so the whole process waits for the disk, once per group commit. A `WalSync` gives
 * the same guarantee for what a writer acknowledges with the sync off the event loop: the
 * connection runs at `synchronous = NORMAL` (a commit writes its frames to the `-wal` file and
 * syncs nothing), and `sync()` fdatasyncs that file on libuv's thread pool. A writer resolves a
 * commit only once a sync that *started after the commit* has finished: the commit's frames are
 * then on disk, exactly what FULL would have waited for. Frames a checkpoint moves into the
 * database are safe too: at NORMAL SQLite syncs the log before a checkpoint and the database after
 * it. A crash of the process (not of the machine) loses nothing either way: the frames are in the
 * operating system's cache once the commit returns.
 *
 * What differs from FULL: another connection can read a commit before its sync is done (as at
 * NORMAL). The writer's own callers and subscribers hear of it only after the sync.
 *
 * Requests that come while a sync runs share the next one (group sync): one fdatasync covers every
 * commit written before it started.
 */
export class WalSync {
  private handle: Promise<FileHandle> | null = null;
  private running: Promise<void> | null = null;
  private queued: Promise<void> | null = null;
  private syncs = 0;

  private constructor(private readonly walFile: string) {}

  /**
   * A `WalSync` for this connection when `synchronous` asks for FULL durability of a file database
   * in WAL mode: it sets the connection to NORMAL and returns the sync to await after each commit.
   * Any other case (NORMAL, OFF, EXTRA, `:memory:`, another journal mode) keeps SQLite's own
   * behaviour and returns null.
   */
  static forConnection(db: Database, file: string, synchronous: SynchronousMode): WalSync | null {
    if (synchronous !== 'FULL' || file === ':memory:' || db.memory) return null;
    const mode = db.pragma('journal_mode', { simple: true }) as string;
    if (String(mode).toLowerCase() !== 'wal') return null;
    db.pragma('synchronous = NORMAL');
    return new WalSync(`${file}-wal`);
  }

  /** Number of fdatasyncs done so far (health, tests). */
  get count(): number {
    return this.syncs;
  }

  /** Resolves once everything committed before this call is on disk. */
  sync(): Promise<void> {
    // A sync queued behind the running one starts after this call: it covers this commit too.
    if (this.queued) return this.queued;
    if (this.running === null) return this.start();
    const after = (): Promise<void> => {
      this.queued = null;
      return this.start();
    };
    this.queued = this.running.then(after, after);
    return this.queued;
  }

  /** Waits for the syncs under way, then closes the log's file handle. */
  async close(): Promise<void> {
    await Promise.allSettled([this.running, this.queued]);
    const handle = this.handle;
    this.handle = null;
    if (handle) await (await handle.catch(() => null))?.close();
  }

  private start(): Promise<void> {
    const run = this.datasync();
    this.running = run;
    const clear = (): void => {
      if (this.running === run) this.running = null;
    };
    run.then(clear, clear);
    return run;
  }

  private async datasync(): Promise<void> {
    // The connection keeps the log file while it is open: one handle serves every sync.
    this.handle ??= open(this.walFile, 'r+');
    let handle: FileHandle;
    try {
      handle = await this.handle;
    } catch (error) {
      this.handle = null;
      throw error;
    }
    await handle.datasync();
    this.syncs += 1;
  }
}
