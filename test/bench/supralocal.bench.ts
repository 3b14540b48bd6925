import { performance } from 'node:perf_hooks';
import {
  collectionOf,
  dashboardView,
  dossierDetailProjection,
  dossierListProjection,
  supralocalCellsProjection,
  tenantDashboardProjection,
  type Projection,
  type TenantDashboardDocument,
} from '../../projections/index.js';
import { aSignalSubmitted } from '../../projections/testing/builders.js';
import type { AppConfig } from '../../src/config/app-config.js';
import type { JsonObject } from '../../src/platform/json.js';
import { SqliteReadStore } from '../../src/platform/read-store/sqlite/sqlite-read-store.js';
import type { StoredDocument } from '../../src/platform/read-store/read-store.port.js';
import type { ProjectionHost } from '../../src/read-models/projection-host.js';
import { ReadModels } from '../../src/read-models/read-models.js';
import type { AuthenticatedActor } from '../../src/auth/actor.js';
import type { Participant } from '../../src/supralocal/core/patterns.js';
import { suppressionRules } from '../../src/supralocal/core/suppression.js';
import { SupralocalQueries } from '../../src/supralocal/supralocal-queries.js';
import { SqliteEventStore } from '../../src/platform/event-store/sqlite/sqlite-event-store.js';
import { BriefGenerator } from '../../src/reporting/brief-generator.js';
import { BriefLedger } from '../../src/reporting/brief-ledger.js';
import { ReadModelBriefSignalSource } from '../../src/reporting/brief-sources.js';
import { FileBriefStorage } from '../../src/reporting/brief-storage.js';
import { EventStoreDossierSummarySource } from '../../src/reporting/dossier-summary-source.js';
import { QueriesSupralocalBriefSource } from '../../src/reporting/supralocal-brief-source.js';
import { codesOf } from '../../workflows/taxonomy/taxonomy.js';
import {
  envInt,
  formatMs,
  summarizeLatencies,
  type Bench,
  type BenchCheck,
  type BenchContext,
  type BenchReport,
  type BenchTable,
  type LatencySummary,
  type Measurement,
} from './harness.js';
import { Random } from './prng.js';
import { PLAIN_TEXT } from '../../src/privacy/sealed-text.js';

/**
 * Supra-local pattern queries at the issue's scale (10 tenants × 50k signals, two years), beside
 * the tenant dashboard query in the same run. The read models are built by the projections' own
 * evolve from synthetic submissions (skewed themes and target groups, 400 givers and 30
 * organisations per tenant) and stored in the embedded read store; the queries run through
 * SupralocalQueries as the HTTP controller calls it (documents read from the store, suppressed,
 * shaped), alternating with the dashboard (get + view) call by call.
 */

const QUARTERS = 8;
const START = Date.parse('2025-01-01T00:00:00.000Z');
const SPAN_MS = QUARTERS * 91.3 * 24 * 3600 * 1000;
const TARGET_MS = 50;
/** The tenant brief's target (README, Beleidsbriefs): a brief within 5 s. */
const BRIEF_TARGET_MS = 5000;

function skewedPick<T>(values: readonly T[], prng: Random): T {
  // Zipf-like: the first themes are far more common, as in practice.
  const u = prng.float();
  return values[Math.min(values.length - 1, Math.floor(values.length * u * u))]!;
}

