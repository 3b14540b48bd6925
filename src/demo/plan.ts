import { deterministicUuid } from '../platform/ids.js';
import type { JsonObject } from '../platform/json.js';
import type { SignalActor } from '../signals/signal.decider.js';
import {
  ANY_STATE,
  PREVIOUS_STATE,
  SAME_STATE,
  type WorkflowDefinition,
} from '../../workflows/definition.js';
import { getWorkflow } from '../../workflows/registry.js';
import {
  organisationsOf,
  PILOT_MUNICIPALITIES,
  rosterOf,
  type DemoArea,
  type DemoMunicipality,
  type DemoOrganisation,
  type DemoRoster,
} from './municipalities.js';
import { hashSeed, Random } from './prng.js';
import {
  ANALYSIS_ADDITIONS,
  CLOSE_AFTER_ANALYSIS,
  CLOSE_AFTER_DECISION,
  CLOSE_FROM_TRIAGE,
  CLOSE_NON_STRUCTURAL,
  CLOSINGS,
  DOMAIN_PHRASES,
  ESCALATION_MOTIVATIONS_LOCAL,
  ESCALATION_MOTIVATIONS_SUPRALOCAL,
  fill,
  GOVERNMENT_DECISIONS,
  GOVERNMENT_INTERIM_DECISIONS,
  GROUP_PHRASES,
  INTERIM_DECISIONS,
  LEAD_ANSWER_PREFIX,
  LOCAL_BODIES,
  LOCAL_DECISIONS,
  MERGE_MOTIVATIONS,
  NON_STRUCTURAL_CONCLUSIONS,
  NOTES,
  PERIODS,
  PREFACES,
  QUESTIONS,
  REASSIGN_MOTIVATIONS,
  REJECTIONS,
  REOPEN_REASONS_CLOSED,
  REOPEN_REASONS_REJECTED,
  THEME_TEXTS,
  themeTexts,
  TRIAGE_MOTIVATIONS,
  VVSG,
  VVSG_DECISIONS,
  withArticle,
  type Body,
  type ProblemTexts,
  type TemplateValues,
  type ThemeTexts,
} from './texts.js';
import { DUTCH_MONTHS } from '../platform/dutch-months.js';

/**
 * The demo-data generator: pure, seed → plan. A plan is every command a demo signal goes
 * through, with the simulated time it happens at, the actor firing it (a role allowed by the
 * workflow definition, in scope for the signal), its fields and an idempotency key; the writer
 * (seed-demo-data.ts) sends them through the real command handler.
 *
 * Two passes per tenant: a cheap skeleton of every signal (submit time, organisation, theme,
 * cluster, route through the lifecycle, merge target, signal id), then, lazily and in submit
 * order, each signal's commands and texts from a generator of its own. Memory stays small for
 * large plans, and one signal's texts do not shift another's.
 */

/** The workflow the demo routes are written for; the writer refuses to run under another. */
export const DEMO_WORKFLOW: WorkflowDefinition = getWorkflow('signal-lifecycle', 1);

/** The fixed end of the demo window: the same seed gives the same data, whatever day it is. */
export const DEMO_UNTIL = new Date('2026-11-01T00:00:00.000Z');
export const DEMO_YEARS = 3;
export const DEMO_DEFAULTS = { tenants: PILOT_MUNICIPALITIES.length, signals: 2000, seed: 42 } as const;
export const MAX_DEMO_SIGNALS = 1_000_000;

const MINUTE = 60_000;
const DAY = 86_400_000;

export interface DemoOptions {
  /** The first n pilot municipalities (1 to 10). */
  tenants?: number;
  /** Signals in all, spread over the tenants by size. */
  signals?: number;
  seed?: number;
  /** End of the three-year window (exclusive); default 2026-11-01. */
  until?: Date;
}

export interface ResolvedDemoOptions {
  tenants: number;
  signals: number;
  seed: number;
  from: Date;
  until: Date;
  /** Part of every idempotency key: other arguments never collide with these. */
  runTag: string;
}

export class DemoOptionsError extends RangeError {
  readonly code = 'INVALID_DEMO_OPTIONS';
}

export function resolveDemoOptions(options: DemoOptions = {}): ResolvedDemoOptions {
  const tenants = options.tenants ?? DEMO_DEFAULTS.tenants;
  const signals = options.signals ?? DEMO_DEFAULTS.signals;
  const seed = options.seed ?? DEMO_DEFAULTS.seed;
  const until = options.until ?? DEMO_UNTIL;
  if (!Number.isInteger(tenants) || tenants < 1 || tenants > PILOT_MUNICIPALITIES.length) {
    throw new DemoOptionsError(
      `tenants must be a whole number from 1 to ${PILOT_MUNICIPALITIES.length} (the pilot municipalities)`,
    );
  }
  if (!Number.isInteger(signals) || signals < 1 || signals > MAX_DEMO_SIGNALS) {
    throw new DemoOptionsError(`signals must be a whole number from 1 to ${MAX_DEMO_SIGNALS}`);
  }
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new DemoOptionsError('seed must be a whole number from 0 to 4294967295');
  }
  if (!(until instanceof Date) || Number.isNaN(until.getTime())) {
    throw new DemoOptionsError('until must be a valid date');
  }
  const from = new Date(until);
  from.setUTCFullYear(from.getUTCFullYear() - DEMO_YEARS);
  const day = until.toISOString().slice(0, 10).replaceAll('-', '');
  return { tenants, signals, seed, from, until, runTag: `${seed}:${signals}x${tenants}:${day}` };
}

