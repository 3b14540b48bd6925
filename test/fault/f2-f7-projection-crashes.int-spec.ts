import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import DatabaseConstructor from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PROJECTIONS } from '../../projections/index.js';
import { seedDemoData } from '../../src/demo/seed-demo-data.js';
import { SqliteEventStore } from '../../src/platform/event-store/sqlite/sqlite-event-store.js';
import {
  ProjectionRunner,
  type ProjectionRunnerOptions,
} from '../../src/platform/projections/projection-runner.js';
import { catchUpInLanes } from '../../src/read-models/rebuild-lanes.js';
import { SqliteReadStore } from '../../src/platform/read-store/sqlite/sqlite-read-store.js';
import { readModelHash } from '../support/read-model-hash.js';
import { startTsChild } from '../support/processes.js';

const dir = mkdtempSync(join(tmpdir(), 'ls-f2-'));
const eventsFile = join(dir, 'events.sqlite');
let round = 0;
const freshReads = () => join(dir, `reads-${++round}.sqlite`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function rebuild(readsFile: string, options: ProjectionRunnerOptions = {}): Promise<void> {
  const store = new SqliteEventStore({ file: eventsFile });
  const reads = new SqliteReadStore({ file: readsFile });
  const runner = new ProjectionRunner(store, reads, PROJECTIONS, { batchSize: 1000, ...options });
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

  it('F7: a rebuild in two lanes (worker threads) gives the same read models', async () => {
    const laned = freshReads();
    const { applied, lanes } = await catchUpInLanes(
      {
        eventStore: { kind: 'sqlite', file: eventsFile, synchronous: 'NORMAL' },
        readStore: { kind: 'sqlite', file: laned },
      },
      PROJECTIONS,
      { lanes: 2, batchSize: 500 },
    );
    expect(lanes).toHaveLength(2);
    expect(lanes.flat().sort()).toEqual(PROJECTIONS.map((p) => p.name).sort());
    expect(applied).toBeGreaterThanOrEqual(events);
    expect(readModelHash(laned)).toBe(incrementalHash);
  }, 120_000);

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
        await crashing.waitForLine((line) => line === 'started', 30_000);
        await new Promise((resolve) => setTimeout(resolve, nth));
        crashing.child.kill('SIGKILL');
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
        await crashing.waitForLine((line) => line === 'started', 30_000);
        await new Promise((resolve) => setTimeout(resolve, nth));
        crashing.child.kill('SIGKILL');
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
