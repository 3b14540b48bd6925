import type { RecordedEvent } from '../../src/platform/event-store/event-store.port.js';
import {
  SimilarityIndex,
  TERM_STRIDE,
  TEXT_WEIGHT,
  THEME_WEIGHT,
  type IndexedSignal,
} from '../../src/dossiers/similar/similarity-index.js';
import { fill, GROUP_PHRASES, PERIODS, THEME_TEXTS } from '../../src/demo/texts.js';
import { PILOT_MUNICIPALITIES } from '../../src/demo/municipalities.js';
import {
  collectGarbage,
  envInt,
  formatMs,
  now,
  Samples,
  secondsSince,
  summarizeLatencies,
  type Bench,
  type BenchCheck,
  type BenchContext,
  type BenchReport,
  type Measurement,
} from './harness.js';
import { Random } from './prng.js';

/**
 * Similar-signal suggestions at tenant scale: N demo signals of one tenant (texts of the demo
 * generator, seed 42) applied to the incremental index event by event, then Q queries of
 * random subjects, each timed (p50/p95/p99). Reference in the same run: a full scan that scores
 * the subject against every signal of the tenant with the same formula — what a request that
 * re-reads every signal would cost even without any I/O. Both must return the same top 10.
 */

const MiB = 1024 * 1024;
const TENANT = 'gent';

function demoSignals(count: number, random: Random): RecordedEvent[] {
  const events: RecordedEvent[] = [];
  const areas = PILOT_MUNICIPALITIES.find((m) => m.slug === TENANT)!.areas.map((a) => a.locative);
  for (let i = 0; i < count; i++) {
    const theme = random.pick(THEME_TEXTS);
    const problem = random.pick(theme.problems);
    const values: Record<string, string> = new Proxy(
      {
        inWaar: random.pick(areas),
        gemeente: 'Gent',
        n: String(random.int(2, 40)),
        periode: random.pick(PERIODS),
        groep: GROUP_PHRASES[random.pick(problem.groups)] ?? 'gezinnen',
      },
      { get: (target, key: string) => (key in target ? target[key as keyof typeof target] : 'de dienst') },
    );
    const title = fill(random.pick(problem.titles), values);
    const description = `${fill(random.pick(problem.observations), values)} ${fill(random.pick(problem.details), values)}`;
    const themes = random.float() < 0.4 ? [theme.code, random.pick(theme.related)] : [theme.code];
    const signalId = `s-${i}`;
    events.push({
      id: `e-${i}`,
      type: 'SignalSubmitted',
      data: {
        signalId,
        title,
        description,
        themes: [...new Set(themes)],
        organisationId: null,
        workflow: { name: 'signal-lifecycle', version: 1 },
      },
      metadata: {
        tenantId: TENANT,
        actor: { id: `giver-${i % 300}`, role: 'signal-giver' },
        correlationId: 'c',
        causationId: 'c',
        occurredAt: '2026-03-02T09:00:00.000Z',
        workflow: { to: 'submitted' },
      },
      stream: `signal-${TENANT}-${signalId}`,
      revision: 0n,
      position: BigInt(i + 1),
      recordedAt: new Date(0),
    });
  }
  return events;
}

/** The reference: every signal of the tenant scored against the subject, as the index scores. */
function scan(index: SimilarityIndex, subjectId: string, limit: number): string[] {
  const subject = index.get(TENANT, subjectId)!;
  const weights = new Map<number, number>();
  let subjectNorm = 0;
  for (let i = 0; i < subject.terms.length; i += TERM_STRIDE) {
    const term = subject.terms[i]!;
    const weight = (1 + Math.log(subject.terms[i + 1]!)) * index.idf(TENANT, term);
    weights.set(term, weight);
    subjectNorm += weight * weight;
  }
  subjectNorm = Math.sqrt(subjectNorm);
  const scored: Array<{ signal: IndexedSignal; score: number }> = [];
  for (const candidate of index.signalsOf(TENANT)) {
    if (candidate === subject) continue;
    let dot = 0;
    let norm = 0;
    for (let i = 0; i < candidate.terms.length; i += TERM_STRIDE) {
      const term = candidate.terms[i]!;
      const weight = (1 + Math.log(candidate.terms[i + 1]!)) * index.idf(TENANT, term);
      norm += weight * weight;
      const own = weights.get(term);
      if (own !== undefined) dot += own * weight;
    }
    if (dot === 0) continue;
    const text = dot / (subjectNorm * (Math.sqrt(norm) || 1));
    const shared = subject.themes.filter((t) => candidate.themes.includes(t)).length;
    const themes = shared / (subject.themes.length + candidate.themes.length - shared);
    const score = TEXT_WEIGHT * text + THEME_WEIGHT * themes;
    if (score >= 0.05) scored.push({ signal: candidate, score });
  }
  scored.sort(
    (a, b) =>
      b.score - a.score ||
      (a.signal.signalId < b.signal.signalId ? -1 : a.signal.signalId > b.signal.signalId ? 1 : 0),
  );
  return scored.slice(0, limit).map((entry) => entry.signal.signalId);
}