export interface PlannedCommand {
  tenantId: string;
  signalId: string;
  /** The signal's index within its tenant, in submit order. */
  signalIndex: number;
  /** 0 for submit, then 1, 2, … in the signal's order. */
  step: number;
  name: string;
  /** Simulated time (ms since the epoch): the handler's clock reads it. */
  at: number;
  actor: SignalActor;
  fields: JsonObject;
  idempotencyKey: string;
  correlationId: string;
  /** The state the signal is in after this command. */
  state: string;
  signal: PlannedSignalInfo;
}

export interface PlannedSignalInfo {
  tenantId: string;
  index: number;
  signalId: string;
  theme: string;
  clusterId: string | null;
  /** Another signal merges into this one: its submit must be stored first. */
  isMergeTarget: boolean;
  mergeTargetId: string | null;
}

export interface PlannedSignal extends PlannedSignalInfo {
  submittedAt: number;
  commands: PlannedCommand[];
  /** The state after the last command inside the window. */
  finalState: string;
}

export interface DemoCluster {
  id: string;
  tenantId: string;
  theme: string;
  label: string;
  area: string;
  from: Date;
  to: Date;
  size: number;
}

export interface DemoTenant {
  tenantId: string;
  name: string;
  signals: number;
  roster: DemoRoster;
}

export interface DemoPlan {
  options: ResolvedDemoOptions;
  tenants: readonly DemoTenant[];
  clusters: readonly DemoCluster[];
  signalCount: number;
  /** Every signal with its commands, in submit order. */
  signals(): Generator<PlannedSignal>;
  /** Every command of every signal, in time order (ties: submit order, then step). */
  commands(): Generator<PlannedCommand>;
}

// ---- routes through the lifecycle ----

type Intake = 'triage' | 'reject' | 'merge';
type AfterTriage = 'assign' | 'close' | 'reject' | 'merge';
type AfterReopen = 'triage' | 'assign' | 'reject' | 'merge';

/** The choices a signal's life makes; drawn in the skeleton pass so merge targets can be safe. */
interface Route {
  intakeInfo: boolean;
  intake: Intake;
  /** request-info after triage, before the lead decides where it goes. */
  triageInfo: boolean;
  afterTriage: AfterTriage;
  assignInfo: boolean;
  reassign: 'none' | 'assigned' | 'in-analysis';
  mergeAfterAssign: boolean;
  analysisInfo: boolean;
  structural: boolean;
  escalate: boolean;
  level: 'local' | 'supralocal';
  /** 0: still waiting for the policy body; 2: an interim decision first. */
  decisions: 0 | 1 | 2;
  closeAfterDecision: boolean;
  reopen: boolean;
  afterReopen: AfterReopen;
  /** Left open (overdue) as soon as it reaches this state. */
  stopAt: string | null;
}

const OPEN_STATES = Object.entries(DEMO_WORKFLOW.states)
  .filter(([, state]) => state.terminal !== true)
  .map(([name]) => name);

/** Never rejected nor merged, whatever happens: a signal others may be merged into. */
function isSafeTarget(route: Route): boolean {
  return (
    route.intake === 'triage' &&
    (route.afterTriage === 'assign' || route.afterTriage === 'close') &&
    !route.mergeAfterAssign &&
    !(route.reopen && (route.afterReopen === 'reject' || route.afterReopen === 'merge'))
  );
}

function needsTarget(route: Route): boolean {
  if (route.intake === 'merge') return true;
  if (route.intake === 'reject') return route.reopen && route.afterReopen === 'merge';
  if (route.afterTriage === 'merge') return true;
  if (route.afterTriage === 'reject' || route.afterTriage === 'close') {
    return route.reopen && route.afterReopen === 'merge';
  }
  return route.mergeAfterAssign || (route.reopen && route.afterReopen === 'merge');
}

function withoutMerges(route: Route): Route {
  return {
    ...route,
    intake: route.intake === 'merge' ? 'triage' : route.intake,
    afterTriage: route.afterTriage === 'merge' ? 'assign' : route.afterTriage,
    mergeAfterAssign: false,
    afterReopen: route.afterReopen === 'merge' ? 'triage' : route.afterReopen,
  };
}

function randomRoute(r: Random, inCluster: boolean, cluster: ClusterPlan | null): Route {
  const intake = r.weighted<Intake>([
    ['reject', 0.05],
    ['merge', inCluster ? 0.1 : 0.03],
    ['triage', inCluster ? 0.85 : 0.92],
  ]);
  const afterTriage = r.weighted<AfterTriage>([
    ['reject', 0.03],
    ['merge', inCluster ? 0.04 : 0.01],
    ['close', 0.08],
    ['assign', inCluster ? 0.85 : 0.88],
  ]);
  const structural = r.chance(inCluster ? 0.95 : 0.7);
  const escalate = structural && r.chance(inCluster ? 0.85 : 0.55);
  const closed = intake === 'triage' && afterTriage !== 'reject';
  const reopen = closed ? r.chance(0.04) : r.chance(0.1);
  return {
    intakeInfo: r.chance(0.05),
    intake,
    triageInfo: r.chance(0.03),
    afterTriage,
    assignInfo: r.chance(0.07),
    reassign: r.weighted([
      ['assigned', 0.05],
      ['in-analysis', 0.03],
      ['none', 0.92],
    ]),
    mergeAfterAssign: r.chance(inCluster ? 0.03 : 0.01),
    analysisInfo: r.chance(0.1),
    structural,
    escalate,
    level: cluster ? cluster.level : r.chance(0.25) ? 'supralocal' : 'local',
    decisions: r.weighted<0 | 1 | 2>([
      [0, 0.08],
      [1, 0.67],
      [2, 0.25],
    ]),
    closeAfterDecision: r.chance(0.93),
    reopen,
    afterReopen: closed
      ? r.weighted<AfterReopen>([
          ['triage', 0.6],
          ['assign', 0.3],
          ['merge', 0.1],
        ])
      : r.weighted<AfterReopen>([
          ['triage', 0.8],
          ['reject', 0.2],
        ]),
    stopAt: r.chance(0.015) ? r.pick(OPEN_STATES) : null,
  };
}

