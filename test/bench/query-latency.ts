/**
 * The read-side queries of the projections bench (projections.bench.ts (b)): the inbox and
 * dashboard queries the API runs, timed on two read-model files alternating. They run in a
 * process of their own (query-child.ts), as a server answers them, rather than in the bench's
 * process, whose heap and allocator hold what the rebuild and `readAll` rounds left behind.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  collectionOf,
  dashboardView,
  servedDashboardMembers,
  signalInboxProjection,
  tenantDashboardProjection,
  type SignalInboxDocument,
  type TenantDashboardDocument,
} from '../../projections/index.js';
import type { ListQuery } from '../../src/platform/read-store/read-store.port.js';
import { SqliteReadStore } from '../../src/platform/read-store/sqlite/sqlite-read-store.js';
import { sealedTextOf } from '../../src/privacy/encrypting-event-store.js';
import { openPlaintextReader } from '../../src/privacy/plaintext-store.js';
import { openSignalTexts, PLAIN_TEXT, type SealedText } from '../../src/privacy/sealed-text.js';
import { median, now, secondsSince } from './harness.js';
import { keyFileOf } from './event-files.js';

/** A read store and what opens the text its read models keep sealed (the key store of its events). */
interface ReadSide {
  store: SqliteReadStore;
  sealed: SealedText;
  close(): Promise<void>;
}

/** The read models rebuilt from `eventFile`, with the keys beside it (keyFileOf) to open their text. */
async function readSide(readFile: string, eventFile: string): Promise<ReadSide> {
  const store = new SqliteReadStore({ file: readFile });
  if (!existsSync(keyFileOf(eventFile))) return { store, sealed: PLAIN_TEXT, close: () => store.close() };
  // The events with their key store, read-only, as a thread of the app opens them.
  const events = await openPlaintextReader(
    {
      eventStore: { kind: 'sqlite', file: eventFile, synchronous: 'OFF' },
      keyStore: { kind: 'sqlite', file: keyFileOf(eventFile), synchronous: 'OFF' },
    },
    1000,
  );
  return {
    store,
    sealed: sealedTextOf(events.store),
    async close() {
      await store.close();
      await events.close();
    },
  };
}

interface Query {
  name: string;
  call(side: ReadSide): Promise<number>;
  /** How much the query reads (not timed): rows of the page, or bytes of the stored document. */
  size(side: ReadSide): Promise<number>;
  unit: 'rows' | 'bytes';
  /** Measured for comparison only (a path the API no longer takes): no target check. */
  comparison?: true;
}

/** The API's queries, built as inboxQuery and the dashboard controller build them. */
function apiQueries(tenantId: string, scopeKeys: readonly string[], at: Date): Query[] {
  const inbox = collectionOf(signalInboxProjection);
  const dashboard = collectionOf(tenantDashboardProjection);
  const base = (extra: ListQuery['filters']): ListQuery => ({
    filters: [{ field: 'tenantId', op: 'eq', value: tenantId }, ...(extra ?? [])],
    sort: { field: 'updatedAt', direction: 'desc' },
    limit: 25,
    offset: 0,
    // As GET /signals asks by default: a page and whether more follow, no count.
    count: false,
  });
  // As GET /signals answers: the page's titles opened (the read model keeps them sealed).
  const list =
    (query: ListQuery) =>
    async ({ store, sealed }: ReadSide) =>
      (await openSignalTexts(sealed, (await store.list<SignalInboxDocument>(inbox, query)).items)).length;
  const listed = (query: ListQuery) => ({ call: list(query), size: list(query) });
  return [
    {
      name: 'inbox: open, -updatedAt, 25',
      unit: 'rows',
      ...listed(base([{ field: 'open', op: 'eq', value: true }])),
    },
    {
      name: 'inbox: open + theme in (2)',
      unit: 'rows',
      ...listed(
        base([
          { field: 'themes', op: 'in', values: ['wonen', 'armoede-en-inkomen'] },
          { field: 'open', op: 'eq', value: true },
        ]),
      ),
    },
    {
      name: 'inbox: processor scope',
      unit: 'rows',
      ...listed(base([{ field: 'scopeKeys', op: 'in', values: scopeKeys }])),
    },
    {
      // What GET /dashboard does: the served form, completed with the moment's aging and overdue
      // counts into the text the response sends (the document is neither parsed nor walked).
      name: 'dashboard: served answer',
      unit: 'bytes',
      call: async ({ store }) => {
        const served = await store.getServed(dashboard, tenantId);
        if (!served) throw new Error(`no served dashboard for ${tenantId}`);
        return `{"tenantId":"${tenantId}",${servedDashboardMembers(served, at)}}`.length;
      },
      size: async ({ store }) => {
        const served = await store.getServed(dashboard, tenantId);
        return served ? served.json.length + served.ints.length * 4 : 0;
      },
    },
    {
      // The path before served forms (and the fallback without one): parse the document, build the view.
      name: 'dashboard: get + view',
      comparison: true,
      unit: 'bytes',
      call: async ({ store }) => {
        const doc = await store.get<TenantDashboardDocument>(dashboard, tenantId);
        if (!doc) throw new Error(`no dashboard for ${tenantId}`);
        return Object.keys(dashboardView(doc.doc, at)).length;
      },
      size: async ({ store }) => {
        const doc = await store.get<TenantDashboardDocument>(dashboard, tenantId);
        return doc ? JSON.stringify(doc.doc).length : 0;
      },
    },
  ];
}

/**
 * A tenant and a processor's scope keys (an assignee and a policy domain of theirs) found in the
 * read model: the busiest assignee of the tenant with the most signals, and the domain most of
 * their signals are in, so that the scope's page is as full as the store allows.
 */
