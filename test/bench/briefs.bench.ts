import { collectionOf, signalInboxProjection, type SignalInboxDocument } from '../../projections/index.js';
import { SqliteEventStore } from '../../src/platform/event-store/sqlite/sqlite-event-store.js';
import { streamName } from '../../src/platform/event-store/stream-name.js';
import { SqliteReadStore } from '../../src/platform/read-store/sqlite/sqlite-read-store.js';
import { BriefGenerator } from '../../src/reporting/brief-generator.js';
import { BriefLedger } from '../../src/reporting/brief-ledger.js';
import { ReadModelBriefSignalSource } from '../../src/reporting/brief-sources.js';
import { FileBriefStorage } from '../../src/reporting/brief-storage.js';
import { EventStoreDossierSummarySource } from '../../src/reporting/dossier-summary-source.js';
import { envInt, median, type Bench, type BenchContext, type BenchReport } from './harness.js';
import { mulberry32 } from './prng.js';
import { PLAIN_TEXT } from '../../src/privacy/sealed-text.js';

/**
 * Brief generation for one tenant-year: BRIEF_BENCH_SIGNALS (20k) signal-inbox documents of the
 * tenant in 2025 (plus as many in each of the three years before: the trend, and a history the brief must not read), written to the SQLite read store as
 * the projection runner leaves them, and 60 dossiers with analyses, escalations and decisions in
 * the event store. Each round renders the year brief in all four formats; the table splits the
 * time into reading the read models (and folding the dossier events), computing the figures, and
 * rendering (Vega charts, HTML, Markdown, PDF). Target: a tenant-year under 5 s.
 */

const THEMES = [
  'wonen',
  'energie',
  'armoede-en-inkomen',
  'werk',
  'gezondheid',
  'mentaal-welzijn',
  'jeugd',
  'onderwijs',
  'kinderopvang',
  'mobiliteit',
  'digitale-inclusie',
  'zorg-en-ondersteuning',
];
const DOMAINS = ['wonen', 'welzijn', 'jeugd', 'onderwijs', 'mobiliteit', 'werk', null];
const STATES = [
  'submitted',
  'triaged',
  'assigned',
  'in_analysis',
  'analysed',
  'escalated',
  'closed',
  'closed',
  'closed',
  'rejected',
  'merged',
];
const DAY = 86_400_000;

function documents(count: number, year: number, random: () => number): SignalInboxDocument[] {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const start = Date.UTC(year, 0, 1);
  return Array.from({ length: count }, (_, i) => {
    const submitted = start + Math.floor(random() * 365 * DAY);
    const state = pick(STATES);
    const open = !['closed', 'rejected', 'merged'].includes(state);
    const entered = submitted + Math.floor(random() * 90 * DAY);
    const themes = [...new Set([pick(THEMES), ...(random() < 0.3 ? [pick(THEMES)] : [])])];
    return {
      tenantId: 'gent',
      signalId: `${year}-${String(i).padStart(6, '0')}`,
      title: `Signaal ${i} over ${themes[0]}`,
      state,
      open,
      themes,
      targetGroups: [],
      policyDomain: pick(DOMAINS),
      assigneeId: null,
      givenBy: `giver-${i % 400}`,
      organisationId: null,
      area: null,
      areaType: null,
      urgency: null,
      structural: random() < 0.1 ? true : null,
      submittedAt: new Date(submitted).toISOString(),
      updatedAt: new Date(entered).toISOString(),
      stateEnteredAt: new Date(entered).toISOString(),
      dueAt: open ? new Date(entered + 10 * DAY).toISOString() : null,
      workflow: { name: 'signal-lifecycle', version: 1 },
      revision: 3,
      erased: false,
      overdue: null,
      scopeKeys: ['tenant'],
    };
  });
}