const PLAIN_ROUTE: Route = {
  intakeInfo: false,
  intake: 'triage',
  triageInfo: false,
  afterTriage: 'assign',
  assignInfo: false,
  reassign: 'none',
  mergeAfterAssign: false,
  analysisInfo: false,
  structural: true,
  escalate: false,
  level: 'local',
  decisions: 1,
  closeAfterDecision: true,
  reopen: false,
  afterReopen: 'triage',
  stopAt: null,
};

/**
 * Routes every plan holds (spread over the tenants) whatever the seed, so that a small plan
 * still shows every command, every way into every terminal state and a signal left open in every
 * other state. `daysBefore`: submitted that long before the window ends, enough for the route.
 */
const COVERAGE: ReadonlyArray<{ daysBefore: number; route: Partial<Route> }> = [
  { daysBefore: 3, route: { stopAt: 'submitted' } },
  { daysBefore: 12, route: { stopAt: 'triaged' } },
  { daysBefore: 20, route: { stopAt: 'assigned' } },
  { daysBefore: 30, route: { assignInfo: true, stopAt: 'awaiting-info' } },
  { daysBefore: 35, route: { stopAt: 'in-analysis' } },
  { daysBefore: 90, route: { stopAt: 'analysed' } },
  { daysBefore: 300, route: { escalate: true, decisions: 1, closeAfterDecision: false } },
  { daysBefore: 330, route: { afterTriage: 'close', reopen: true, stopAt: 'reopened' } },
  { daysBefore: 500, route: { intake: 'reject' } },
  { daysBefore: 480, route: { afterTriage: 'reject' } },
  { daysBefore: 450, route: { intake: 'merge' } },
  { daysBefore: 440, route: { afterTriage: 'merge' } },
  { daysBefore: 430, route: { mergeAfterAssign: true } },
  { daysBefore: 420, route: { afterTriage: 'close' } },
  {
    daysBefore: 800,
    route: {
      intakeInfo: true,
      triageInfo: true,
      assignInfo: true,
      reassign: 'assigned',
      analysisInfo: true,
      escalate: true,
      level: 'local',
      decisions: 2,
    },
  },
  { daysBefore: 800, route: { reassign: 'in-analysis', escalate: true, level: 'supralocal', decisions: 1 } },
  { daysBefore: 400, route: { structural: false } },
  { daysBefore: 400, route: { structural: true, escalate: false } },
  { daysBefore: 900, route: { reopen: true, afterReopen: 'triage' } },
  { daysBefore: 900, route: { reopen: true, afterReopen: 'assign' } },
  { daysBefore: 700, route: { intake: 'reject', reopen: true, afterReopen: 'triage' } },
  { daysBefore: 700, route: { afterTriage: 'reject', reopen: true, afterReopen: 'reject' } },
  { daysBefore: 700, route: { reopen: true, afterReopen: 'merge' } },
];

// ---- skeleton ----

interface ClusterPlan {
  id: string;
  theme: ThemeTexts;
  problem: ProblemTexts;
  area: DemoArea;
  org: DemoOrganisation;
  start: number;
  end: number;
  size: number;
  level: 'local' | 'supralocal';
  body: Body;
  /** The decision on the dossier, fed back to every member that was escalated. */
  decision: string;
  decisionAt: number;
}

interface TenantPlan {
  municipality: DemoMunicipality;
  orgs: readonly DemoOrganisation[];
  roster: DemoRoster;
  count: number;
  clusters: ClusterPlan[];
}

interface Skeleton {
  tenant: TenantPlan;
  index: number;
  submitAt: number;
  org: DemoOrganisation;
  giver: SignalActor;
  theme: ThemeTexts;
  problem: ProblemTexts;
  area: DemoArea | null;
  cluster: ClusterPlan | null;
  route: Route;
  target: Skeleton | null;
  info: PlannedSignalInfo;
  keyPrefix: string;
}

/** Signals per tenant in proportion to the square root of the population; sums to `total`. */
function allocate(municipalities: readonly DemoMunicipality[], total: number): number[] {
  const weights = municipalities.map((m) => Math.sqrt(m.populationK));
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (w / sum) * total);
  const counts = exact.map(Math.floor);
  let left = total - counts.reduce((a, b) => a + b, 0);
  const byRemainder = exact
    .map((value, i) => ({ i, remainder: value - Math.floor(value) }))
    .sort((a, b) => b.remainder - a.remainder || a.i - b.i);
  for (const { i } of byRemainder) {
    if (left === 0) break;
    counts[i] = (counts[i] ?? 0) + 1;
    left--;
  }
  return counts;
}

/** A weekday between 07:00 and 16:00 UTC (office hours in Belgium) on or after `t`'s day. */
function officeTime(r: Random, dayStart: number): number {
  const t = dayStart + (7 * 60 + r.int(0, 9 * 60 - 1)) * MINUTE;
  return skipWeekend(t);
}

function skipWeekend(t: number): number {
  const weekday = new Date(t).getUTCDay();
  if (weekday === 6) return t + 2 * DAY;
  if (weekday === 0) return t + DAY;
  return t;
}

function startOfDay(t: number): number {
  return Math.floor(t / DAY) * DAY;
}

