import DatabaseConstructor from 'better-sqlite3';
import { ChainVerifier } from '../../src/audit/core/chain-verifier.js';
import { lookupWorkflow, verifyStore, type StoreVerifyReport } from '../../src/audit/verify-store.js';
import { SqliteEventStore } from '../../src/platform/event-store/sqlite/sqlite-event-store.js';
import { applyPragmas } from '../../src/platform/event-store/sqlite/schema.js';
import {
  alternate,
  collectGarbage,
  envInt,
  formatRate,
  now,
  rate,
  row,
  secondsSince,
  type Bench,
  type BenchCheck,
  type BenchContext,
  type BenchReport,
  type Measurement,
} from './harness.js';
import { buildEventFile } from './projection-data.js';

/**
 * The audit verifier on demo data (seed 42, 10 tenants, signals decided by the real decider and
 * appended through SqliteEventStore, so every event is sealed into its stream's chain), beside a
 * plain `readAll` of the same file in the same run, alternating over rounds:
 *   verify          every stream: each hash recomputed, each link and each transition checked
 *   verify --tenant one tenant of ten (reads everything, verifies a tenth)
 *   verify, re-serialising   without the stored text: every event serialised canonically again,
 *                   as on a store that keeps no text (EventStoreDB)
 *   readAll         our port's readAll, counting (the reference: verify ≥ 0.3× its rate)
 *   raw SELECT      better-sqlite3 iterate + JSON.parse, the physical limit (information)
 * That it streams: the heap it holds after a full collection, per stream (it keeps per-stream
 * state, never events), beside the peak RSS of the timed runs (which includes uncollected garbage).
 */

const MiB = 1024 * 1024;

async function timedVerify(
  file: string,
  tenant: string | undefined,
  sampleRss: (rss: number) => void,
  storedText = true,
): Promise<{ m: Measurement; report: StoreVerifyReport }> {
  const store = new SqliteEventStore({ file, synchronous: 'NORMAL' });
  try {
    const start = now();
    const report = await verifyStore(store, {
      ...(tenant ? { tenant } : {}),
      storedText,
      progressEvery: 50_000,
      onProgress: () => sampleRss(process.memoryUsage().rss),
    });
    // Events read per second, as readAll is measured: both read the whole store.
    return { m: { count: report.eventsRead, seconds: secondsSince(start) }, report };
  } finally {
    await store.close();
  }
}

/**
 * What a verification holds on to: heap in use after a full collection, with the verifier's state
 * of every stream alive, minus the same before it started (not timed).
 */
async function retainedHeap(file: string): Promise<{ bytes: number; streams: number }> {
  const store = new SqliteEventStore({ file, synchronous: 'NORMAL' });
  try {
    collectGarbage();
    const before = process.memoryUsage().heapUsed;
    const verifier = new ChainVerifier({ lookupWorkflow });
    for await (const event of store.readAllWithText()) verifier.feed(event);
    collectGarbage();
    const bytes = process.memoryUsage().heapUsed - before;
    return { bytes, streams: verifier.finish().streams };
  } finally {
    await store.close();
  }
}

async function timedReadAll(file: string): Promise<Measurement> {
  const store = new SqliteEventStore({ file, synchronous: 'NORMAL' });
  try {
    let count = 0;
    const start = now();
    for await (const _event of store.readAll()) count += 1;
    return { count, seconds: secondsSince(start) };
  } finally {
    await store.close();
  }
}

function timedRawRead(file: string): Measurement {
  const db = new DatabaseConstructor(file, { readonly: true });
  try {
    applyPragmas(db, 'NORMAL', 5000);
  } catch {
    // A read-only connection cannot switch the journal mode; the file is already in WAL.
  }
  try {
    const statement = db.prepare<[], { data: string; metadata: string }>(
      'SELECT position, id, stream, revision, type, data, metadata, recorded_at FROM events ORDER BY position',
    );
    let count = 0;
    const start = now();
    for (const r of statement.iterate()) {
      if (JSON.parse(r.data) !== null && JSON.parse(r.metadata) !== null) count += 1;
    }
    return { count, seconds: secondsSince(start) };
  } finally {
    db.close();
  }
}

