import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import DatabaseConstructor from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { collectionOf, documentIdsOf, PROJECTIONS, type Projection } from '../../projections/index.js';
import { seedDemoData } from '../../src/demo/seed-demo-data.js';
import { SqliteEventStore } from '../../src/platform/event-store/sqlite/sqlite-event-store.js';
import {
  ProjectionRunner,
  type ProjectionRunnerOptions,
} from '../../src/platform/projections/projection-runner.js';
import { catchUpInLanes } from '../../src/read-models/rebuild-lanes.js';
import { sealShares, splitTenants } from '../../src/platform/projections/tenant-shares.js';
import { SqliteReadStore } from '../../src/platform/read-store/sqlite/sqlite-read-store.js';
import { readModelHash } from '../support/read-model-hash.js';
import { startTsChild } from '../support/processes.js';

const dir = mkdtempSync(join(tmpdir(), 'ls-f2-'));
const eventsFile = join(dir, 'events.sqlite');
let round = 0;
const freshReads = () => join(dir, `reads-${++round}.sqlite`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function rebuild(
  readsFile: string,
  options: ProjectionRunnerOptions = {},
  projections: readonly Projection[] = PROJECTIONS,
): Promise<void> {
  const store = new SqliteEventStore({ file: eventsFile });
  const reads = new SqliteReadStore({ file: readsFile });
  const runner = new ProjectionRunner(store, reads, projections, { batchSize: 1000, ...options });
  await runner.start();
  await runner.whenCaughtUp();
  await runner.stop();
  await reads.close();
  await store.close();
}

describe('read models under crashes and rebuilds (F2, F7)', () => {
  let incrementalHash: string;
  let events = 0;

  beforeAll(async () => {
    // F7's incremental build: the runner follows while demo signals are written through the command path.
    const store = new SqliteEventStore({ file: eventsFile, synchronous: 'NORMAL', pollIntervalMs: 5 });
    const readsFile = freshReads();
    const reads = new SqliteReadStore({ file: readsFile });
    const runner = new ProjectionRunner(store, reads, PROJECTIONS, { batchSize: 100 });
    await runner.start();
    const summary = await seedDemoData(store, { tenants: 3, signals: 400, seed: 7 });
    events = summary.eventsWritten;
    expect(summary.failureCount).toBe(0);
    const head = BigInt((await store.health()).lastPosition ?? '0');
    expect(await runner.waitForPosition(head, 30_000)).toBe(true);
    await runner.stop();
    await reads.close();
    await store.close();
    incrementalHash = readModelHash(readsFile);
  }, 120_000);

  it('F7: rebuilding twice from zero gives the read models built incrementally', async () => {
    const first = freshReads();
    await rebuild(first);
    const second = freshReads();
    await rebuild(second);
    console.info(
      `F7: ${events} events; incremental ${incrementalHash.slice(0, 12)}, rebuild 1 ${readModelHash(first).slice(0, 12)}, rebuild 2 ${readModelHash(second).slice(0, 12)}`,
    );
    expect(readModelHash(first)).toBe(incrementalHash);
    expect(readModelHash(second)).toBe(incrementalHash);
  }, 120_000);

  it('F7: a rebuild committing part of its changed documents at a time gives the same read models', async () => {
    const partial = freshReads();
    await rebuild(partial, { batchSize: 100, maxDirtyDocuments: 50 });
    expect(readModelHash(partial)).toBe(incrementalHash);
  }, 120_000);

  it('every document of every read model gets the events of one tenant only (what lanes rely on)', async () => {
    const store = new SqliteEventStore({ file: eventsFile });
    const tenantsOf = PROJECTIONS.map(() => new Map<string, Set<unknown>>());
    let checked = 0;
    for await (const event of store.readAll()) {
      PROJECTIONS.forEach((projection, index) => {
        if (!projection.handles.includes(event.type)) return;
        for (const id of documentIdsOf(projection, event)) {
          const seen = tenantsOf[index]!.get(id) ?? new Set();
          seen.add(event.metadata.tenantId);
          tenantsOf[index]!.set(id, seen);
          checked++;
        }
      });
    }
    await store.close();
    const mixed = PROJECTIONS.flatMap((projection, index) =>
      [...tenantsOf[index]!]
        .filter(([, tenants]) => tenants.size !== 1)
        .map(([id]) => `${projection.name} ${id}`),
    );
    expect(checked).toBeGreaterThan(events);
    expect(mixed).toEqual([]);
  });

  it('F7: a rebuild in lanes that split the tenants (worker threads) gives the same read models', async () => {
    // Four lanes for three tenants: the thread started for the fourth is cancelled after the plan.
    for (const count of [2, 3, 4]) {
      const laned = freshReads();
      const { applied, lanes } = await catchUpInLanes(
        {
          eventStore: { kind: 'sqlite', file: eventsFile, synchronous: 'NORMAL' },
          readStore: { kind: 'sqlite', file: laned },
        },
        PROJECTIONS,
        { lanes: count, batchSize: 100, maxDirtyDocuments: 300 },
      );
      // The demo's three tenants, each in one lane; the last lane takes every other event.
      expect(lanes).toHaveLength(Math.min(count, 3));
      const listed = lanes.slice(0, -1).flatMap((lane) => lane.share.tenants);
      expect(new Set(listed).size).toBe(listed.length);
      expect(lanes.at(-1)!.share).toEqual({ tenants: [...listed].sort(), except: true });
      expect(lanes.every((lane) => lane.applied > 0)).toBe(true);
      expect(applied).toBe(events);
      expect(readModelHash(laned)).toBe(incrementalHash);
      // Sealed as one runner leaves them: checkpoint at the head, caught up, indexes built.
      const reads = new SqliteReadStore({ file: laned });
      for (const projection of PROJECTIONS) {
        const status = await reads.status(collectionOf(projection));
        expect(status).toMatchObject({ checkpoint: BigInt(events), caughtUp: true, active: true });
      }
      await reads.close();
    }
  }, 120_000);

  it('F7: shares build a new schema version beside the active one, swapped in when sealed', async () => {
    // The read models as the app left them, then a release bumps the dashboard's schema version.
    // (Runners with shares in this thread: lanes look their read models up by name, in the registry.)
    const existing = freshReads();
    await rebuild(existing);
    const bumped = PROJECTIONS.map((projection) =>
      projection.name === 'tenant-dashboard'
        ? { ...projection, schemaVersion: projection.schemaVersion + 1 }
        : projection,
    );
    const dashboard = bumped.find((projection) => projection.name === 'tenant-dashboard')!;
    const store = new SqliteEventStore({ file: eventsFile });
    const head = BigInt((await store.health()).lastPosition!);
    const reads = [new SqliteReadStore({ file: existing }), new SqliteReadStore({ file: existing })];
    const [first] = await splitTenants(store, 0n, head, 2);
    const shares = [first!, { tenants: first!.tenants, except: true }];
    const runners = shares.map(
      (share, i) => new ProjectionRunner(store, reads[i]!, bumped, { batchSize: 100, share }),
    );
    for (const runner of runners) await runner.start();
    await Promise.all(runners.map((runner) => runner.whenCaughtUp()));
    for (const runner of runners) await runner.stop();
    // Before the seal the old version still answers; after it, the new one, and the old is gone.
    expect(await reads[0]!.activeVersion('tenant-dashboard')).toBe(dashboard.schemaVersion - 1);
    await sealShares(reads[0]!, bumped, head);
    expect(await reads[0]!.activeVersion('tenant-dashboard')).toBe(dashboard.schemaVersion);
    expect(await reads[0]!.status(collectionOf(dashboard))).toMatchObject({
      checkpoint: head,
      caughtUp: true,
    });
    for (const readStore of reads) await readStore.close();
    // What one runner builds from nothing with the new version.
    await store.close();
    const fresh = freshReads();
    await rebuild(fresh, {}, bumped);
    expect(readModelHash(existing)).toBe(readModelHash(fresh));
  }, 120_000);

  it('lanes over the events of one tenant: the threads started before the plan are cancelled, one runner rebuilds', async () => {
    const single = join(dir, 'one-tenant.sqlite');
    const store = new SqliteEventStore({ file: single, synchronous: 'NORMAL' });
    const summary = await seedDemoData(store, { tenants: 1, signals: 60, seed: 3 });
    await store.close();
    const stores = {
      eventStore: { kind: 'sqlite', file: single, synchronous: 'NORMAL' },
      readStore: { kind: 'sqlite', file: freshReads() },
    } as const;
    // Resolves only once the waiting threads have closed their connections and ended.
    const { applied, lanes } = await catchUpInLanes(stores, PROJECTIONS, { lanes: 3, batchSize: 100 });
    expect(lanes).toEqual([]);
    expect(applied).toBe(summary.eventsWritten);
    const reads = new SqliteReadStore({ file: stores.readStore.file });
    for (const projection of PROJECTIONS) {
      expect(await reads.status(collectionOf(projection))).toMatchObject({
        checkpoint: BigInt(summary.eventsWritten),
        caughtUp: true,
      });
    }
    await reads.close();
  }, 120_000);

  it('a read store that cannot be opened fails the rebuild with its error; the waiting threads end', async () => {
    const broken = join(dir, 'not-a-database.sqlite');
    writeFileSync(broken, 'these are not the pages of a SQLite database, '.repeat(200));
    const failure = await catchUpInLanes(
      {
        eventStore: { kind: 'sqlite', file: eventsFile, synchronous: 'NORMAL' },
        readStore: { kind: 'sqlite', file: broken },
      },
      PROJECTIONS,
      { lanes: 2 },
    ).then(
      () => null,
      (error: unknown) => error,
    );
    // Read by its message: better-sqlite3's errors are made with the class of the first test file
    // that loaded the addon in this Jest worker, which `toThrow` does not take for an Error here.
    expect(String((failure as { message?: unknown } | null)?.message)).toMatch(/not a database/);
  }, 60_000);

  it('lanes take only the registered read models (their threads look them up by name)', async () => {
    const bumped = PROJECTIONS.map((projection) => ({
      ...projection,
      schemaVersion: projection.schemaVersion + 1,
    }));
    await expect(
      catchUpInLanes(
        {
          eventStore: { kind: 'sqlite', file: eventsFile, synchronous: 'NORMAL' },
          readStore: { kind: 'sqlite', file: freshReads() },
        },
        bumped,
        { lanes: 2 },
      ),
    ).rejects.toThrow(/registered read models/);
  });

  it('a lane that fails stops the rebuild unsealed; the next rebuild recovers to the read models built incrementally', async () => {
    // The worker thread's lane gets a heap too small to hold its work and runs out of memory.
    const readsFile = freshReads();
    const stores = {
      eventStore: { kind: 'sqlite', file: eventsFile, synchronous: 'NORMAL' },
      readStore: { kind: 'sqlite', file: readsFile },
    } as const;
    await expect(
      catchUpInLanes(stores, PROJECTIONS, { lanes: 2, batchSize: 100, maxOldGenerationSizeMb: 4 }),
    ).rejects.toMatchObject({ code: 'ERR_WORKER_OUT_OF_MEMORY' });
    const reads = new SqliteReadStore({ file: readsFile });
    for (const projection of PROJECTIONS) {
      expect(await reads.status(collectionOf(projection))).toMatchObject({
        checkpoint: null,
        caughtUp: false,
      });
    }
    await reads.close();
    const { applied } = await catchUpInLanes(stores, PROJECTIONS, { lanes: 2, batchSize: 100 });
    expect(applied).toBeGreaterThan(0);
    expect(readModelHash(readsFile)).toBe(incrementalHash);
  }, 120_000);

  it('F2: a rebuild in lanes killed at any moment, or before it seals, recovers to the rebuild', async () => {
    // Killed at moments while the lanes start and commit (here: a few hundred ms after the child
    // starts; the documents stored by then are reported) and once every lane has caught up but before the read models have
    // their checkpoints; recovered by the same rebuild run again, or by one runner (the app).
    const rounds = [
      { kill: 250, recover: 'lanes' },
      { kill: 350, recover: 'runner' },
      { kill: 450, recover: 'lanes' },
      { kill: 550, recover: 'runner' },
      { kill: 'before-seal', recover: 'lanes' },
      { kill: 'before-seal', recover: 'runner' },
    ] as const;
    let matched = 0;
    let killed = 0;
    const stored: number[] = [];
    for (const { kill, recover } of rounds) {
      const readsFile = freshReads();
      const args = [eventsFile, readsFile, '2', ...(kill === 'before-seal' ? [kill] : [])];
      const crashing = startTsChild('test/fault/children/lane-rebuild.ts', args);
      if (kill !== 'before-seal') {
        await killAfterStart(crashing, kill);
      }
      const crashed = await crashing.exited;
      expect(crashed.signal === 'SIGKILL' || crashed.code === 0).toBe(true);
      if (crashed.signal === 'SIGKILL') killed += 1;
      stored.push(documentsIn(readsFile));
      const recovering =
        recover === 'lanes'
          ? startTsChild('test/fault/children/lane-rebuild.ts', [eventsFile, readsFile, '2'])
          : startTsChild('test/fault/children/projector.ts', [eventsFile, readsFile]);
      await recovering.waitForLine((line) => line === 'caught-up', 60_000);
      await recovering.exited;
      if (readModelHash(readsFile) === incrementalHash) matched += 1;
      else throw new Error(`read model differs from the rebuild after a lanes rebuild killed at ${kill}`);
    }
    console.info(
      `F2 (rebuild in two lanes): ${rounds.length} kill rounds (${killed} rebuilds actually killed, 2 of them before sealing; ` +
        `documents stored when killed: ${stored.join(', ')}), read model hash = rebuild hash ${matched}/${rounds.length}`,
    );
    expect(matched).toBe(rounds.length);
    expect(killed).toBeGreaterThanOrEqual(4);
  }, 300_000);

  it('F7: two runners writing one read store at once (a lease overlap) give the read models of one', async () => {
    // Two instances may both run projections for a moment: one that stood still past its lease
    // and the one that took over. Each commits its documents with their positions and its
    // checkpoints; the store keeps the newer position of each, so the result is one runner's.
    const shared = freshReads();
    const store = new SqliteEventStore({ file: eventsFile });
    const [readsA, readsB] = [new SqliteReadStore({ file: shared }), new SqliteReadStore({ file: shared })];
    // Small steps and partial commits, so that their commits interleave many times.
    const options = { batchSize: 50, maxDirtyDocuments: 40 };
    const a = new ProjectionRunner(store, readsA, PROJECTIONS, options);
    const b = new ProjectionRunner(store, readsB, PROJECTIONS, { ...options, batchSize: 70 });
    await a.start();
    await b.start();
    await Promise.all([a.whenCaughtUp(), b.whenCaughtUp()]);
    await Promise.all([a.stop(), b.stop()]);
    // And a runner that stops halfway (it stepped down) while the other goes on.
    const partial = freshReads();
    const [readsC, readsD] = [new SqliteReadStore({ file: partial }), new SqliteReadStore({ file: partial })];
    const c = new ProjectionRunner(store, readsC, PROJECTIONS, options);
    const d = new ProjectionRunner(store, readsD, PROJECTIONS, { ...options, batchSize: 70 });
    await c.start();
    await d.start();
    while (c.applied < events / 2) await new Promise((resolve) => setTimeout(resolve, 5));
    await c.stop();
    await d.whenCaughtUp();
    await d.stop();
    for (const reads of [readsA, readsB, readsC, readsD]) await reads.close();
    await store.close();
    console.info(
      `F7: two runners at once, ${events} events: ${readModelHash(shared).slice(0, 12)}; one stopped halfway: ${readModelHash(partial).slice(0, 12)}; one runner: ${incrementalHash.slice(0, 12)}`,
    );
    expect(readModelHash(shared)).toBe(incrementalHash);
    expect(readModelHash(partial)).toBe(incrementalHash);
  }, 120_000);

  it('F2: a runner killed at any point of a batch recovers to the rebuild, every time', async () => {
    const crashes: Array<{ point: string; nth: number; maxDirty?: number }> = [];
    for (const point of ['before-commit', 'after-documents', 'after-commit', 'random-kill']) {
      for (const nth of [1, 3, 7]) crashes.push({ point, nth });
    }
    // Commits of part of the changed documents (a bound of 60): the checkpoint stays at the oldest
    // change kept in memory, and documents stored ahead of it skip the events read again.
    for (const point of ['before-commit', 'after-documents', 'after-commit']) {
      for (const nth of [2, 5]) crashes.push({ point, nth, maxDirty: 60 });
    }
    let matched = 0;
    let killed = 0;
    for (const { point, nth, maxDirty } of crashes) {
      const readsFile = freshReads();
      const crashing = startTsChild('test/fault/children/projector.ts', [
        eventsFile,
        readsFile,
        point,
        String(nth),
        // Small batches for the external kill, so that it lands while the runner is still building.
        point === 'random-kill' ? '20' : '150',
        ...(maxDirty === undefined ? [] : [String(maxDirty)]),
      ]);
      if (point === 'random-kill') {
        await killAfterStart(crashing, nth);
      }
      const crashed = await crashing.exited;
      expect(crashed.signal === 'SIGKILL' || crashed.code === 0).toBe(true);
      if (crashed.signal === 'SIGKILL') killed += 1;
      const recovering = startTsChild('test/fault/children/projector.ts', [eventsFile, readsFile]);
      await recovering.waitForLine((line) => line === 'caught-up', 60_000);
      await recovering.exited;
      if (readModelHash(readsFile) === incrementalHash) matched += 1;
      else
        throw new Error(
          `read model differs from the rebuild after a crash at ${point} #${nth}${maxDirty ? ` (partial commits)` : ''}`,
        );
    }
    console.info(
      `F2: ${crashes.length} crash rounds (before-commit, after-documents, after-commit, random SIGKILL, and partial commits; ${killed} runners actually killed), ` +
        `read model hash = rebuild hash ${matched}/${crashes.length}`,
    );
    expect(matched).toBe(crashes.length);
    expect(killed).toBeGreaterThanOrEqual(17);
  }, 300_000);

  it('F2: a rebuild whose commits are synced only on close (the CLI), killed at any point, recovers to the rebuild', async () => {
    const unsynced = { PROJECTOR_UNSYNCED: '1' };
    // One round per crash point (the synced rounds above cover the runner's other cases).
    const crashes = [
      { point: 'before-commit', nth: 1 },
      { point: 'after-documents', nth: 4 },
      { point: 'after-commit', nth: 1 },
      { point: 'random-kill', nth: 4 },
    ];
    let matched = 0;
    let killed = 0;
    for (const { point, nth } of crashes) {
      const readsFile = freshReads();
      const crashing = startTsChild(
        'test/fault/children/projector.ts',
        [eventsFile, readsFile, point, String(nth), point === 'random-kill' ? '20' : '150'],
        unsynced,
      );
      if (point === 'random-kill') {
        await killAfterStart(crashing, nth);
      }
      const crashed = await crashing.exited;
      if (crashed.signal === 'SIGKILL') {
        killed += 1;
        // The killed writer's marker: its commits are in the system's cache, not yet synced.
        expect(unsyncedMarkers(readsFile)).toBe(1);
      }
      // The rebuild run again: its open syncs what the killed one committed and goes on from there.
      const recovering = startTsChild('test/fault/children/projector.ts', [eventsFile, readsFile], unsynced);
      await recovering.waitForLine((line) => line === 'caught-up', 60_000);
      await recovering.exited;
      expect(unsyncedMarkers(readsFile)).toBe(0);
      if (readModelHash(readsFile) === incrementalHash) matched += 1;
      else throw new Error(`read model differs from the rebuild after an unsynced crash at ${point} #${nth}`);
    }
    console.info(
      `F2 (commits synced on close): ${crashes.length} crash rounds (${killed} runners actually killed), ` +
        `read model hash = rebuild hash ${matched}/${crashes.length}`,
    );
    expect(matched).toBe(crashes.length);
    expect(killed).toBeGreaterThanOrEqual(3);
  }, 300_000);
});

/** SIGKILLs a child `delayMs` after it says it has started (F2's kills at a moment). */
async function killAfterStart(child: ReturnType<typeof startTsChild>, delayMs: number): Promise<void> {
  await child.waitForLine((line) => line === 'started', 30_000);
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  child.child.kill('SIGKILL');
}

/** Documents of every read model in a read-model file (0 when it has none yet). */
function documentsIn(file: string): number {
  if (!existsSync(file)) return 0;
  const db = new DatabaseConstructor(file, { readonly: true });
  try {
    const tables = db
      .prepare<[], string>(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'rm\\_%' ESCAPE '\\' AND name NOT LIKE '%\\_\\_%' ESCAPE '\\'",
      )
      .pluck(true)
      .all();
    return tables.reduce(
      (sum, table) => sum + db.prepare<[], number>(`SELECT count(*) FROM ${table}`).pluck(true).get()!,
      0,
    );
  } finally {
    db.close();
  }
}

/** Markers of writers whose commits are not yet synced (SqliteReadStore unsyncedUntilClose). */
function unsyncedMarkers(file: string): number {
  const db = new DatabaseConstructor(file, { readonly: true });
  try {
    return db
      .prepare<[], number>("SELECT count(*) FROM read_store_meta WHERE key LIKE 'unsynced:%'")
      .pluck(true)
      .get()!;
  } finally {
    db.close();
  }
}
