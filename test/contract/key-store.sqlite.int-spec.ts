import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WalSync } from '../../src/platform/event-store/sqlite/wal-sync.js';
import { SqliteKeyStore } from '../../src/privacy/key-store/sqlite-key-store.js';
import { describeKeyStoreContract } from './key-store.contract.js';

const dir = mkdtempSync(join(tmpdir(), 'ls-keys-'));
let n = 0;

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeKeyStoreContract('sqlite', () => {
  const file = join(dir, `keys-${++n}.sqlite`);
  return Promise.resolve({
    store: new SqliteKeyStore({ file }),
    readOnly: () => Promise.resolve(new SqliteKeyStore({ file, readOnly: true })),
  });
});

describe('SqliteKeyStore on disk', () => {
  it('hands out a new key only once the log that holds it is synced, also to a second asker', async () => {
    const store = new SqliteKeyStore({ file: join(dir, 'sync.sqlite') });
    const walSync = (store as unknown as { walSync: WalSync }).walSync;
    expect(walSync).toBeInstanceOf(WalSync);
    const release: Array<() => void> = [];
    const realDatasync = (walSync as unknown as { datasync: () => Promise<void> }).datasync.bind(walSync);
    (walSync as unknown as { datasync: () => Promise<void> }).datasync = () =>
      new Promise<void>((resolve, reject) => release.push(() => realDatasync().then(resolve, reject)));
    const owner = { tenantId: 'gent', signalId: 'synced' };
    const handedOut: string[] = [];
    const first = store.activeKey(owner).then((key) => handedOut.push(key.keyId));
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Committed (the second asker finds it) but not yet synced: nobody gets it yet.
    const second = store.activeKey(owner).then((key) => handedOut.push(key.keyId));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(handedOut).toEqual([]);
    expect(release).toHaveLength(1);
    release.shift()!();
    await Promise.all([first, second]);
    expect(handedOut).toHaveLength(2);
    expect(handedOut[0]).toBe(handedOut[1]);
    await store.close();
  });

  it('leaves no byte of a destroyed key in its file', async () => {
    const file = join(dir, 'shred.sqlite');
    const store = new SqliteKeyStore({ file });
    const keys = await Promise.all(
      Array.from({ length: 50 }, (_, i) => store.activeKey({ tenantId: 'gent', signalId: `s${i}` })),
    );
    const raw = () => Buffer.concat([safeRead(file), safeRead(`${file}-wal`)]);
    // The check can fail: before the destruction every key is on disk.
    expect(keys.filter((key) => raw().includes(key.key))).toHaveLength(50);
    await store.destroy(keys.slice(0, 25).map((key) => key.keyId));
    await store.close();
    const bytes = raw();
    expect(keys.slice(0, 25).filter((key) => bytes.includes(key.key))).toHaveLength(0);
    expect(keys.slice(25).filter((key) => bytes.includes(key.key))).toHaveLength(25);
  });

  it('a read-only handle on a file not made yet makes it first', async () => {
    const reader = new SqliteKeyStore({ file: join(dir, 'later.sqlite'), readOnly: true });
    expect(await reader.key('nothing')).toBeNull();
    await reader.close();
  });

  it('a read-only handle on a file another process has only begun to make makes the table', async () => {
    // The app has created the file (empty, as SQLite leaves it before the first write) but not
    // yet its schema: a brief worker starting at that moment failed with "no such table".
    const file = join(dir, 'begun.sqlite');
    writeFileSync(file, '');
    const reader = new SqliteKeyStore({ file, readOnly: true });
    expect(await reader.key('nothing')).toBeNull();
    await reader.close();
    const writer = new SqliteKeyStore({ file });
    const made = await writer.activeKey({ tenantId: 'gent', signalId: 's-1' });
    const again = new SqliteKeyStore({ file, readOnly: true });
    expect(await again.key(made.keyId)).toEqual(made);
    await again.close();
    await writer.close();
  });
});

function safeRead(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch {
    return Buffer.alloc(0);
  }
}