async function pickScope(store: SqliteReadStore): Promise<{ tenantId: string; scopeKeys: string[] }> {
  const inbox = collectionOf(signalInboxProjection);
  const some = await store.list<SignalInboxDocument>(inbox, { limit: 1000 });
  const counts = new Map<string, number>();
  for (const doc of some.items) counts.set(doc.tenantId, (counts.get(doc.tenantId) ?? 0) + 1);
  const tenantId = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (tenantId === undefined) throw new Error('empty inbox');
  const docs = await store.list<SignalInboxDocument>(inbox, {
    filters: [{ field: 'tenantId', op: 'eq', value: tenantId }],
    sort: { field: 'updatedAt', direction: 'desc' },
    limit: 1000,
  });
  const byAssignee = new Map<string, Map<string, number>>();
  for (const doc of docs.items) {
    const keys = (doc as { scopeKeys?: string[] }).scopeKeys ?? [];
    const assignee = keys.find((k) => k.startsWith('assignee:'));
    if (!assignee) continue;
    const domains = byAssignee.get(assignee) ?? new Map<string, number>();
    byAssignee.set(assignee, domains);
    for (const domain of keys.filter((k) => k.startsWith('domain:')))
      domains.set(domain, (domains.get(domain) ?? 0) + 1);
  }
  const total = (domains: Map<string, number>) => [...domains.values()].reduce((a, b) => a + b, 0);
  const busiest = [...byAssignee.entries()]
    .filter(([, domains]) => domains.size > 0)
    .sort((a, b) => total(b[1]) - total(a[1]))[0];
  if (!busiest) throw new Error(`no assigned signal in ${tenantId}`);
  const domain = [...busiest[1].entries()].sort((a, b) => b[1] - a[1])[0]![0];
  return { tenantId, scopeKeys: [busiest[0], domain] };
}

export interface Latency {
  p50: number;
  p95: number;
  p99: number;
}

function latency(values: number[]): Latency {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number;
  return { p50: median(sorted), p95: at(0.95), p99: at(0.99) };
}

export async function timeQueries(
  queries: Query[],
  small: ReadSide,
  large: ReadSide,
  calls: number,
  warmUp: number,
): Promise<
  Array<{
    name: string;
    unit: Query['unit'];
    small: Latency;
    large: Latency;
    sizes: [number, number];
    comparison?: true;
  }>
> {
  const results = [];
  for (const query of queries) {
    // Until the JIT has optimised the query's code, as in a server that has answered it before: a
    // few dozen calls left the dashboard's view partly unoptimised, where its loops over days and
    // buckets cost several times more, and measured that rather than the document's size.
    for (let i = 0; i < warmUp; i++) {
      await query.call(small);
      await query.call(large);
    }
    const s: number[] = [];
    const l: number[] = [];
    for (let i = 0; i < calls; i++) {
      // Alternate which size goes first so drift hits both alike.
      const order: Array<[ReadSide, number[]]> =
        i % 2 === 0
          ? [
              [small, s],
              [large, l],
            ]
          : [
              [large, l],
              [small, s],
            ];
      for (const [side, into] of order) {
        const start = now();
        await query.call(side);
        into.push(secondsSince(start) * 1000);
      }
    }
    const sizes: [number, number] = [await query.size(small), await query.size(large)];
    results.push({
      name: query.name,
      unit: query.unit,
      small: latency(s),
      large: latency(l),
      sizes,
      ...(query.comparison ? { comparison: true as const } : {}),
    });
  }
  return results;
}

/** A read-model file and the event file it was rebuilt from (its key store beside it). */
export interface QuerySide {
  readFile: string;
  eventFile: string;
}

export interface QueryTiming {
  name: string;
  unit: 'rows' | 'bytes';
  small: Latency;
  large: Latency;
  sizes: [number, number];
  comparison?: true;
}

export interface QueryResults {
  scope: { tenantId: string; scopeKeys: string[] };
  /** ~10k against ~1M events. */
  latencies: QueryTiming[];
  /** ~100k against ~1M events: the tenant's pages are full at both sizes. */
  fullPages: QueryTiming[];
}

/** The API's queries on the tenant and processor scope pickScope finds at the large side. */
export async function measureQueries(
  sides: { small: QuerySide; medium: QuerySide; large: QuerySide },
  calls: number,
  warmUp: number,
): Promise<QueryResults> {
  const small = await readSide(sides.small.readFile, sides.small.eventFile);
  const large = await readSide(sides.large.readFile, sides.large.eventFile);
  const medium = await readSide(sides.medium.readFile, sides.medium.eventFile);
  try {
    const scope = await pickScope(large.store);
    const queries = apiQueries(scope.tenantId, scope.scopeKeys, new Date('2026-11-01T00:00:00.000Z'));
    const latencies = await timeQueries(queries, small, large, calls, warmUp);
    const fullPages = await timeQueries(queries, medium, large, calls, warmUp);
    return { scope, latencies, fullPages };
  } finally {
    await small.close();
    await large.close();
    await medium.close();
  }
}

/** measureQueries in a fresh Node process (query-child.ts, through tsx), as a server answers. */
export function measureQueriesInChild(
  sides: { small: QuerySide; medium: QuerySide; large: QuerySide },
  calls: number,
  warmUp: number,
): QueryResults {
  const child = fileURLToPath(new URL('./query-child.ts', import.meta.url));
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', child, JSON.stringify({ sides, calls, warmUp })],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 << 20 },
  );
  if (result.status !== 0) throw new Error(`the query child failed with status ${result.status}`);
  return JSON.parse(result.stdout.trim().split('\n').pop() ?? '') as QueryResults;
}
