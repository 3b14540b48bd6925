import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import DatabaseConstructor from 'better-sqlite3';
import { afterAll, describe, expect, it } from '@jest/globals';
import { WalSync } from './wal-sync.js';

const dir = mkdtempSync(join(tmpdir(), 'ls-walsync-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

function walDatabase(): { db: DatabaseConstructor.Database; file: string } {
  const file = join(dir, `db-${++n}.sqlite`);
  const db = new DatabaseConstructor(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE t (x INTEGER)');
  return { db, file };
}

/** Holds every fdatasync until released, counting the ones started. */
function heldSyncs(sync: WalSync): { started: () => number; releaseAll: () => void } {
  let started = 0;
  let waiting: Array<() => void> = [];
  (sync as unknown as { datasync: () => Promise<void> }).datasync = () => {
    started += 1;
    return new Promise<void>((resolve) => waiting.push(resolve));
  };
  return {
    started: () => started,
    releaseAll: () => {
      const now = waiting;
      waiting = [];
      for (const resolve of now) resolve();
    },
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('WalSync', () => {
  it('takes over the sync only for FULL on a WAL file, and sets the connection to NORMAL', () => {
    const { db, file } = walDatabase();
    expect(WalSync.forConnection(db, file, 'NORMAL')).toBeNull();
    expect(WalSync.forConnection(db, file, 'EXTRA')).toBeNull();
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL, untouched so far
    expect(WalSync.forConnection(db, file, 'FULL')).toBeInstanceOf(WalSync);
    expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    db.close();
    const memory = new DatabaseConstructor(':memory:');
    expect(WalSync.forConnection(memory, ':memory:', 'FULL')).toBeNull();
    memory.close();
  });

  it('fdatasyncs the log file for real', async () => {
    const { db, file } = walDatabase();
    const sync = WalSync.forConnection(db, file, 'FULL')!;
    db.prepare('INSERT INTO t VALUES (1)').run();
    await sync.sync();
    await sync.sync();
    expect(sync.count).toBe(2);
    await sync.close();
    db.close();
  });

  it('answers a request only with a sync that started after it, and lets waiting requests share one', async () => {
    const { db, file } = walDatabase();
    const sync = WalSync.forConnection(db, file, 'FULL')!;
    const held = heldSyncs(sync);
    const done: string[] = [];
    void sync.sync().then(() => done.push('first'));
    expect(held.started()).toBe(1);
    // Both come while the first runs: neither may be answered by it, one sync serves both.
    void sync.sync().then(() => done.push('second'));
    void sync.sync().then(() => done.push('third'));
    await tick();
    expect(held.started()).toBe(1);
    held.releaseAll();
    await tick();
    expect(done).toEqual(['first']);
    expect(held.started()).toBe(2);
    held.releaseAll();
    await tick();
    expect(done).toEqual(['first', 'second', 'third']);
    // Nothing running: the next request starts its own sync at once.
    void sync.sync().then(() => done.push('fourth'));
    expect(held.started()).toBe(3);
    held.releaseAll();
    await tick();
    expect(done).toHaveLength(4);
    db.close();
  });

  it('passes a failed sync on to its requests, and tries again for the next one', async () => {
    const { db, file } = walDatabase();
    const sync = WalSync.forConnection(db, file, 'FULL')!;
    // The log is gone from under the connection (a test's doing): the sync cannot open it.
    rmSync(`${file}-wal`, { force: true });
    await expect(sync.sync()).rejects.toMatchObject({ code: 'ENOENT' });
    // The next request opens the file again instead of keeping the failure.
    writeFileSync(`${file}-wal`, '');
    await expect(sync.sync()).resolves.toBeUndefined();
    await sync.close();
    db.close();
  });
});