/** More signals later in the window: a pilot that grows (density rises from 0.5 to 1.5). */
function rampedFraction(r: Random): number {
  const u = r.float();
  return (-1 + Math.sqrt(1 + 8 * u)) / 2;
}

function submitTime(r: Random, from: number, until: number, start = from, end = until): number {
  const fraction = start === from && end === until ? rampedFraction(r) : r.float();
  let t = officeTime(r, startOfDay(start + fraction * (end - start)));
  if (t >= until) t -= 7 * DAY;
  return Math.max(t, from);
}

function pickOrg(r: Random, orgs: readonly DemoOrganisation[]): DemoOrganisation {
  return r.weighted(orgs.map((org) => [org, org.weight] as const));
}

function orgsFor(theme: string, orgs: readonly DemoOrganisation[]): DemoOrganisation[] {
  const found = orgs.filter((org) => org.themes.some(([code]) => code === theme));
  return found.length > 0 ? found : [...orgs];
}

function planTenant(
  options: ResolvedDemoOptions,
  municipality: DemoMunicipality,
  count: number,
  coverage: ReadonlyArray<(typeof COVERAGE)[number]>,
): { tenant: TenantPlan; skeletons: Skeleton[] } {
  const r = new Random(hashSeed(options.seed, options.runTag, municipality.slug, 'tenant'));
  const from = options.from.getTime();
  const until = options.until.getTime();
  const orgs = organisationsOf(municipality);
  const roster = rosterOf(municipality);
  const tenant: TenantPlan = { municipality, orgs, roster, count, clusters: [] };

  // Dossier-worthy clusters: many similar signals on one problem, one area, a few weeks.
  const clusterCount = count >= 12 ? Math.max(1, Math.round(count / 300)) : 0;
  for (let c = 0; c < clusterCount; c++) {
    const org = pickOrg(
      r,
      orgs.filter((o) => o.themes.length > 0),
    );
    const theme = themeTexts(r.weighted(org.themes));
    const problem = r.pick(theme.problems);
    const live = c === clusterCount - 1 && clusterCount > 2;
    const start = live
      ? until - r.int(60, 80) * DAY
      : from + 30 * DAY + r.float() * (until - from - 200 * DAY);
    const end = Math.min(start + r.int(42, 84) * DAY, until - DAY);
    const level = r.chance(0.3) ? 'supralocal' : 'local';
    const body: Body =
      level === 'local'
        ? r.pick(LOCAL_BODIES)
        : r.chance(0.6)
          ? VVSG
          : governmentBody(r.pick(theme.supralocalBodies));
    const areaOfCluster = r.pick(municipality.areas);
    const values: TemplateValues = {
      inWaar: areaOfCluster.locative,
      gemeente: municipality.name,
      n: String(r.int(5, 40)),
      deBody: withArticle(body),
      body: body.name,
      domein: DOMAIN_PHRASES[theme.domains[0]!] ?? theme.label,
      maand: monthAfter(end, 2),
      hogereOverheid: r.pick(theme.supralocalBodies),
    };
    tenant.clusters.push({
      id: `${municipality.slug}-dossier-${c + 1}`,

      theme,
      problem,
      area: areaOfCluster,
      org,
      start,
      end,
      size: 0,
      level,
      body,
      decision: decisionText(r, theme, level, body, values, false),
      decisionAt: officeTime(
        r,
        startOfDay(end + r.int(level === 'local' ? 30 : 60, level === 'local' ? 90 : 150) * DAY),
      ),
    });
  }

  // About 15% of the signals, in clusters of different sizes (at least 3 signals each).
  const clusterWeights = tenant.clusters.map(() => 0.3 + r.float() * 1.7);
  const weightSum = clusterWeights.reduce((a, b) => a + b, 0);
  const clusterOf: ClusterPlan[] = [];
  tenant.clusters.forEach((cluster, c) => {
    const size = Math.max(3, Math.floor((count * 0.15 * clusterWeights[c]!) / weightSum));
    for (let k = 0; k < size && clusterOf.length < count; k++) clusterOf.push(cluster);
  });

  interface Draft {
    submitAt: number;
    cluster: ClusterPlan | null;
    coverage: (typeof COVERAGE)[number] | null;
    order: number;
  }
  const drafts: Draft[] = [];
  for (let i = 0; i < count; i++) {
    const cluster = clusterOf[i] ?? null;
    const cover = cluster ? null : (coverage[i - clusterOf.length] ?? null);
    let submitAt: number;
    if (cluster) submitAt = submitTime(r, from, until, cluster.start, cluster.end);
    else if (cover)
      submitAt = submitTime(
        r,
        from,
        until,
        until - cover.daysBefore * DAY,
        until - (cover.daysBefore - 2) * DAY,
      );
    else submitAt = submitTime(r, from, until);
    if (cluster) cluster.size++;
    drafts.push({ submitAt, cluster, coverage: cover, order: i });
  }
  drafts.sort((a, b) => a.submitAt - b.submitAt || a.order - b.order);

  const safeByTheme = new Map<string, Skeleton[]>();
  const safeByCluster = new Map<string, Skeleton[]>();
  const safeAll: Skeleton[] = [];
  const skeletons: Skeleton[] = [];
  drafts.forEach((draft, index) => {
    const { cluster } = draft;
    let org: DemoOrganisation;
    let theme: ThemeTexts;
    let problem: ProblemTexts;
    let area: DemoArea | null;
    if (cluster) {
      org = r.chance(0.5) ? cluster.org : pickOrg(r, orgsFor(cluster.theme.code, orgs));
      theme = cluster.theme;
      problem = cluster.problem;
      area = r.chance(0.75) ? cluster.area : r.pick(municipality.areas);
    } else {
      org = pickOrg(r, orgs);
      theme = themeTexts(r.weighted(org.themes));
      problem = r.pick(theme.problems);
      area = r.chance(0.85) ? r.pick(municipality.areas) : null;
    }
    const giver = r.pick(roster.givers[org.id]!);
    let route = draft.coverage
      ? { ...PLAIN_ROUTE, ...draft.coverage.route }
      : randomRoute(r, cluster !== null, cluster);
    let target: Skeleton | null = null;
    if (needsTarget(route)) {
      const candidates =
        (cluster ? safeByCluster.get(cluster.id) : undefined) ??
        safeByTheme.get(theme.code) ??
        (draft.coverage ? safeAll : undefined);
      // The most recent ones: duplicates are reported close together.
      if (candidates && candidates.length > 0) target = r.pick(candidates.slice(-20));
      else route = withoutMerges(route);
    }
    const keyPrefix = `demo:${options.runTag}:${municipality.slug}:${index}`;
    const signalId = deterministicUuid(municipality.slug, giver.id, `${keyPrefix}:0`, 'signal');
    const skeleton: Skeleton = {
      tenant,
      index,
      submitAt: draft.submitAt,
      org,
      giver,
      theme,
      problem,
      area,
      cluster,
      route,
      target,
      keyPrefix,
      info: {
        tenantId: municipality.slug,
        index,
        signalId,
        theme: theme.code,
        clusterId: cluster?.id ?? null,
        isMergeTarget: false,
        mergeTargetId: target?.info.signalId ?? null,
      },
    };
    if (target) target.info.isMergeTarget = true;
    if (isSafeTarget(route)) {
      listIn(safeByTheme, theme.code).push(skeleton);
      if (cluster) listIn(safeByCluster, cluster.id).push(skeleton);
      safeAll.push(skeleton);
    }
    skeletons.push(skeleton);
  });
  return { tenant, skeletons };
}

