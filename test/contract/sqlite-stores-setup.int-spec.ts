import { afterAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../src/platform/event-store/sqlite/sqlite-event-store.js';
import { SqliteLeaseStore } from '../../src/platform/lease/sqlite-lease-store.js';
import { SqliteReadStore } from '../../src/platform/read-store/sqlite/sqlite-read-store.js';
import { SqliteKeyStore } from '../../src/privacy/key-store/sqlite-key-store.js';
import { SqliteIdentityStore } from '../../src/people/sqlite-identity-store.js';

const dir = mkdtempSync(join(tmpdir(), 'sqlite-setup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** This process's open file descriptors on `file` (Linux: /proc/self/fd). */
function handlesOn(file: string): string[] {
  const handles: string[] = [];
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`) === file) handles.push(fd);
    } catch {
      // Closed while listed (the listing's own descriptor).
    }
  }
  return handles;
}

/** A file whose first bytes are not SQLite's header: every store refuses it at its first pragma. */
function notADatabase(name: string): string {
  const file = join(dir, name);
  writeFileSync(file, Buffer.alloc(8192, 'x'));
  return file;
}

/**
 * Reads the error's message rather than matching it with `toThrow`: better-sqlite3 makes its
 * errors with the constructor of the first realm that loaded it in a Jest worker, which another
 * test file's `toThrow` does not take for an Error.
 */
function failureOf(open: () => unknown): string {
  try {
    open();
  } catch (error) {
    return String((error as { message?: unknown }).message);
  }
  return 'opened';
}

const stores: Array<[string, (file: string) => unknown]> = [
  ['the event store', (file) => new SqliteEventStore({ file })],
  ['the read store', (file) => new SqliteReadStore({ file })],
  ['the key store', (file) => new SqliteKeyStore({ file })],
  ['the key store, read only', (file) => new SqliteKeyStore({ file, readOnly: true })],
  ['the identity store', (file) => new SqliteIdentityStore(file)],
  ['the lease store', (file) => new SqliteLeaseStore({ file })],
];

const onLinux = existsSync('/proc/self/fd');

describe.each(stores)('%s on a file that is not a SQLite database', (name, open) => {
  it('refuses it, and keeps no handle on the file', () => {
    const file = notADatabase(`${name.replace(/\W+/g, '-')}.sqlite`);
    expect(failureOf(() => open(file))).toMatch(/file is not a database/);
    // Closed at once, not when the collector gets to the connection.
    if (onLinux) expect(handlesOn(file)).toEqual([]);
  });
});
