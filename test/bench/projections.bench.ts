import { loadavg } from 'node:os';
import { PROJECTIONS } from '../../projections/index.js';
import { CATCH_UP_BATCH_SIZE } from '../../src/platform/projections/projection-runner.js';
import { SqliteEventStore } from '../../src/platform/event-store/sqlite/sqlite-event-store.js';
import {
  alternate,
  envInt,
  formatMs,
  formatRate,
  formatRatio,
  median,
  now,
  rate,
  row,
  secondsSince,
  type Bench,
  type BenchCheck,
  type BenchContext,
  type BenchReport,
  type BenchTable,
  type Measurement,
} from './harness.js';
import { cachedEventFile, prefixEventFile, type BuiltFile } from './projection-data.js';
import { floorInChild, rebuildInChild } from './rebuild-process.js';
import { measureQueriesInChild } from './query-latency.js';

/**
 * Read-model rebuilds and read-side queries on demo data (seed 42, 10 tenants):
 *   (a) a full rebuild of every read model (ProjectionRunner into a fresh SqliteReadStore) at
 *       ~100k and ~1M events, as the CLI runs it (a process of its own with the CLI's heap
 *       limit), beside a raw `readAll` count of the same event file in this process,
 *       alternating; peak RSS of the rebuilding process during the 1M rebuilds.
 *   (b) the inbox and dashboard queries the API runs, on the read models of ~10k and of ~1M
 *       events, calls alternating between the two after BENCH_QUERY_WARMUP calls (1,000) that let
 *       the JIT optimise; latency@1M / latency@10k per query. The ~10k store is the ~1M one's
 *       first 10k events: one deployment at two points of its history. Timed in a process of
 *       its own, as a server answers (query-latency.ts).
 *   (c) the projections alone at ~100k events: every read model evolved in memory, no read store
 *       (floorInChild), the floor under any rebuild of these read models; not a target.
 * Every target of issue #5 is printed beside its figure of the same run, with the load average.
 * BENCH_EVENT_CACHE=<dir> keeps the generated event files there and uses them again in a later run
 * (same seed and size: the generator is deterministic), which saves the ~15 min of building 1M.
 */

// As the CLI: steps of CATCH_UP_BATCH_SIZE events (see there; test/bench/PROJECTIONS.md for the sizes tried).
const BATCH_SIZE = CATCH_UP_BATCH_SIZE;
const MiB = 1024 * 1024;

interface Rebuilt {
  measurement: Measurement;
  /** CPU time of the rebuilding process (all its threads) during the rebuild. */
  cpuSeconds: number;
  peakRssMiB: number;
  peakHeapMiB: number;
  readFile: string;
  /** How the rebuilding process ran (rebuildProcessOf): its environment variables, then its node flags. */
  runsWith: string;
}

/**
 * A full rebuild as the CLI runs it: its own process with the CLI's heap limit, from compiled
 * JavaScript (rebuild-process.ts).
 */
async function rebuild(eventFile: string, readFile: string): Promise<Rebuilt> {
  const { count, seconds, cpuSeconds, peakRssMiB, peakHeapMiB, flags, env } = await rebuildInChild(
    eventFile,
    readFile,
    BATCH_SIZE,
  );
  return {
    measurement: { count, seconds },
    cpuSeconds,
    peakRssMiB,
    peakHeapMiB,
    readFile,
    runsWith: [...Object.entries(env).map(([name, value]) => `${name}=${value}`), ...flags].join(' '),
  };
}

async function rawReadAll(eventFile: string): Promise<Measurement> {
  const store = new SqliteEventStore({ file: eventFile, synchronous: 'OFF' });
  try {
    let count = 0;
    const start = now();
    for await (const _event of store.readAll()) count += 1;
    return { count, seconds: secondsSince(start) };
  } finally {
    await store.close();
  }
}

const loadAverage = (): string =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(' / ');