function listIn<T>(map: Map<string, T[]>, key: string): T[] {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  return list;
}

function governmentBody(name: string): Body {
  return { name, article: 'de' };
}

function monthAfter(t: number, months: number): string {
  const date = new Date(t);
  return DUTCH_MONTHS[(date.getUTCMonth() + months) % 12]!;
}

function decisionText(
  r: Random,
  theme: ThemeTexts,
  level: 'local' | 'supralocal',
  body: Body,
  values: TemplateValues,
  interim: boolean,
): string {
  if (level === 'local') {
    if (interim) return fill(r.pick(INTERIM_DECISIONS), values);
    return fill(r.pick(LOCAL_DECISIONS), { ...values, actie: fill(r.pick(theme.localActions), values) });
  }
  const vraag = fill(r.pick(theme.supralocalAsks), values);
  if (body === VVSG) return fill(r.pick(VVSG_DECISIONS), { ...values, vraag });
  const templates = interim ? GOVERNMENT_INTERIM_DECISIONS : GOVERNMENT_DECISIONS;
  return fill(r.pick(templates), { ...values, vraag, body: body.name });
}

// ---- expansion: one signal's commands ----

class PathEnd {}
const END = new PathEnd();

class SignalWalk {
  state = '';
  previous: string | null = null;
  t: number;
  readonly commands: PlannedCommand[] = [];

  constructor(
    private readonly skeleton: Skeleton,
    private readonly r: Random,
    private readonly until: number,
  ) {
    this.t = skeleton.submitAt;
  }

  /** A time `min`–`max` days after the last command (0: later the same day), on a weekday. */
  after(min: number, max: number): number {
    const days = this.r.int(min, max);
    const t =
      days === 0
        ? skipWeekend(this.t + this.r.int(10, 240) * MINUTE)
        : officeTime(this.r, startOfDay(this.t) + days * DAY);
    return Math.max(t, this.t + MINUTE);
  }

  /** Records a command, checked against the definition; ends the walk at the window or stop state. */
  emit(name: string, actor: SignalActor, fields: JsonObject, at: number): void {
    if (at >= this.until) throw END;
    const spec = DEMO_WORKFLOW.commands[name];
    if (!spec) throw new Error(`Demo plan uses an unknown command ${name}`);
    const creates = spec.from.length === 0;
    if (creates !== (this.commands.length === 0)) throw new Error(`Demo plan fires ${name} out of place`);
    if (!creates && !spec.from.includes(ANY_STATE) && !spec.from.includes(this.state)) {
      throw new Error(`Demo plan fires ${name} in state ${this.state}`);
    }
    if (!spec.roles.some((role) => actor.roles.includes(role))) {
      throw new Error(`Demo plan has ${actor.id} fire ${name} without an allowed role`);
    }
    const to = creates
      ? DEMO_WORKFLOW.initialState
      : spec.to === SAME_STATE
        ? this.state
        : spec.to === PREVIOUS_STATE
          ? (this.previous ?? this.state)
          : spec.to;
    if (!creates && to !== this.state) this.previous = this.state;
    this.state = to;
    this.t = at;
    const step = this.commands.length;
    const key = `${this.skeleton.keyPrefix}:${step}`;
    this.commands.push({
      tenantId: this.skeleton.info.tenantId,
      signalId: this.skeleton.info.signalId,
      signalIndex: this.skeleton.index,
      step,
      name,
      at,
      actor,
      fields,
      idempotencyKey: key,
      correlationId: key,
      state: to,
      signal: this.skeleton.info,
    });
    const stop = this.skeleton.route.stopAt;
    if (stop !== null && to === stop && name !== 'add-note') throw END;
  }
}

function formatEuro(amount: number): string {
  const whole = String(amount);
  return `€ ${whole.length > 3 ? `${whole.slice(0, -3)}.${whole.slice(-3)}` : whole}`;
}