async function measure(size: number, queries: number, scans: number, context: BenchContext) {
  const random = new Random(42);
  // What the index holds on to after a full collection, the events gone: its heap and the
  // buffers of its packed terms, minus the same before.
  collectGarbage();
  const memory = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  const before = memory();
  const index = new SimilarityIndex();
  const events = demoSignals(size, random);
  const start = now();
  for (const event of events) index.apply(event);
  const build: Measurement = { count: size, seconds: secondsSince(start) };
  events.length = 0;
  collectGarbage();
  const heap = (memory() - before) / MiB;
  const subjects = Array.from({ length: queries }, () => `s-${random.int(0, size - 1)}`);
  for (const subject of subjects.slice(0, 20)) index.similar(TENANT, subject, { limit: 10 });
  const ours = new Samples();
  for (const subject of subjects) {
    const t0 = now();
    index.similar(TENANT, subject, { limit: 10 });
    ours.push(now() - t0);
  }
  const reference = new Samples();
  let agree = 0;
  for (const subject of subjects.slice(0, scans)) {
    const t0 = now();
    const expected = scan(index, subject, 10);
    reference.push(now() - t0);
    const got = index.similar(TENANT, subject, { limit: 10 }).map((entry) => entry.signal.signalId);
    if (JSON.stringify(got) === JSON.stringify(expected)) agree += 1;
  }
  const oursP95 = p95(ours.values());
  const referenceP95 = p95(reference.values());
  const o = summarizeLatencies(ours.values());
  const r = summarizeLatencies(reference.values());
  context.log(
    `similar ${size}: build ${build.seconds.toFixed(2)} s, p50 ${formatMs(o.p50)} ms, scan p50 ${formatMs(r.p50)} ms`,
  );
  return { size, build, heap, ours: o, reference: r, oursP95, referenceP95, agree, scans };
}

export { demoSignals };

export const similarBench: Bench = {
  name: 'similar',
  description:
    'similar-signal index: build and query latency at 10k and 50k signals of one tenant, vs a full scan',
  async run(context: BenchContext): Promise<BenchReport> {
    const queries = envInt('SIMILAR_QUERIES', 500);
    const scans = envInt('SIMILAR_SCANS', 40);
    const results = [];
    for (const size of [10_000, 50_000]) results.push(await measure(size, queries, scans, context));
    const checks: BenchCheck[] = results.map((result) => ({
      name: `same top 10 as the full scan (${result.size})`,
      measured: `${result.agree}/${result.scans}`,
      target: `${result.scans}/${result.scans}`,
      pass: result.agree === result.scans,
    }));
    return {
      rows: [],
      tables: [
        {
          title: 'similar signals, one tenant (ms per query, limit 10)',
          headers: [
            'signals',
            'build s',
            'signals/s',
            'heap MiB',
            'p50',
            'p95',
            'p99',
            'scan p50',
            'scan p95',
            'scan ÷ index (p50)',
          ],
          rows: results.map((r) => [
            r.size.toLocaleString('en-US'),
            r.build.seconds.toFixed(2),
            Math.round(r.size / r.build.seconds).toLocaleString('en-US'),
            r.heap.toFixed(0),
            formatMs(r.ours.p50),
            formatMs(r.oursP95),
            formatMs(r.ours.p99),
            formatMs(r.reference.p50),
            formatMs(r.referenceP95),
            (r.reference.p50 / r.ours.p50).toFixed(1),
          ]),
        },
      ],
      checks,
      parameters: { queries, scans, seed: 42 },
      samples: Object.fromEntries(results.map((r) => [`build-${r.size}`, [r.build]])),
      details: results.map((r) => ({
        size: r.size,
        heapMiB: r.heap,
        index: { ...r.ours, p95: r.oursP95 },
        scan: { ...r.reference, p95: r.referenceP95 },
      })),
    };
  },
};

/** Nearest-rank 95th percentile. */
function p95(values: Float64Array): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)] ?? 0;
}