async function run({ scratch, log }: BenchContext): Promise<BenchReport> {
  const smallEvents = envInt('BENCH_EVENTS_SMALL', 10_000);
  const mediumEvents = envInt('BENCH_EVENTS_MEDIUM', 100_000);
  const largeEvents = envInt('BENCH_EVENTS_LARGE', 1_000_000);
  // Rounds of rebuild and readAll each: on a machine whose speed moves by 10–30% from one run to
  // the next, the median of five (three at 1M) rather than of three (two) (PROJECTIONS.md).
  const mediumRounds = envInt('BENCH_ROUNDS_MEDIUM', 5);
  const largeRounds = envInt('BENCH_ROUNDS_LARGE', 3);
  const calls = envInt('BENCH_QUERY_CALLS', 200);
  const warmUp = envInt('BENCH_QUERY_WARMUP', 1000);
  const minRate = 30_000;
  const minRatio = 0.3;
  const maxRssMiB = 400;
  const maxLatencyRatio = 1.5;

  const built: Record<string, BuiltFile> = {};
  const files: Record<string, string> = {};
  for (const [label, target] of [
    ['medium', mediumEvents],
    ['large', largeEvents],
  ] as const) {
    log(`building ~${target.toLocaleString('en-US')} events (setup, child process, not timed)`);
    const { file, built: b, cached } = cachedEventFile(scratch.file(`events-${label}.sqlite`), target);
    files[label] = file;
    built[label] = b;
    log(
      `  ${b.events.toLocaleString('en-US')} events of ${b.signals} signals` +
        (cached
          ? ` (built before, from ${file})`
          : ` in ${b.seconds.toFixed(1)} s (${formatRate(b.events / b.seconds)} events/s, ${b.rejected} commands rejected)`),
    );
  }
  // The small store is the large one earlier in its history: its first events (its first days),
  // so that the query comparison is of one deployment as its history grows, with the tenant's
  // pages full at both sizes (a data set generated at 10k over the same three years has a few
  // open signals per tenant, and a page of 7 rows against one of 25 measures the page size).
  files['small'] = scratch.file('events-small.sqlite');
  built['small'] = prefixEventFile(files['large'] as string, files['small'], smallEvents);
  log(
    `  ${built['small'].events.toLocaleString('en-US')} events of ${built['small'].signals} signals: ` +
      'the first events of the ~1M file',
  );
  const loadBefore = loadAverage();
  log(`load average (1 / 5 / 15 min) before the timed part: ${loadBefore}`);
  const smallFile = files['small'] as string;
  const mediumFile = files['medium'] as string;
  const largeFile = files['large'] as string;

  let readNo = 0;
  const keep: Record<string, string> = {};
  const peaks: number[] = [];
  // CPU seconds of each rebuild by size: on a shared machine the wall clock also counts others' work.
  const cpu: Record<string, number[]> = { small: [], medium: [], large: [] };
  // How each size's rebuild ran: environment and node flags (rebuildProcessOf; a short log has one more flag).
  const runsWith: Record<string, string> = {};
  const rebuildInto = async (label: string, eventFile: string, rss: boolean): Promise<Measurement> => {
    const previous = keep[label];
    if (previous) scratch.remove(previous);
    const rssBefore = process.memoryUsage().rss / MiB;
    const result = await rebuild(eventFile, scratch.file(`read-${label}-${readNo++}.sqlite`));
    keep[label] = result.readFile;
    cpu[label]!.push(result.cpuSeconds);
    if (runsWith[label] === undefined) log(`    the rebuilding process: ${result.runsWith}`);
    runsWith[label] = result.runsWith;
    log(
      `    CPU ${result.cpuSeconds.toFixed(1)} s (${formatRate(result.measurement.count / result.cpuSeconds)} events per CPU second), load average ${loadAverage()}`,
    );
    if (rss) {
      peaks.push(result.peakRssMiB);
      log(
        `    peak RSS of the rebuilding process ${result.peakRssMiB.toFixed(0)} MiB, heap in use ${result.peakHeapMiB.toFixed(0)} MiB (bench process: ${rssBefore.toFixed(0)} MiB)`,
      );
    }
    return result.measurement;
  };
  const report = (name: string, round: number, m: Measurement): void =>
    log(
      `  round ${round + 1} ${name.padEnd(14)} ${Math.round(rate(m)).toLocaleString('en-US').padStart(9)} events/s (${m.seconds.toFixed(1)} s)`,
    );

  // Warm-up (JIT) and the 10k read models for the query comparison.
  log('rebuild ~10k (warm-up, read models for queries)');
  const small = await rebuildInto('small', smallFile, false);
  report('rebuild 10k', 0, small);
  await rawReadAll(smallFile);

  log(`rebuild ~100k, ${mediumRounds} rounds`);
  const medium = await alternate(
    mediumRounds,
    {
      rebuild: () => rebuildInto('medium', mediumFile, false),
      readAll: () => rawReadAll(mediumFile),
    },
    report,
  );
  // What the projections alone cost on the same file: no store, runner or commit (not a target).
  const floor = floorInChild(mediumFile);
  log(
    `  projections alone ${Math.round(rate(floor)).toLocaleString('en-US').padStart(9)} events/s (${floor.seconds.toFixed(1)} s, CPU ${floor.cpuSeconds.toFixed(1)} s): every read model evolved in memory, no store`,
  );
  const loadMedium = loadAverage();
  log(`rebuild ~1M, ${largeRounds} rounds (load average ${loadMedium})`);
  const large = await alternate(
    largeRounds,
    {
      rebuild: () => rebuildInto('large', largeFile, true),
      readAll: () => rawReadAll(largeFile),
    },
    report,
  );
  const expectCount = (ms: readonly Measurement[], expected: number, who: string) => {
    for (const m of ms) if (m.count !== expected) throw new Error(`${who}: ${m.count} of ${expected} events`);
  };
  expectCount([small], (built['small'] as BuiltFile).events, 'rebuild 10k');
  expectCount([...medium.rebuild, ...medium.readAll, floor], (built['medium'] as BuiltFile).events, '100k');
  expectCount([...large.rebuild, ...large.readAll], (built['large'] as BuiltFile).events, '1M');

  const loadLarge = loadAverage();
  log(`queries, ${calls} calls each per size (load average ${loadLarge})`);
  // In a process of its own, as a server answers (query-latency.ts).
  const { scope, latencies, fullPages } = measureQueriesInChild(
    {
      small: { readFile: keep['small'] as string, eventFile: smallFile },
      medium: { readFile: keep['medium'] as string, eventFile: mediumFile },
      large: { readFile: keep['large'] as string, eventFile: largeFile },
    },
    calls,
    warmUp,
  );

  const loadAfter = loadAverage();
  const rebuildRate = (ms: readonly Measurement[]) => median(ms.map(rate));
  const readAllRatio = (ours: readonly Measurement[], ref: readonly Measurement[]) =>
    median(ours.map((m, i) => rate(m) / rate(ref[i] as Measurement)));
  const peakRss = Math.max(...peaks);
  const cpuOf = (label: string) => median(cpu[label] ?? []);
  const sizes = {
    small: (built['small'] as BuiltFile).events.toLocaleString('en-US'),
    medium: (built['medium'] as BuiltFile).events.toLocaleString('en-US'),
    large: (built['large'] as BuiltFile).events.toLocaleString('en-US'),
  };
  // Latency per row (per byte of the document) read: the page of the small store may hold fewer
  // rows, as its tenant has fewer matching signals; this ratio says whether a row costs more.
  const perUnitRatio = (q: (typeof latencies)[number]) =>
    q.large.p50 / Math.max(1, q.sizes[1]) / (q.small.p50 / Math.max(1, q.sizes[0]));
  const tables: BenchTable[] = [
    {
      title: 'rebuild of all read models (events/s, median over rounds)',
      headers: [
        'events',
        'rounds',
        'rebuild',
        'raw readAll',
        'ratio',
        'rebuild s',
        'CPU s',
        'events per CPU s',
        'peak RSS MiB',
        'load avg',
      ],
      rows: [
        [
          sizes.small,
          '1',
          formatRate(rate(small)),
          '—',
          '—',
          small.seconds.toFixed(1),
          cpuOf('small').toFixed(1),
          formatRate(small.count / cpuOf('small')),
          '—',
          loadBefore,
        ],
        [
          sizes.medium,
          String(mediumRounds),
          formatRate(rebuildRate(medium.rebuild)),
          formatRate(rebuildRate(medium.readAll)),
          formatRatio(readAllRatio(medium.rebuild, medium.readAll), minRatio),
          median(medium.rebuild.map((m) => m.seconds)).toFixed(1),
          cpuOf('medium').toFixed(1),
          formatRate((medium.rebuild[0]?.count ?? 0) / cpuOf('medium')),
          '—',
          loadMedium,
        ],
        [
          sizes.large,
          String(largeRounds),
          formatRate(rebuildRate(large.rebuild)),
          formatRate(rebuildRate(large.readAll)),
          formatRatio(readAllRatio(large.rebuild, large.readAll), minRatio),
          median(large.rebuild.map((m) => m.seconds)).toFixed(1),
          cpuOf('large').toFixed(1),
          formatRate((large.rebuild[0]?.count ?? 0) / cpuOf('large')),
          peakRss.toFixed(0),
          loadLarge,
        ],
      ],
    },
    {
      title: `the projections alone at ${sizes.medium} events: every read model evolved in memory, no read store, runner or commit (the floor under any rebuild of them; not a target)`,
      headers: ['events/s', 'seconds', 'CPU s', 'events per CPU s', 'share of the rebuild time'],
      rows: [
        [
          formatRate(rate(floor)),
          floor.seconds.toFixed(1),
          floor.cpuSeconds.toFixed(1),
          formatRate(floor.count / floor.cpuSeconds),
          `${((100 * floor.seconds) / median(medium.rebuild.map((m) => m.seconds))).toFixed(0)}%`,
        ],
      ],
    },
    {
      title: `query latency (ms) at ${sizes.small} vs ${sizes.large} events, tenant ${scope.tenantId}, ${calls} calls after ${warmUp} to warm up, alternating`,
      headers: [
        'query',
        'p50 small',
        'p99 small',
        'p50 large',
        'p99 large',
        'p50 ratio',
        'p99 ratio',
        'read small / large',
        'p50 ratio per unit read',
      ],
      rows: latencies.map((q) => [
        q.name,
        formatMs(q.small.p50),
        formatMs(q.small.p99),
        formatMs(q.large.p50),
        formatMs(q.large.p99),
        (q.large.p50 / q.small.p50).toFixed(2),
        (q.large.p99 / q.small.p99).toFixed(2),
        `${q.sizes[0]} / ${q.sizes[1]} ${q.unit}`,
        perUnitRatio(q).toFixed(2),
      ]),
    },
    {
      title: `query latency (ms) at ${sizes.medium} vs ${sizes.large} events (not a target: the pages are full at both sizes), same tenant and calls`,
      headers: ['query', 'p50 medium', 'p50 large', 'p50 ratio', 'p99 ratio', 'read medium / large'],
      rows: fullPages.map((q) => [
        q.name,
        formatMs(q.small.p50),
        formatMs(q.large.p50),
        (q.large.p50 / q.small.p50).toFixed(2),
        (q.large.p99 / q.small.p99).toFixed(2),
        `${q.sizes[0]} / ${q.sizes[1]} ${q.unit}`,
      ]),
    },
  ];
  const checks: BenchCheck[] = [
    ...(
      [
        ['100k', medium.rebuild],
        ['1M', large.rebuild],
      ] as const
    ).map(([label, ms]) => ({
      name: `rebuild ${label} events/s`,
      measured: formatRate(rebuildRate(ms)),
      target: `≥ ${formatRate(minRate)}`,
      pass: rebuildRate(ms) >= minRate,
    })),
    {
      name: `rebuild ${sizes.large} events: seconds`,
      measured: `${median(large.rebuild.map((m) => m.seconds)).toFixed(1)} s`,
      target: '< 35 s',
      pass: median(large.rebuild.map((m) => m.seconds)) < 35,
    },
    ...(
      [
        ['100k', medium],
        ['1M', large],
      ] as const
    ).map(([label, m]) => ({
      name: `rebuild ${label} / raw readAll (same run)`,
      measured: `${formatRatio(readAllRatio(m.rebuild, m.readAll), minRatio)}×`,
      target: `≥ ${minRatio}×`,
      pass: readAllRatio(m.rebuild, m.readAll) >= minRatio,
    })),
    {
      name: 'peak RSS during 1M rebuild',
      measured: `${peakRss.toFixed(0)} MiB`,
      target: `< ${maxRssMiB} MiB`,
      pass: peakRss < maxRssMiB,
    },
    ...latencies
      .filter((q) => q.comparison !== true)
      .map((q) => ({
        name: `${q.name}: p50 large/small`,
        measured: `${formatRatio(q.large.p50 / q.small.p50, maxLatencyRatio)}×`,
        target: `≤ ${maxLatencyRatio}×`,
        pass: q.large.p50 / q.small.p50 <= maxLatencyRatio,
      })),
  ];

  return {
    rows: [
      row('rebuild ~100k', medium.rebuild, 'raw readAll count', medium.readAll, minRatio),
      row('rebuild ~1M', large.rebuild, 'raw readAll count', large.readAll, minRatio),
    ],
    tables,
    checks,
    parameters: {
      rebuildProcess:
        'own process, compiled JavaScript, node flags and environment as npm run cli gives them (rebuildProcessOf)',
      rebuildProcesses: runsWith,
      seed: 42,
      tenants: 10,
      events: { small: sizes.small, medium: sizes.medium, large: sizes.large },
      mediumRounds,
      largeRounds,
      batchSize: BATCH_SIZE,
      queryCalls: calls,
      queryWarmUpCalls: warmUp,
      loadAverage: { before: loadBefore, medium: loadMedium, large: loadLarge, after: loadAfter },
      projections: PROJECTIONS.map((p) => `${p.name} v${p.schemaVersion}`),
      dataPath: 'demo plan → signalDecider → SqliteEventStore.append (synchronous=OFF, 5000 in flight)',
    },
    samples: {
      rebuildSmall: [small],
      rebuildMedium: medium.rebuild,
      readAllMedium: medium.readAll,
      projectionsAloneMedium: [{ count: floor.count, seconds: floor.seconds }],
      rebuildLarge: large.rebuild,
      readAllLarge: large.readAll,
    },
    details: {
      built: { small: { ...built['small'] }, medium: { ...built['medium'] }, large: { ...built['large'] } },
      peakRssMiB: peaks,
      cpuSeconds: cpu,
      projectionsAlone: { ...floor },
      scope: { tenantId: scope.tenantId, scopeKeys: scope.scopeKeys },
      fullPages: fullPages.map((q) => ({
        name: q.name,
        medium: { ...q.small },
        large: { ...q.large },
        read: { unit: q.unit, medium: q.sizes[0], large: q.sizes[1] },
      })),
      latencies: latencies.map((q) => ({
        name: q.name,
        small: { ...q.small },
        large: { ...q.large },
        read: { unit: q.unit, small: q.sizes[0], large: q.sizes[1] },
      })),
    },
  };
}

export const projectionsBench: Bench = {
  name: 'projections',
  description: 'read-model rebuild against raw readAll, and query latency at 10k vs 1M events',
  run,
};