function expand(skeleton: Skeleton, options: ResolvedDemoOptions): PlannedSignal {
  const { tenant, theme, problem, org, giver, route } = skeleton;
  const m = tenant.municipality;
  const r = new Random(hashSeed(options.seed, options.runTag, m.slug, skeleton.index, 'signal'));
  const walk = new SignalWalk(skeleton, r, options.until.getTime());
  const lead = r.pick(tenant.roster.leads);
  const others = tenant.orgs.filter((o) => o.id !== org.id);
  const groupCodes = r.some(problem.groups, r.chance(0.6) ? 1 : 2);
  const values: Record<string, string> = {
    inWaar: skeleton.area?.locative ?? `in ${m.name}`,
    gemeente: m.name,
    org: org.name,
    org2: r.pick(others).name,
    at: org.at,
    worker: r.pick(org.workers),
    groep: GROUP_PHRASES[groupCodes[0]!] ?? 'gezinnen',
    periode: r.pick(PERIODS),
    n: String(r.int(3, 25)),
    k: String(r.int(4, 30)),
    bedrag: formatEuro(r.int(26, 52) * 25),
    weken: String(r.int(6, 30)),
    maanden: String(r.int(3, 18)),
    thema: theme.label,
    probleem: problem.label,
    domein: DOMAIN_PHRASES[theme.domains[0]!] ?? theme.label,
    maand: monthAfter(skeleton.submitAt, 2),
  };
  const text = (template: string) => fill(template, values);
  const note = (actor: SignalActor, probability: number) => {
    if (!r.chance(probability)) return;
    const at = walk.after(0, 3);
    values['maand'] = monthAfter(at, 1);
    walk.emit('add-note', actor, { note: text(r.pick(NOTES)) }, at);
  };

  let analyst: SignalActor = lead;
  let domain = theme.domains[0]!;
  let lastDecision = '';

  const submit = () => {
    const themes = [
      theme.code,
      ...r.some(
        theme.related,
        r.weighted([
          [0, 0.6],
          [1, 0.3],
          [2, 0.1],
        ] as const),
      ),
    ];
    const details = r.some(problem.details, r.chance(0.6) ? 2 : 1);
    const description = [
      text(r.pick(PREFACES)),
      text(r.pick(problem.observations)),
      ...details.map(text),
      text(r.pick(CLOSINGS)),
    ]
      .filter((part) => part.length > 0)
      .join(' ');
    const fields: JsonObject = { title: text(r.pick(problem.titles)), description, themes };
    if (r.chance(0.85)) fields['targetGroups'] = groupCodes;
    if (skeleton.area) {
      fields['area'] = skeleton.area.name;
      fields['areaType'] = skeleton.area.type;
    }
    if (r.chance(0.55)) fields['estimatedPeopleAffected'] = r.int(3, skeleton.cluster ? 120 : 40);
    if (r.chance(0.7)) {
      fields['urgency'] = r.weighted([
        ['low', 0.25],
        ['normal', 0.55],
        ['high', 0.2],
      ] as const);
    }
    walk.emit('submit', giver, fields, skeleton.submitAt);
  };

  const requestInfo = (actor: SignalActor) => {
    const pair = r.pick(QUESTIONS);
    walk.emit('request-info', actor, { question: text(pair.question) }, walk.after(0, 2));
    const answer = text(r.pick(pair.answers));
    const late = r.chance(0.15);
    if (r.chance(0.85))
      walk.emit('provide-info', giver, { answer }, walk.after(late ? 10 : 1, late ? 20 : 9));
    else {
      const lowered = answer.charAt(0).toLowerCase() + answer.slice(1);
      walk.emit('provide-info', lead, { answer: `${LEAD_ANSWER_PREFIX}${lowered}` }, walk.after(1, 6));
    }
  };

  const triage = () => {
    const fields: JsonObject = {};
    const kind = r.float();
    if (kind < 0.35) fields['motivation'] = text(r.pick(TRIAGE_MOTIVATIONS.slice(0, 3)));
    else if (kind < 0.47) {
      const extra = theme.related.find((code) => code !== theme.code);
      if (extra) fields['themes'] = [theme.code, extra];
      fields['motivation'] = text(TRIAGE_MOTIVATIONS[3]);
    } else if (kind < 0.55) {
      fields['urgency'] = 'high';
      fields['motivation'] = 'Hoge urgentie: de situatie verslechtert snel.';
    }
    const late = r.chance(0.1);
    walk.emit('triage', lead, fields, walk.after(late ? 4 : 0, late ? 7 : 3));
  };

  const reject = (fromSubmitted: boolean) => {
    const choice = r.pick(REJECTIONS);
    walk.emit(
      'reject',
      lead,
      { reason: text(choice.reason), feedback: text(choice.feedback) },
      walk.after(fromSubmitted ? 0 : 1, fromSubmitted ? 4 : 10),
    );
  };

  const merge = () => {
    const fields: JsonObject = { targetSignalId: skeleton.target!.info.signalId };
    if (r.chance(0.8)) fields['motivation'] = text(r.pick(MERGE_MOTIVATIONS));
    walk.emit('merge-into', lead, fields, walk.after(0, 5));
  };

  const assign = () => {
    domain = r.chance(0.8) ? theme.domains[0]! : r.pick(theme.domains);
    const partner = tenant.roster.partnerProcessors[org.id];
    const fields: JsonObject = { policyDomain: domain };
    if (partner && r.chance(0.6)) {
      analyst = partner;
      fields['assigneeId'] = partner.id;
    } else {
      analyst = r.pick(tenant.roster.processors[domain]!);
      if (r.chance(0.6)) fields['assigneeId'] = analyst.id;
    }
    walk.emit('assign', lead, fields, walk.after(0, 3));
  };

  const reassign = () => {
    const alternatives = theme.domains.filter((d) => d !== domain);
    const next = alternatives.length > 0 ? r.pick(alternatives) : domain === 'welzijn' ? 'zorg' : 'welzijn';
    domain = next;
    analyst = r.pick(tenant.roster.processors[next]!);
    values['domein'] = DOMAIN_PHRASES[next] ?? next;
    const fields: JsonObject = { policyDomain: next, motivation: text(r.pick(REASSIGN_MOTIVATIONS)) };
    if (r.chance(0.6)) fields['assigneeId'] = analyst.id;
    walk.emit('reassign', lead, fields, walk.after(1, 6));
  };

  const startAnalysis = () => {
    const late = r.chance(0.1);
    walk.emit('start-analysis', analyst, {}, walk.after(late ? 7 : 1, late ? 14 : 6));
  };

  const recordAnalysis = (structural: boolean) => {
    const conclusion = structural
      ? `${text(problem.conclusion)} ${text(r.pick(ANALYSIS_ADDITIONS))}`.trim()
      : text(r.pick(NON_STRUCTURAL_CONCLUSIONS));
    const fields: JsonObject = { conclusion, structural };
    if (structural && r.chance(0.1)) {
      const extra = theme.related.find((code) => code !== theme.code);
      if (extra) fields['themes'] = [theme.code, extra];
    }
    const late = r.chance(0.1);
    walk.emit('record-analysis', analyst, fields, walk.after(late ? 31 : 5, late ? 60 : 30));
  };

  const close = (kind: 'triage' | 'analysis' | 'non-structural' | 'decision') => {
    const source =
      kind === 'triage'
        ? CLOSE_FROM_TRIAGE
        : kind === 'analysis'
          ? CLOSE_AFTER_ANALYSIS
          : kind === 'non-structural'
            ? CLOSE_NON_STRUCTURAL
            : CLOSE_AFTER_DECISION;
    const closeValues = {
      ...values,
      fix: fill(r.pick(theme.serviceFixes), values),
      beslissing: lastDecision,
    };
    const fields = {
      outcome: fill(r.pick(source.outcomes), closeValues),
      feedback: fill(r.pick(source.feedback), closeValues),
    };
    const [min, max] = kind === 'triage' ? [1, 10] : kind === 'decision' ? [1, 21] : [1, 14];
    walk.emit('close', lead, fields, walk.after(min, max));
  };

  const escalateAndDecide = () => {
    const cluster = skeleton.cluster;
    const level = cluster ? cluster.level : route.level;
    const body: Body = cluster
      ? cluster.body
      : level === 'local'
        ? r.pick(LOCAL_BODIES)
        : r.chance(0.5)
          ? VVSG
          : governmentBody(r.pick(theme.supralocalBodies));
    const motivation = r.pick(
      level === 'local' ? ESCALATION_MOTIVATIONS_LOCAL : ESCALATION_MOTIVATIONS_SUPRALOCAL,
    );
    walk.emit('escalate', lead, { level, body: body.name, motivation }, walk.after(2, 14));
    note(lead, 0.15);
    const decisionValues: TemplateValues = {
      ...values,
      deBody: withArticle(body),
      body: body.name,
      maand: monthAfter(walk.t, 2),
      hogereOverheid: r.pick(theme.supralocalBodies),
    };
    // Texts are drawn in order, times when the previous decision is recorded.
    const decisions: Array<{ decision: string; body?: string; at: () => number }> = [];
    const interim = () => decisionText(r, theme, 'local', body, decisionValues, true);
    if (route.decisions > 0) {
      if (cluster) {
        if (route.decisions === 2 && level === 'local')
          decisions.push({ decision: interim(), at: () => walk.after(14, 60) });
        decisions.push({
          decision: cluster.decision,
          at: () => Math.max(walk.after(1, 5), cluster.decisionAt),
        });
      } else if (level === 'local') {
        if (route.decisions === 2) decisions.push({ decision: interim(), at: () => walk.after(14, 60) });
        decisions.push({
          decision: decisionText(r, theme, 'local', body, decisionValues, false),
          at: () => walk.after(14, 90),
        });
      } else {
        const twice = route.decisions === 2;
        decisions.push({
          decision: decisionText(r, theme, 'supralocal', body, decisionValues, twice),
          at: () => walk.after(45, 200),
        });
        if (twice) {
          // VVSG passes it on, or the government answers after a first reply.
          const government = body === VVSG ? governmentBody(decisionValues['hogereOverheid']!) : body;
          decisions.push({
            decision: decisionText(r, theme, 'supralocal', government, decisionValues, false),
            ...(body === VVSG ? { body: government.name } : {}),
            at: () => walk.after(30, 120),
          });
        }
      }
    }
    for (const { decision, body: decidedBy, at } of decisions) {
      lastDecision = decision;
      walk.emit(
        'record-policy-decision',
        lead,
        decidedBy === undefined ? { decision } : { decision, body: decidedBy },
        at(),
      );
    }
    if (route.decisions === 0 || !route.closeAfterDecision) return;
    close('decision');
    afterClose();
  };

  const analysis = () => {
    if (route.assignInfo) requestInfo(analyst);
    if (route.mergeAfterAssign && skeleton.target) {
      merge();
      return;
    }
    if (route.reassign === 'assigned') reassign();
    startAnalysis();
    note(analyst, 0.3);
    if (route.analysisInfo) requestInfo(analyst);
    if (route.reassign === 'in-analysis') {
      reassign();
      startAnalysis();
    }
    recordAnalysis(route.structural);
    note(analyst, 0.1);
    if (!route.structural) {
      close('non-structural');
      afterClose();
    } else if (!route.escalate) {
      close('analysis');
      afterClose();
    } else escalateAndDecide();
  };

  const secondRound = () => {
    switch (route.afterReopen) {
      case 'reject':
        reject(false);
        return;
      case 'merge':
        if (skeleton.target) {
          merge();
          return;
        }
        triage();
        break;
      case 'triage':
        triage();
        break;
      case 'assign':
        break;
    }
    assign();
    startAnalysis();
    recordAnalysis(true);
    close('analysis');
  };

  const reopen = (from: 'closed' | 'rejected') => {
    const reasons = from === 'closed' ? REOPEN_REASONS_CLOSED : REOPEN_REASONS_REJECTED;
    walk.emit(
      'reopen',
      lead,
      { reason: text(r.pick(reasons)) },
      walk.after(from === 'closed' ? 14 : 7, from === 'closed' ? 180 : 90),
    );
    secondRound();
  };

  function afterClose(): void {
    note(lead, 0.05);
    if (route.reopen) reopen('closed');
  }

  const afterRejection = () => {
    if (route.reopen) reopen('rejected');
  };

  try {
    submit();
    note(lead, 0.03);
    if (route.intakeInfo) requestInfo(lead);
    if (route.intake === 'reject') {
      reject(true);
      afterRejection();
    } else if (route.intake === 'merge' && skeleton.target) merge();
    else {
      triage();
      if (route.triageInfo) requestInfo(lead);
      switch (route.afterTriage) {
        case 'reject':
          reject(false);
          afterRejection();
          break;
        case 'merge':
          if (skeleton.target) {
            merge();
            break;
          }
          assign();
          analysis();
          break;
        case 'close':
          close('triage');
          afterClose();
          break;
        case 'assign':
          assign();
          analysis();
          break;
      }
    }
  } catch (error) {
    if (error !== END) throw error;
  }
  return {
    ...skeleton.info,
    submittedAt: skeleton.submitAt,
    commands: walk.commands,
    finalState: walk.state,
  };
}

