/**
 * One full rebuild of every read model, as `npm run cli -- projections rebuild all` runs it: its
 * own process with the CLI's heap limit, the ProjectionRunner from the event file into a fresh
 * read-model file. Prints {count, seconds, peakRssMiB} as JSON; RSS is sampled every 100 ms.
 * Started by rebuild-process.ts from its compiled JavaScript (tsconfig.bench.json), as the CLI runs.
 */
import { fileURLToPath } from 'node:url';
import { documentIdsOf, PROJECTIONS } from '../../projections/index.js';
import type { JsonObject } from '../../src/platform/json.js';
import { SqliteEventStore } from '../../src/platform/event-store/sqlite/sqlite-event-store.js';
import { ProjectionRunner } from '../../src/platform/projections/projection-runner.js';
import {
  PROJECTION_WRITER_CACHE_MIB,
  SqliteReadStore,
} from '../../src/platform/read-store/sqlite/sqlite-read-store.js';
import { catchUpInLanes, defaultRebuildLanes } from '../../src/read-models/rebuild-lanes.js';
import type { EventStore } from '../../src/platform/event-store/event-store.port.js';
import { benchLanes } from './bench-lanes.js';
import type { ChildRebuild } from './rebuild-process.js';

/** Runs `work` (which resolves with the events it applied) and measures it: time, CPU, peak RSS and heap. */
async function measured(work: () => Promise<number>): Promise<ChildRebuild> {
  let peak = process.memoryUsage().rss;
  let peakHeap = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => {
    const usage = process.memoryUsage();
    peak = Math.max(peak, usage.rss);
    peakHeap = Math.max(peakHeap, usage.heapUsed);
  }, 100);
  try {
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const count = await work();
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    return {
      count,
      seconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      peakRssMiB: Math.max(peak, process.memoryUsage().rss) / 1048576,
      peakHeapMiB: peakHeap / 1048576,
    };
  } finally {
    clearInterval(sampler);
  }
}

/**
 * The event file's store as the CLI opens it for a rebuild: the events as stored, encrypted text
 * and all (the read models keep it sealed; no key store is read).
 */
function openEvents(eventFile: string): EventStore {
  return new SqliteEventStore({ file: eventFile, synchronous: 'OFF' });
}

async function main(eventFile: string, readFile: string, batchSize: number): Promise<ChildRebuild> {
  const store = openEvents(eventFile);
  const readStore = new SqliteReadStore({ file: readFile, cacheMiB: PROJECTION_WRITER_CACHE_MIB });
  try {
    const lanes = benchLanes();
    return await measured(async () => {
      if (lanes === 0) {
        // One runner in this thread (BENCH_LANES=0): the rebuild before lanes, for comparisons.
        const runner = new ProjectionRunner(store, readStore, PROJECTIONS, { batchSize });
        await runner.start();
        await runner.whenCaughtUp();
        await runner.stop();
        return runner.applied;
      }
      const result = await catchUpInLanes(
        {
          eventStore: { kind: 'sqlite', file: eventFile, synchronous: 'OFF' },
          readStore: { kind: 'sqlite', file: readFile },
        },
        PROJECTIONS,
        { batchSize, lanes: lanes ?? defaultRebuildLanes() },
      );
      return result.applied;
    });
  } finally {
    await readStore.close();
    await store.close();
  }
}

/**
 * BENCH_FLOOR=1 (floorInChild): every event read as the rebuild reads it and applied by every read
 * model to documents kept in a Map, with no read store, runner or commit: what the projections
 * alone cost, the floor under any rebuild of them. All documents stay in memory: for ~100k events.
 */
async function floor(eventFile: string): Promise<ChildRebuild> {
  const store = openEvents(eventFile);
  const documents = PROJECTIONS.map(() => new Map<string, JsonObject | null>());
  const handles = PROJECTIONS.map((projection) => new Set(projection.handles));
  try {
    return await measured(async () => {
      let count = 0;
      for await (const event of store.readAll()) {
        count += 1;
        for (let i = 0; i < PROJECTIONS.length; i++) {
          if (!handles[i]!.has(event.type)) continue;
          const projection = PROJECTIONS[i]!;
          const byId = documents[i]!;
          try {
            for (const id of documentIdsOf(projection, event))
              byId.set(id, projection.evolve(byId.get(id) ?? null, event));
          } catch {
            // A refused event: the runner would park it; the demo data has none.
          }
        }
      }
      return count;
    });
  } finally {
    await store.close();
  }
}

/**
 * BENCH_READ_ONLY=1: every event read and decoded as `readAll` gives it, and nothing else: the
 * reference of the instructions bench (instructions.bench.ts), in a process like the others.
 */
async function readOnly(eventFile: string): Promise<ChildRebuild> {
  const store = openEvents(eventFile);
  try {
    return await measured(async () => {
      let count = 0;
      for await (const _event of store.readAll()) count += 1;
      return count;
    });
  } finally {
    await store.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [eventFile, readFile, batchSize] = process.argv.slice(2);
  if (!eventFile || !readFile || !batchSize)
    throw new Error('usage: rebuild-child.ts <events> <reads> <batchSize>');
  const rebuilt =
    process.env['BENCH_READ_ONLY'] === '1'
      ? await readOnly(eventFile)
      : process.env['BENCH_FLOOR'] === '1'
        ? await floor(eventFile)
        : await main(eventFile, readFile, Number(batchSize));
  process.stdout.write(`${JSON.stringify(rebuilt)}\n`);
}
