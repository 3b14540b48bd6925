import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Bench, BenchReport, BenchTable, Measurement } from './harness.js';
import { cachedEventFile } from './projection-data.js';
import { CLI_V8_FLAGS, compiledChild } from './rebuild-process.js';

/**
 * The read models' CPU work counted in instructions, which the host's speed does not move: each
 * run is a process of its own (rebuild-child.ts) under valgrind's cachegrind, with V8 made
 * deterministic (`--predictable`: one thread, no concurrent compiling or collecting) and the CLI's
 * heap flags. On the shared 2-core hosts a rebuild's time moves by 20–30% from run to run even
 * for the same instructions; these counts repeat to within 0.2% (test/bench/PROJECTIONS.md,
 * nineteenth session). Instructions are not time (a dictionary look-up that misses the cache costs
 * more per instruction than parsing does), but a change that executes no fewer of them does no
 * less work.
 *
 * Counted, at ~20k and ~100k demo events (seed 42, the text encrypted as the app stores it):
 *   - `readAll`: every event read and decoded, nothing else (the reference of the projections
 *     bench);
 *   - the projections alone: every read model evolved in memory, no store (the bench's floor);
 *   - with BENCH_INSTRUCTIONS_RUNNER=1, one runner with its store, commits and seal: its batches
 *     follow the clock, so its count varies by a few per cent from run to run.
 * Per event is the difference of the two sizes' counts over the difference of their events: the
 * process's start and the JIT's warm-up drop out.
 *
 * BENCH_COMPARE_DIST=<dir>: also counts the projections alone of another build, the `dist`
 * directory that `tsc -p tsconfig.bench.json` wrote in another checkout (a worktree of the base
 * commit, say), for an A/B of a change to the read models that time cannot tell apart.
 *
 * Needs valgrind (Debian: apt-get install valgrind). 4–7 minutes on the 2-core hosts, every
 * count run one after the other (two at a time they repeat only to within 1%).
 */

const SIZES = [20_000, 100_000] as const;

type Mode = 'read' | 'floor' | 'runner';

const MODE_ENV: Record<Mode, NodeJS.ProcessEnv> = {
  read: { BENCH_READ_ONLY: '1' },
  floor: { BENCH_FLOOR: '1' },
  runner: { BENCH_LANES: '0' },
};

interface Count {
  events: number;
  instructions: number;
}