// ---- the plan ----

/** A min-heap of commands by (time, insertion order): deterministic ties. */
class CommandQueue {
  private readonly items: Array<{ at: number; seq: number; command: PlannedCommand }> = [];
  private seq = 0;

  get size(): number {
    return this.items.length;
  }

  peekAt(): number {
    return this.items[0]?.at ?? Number.POSITIVE_INFINITY;
  }

  push(command: PlannedCommand): void {
    const items = this.items;
    items.push({ at: command.at, seq: this.seq++, command });
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }

  pop(): PlannedCommand {
    const items = this.items;
    const top = items[0]!;
    const last = items.pop()!;
    if (items.length > 0) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < items.length && this.less(left, smallest)) smallest = left;
        if (right < items.length && this.less(right, smallest)) smallest = right;
        if (smallest === i) break;
        [items[i], items[smallest]] = [items[smallest]!, items[i]!];
        i = smallest;
      }
    }
    return top.command;
  }

  private less(a: number, b: number): boolean {
    const x = this.items[a]!;
    const y = this.items[b]!;
    return x.at < y.at || (x.at === y.at && x.seq < y.seq);
  }
}

export function planDemoData(options: DemoOptions = {}): DemoPlan {
  const resolved = resolveDemoOptions(options);
  const municipalities = PILOT_MUNICIPALITIES.slice(0, resolved.tenants);
  const counts = allocate(municipalities, resolved.signals);
  const tenants: DemoTenant[] = [];
  const clusters: DemoCluster[] = [];
  const all: Skeleton[] = [];
  municipalities.forEach((municipality, t) => {
    // Coverage routes go round the tenants: route k to tenant k mod n.
    const coverage = COVERAGE.filter((_, k) => k % municipalities.length === t);
    const { tenant, skeletons } = planTenant(resolved, municipality, counts[t] ?? 0, coverage);
    tenants.push({
      tenantId: municipality.slug,
      name: municipality.name,
      signals: tenant.count,
      roster: tenant.roster,
    });
    for (const cluster of tenant.clusters) {
      clusters.push({
        id: cluster.id,
        tenantId: municipality.slug,
        theme: cluster.theme.code,
        label: `${cluster.theme.label}: ${cluster.problem.label} ${cluster.area.locative}`,
        area: cluster.area.name,
        from: new Date(cluster.start),
        to: new Date(cluster.end),
        size: cluster.size,
      });
    }
    all.push(...skeletons);
  });
  const tenantOrder = new Map(municipalities.map((m, i) => [m.slug, i]));
  all.sort(
    (a, b) =>
      a.submitAt - b.submitAt ||
      tenantOrder.get(a.info.tenantId)! - tenantOrder.get(b.info.tenantId)! ||
      a.index - b.index,
  );

  function* signals(): Generator<PlannedSignal> {
    for (const skeleton of all) yield expand(skeleton, resolved);
  }

  function* commands(): Generator<PlannedCommand> {
    const queue = new CommandQueue();
    for (const skeleton of all) {
      while (queue.peekAt() <= skeleton.submitAt) yield queue.pop();
      for (const command of expand(skeleton, resolved).commands) queue.push(command);
    }
    while (queue.size > 0) yield queue.pop();
  }

  return { options: resolved, tenants, clusters, signalCount: all.length, signals, commands };
}

/** Every theme has texts: a new taxonomy code without them fails here, not in a seed run. */
export function themesWithoutTexts(codes: readonly string[]): string[] {
  const known = new Set(THEME_TEXTS.map((theme) => theme.code));
  return codes.filter((code) => !known.has(code));
}