async function run({ scratch, log }: BenchContext): Promise<BenchReport> {
  const target = envInt('BENCH_EVENTS', 1_000_000);
  const rounds = envInt('BENCH_ROUNDS', 3);
  const file = scratch.file('audit.sqlite');
  log(
    `building ~${target.toLocaleString('en-US')} sealed events (demo plan through the decider; setup, not timed)`,
  );
  const built = buildEventFile(file, target);
  log(
    `  ${built.events.toLocaleString('en-US')} events of ${built.signals.toLocaleString('en-US')} signals in ${built.seconds.toFixed(0)} s`,
  );

  let peakRss = 0;
  const rssAtStart = process.memoryUsage().rss;
  const reports: StoreVerifyReport[] = [];
  // Warm the page cache and the JIT for every contestant, not recorded.
  await timedReadAll(file);
  log(`readAll, verify (3 ways) and a raw SELECT, ${rounds} rounds, alternating`);
  const measured = await alternate(
    rounds,
    {
      verify: async () => {
        const { m, report } = await timedVerify(file, undefined, (rss) => (peakRss = Math.max(peakRss, rss)));
        reports.push(report);
        return m;
      },
      verifyTenant: async () => (await timedVerify(file, 'gent', () => undefined)).m,
      verifyReserialised: async () => (await timedVerify(file, undefined, () => undefined, false)).m,
      readAll: () => timedReadAll(file),
      raw: async () => timedRawRead(file),
    },
    (name, round, m) =>
      log(
        `  round ${round + 1} ${name.padEnd(18)} ${Math.round(rate(m)).toLocaleString('en-US').padStart(9)} events/s`,
      ),
  );

  const retained = await retainedHeap(file);
  log(`  retained by the verifier: ${Math.round(retained.bytes / MiB)} MiB for ${retained.streams} streams`);
  const last = reports[reports.length - 1]!;
  const violations = Object.values(last.counts).reduce((sum, n) => sum + n, 0);
  const checks: BenchCheck[] = [
    {
      name: 'verify read every event of the file',
      measured: reports.map((r) => r.events.toLocaleString('en-US')).join(', '),
      target: built.events.toLocaleString('en-US'),
      pass: reports.every((r) => r.events === built.events),
    },
    {
      name: 'violations in an untouched store',
      measured: String(violations),
      target: '0',
      pass: violations === 0,
    },
  ];
  return {
    rows: [
      row('verify, all tenants', measured.verify, 'readAll (port)', measured.readAll, 0.3),
      row('verify --tenant gent', measured.verifyTenant, 'readAll (port)', measured.readAll),
      row(
        'verify, re-serialising (no stored text)',
        measured.verifyReserialised,
        'readAll (port)',
        measured.readAll,
      ),
      row('verify, all tenants', measured.verify, 'raw SELECT + JSON.parse', measured.raw),
      row('readAll (port)', measured.readAll, 'raw SELECT + JSON.parse', measured.raw),
    ],
    tables: [
      {
        title: 'verification (last round)',
        headers: [
          'events',
          'streams',
          'violations',
          'verify events/s',
          'RSS before',
          'peak RSS during verify',
          'heap held (after GC)',
          'per stream',
        ],
        rows: [
          [
            last.events.toLocaleString('en-US'),
            last.streams.toLocaleString('en-US'),
            String(violations),
            formatRate(rate(measured.verify[measured.verify.length - 1]!)),
            `${Math.round(rssAtStart / MiB)} MiB`,
            `${Math.round(peakRss / MiB)} MiB`,
            `${Math.round(retained.bytes / MiB)} MiB`,
            `${Math.round(retained.bytes / retained.streams)} B`,
          ],
        ],
      },
    ],
    checks,
    parameters: {
      targetEvents: target,
      events: built.events,
      signals: built.signals,
      rounds,
      synchronous: 'NORMAL (reads only)',
      ratio: 'median over rounds of ours/reference measured in the same round',
    },
    samples: measured,
    details: {
      peakRssMiB: Math.round(peakRss / MiB),
      streams: last.streams,
      retainedHeapMiB: Math.round(retained.bytes / MiB),
      retainedBytesPerStream: Math.round(retained.bytes / retained.streams),
    },
  };
}

export const auditBench: Bench = {
  name: 'audit',
  description: 'audit verify (hash chain + transitions) against readAll of the same sealed store',
  run,
};