function valgrindVersion(): string | null {
  const result = spawnSync('valgrind', ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : null;
}

/** One run of the child under cachegrind: the events it handled and the instructions executed. */
function count(child: string, mode: Mode, eventFile: string, readFile: string): Count {
  const result = spawnSync(
    'valgrind',
    [
      '--tool=cachegrind',
      '--cache-sim=no',
      // V8 writes and rewrites the code it runs: valgrind must notice.
      '--smc-check=all-non-file',
      '--cachegrind-out-file=/dev/null',
      process.execPath,
      '--predictable',
      ...CLI_V8_FLAGS,
      child,
      eventFile,
      readFile,
      '250',
    ],
    {
      encoding: 'utf8',
      maxBuffer: 16 << 20,
      env: { ...process.env, BENCH_READ_ONLY: '', BENCH_FLOOR: '', BENCH_LANES: '', ...MODE_ENV[mode] },
    },
  );
  const refs = /I\s+refs:\s+([\d,]+)/.exec(result.stderr);
  if (result.status !== 0 || refs === null)
    throw new Error(`counting ${mode} of ${eventFile} failed (status ${result.status}):\n${result.stderr}`);
  const measured = JSON.parse(result.stdout.trim().split('\n').pop() ?? '') as { count: number };
  return { events: measured.count, instructions: Number(refs[1]!.replaceAll(',', '')) };
}

/**
 * The events and instructions between the two sizes as a Measurement whose "seconds" are 10^9
 * instructions (so that the samples in the JSON read as the other benches').
 */
function perEvent(small: Count, large: Count): Measurement {
  return { count: large.events - small.events, seconds: (large.instructions - small.instructions) / 1e9 };
}

/** Instructions per event of `a` over those of `b`. */
function workAgainst(a: Measurement, b: Measurement): number {
  return a.seconds / a.count / (b.seconds / b.count);
}

export const instructionsBench: Bench = {
  name: 'instructions',
  description:
    "the read models' CPU work counted in instructions (valgrind cachegrind, node --predictable), per event, beside readAll's",
  async run({ scratch, log }): Promise<BenchReport> {
    const valgrind = valgrindVersion();
    if (valgrind === null)
      throw new Error(
        'the instructions bench needs valgrind: apt-get install valgrind (Debian), then run it again',
      );
    const child = compiledChild();
    const compareDist = process.env['BENCH_COMPARE_DIST'];
    const compareChild = compareDist ? join(compareDist, 'test', 'bench', 'rebuild-child.js') : null;
    if (compareChild !== null && !existsSync(compareChild))
      throw new Error(
        `BENCH_COMPARE_DIST: no ${compareChild} (compile that checkout with tsc -p tsconfig.bench.json)`,
      );
    const withRunner = process.env['BENCH_INSTRUCTIONS_RUNNER'] === '1';

    const contestants: Array<{ name: string; child: string; mode: Mode }> = [
      { name: 'readAll', child, mode: 'read' },
      { name: 'projections alone', child, mode: 'floor' },
      ...(withRunner ? [{ name: 'one runner (store, commits, seal)', child, mode: 'runner' as const }] : []),
      ...(compareChild !== null
        ? [{ name: `projections alone, ${compareDist}`, child: compareChild, mode: 'floor' as const }]
        : []),
    ];
    const counts = new Map<string, Count[]>();
    for (const target of SIZES) {
      const { file } = cachedEventFile(scratch.file(`events-${target}.sqlite`), target);
      for (const contestant of contestants) {
        const reads = scratch.file('reads.sqlite');
        log(`  counting ${contestant.name} at ${target.toLocaleString('en-US')} events…`);
        const counted = count(contestant.child, contestant.mode, file, reads);
        scratch.remove(reads);
        counts.set(contestant.name, [...(counts.get(contestant.name) ?? []), counted]);
      }
    }

    const per = new Map(
      contestants.map(({ name }) => [name, perEvent(...(counts.get(name) as [Count, Count]))]),
    );
    const reference = per.get('readAll')!;
    const kPerEvent = (m: Measurement): string => ((m.seconds * 1e6) / m.count).toFixed(1);
    const table: BenchTable = {
      title: 'instructions (valgrind cachegrind, node --predictable, the CLI heap flags; G = 10^9)',
      headers: ['what', 'events', 'instructions', 'events', 'instructions', 'per event', '× readAll'],
      rows: contestants.map(({ name }) => {
        const [small, large] = counts.get(name) as [Count, Count];
        const m = per.get(name)!;
        return [
          name,
          small.events.toLocaleString('en-US'),
          `${(small.instructions / 1e9).toFixed(3)} G`,
          large.events.toLocaleString('en-US'),
          `${(large.instructions / 1e9).toFixed(3)} G`,
          `${kPerEvent(m)}k`,
          workAgainst(m, reference).toFixed(2),
        ];
      }),
    };
    const tables = [table];
    if (compareDist) {
      const ours = per.get('projections alone')!;
      const theirs = per.get(`projections alone, ${compareDist}`)!;
      tables.push({
        title: `the projections alone: this build against ${compareDist} (counts repeat to within 0.2–1%)`,
        headers: ['this build per event', 'other build per event', 'this / other'],
        rows: [[`${kPerEvent(ours)}k`, `${kPerEvent(theirs)}k`, workAgainst(ours, theirs).toFixed(3)]],
      });
    }
    return {
      // Instructions are not a rate against a reference measured in the same round: tables only.
      rows: [],
      tables,
      parameters: {
        sizes: [...SIZES],
        valgrind,
        flags: ['--predictable', ...CLI_V8_FLAGS],
        compareDist: compareDist ?? null,
        runner: withRunner,
      },
      samples: Object.fromEntries(
        contestants.map(({ name }) => [
          name,
          (counts.get(name) as Count[]).map((c) => ({ count: c.events, seconds: c.instructions / 1e9 })),
        ]),
      ),
      details: {
        note: 'samples hold 10^9 instructions in "seconds"',
      },
    };
  },
};
