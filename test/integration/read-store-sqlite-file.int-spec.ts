import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import DatabaseConstructor from 'better-sqlite3';
import { afterAll, describe, expect, it } from '@jest/globals';
import {
  READ_STORE_PAGE_SIZE,
  SqliteReadStore,
} from '../../src/platform/read-store/sqlite/sqlite-read-store.js';
import type { CollectionSpec } from '../../src/platform/read-store/read-store.port.js';
import { prepareReadModel } from '../../src/platform/projections/projection-runner.js';
import { collectionOf } from '../../projections/projection.js';
import { signalDetailProjection } from '../../projections/signal-detail/signal-detail.projection.js';

const dir = mkdtempSync(join(tmpdir(), 'ls-read-unsynced-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

const spec: CollectionSpec = {
  name: 'signal-inbox',
  version: 1,
  indexes: [{ field: 'state', type: 'string' }],
};

/** A read store file with one document committed at position 7, closed normally. */
async function storeWithDocument(): Promise<string> {
  const file = join(dir, `reads-${++files}.sqlite`);
  const store = new SqliteReadStore({ file });
  await store.ensureCollection(spec);
  await store.activate(spec);
  await commitOne(store, 'gent:s1', 'submitted', 7n);
  await store.close();
  return file;
}

/** Commits one document in the given state, with the checkpoint at its position. */
function commitOne(store: SqliteReadStore, id: string, state: string, position: bigint): Promise<void> {
  return store.commit([
    {
      collection: spec,
      puts: [{ id, doc: { state }, position }],
      deletes: [],
      parked: [],
      checkpoint: position,
      caughtUp: true,
    },
  ]);
}

/** The markers of unsynced writers in the file, read as another process would. */
function markers(file: string): Array<{ key: string; value: string }> {
  const db = new DatabaseConstructor(file, { readonly: true });
  try {
    return db
      .prepare<[], { key: string; value: string }>(
        "SELECT key, value FROM read_store_meta WHERE key LIKE 'unsynced:%'",
      )
      .all();
  } finally {
    db.close();
  }
}

/** Leaves a marker as a writer that never closed would: of `boot`, of process `pid`. */
function leaveMarker(file: string, boot: string, pid: number): void {
  const db = new DatabaseConstructor(file);
  try {
    db.prepare('INSERT INTO read_store_meta (key, value) VALUES (?, ?)').run(
      `unsynced:${pid}:0`,
      JSON.stringify({ boot, pid, since: '2026-11-30T00:00:00.000Z' }),
    );
  } finally {
    db.close();
  }
}

const thisBoot = (): string => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
const linux = (() => {
  try {
    thisBoot();
    return true;
  } catch {
    return false;
  }
})();
/** A process id no process has (Linux's pid_max is at most 2^22). */
const GONE = 4_194_304 + 17;

describe('a SQLite read store whose commits are synced only on close (the CLI rebuild)', () => {
  it('keeps a durable marker while it writes, and leaves none once closed', async () => {
    const file = await storeWithDocument();
    const store = new SqliteReadStore({ file, unsyncedUntilClose: true });
    expect(markers(file)).toHaveLength(1);
    expect(JSON.parse(markers(file)[0]!.value)).toMatchObject({ pid: process.pid });
    await commitOne(store, 'gent:s2', 'triaged', 9n);
    await store.close();
    expect(markers(file)).toEqual([]);
    const reopened = new SqliteReadStore({ file });
    expect((await reopened.get(spec, 'gent:s2'))?.doc).toEqual({ state: 'triaged' });
    expect(await reopened.checkpoint(spec)).toBe(9n);
    await reopened.close();
  });

  (linux ? it : it.skip)(
    'after a writer that ended without closing, in this boot: keeps what it committed and forgets the marker',
    async () => {
      const file = await storeWithDocument();
      leaveMarker(file, thisBoot(), GONE);
      const store = new SqliteReadStore({ file });
      expect(markers(file)).toEqual([]);
      expect((await store.get(spec, 'gent:s1'))?.doc).toEqual({ state: 'submitted' });
      expect(await store.checkpoint(spec)).toBe(7n);
      expect(await store.activeVersion(spec.name)).toBe(1);
      await store.close();
    },
  );

  it('after a writer that ended without closing before the machine restarted: drops every read model', async () => {
    const file = await storeWithDocument();
    leaveMarker(file, 'a-boot-before-a-power-cut', GONE);
    const store = new SqliteReadStore({ file });
    expect(markers(file)).toEqual([]);
    expect(await store.checkpoint(spec)).toBeNull();
    expect(await store.activeVersion(spec.name)).toBeNull();
    await store.ensureCollection(spec);
    expect(await store.get(spec, 'gent:s1')).toBeNull();
    await store.close();
  });

  (linux ? it : it.skip)('leaves the marker of a writer still running alone', async () => {
    const file = await storeWithDocument();
    leaveMarker(file, thisBoot(), process.pid);
    const store = new SqliteReadStore({ file });
    expect(markers(file)).toHaveLength(1);
    expect((await store.get(spec, 'gent:s1'))?.doc).toEqual({ state: 'submitted' });
    await store.close();
  });
});

function pageSize(file: string): number {
  const db = new DatabaseConstructor(file, { readonly: true });
  try {
    return db.pragma('page_size', { simple: true }) as number;
  } finally {
    db.close();
  }
}

describe('the page size of a SQLite read store file', () => {
  it('is READ_STORE_PAGE_SIZE for a new file', async () => {
    const file = await storeWithDocument();
    expect(READ_STORE_PAGE_SIZE).toBe(16_384);
    expect(pageSize(file)).toBe(READ_STORE_PAGE_SIZE);
  });

  it('stays as it is while an older file holds collections, and changes at an open that finds none', async () => {
    // A file of 4 KiB pages in the current layout (as a store of before this page size left it).
    const current = new DatabaseConstructor(await storeWithDocument(), { readonly: true });
    const layout = current
      .prepare("SELECT value FROM read_store_meta WHERE key = 'layout'")
      .pluck(true)
      .get();
    current.close();
    const file = join(dir, `reads-${++files}.sqlite`);
    const old = new DatabaseConstructor(file);
    old.pragma('page_size = 4096');
    old.pragma('journal_mode = WAL');
    old.exec('CREATE TABLE read_store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT');
    old.prepare("INSERT INTO read_store_meta (key, value) VALUES ('layout', ?)").run(layout);
    old.exec('CREATE TABLE rm_legacy_v1 (id TEXT PRIMARY KEY, doc TEXT NOT NULL)');
    old.close();
    const store = new SqliteReadStore({ file });
    await store.ensureCollection(spec);
    await store.close();
    expect(pageSize(file)).toBe(4096);
    const again = new SqliteReadStore({ file });
    await again.drop(spec);
    await again.close();
    const raw = new DatabaseConstructor(file);
    raw.exec('DROP TABLE rm_legacy_v1');
    raw.close();
    expect(pageSize(file)).toBe(4096);
    const emptied = new SqliteReadStore({ file });
    expect(pageSize(file)).toBe(READ_STORE_PAGE_SIZE);
    await emptied.ensureCollection(spec);
    expect(await emptied.checkpoint(spec)).toBeNull();
    await emptied.close();
  });

  it('is left for a later open while another connection has the file open', async () => {
    const file = join(dir, `reads-${++files}.sqlite`);
    const old = new DatabaseConstructor(file);
    old.pragma('page_size = 4096');
    old.pragma('journal_mode = WAL');
    old.exec('CREATE TABLE warm_up (x INTEGER)');
    const store = new SqliteReadStore({ file });
    expect(pageSize(file)).toBe(4096);
    await store.close();
    old.close();
  });
});

describe('query indexes built after a catch-up (the sorter on the spare cores)', () => {
  const indexed: CollectionSpec = {
    name: 'signal-inbox',
    version: 2,
    partitionKey: 'tenantId',
    indexes: [
      { field: 'tenantId', type: 'string' },
      { field: 'state', type: 'string' },
      { field: 'updatedAt', type: 'string', behind: ['open'] },
      { field: 'open', type: 'boolean', indexed: false },
      { field: 'themes', type: 'string[]' },
    ],
  };
  const documents = 30_000;

  it('builds every declared index whole, answers as before, and leaves the connection as it was', async () => {
    const file = join(dir, `reads-${++files}.sqlite`);
    const store = new SqliteReadStore({ file, cacheMiB: 8 });
    await store.ensureCollection(indexed, { deferIndexes: true });
    await store.activate(indexed);
    // Enough keys (about 3 MB per index) that the sort outgrows its cache and uses its threads.
    const puts = Array.from({ length: documents }, (_, i) => ({
      id: `tenant-${i % 7}:${String(i).padStart(6, '0')}-${'x'.repeat(40)}`,
      doc: {
        tenantId: `tenant-${i % 7}`,
        state: ['submitted', 'triaged', 'assigned', 'closed'][i % 4]!,
        updatedAt: new Date(Date.UTC(2026, 0, 1) + ((i * 7919) % documents) * 60_000).toISOString(),
        open: i % 4 !== 3,
        themes: [`theme-${i % 11}`, `theme-${(i * 3) % 11}`],
      },
      position: BigInt(i + 1),
      storedLists: 'absent' as const,
    }));
    await store.commit([
      { collection: indexed, puts, deletes: [], parked: [], checkpoint: null, caughtUp: false },
    ]);
    const query = {
      filters: [
        { field: 'tenantId', op: 'eq' as const, value: 'tenant-3' },
        { field: 'open', op: 'eq' as const, value: true },
        { field: 'themes', op: 'in' as const, values: ['theme-4'] },
      ],
      sort: { field: 'updatedAt', direction: 'desc' as const },
      limit: 50,
      offset: 100,
    };
    const before = await store.list(indexed, query);
    const db = (store as unknown as { db: InstanceType<typeof DatabaseConstructor> }).db;
    const settings = () => ({
      cache: db.pragma('cache_size', { simple: true }),
      threads: db.pragma('threads', { simple: true }),
    });
    const settled = settings();

    await store.ensureIndexes(indexed);

    expect(settings()).toEqual(settled);
    expect(await store.list(indexed, query)).toEqual(before);
    expect(before.items).toHaveLength(50);
    await store.ensureIndexes(indexed); // nothing left to build
    await store.close();
    const raw = new DatabaseConstructor(file, { readonly: true });
    try {
      const names = raw
        .prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'rm_%'")
        .pluck(true)
        .all();
      expect(names.sort()).toEqual([
        'rm_signal_inbox_v2__themes_by_value',
        'rm_signal_inbox_v2_state',
        'rm_signal_inbox_v2_tenantId',
        'rm_signal_inbox_v2_updatedAt',
        'rm_signal_inbox_v2_updatedAt_behind_open',
      ]);
      // Every index holds exactly its table's rows.
      expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      raw.close();
    }
  });
});

describe('a read model whose spec no longer declares an index', () => {
  it('loses it when a runner readies the read model, and keeps its documents', async () => {
    const file = join(dir, `reads-${++files}.sqlite`);
    // signal-detail as version 6 was first declared (its current version too): its tenant indexed.
    const current = collectionOf(signalDetailProjection);
    const before: CollectionSpec = { ...current, indexes: [{ field: 'tenantId', type: 'string' }] };
    const store = new SqliteReadStore({ file });
    await store.ensureCollection(before);
    await store.activate(before);
    const doc = { tenantId: 'gent', signalId: 's1', description: 'Losliggende stoeptegels' };
    await store.commit([
      {
        collection: before,
        puts: [{ id: 'gent:s1', doc, position: 3n }],
        deletes: [],
        parked: [],
        checkpoint: 3n,
        caughtUp: true,
      },
    ]);
    const indexes = () =>
      (store as unknown as { db: InstanceType<typeof DatabaseConstructor> }).db
        .prepare<[], string>(
          "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'rm\\_signal\\_detail%' ESCAPE '\\'",
        )
        .pluck(true)
        .all();
    expect(indexes()).toEqual([`rm_signal_detail_v${signalDetailProjection.schemaVersion}_tenantId`]);

    const { status } = await prepareReadModel(store, signalDetailProjection);

    expect(status).toMatchObject({ caughtUp: true, checkpoint: 3n });
    expect(indexes()).toEqual([]);
    expect((await store.get(current, 'gent:s1'))?.doc).toEqual(doc);
    await store.close();
  });
});