async function run(context: BenchContext): Promise<BenchReport> {
  const signals = envInt('BRIEF_BENCH_SIGNALS', 20_000);
  const rounds = envInt('BENCH_ROUNDS', 5);
  const random = mulberry32(2025);
  const store = new SqliteEventStore({ file: context.scratch.file('events.sqlite'), synchronous: 'OFF' });
  const readStore = new SqliteReadStore({ file: context.scratch.file('read-models.sqlite') });
  try {
    const spec = collectionOf(signalInboxProjection, signalInboxProjection.schemaVersion);
    await readStore.ensureCollection(spec);
    const docs = [2022, 2023, 2024, 2025].flatMap((year) => documents(signals, year, random));
    for (let i = 0; i < docs.length; i += 2000) {
      const puts = docs
        .slice(i, i + 2000)
        .map((doc, j) => ({ id: `gent:${doc.signalId}`, doc, position: BigInt(i + j + 1) }));
      await readStore.commit([
        {
          collection: spec,
          puts,
          deletes: [],
          parked: [],
          checkpoint: BigInt(i + puts.length),
          caughtUp: true,
        },
      ]);
    }
    await readStore.activate(spec);
    for (let d = 0; d < 60; d += 1) {
      const dossierId = `d${d}`;
      const at = (day: number) => new Date(Date.UTC(2025, 0, 1) + day * DAY).toISOString();
      const base = Math.floor(random() * 300);
      const metadata = (day: number) => ({
        tenantId: 'gent',
        actor: { id: 'lead', role: 'lead-processor' },
        correlationId: dossierId,
        causationId: dossierId,
        occurredAt: at(day),
      });
      const members = Array.from({ length: 5 + (d % 20) }, (_, i) => `s${d}-${i}`);
      await store.append(
        streamName('dossier', 'gent', dossierId),
        [
          {
            type: 'DossierCreated',
            data: {
              dossierId,
              title: `Dossier ${d}: ${THEMES[d % THEMES.length]}`,
              summary: '',
              themes: [THEMES[d % THEMES.length]!],
              signalIds: members,
            },
            metadata: metadata(base),
          },
          {
            type: 'DossierAnalysisRecorded',
            data: { dossierId, conclusion: `Analyse van dossier ${d}`, structural: d % 2 === 0, themes: [] },
            metadata: metadata(base + 20),
          },
          {
            type: 'DossierEscalated',
            data: {
              dossierId,
              level: d % 3 === 0 ? 'supralocal' : 'local',
              body: 'college',
              motivation: '',
              memberSignalIds: members,
            },
            metadata: metadata(base + 30),
          },
          {
            type: 'DossierPolicyDecisionRecorded',
            data: {
              dossierId,
              decision: `Beslissing ${d}`,
              actions: ['actie'],
              feedback: '',
              memberSignalIds: members,
            },
            metadata: metadata(base + 50),
          },
        ],
        { expectedRevision: 'no-stream' },
      );
    }
    const generator = new BriefGenerator(
      new BriefLedger(store),
      new ReadModelBriefSignalSource(readStore, PLAIN_TEXT),
      new EventStoreDossierSummarySource(store),
      new FileBriefStorage(context.scratch.file('briefs')),
      () => new Date('2026-11-28T10:00:00.000Z'),
    );
    const measured: Array<{
      readMs: number;
      computeMs: number;
      renderMs: number;
      totalMs: number;
      bytes: Record<string, number>;
    }> = [];
    await generator.render('gent', '2025'); // warm-up: module loading and JIT, not timed
    for (let round = 0; round < rounds; round += 1) {
      const started = performance.now();
      const brief = await generator.render('gent', '2025');
      const totalMs = performance.now() - started;
      if (brief.content.totals.received.current !== signals)
        throw new Error(`brief counted ${brief.content.totals.received.current} of ${signals}`);
      measured.push({
        ...brief.timings,
        totalMs,
        bytes: Object.fromEntries([...brief.files].map(([f, b]) => [f, b.byteLength])),
      });
      context.log(`round ${round + 1}: ${totalMs.toFixed(0)} ms`);
    }
    const med = (key: 'readMs' | 'computeMs' | 'renderMs' | 'totalMs') => median(measured.map((m) => m[key]));
    const total = med('totalMs');
    const share = (key: 'readMs' | 'computeMs' | 'renderMs') => `${((med(key) / total) * 100).toFixed(0)} %`;
    const last = measured[measured.length - 1]!;
    return {
      rows: [],
      tables: [
        {
          title: `Year brief of one tenant: ${signals} signals in 2025 (of ${4 * signals} in four years), 60 dossiers; median of ${rounds} rounds`,
          headers: ['part', 'median ms', 'share'],
          rows: [
            ['read models + dossier events', med('readMs').toFixed(0), share('readMs')],
            ['figures (pure computation)', med('computeMs').toFixed(0), share('computeMs')],
            ['render (Vega SVG, HTML, Markdown, PDF)', med('renderMs').toFixed(0), share('renderMs')],
            ['total', total.toFixed(0), '100 %'],
          ],
        },
        {
          title: 'Output sizes (bytes)',
          headers: Object.keys(last.bytes),
          rows: [Object.values(last.bytes).map(String)],
        },
      ],
      checks: [
        {
          name: 'tenant-year brief',
          measured: `${(total / 1000).toFixed(2)} s`,
          target: '< 5 s',
          pass: total < 5000,
        },
      ],
      parameters: { signals, rounds, dossiers: 60 },
      samples: {},
      details: measured.map((m) => ({ ...m })),
    };
  } finally {
    await readStore.close();
    await store.close();
  }
}

export const briefsBench: Bench = {
  name: 'briefs',
  description:
    'policy brief of a tenant-year (20k signals) from the read models, split into reading and rendering',
  run,
};