async function buildReadModels(
  store: SqliteReadStore,
  tenants: number,
  perTenant: number,
  log: (m: string) => void,
) {
  const prng = new Random(20261128);
  const themes = codesOf('themes');
  const groups = codesOf('targetGroups');
  const areaTypes = codesOf('areaTypes');
  const projections: Array<Projection> = [
    supralocalCellsProjection as Projection,
    tenantDashboardProjection as Projection,
  ];
  const documents = projections.map(() => new Map<string, JsonObject>());
  let position = 0n;
  const started = performance.now();
  const order: Array<{ tenant: number; at: number }> = [];
  for (let tenant = 0; tenant < tenants; tenant++)
    for (let i = 0; i < perTenant; i++) order.push({ tenant, at: START + prng.float() * SPAN_MS });
  order.sort((a, b) => a.at - b.at);
  for (const { tenant, at } of order) {
    position += 1n;
    const tenantId = `gemeente-${tenant}`;
    const signalThemes = [
      ...new Set(Array.from({ length: 1 + Math.floor(prng.float() * 2.2) }, () => skewedPick(themes, prng))),
    ];
    const targetGroups = [
      ...new Set(Array.from({ length: Math.floor(prng.float() * 2.5) }, () => skewedPick(groups, prng))),
    ];
    // Four in five signals name a kind of area, most often a deelgemeente.
    const areaType = prng.float() < 0.8 ? skewedPick(areaTypes, prng) : null;
    const event = aSignalSubmitted({
      tenantId,
      signalId: `s-${position}`,
      at: new Date(at).toISOString(),
      position,
      by: {
        id: `${tenantId}-giver-${Math.floor(prng.float() * 400)}`,
        role: 'signal-giver',
        organisationId: `${tenantId}-org-${Math.floor(prng.float() * 30)}`,
      },
      fields: { themes: signalThemes, targetGroups, ...(areaType === null ? {} : { areaType }) },
    });
    projections.forEach((projection, i) => {
      const id = projection.documentId(event);
      if (id === null) return;
      const next = projection.evolve(documents[i]!.get(id) ?? null, event);
      if (next !== null) documents[i]!.set(id, next);
    });
  }
  log(
    `built ${order.length} submissions into ${documents.map((d) => d.size).join(' + ')} documents in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  for (const [i, projection] of projections.entries()) {
    const spec = collectionOf(projection);
    await store.ensureCollection(spec);
    const puts: StoredDocument[] = [...documents[i]!].map(([id, doc]) => ({ id, doc, position }));
    await store.commit([
      { collection: spec, puts, deletes: [], parked: [], checkpoint: position, caughtUp: true },
    ]);
    await store.activate(spec);
  }
  // The escalations the supra-local brief reads: no dossier in this dataset, the collections exist.
  for (const projection of [dossierListProjection, dossierDetailProjection]) {
    const spec = collectionOf(projection as Projection);
    await store.ensureCollection(spec);
    await store.activate(spec);
  }
  const sizes = [...documents[0]!.values()].map((doc) => JSON.stringify(doc).length);
  return {
    lastQuarter: '2026-Q4',
    cellsDocumentKiB: Math.round(sizes.reduce((a, b) => a + b, 0) / sizes.length / 1024),
  };
}

interface Query {
  name: string;
  call(): Promise<number>;
}

async function timeAll(
  queries: readonly Query[],
  calls: number,
): Promise<Array<{ name: string; latency: LatencySummary; cpu: LatencySummary; samples: Measurement[] }>> {
  const values = queries.map(() => new Float64Array(calls));
  const cpu = queries.map(() => new Float64Array(calls));
  for (const query of queries) await query.call(); // warm up
  for (let i = 0; i < calls; i++) {
    for (const [q, query] of queries.entries()) {
      const start = performance.now();
      const startCpu = process.cpuUsage();
      await query.call();
      values[q]![i] = performance.now() - start;
      const used = process.cpuUsage(startCpu);
      cpu[q]![i] = (used.user + used.system) / 1000;
    }
  }
  return queries.map((query, q) => ({
    name: query.name,
    latency: summarizeLatencies(values[q]!),
    cpu: summarizeLatencies(cpu[q]!),
    samples: [...values[q]!].map((ms) => ({ count: 1, seconds: ms / 1000 })),
  }));
}

export const supralocalBench: Bench = {
  name: 'supralocal',
  description: 'supra-local pattern queries at 10 tenants × 50k signals, beside the tenant dashboard query',
  async run(context: BenchContext): Promise<BenchReport> {
    const tenants = envInt('BENCH_SUPRALOCAL_TENANTS', 10);
    const perTenant = envInt('BENCH_SUPRALOCAL_SIGNALS', 50_000);
    const calls = envInt('BENCH_SUPRALOCAL_CALLS', 40);
    const store = new SqliteReadStore({ file: context.scratch.file('supralocal-read-models.sqlite') });
    try {
      const built = await buildReadModels(store, tenants, perTenant, context.log);
      const readModels = new ReadModels(store, {} as ProjectionHost);
      const participants: Participant[] = Array.from({ length: tenants }, (_, i) => ({
        tenantId: `gemeente-${i}`,
        name: `Gemeente ${i}`,
        populationBand: i % 2 === 0 ? '25000-50000' : '50000-100000',
      }));
      const config = { supralocal: suppressionRules() } as AppConfig;
      const clock = { now: () => new Date('2026-12-15T12:00:00.000Z') };
      const queries = new SupralocalQueries(
        readModels,
        { list: () => Promise.resolve(participants) },
        config,
        clock,
      );
      const analyst: AuthenticatedActor = {
        id: 'vvsg-1',
        tenantId: 'vvsg',
        roles: ['supralocal-analyst'],
        policyDomains: [],
      };
      const lead: AuthenticatedActor = {
        id: 'lead-1',
        tenantId: 'gemeente-3',
        roles: ['lead-processor'],
        policyDomains: [],
      };
      const period = built.lastQuarter;
      const list: Query[] = [
        {
          name: 'patterns (analyst, all municipalities)',
          call: async () => (await queries.patterns(analyst, { period })).cells.length,
        },
        {
          name: 'patterns by population band',
          call: async () =>
            (await queries.patterns(analyst, { period, populationBand: '25000-50000' })).cells.length,
        },
        {
          name: 'patterns (lead processor, own cells)',
          call: async () => (await queries.patterns(lead, { period })).cells.length,
        },
        {
          name: 'theme over 4 quarters',
          call: async () => (await queries.theme(analyst, 'wonen', { period })).quarters.length,
        },
        {
          name: 'patterns as CSV',
          call: async () => queries.csv(await queries.patterns(analyst, { period })).length,
        },
        {
          name: 'tenant dashboard: get + view (reference)',
          call: async () => {
            const doc = await readModels.get<TenantDashboardDocument>(
              tenantDashboardProjection.name,
              'gemeente-3',
            );
            if (!doc) throw new Error('no dashboard');
            return Object.keys(dashboardView(doc, clock.now())).length;
          },
        },
      ];
      const results = await timeAll(list, calls);
      const tables: BenchTable[] = [
        {
          title: `query latency (ms), ${tenants} tenants × ${perTenant} signals over ${QUARTERS} quarters, ${calls} calls each, alternating (cells document ≈ ${built.cellsDocumentKiB} KiB)`,
          headers: ['query', 'p50', 'p90', 'p99', 'max', 'CPU p50'],
          rows: results.map((r) => [
            r.name,
            formatMs(r.latency.p50),
            formatMs(r.latency.p90),
            formatMs(r.latency.p99),
            formatMs(r.latency.max),
            formatMs(r.cpu.p50),
          ]),
        },
      ];
      // The quarterly supra-local brief for VVSG, through the same queries: read, compute, render.
      const briefRounds = envInt('BENCH_SUPRALOCAL_BRIEFS', 5);
      const events = new SqliteEventStore({ file: ':memory:' });
      const generator = new BriefGenerator(
        new BriefLedger(events),
        new ReadModelBriefSignalSource(store, PLAIN_TEXT),
        new EventStoreDossierSummarySource(events),
        new FileBriefStorage(context.scratch.file('briefs')),
        () => clock.now(),
        new QueriesSupralocalBriefSource(queries),
      );
      await generator.renderSupralocal(period); // warm-up: module loading (vega, pdfkit) and JIT
      const rounds: Array<{ readMs: number; computeMs: number; renderMs: number; totalMs: number }> = [];
      let bytes: Record<string, number> = {};
      for (let round = 0; round < briefRounds; round++) {
        const started = performance.now();
        const brief = await generator.renderSupralocal(period);
        rounds.push({ ...brief.timings, totalMs: performance.now() - started });
        bytes = Object.fromEntries([...brief.files].map(([format, file]) => [format, file.byteLength]));
      }
      await events.close();
      const median = (pick: (r: (typeof rounds)[number]) => number) =>
        [...rounds.map(pick)].sort((a, b) => a - b)[Math.floor(rounds.length / 2)]!;
      const briefTotal = median((r) => r.totalMs);
      tables.push({
        title: `supra-local brief of ${period} (all ${tenants} municipalities), median of ${briefRounds} rounds (ms); files ${Object.entries(
          bytes,
        )
          .map(([format, size]) => `${format} ${Math.round(size / 1024)} KiB`)
          .join(', ')}`,
        headers: ['read (queries)', 'compute', 'charts + 4 formats', 'total'],
        rows: [
          [
            formatMs(median((r) => r.readMs)),
            formatMs(median((r) => r.computeMs)),
            formatMs(median((r) => r.renderMs)),
            formatMs(briefTotal),
          ],
        ],
      });
      const checks: BenchCheck[] = results
        .filter((r) => !r.name.includes('reference'))
        .map((r) => ({
          name: `${r.name}: p50 < ${TARGET_MS} ms`,
          measured: `${formatMs(r.latency.p50)} ms`,
          target: `< ${TARGET_MS} ms`,
          pass: r.latency.p50 < TARGET_MS,
        }));
      checks.push({
        name: `supra-local brief: median < ${BRIEF_TARGET_MS} ms`,
        measured: `${formatMs(briefTotal)} ms`,
        target: `< ${BRIEF_TARGET_MS} ms`,
        pass: briefTotal < BRIEF_TARGET_MS,
      });
      return {
        rows: [],
        tables,
        checks,
        parameters: { tenants, perTenant, calls, quarters: QUARTERS },
        samples: Object.fromEntries(results.map((r) => [r.name, r.samples])),
        details: results.map((r) => ({ name: r.name, ...r.latency })),
      };
    } finally {
      await store.close();
    }
  },
};
