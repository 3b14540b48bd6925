import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { SqliteEventStore } from '../../src/platform/event-store/sqlite/sqlite-event-store.js';
import { rebuildProcess } from '../../src/read-models/rebuild-flags.js';
import { defaultRebuildLanes } from '../../src/read-models/rebuild-lanes.js';
import { benchLanes } from './bench-lanes.js';

/**
 * Runs a full rebuild (rebuild-child.ts) as `npm run cli -- projections rebuild all` does: its own
 * process, with the CLI's V8 flags, from the JavaScript the TypeScript compiler emits into dist/,
 * as the CLI runs. Under tsx, whose transform names every inner function each time its enclosing
 * function runs, and whose loader keeps memory of its own, a 1M rebuild peaked 25-30 MiB higher.
 */

export interface ChildRebuild {
  count: number;
  seconds: number;
  peakRssMiB: number;
  /** Largest V8 heap in use seen by the sampler (garbage not yet collected included). */
  peakHeapMiB: number;
  /** CPU time of the whole process (all threads, user + system) during the rebuild. */
  cpuSeconds: number;
}

const root = new URL('../../', import.meta.url);

/**
 * The flags the CLI's node runs with (package.json, script "cli": heap limit, young generation),
 * read from there so that the bench rebuilds as `npm run cli -- projections rebuild all` does.
 */
export const CLI_V8_FLAGS: readonly string[] = (() => {
  const manifest = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const words = (manifest.scripts['cli'] ?? '').split(/\s+/);
  const flags = words.slice(words.lastIndexOf('node') + 1);
  const script = flags.findIndex((word) => !word.startsWith('--'));
  return script === -1 ? flags : flags.slice(0, script);
})();

let compiled: string | null = null;

/** Compiles the child and what it imports into dist/ (tsconfig.bench.json), once per process. */
export function compiledChild(): string {
  if (compiled !== null) return compiled;
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const result = spawnSync(
    process.execPath,
    [tsc, '-p', fileURLToPath(new URL('tsconfig.bench.json', root))],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  if (result.status !== 0)
    throw new Error(`compiling the rebuild child failed:\n${result.stdout}${result.stderr}`);
  compiled = fileURLToPath(new URL('dist/test/bench/rebuild-child.js', root));
  return compiled;
}

/**
 * The rebuild's process as the CLI runs it: the CLI's flags, and the flags and environment
 * rebuildProcess adds for the event file (the CLI then runs the rebuild again with them,
 * rebuild-flags.ts): for lanes that take every core (the demo data's ten tenants always give the
 * lanes work) LANE_GC_FLAG and REBUILD_MALLOC_ENV, and SHORT_REBUILD_FLAG too for a log that short.
 * Resolves with the node flags and environment variables it ran with.
 */
export async function rebuildInChild(
  eventFile: string,
  readFile: string,
  batchSize: number,
): Promise<ChildRebuild & ProcessOf> {
  const { flags, env } = await rebuildProcessOf(eventFile);
  const rebuilt = inChild(flags, [eventFile, readFile, String(batchSize)], env, `rebuild of ${eventFile}`);
  return { ...rebuilt, flags, env };
}

type ProcessOf = { flags: readonly string[]; env: Readonly<Record<string, string>> };

/** rebuildProcessOf's answers by event file: a bench rebuilds each file several rounds. */
const processes = new Map<string, ProcessOf>();

/** The node flags and environment of the rebuild of `eventFile` in its own process (rebuildInChild). */
export async function rebuildProcessOf(eventFile: string): Promise<ProcessOf> {
  const known = processes.get(eventFile);
  if (known) return known;
  const store = new SqliteEventStore({ file: eventFile, synchronous: 'OFF' });
  try {
    const wanted = await rebuildProcess(store, benchLanes() ?? defaultRebuildLanes());
    const answer = { flags: [...CLI_V8_FLAGS, ...wanted.flags], env: wanted.env };
    processes.set(eventFile, answer);
    return answer;
  } finally {
    await store.close();
  }
}

/**
 * The projections alone on an event file (rebuild-child.ts with BENCH_FLOOR=1): every read model
 * evolved in memory, no store. With V8's default young generation and room for every document,
 * not the CLI's flags: under those, holding every document made the collector the cost (one run:
 * 7.0 s at 100k, 106% of the rebuild's time in the same run, against 80-84% with these flags).
 */
export function floorInChild(eventFile: string): ChildRebuild {
  return inChild(
    ['--max-old-space-size=4096'],
    [eventFile, '-', '0'],
    { BENCH_FLOOR: '1' },
    `in-memory projections of ${eventFile}`,
  );
}

function inChild(
  flags: readonly string[],
  args: string[],
  env: NodeJS.ProcessEnv,
  what: string,
): ChildRebuild {
  const result = spawnSync(process.execPath, [...flags, compiledChild(), ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 20,
    env: { ...process.env, ...env },
  });
  if (result.status !== 0) throw new Error(`${what} failed with status ${result.status}`);
  return JSON.parse(result.stdout.trim().split('\n').pop() ?? '') as ChildRebuild;
}
