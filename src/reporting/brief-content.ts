import type { DossierSummary } from './dossier-summary-source.js';
import { describePeriod, monthsOf, type Period } from './period.js';

/** The fields of a signal's inbox document a brief reads: never the giver, area or free text. */
export interface BriefSignal {
  /** Never shown: which signal a quoted title is, so that its erasure can reach the brief. */
  signalId: string;
  themes: string[];
  policyDomain: string | null;
  state: string;
  open: boolean;
  submittedAt: string;
  stateEnteredAt: string;
  dueAt: string | null;
  structural: boolean | null;
  /** Only read for structural signals; null once erased. */
  title: string | null;
}

export interface Trend {
  current: number;
  previous: number;
  delta: number;
  /** Change in percent of the previous period; null when the previous period had none. */
  percent: number | null;
}

export interface BreakdownRow {
  key: string;
  received: Trend;
  closed: Trend;
}

export interface BriefContent {
  tenantId: string;
  period: { label: string; kind: string; from: string; to: string; description: string };
  previousPeriod: { label: string; description: string };
  generatedAt: string;
  totals: { received: Trend; closed: Trend; rejected: Trend };
  byTheme: BreakdownRow[];
  byPolicyDomain: BreakdownRow[];
  monthly: Array<{ month: string; received: number; closed: number }>;
  backlog: {
    /** Open at the end of the period (or now, for a period that has not ended). */
    open: number;
    asOf: string;
    overdue: number;
    byPolicyDomain: Array<{ key: string; open: number; overdue: number }>;
  };
  leadTimes: {
    closed: number;
    medianDays: number | null;
    p90Days: number | null;
    averageDays: number | null;
    byPolicyDomain: Array<{ key: string; closed: number; medianDays: number | null }>;
  };
  structuralSignals: {
    count: number;
    byTheme: Array<{ key: string; count: number }>;
    /**
     * The titles of the latest structural signals. `signalId` is kept while the brief is made
     * (BriefGenerated records it as `quotedSignals`), never in the published content.
     */
    titles: Array<{ title: string; themes: string[]; signalId?: string }>;
  };
  dossiers: {
    count: number;
    main: Array<{
      title: string;
      themes: string[];
      signalCount: number;
      structural: boolean;
      analyses: Array<{ at: string; conclusion: string }>;
      closed: boolean;
    }>;
    escalations: Array<{
      dossier: string;
      at: string;
      level: 'local' | 'supralocal';
      body: string;
      signalCount: number;
    }>;
    decisions: Array<{
      dossier: string;
      at: string;
      decision: string;
      actions: string[];
      signalCount: number;
    }>;
  };
}

export const NO_DOMAIN = 'zonder beleidsdomein';
const MAIN_DOSSIERS = 10;
const STRUCTURAL_TITLES = 10;
const DAY_MS = 86_400_000;

function trend(current: number, previous: number): Trend {
  return {
    current,
    previous,
    delta: current - previous,
    percent: previous === 0 ? null : Math.round(((current - previous) / previous) * 1000) / 10,
  };
}

function within(instant: string, period: { from: string; to: string }): boolean {
  return instant >= period.from && instant < period.to;
}

function increment(counts: Map<string, number>, key: string, by = 1): void {
  counts.set(key, (counts.get(key) ?? 0) + by);
}

function quantileOf(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return round1(sorted[index]!);
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

/** Every theme of a signal, or one placeholder so a signal without theme still counts once. */
function themesOf(signal: BriefSignal): string[] {
  return signal.themes.length > 0 ? [...new Set(signal.themes)] : ['zonder thema'];
}

/**
 * The figures of a brief, computed from the signals' read-model documents and the dossier
 * summaries. Pure: the same input gives the same brief. A closure is dated by the time the signal
 * entered `closed` (its current state); a signal reopened since counts as open.
 */
export function computeBrief(input: {
  tenantId: string;
  period: Period;
  previous: Period;
  now: Date;
  signals: Iterable<BriefSignal>;
  dossiers: readonly DossierSummary[];
}): BriefContent {
  const { period, previous } = input;
  const nowIso = input.now.toISOString();
  const asOf = period.to < nowIso ? period.to : nowIso;
  const windows = [period, previous] as const;
  const received = [new Map<string, number>(), new Map<string, number>()];
  const closed = [new Map<string, number>(), new Map<string, number>()];
  const receivedDomain = [new Map<string, number>(), new Map<string, number>()];
  const closedDomain = [new Map<string, number>(), new Map<string, number>()];
  const totals = { received: [0, 0], closed: [0, 0], rejected: [0, 0] };
  const months = monthsOf(period);
  const monthly = new Map(months.map((month) => [month, { month, received: 0, closed: 0 }]));
  const backlogOpen = new Map<string, number>();
  const backlogOverdue = new Map<string, number>();
  let open = 0;
  let overdue = 0;
  const leadDays: number[] = [];
  const leadByDomain = new Map<string, number[]>();
  const structuralByTheme = new Map<string, number>();
  const structural: BriefSignal[] = [];

  for (const signal of input.signals) {
    const domain = signal.policyDomain ?? NO_DOMAIN;
    const closedAt = signal.state === 'closed' ? signal.stateEnteredAt : null;
    windows.forEach((window, index) => {
      if (within(signal.submittedAt, window)) {
        totals.received[index]! += 1;
        for (const theme of themesOf(signal)) increment(received[index]!, theme);
        increment(receivedDomain[index]!, domain);
      }
      if (closedAt !== null && within(closedAt, window)) {
        totals.closed[index]! += 1;
        for (const theme of themesOf(signal)) increment(closed[index]!, theme);
        increment(closedDomain[index]!, domain);
      }
      if (signal.state === 'rejected' && within(signal.stateEnteredAt, window)) totals.rejected[index]! += 1;
    });
    if (within(signal.submittedAt, period)) {
      const row = monthly.get(signal.submittedAt.slice(0, 7));
      if (row) row.received += 1;
      if (signal.structural === true) {
        structural.push(signal);
        for (const theme of themesOf(signal)) increment(structuralByTheme, theme);
      }
    }
    if (closedAt !== null && within(closedAt, period)) {
      const row = monthly.get(closedAt.slice(0, 7));
      if (row) row.closed += 1;
      const days = (Date.parse(closedAt) - Date.parse(signal.submittedAt)) / DAY_MS;
      leadDays.push(days);
      const list = leadByDomain.get(domain) ?? [];
      list.push(days);
      leadByDomain.set(domain, list);
    }
    // Open at `asOf`: submitted before it and still open, or ended (closed, rejected, merged) after it.
    const openAtEnd = signal.submittedAt < asOf && (signal.open || signal.stateEnteredAt >= asOf);
    if (openAtEnd) {
      open += 1;
      increment(backlogOpen, domain);
      if (signal.open && signal.dueAt !== null && signal.dueAt < asOf) {
        overdue += 1;
        increment(backlogOverdue, domain);
      }
    }
  }

  const breakdown = (current: Map<string, number>[], done: Map<string, number>[]): BreakdownRow[] => {
    const keys = new Set([...current.flatMap((m) => [...m.keys()]), ...done.flatMap((m) => [...m.keys()])]);
    return [...keys]
      .map((key) => ({
        key,
        received: trend(current[0]!.get(key) ?? 0, current[1]!.get(key) ?? 0),
        closed: trend(done[0]!.get(key) ?? 0, done[1]!.get(key) ?? 0),
      }))
      .sort((a, b) => b.received.current - a.received.current || a.key.localeCompare(b.key));
  };

  leadDays.sort((a, b) => a - b);
  const dossiers = [...input.dossiers];
  const main = dossiers
    .sort((a, b) => b.signalCount - a.signalCount || a.title.localeCompare(b.title))
    .slice(0, MAIN_DOSSIERS)
    .map((dossier) => ({
      title: dossier.title,
      themes: dossier.themes,
      signalCount: dossier.signalCount,
      structural: dossier.analyses.some((analysis) => analysis.structural),
      analyses: dossier.analyses.slice(-2).map(({ at, conclusion }) => ({ at, conclusion })),
      closed: dossier.closed !== null,
    }));

  return {
    tenantId: input.tenantId,
    period: {
      label: period.label,
      kind: period.kind,
      from: period.from,
      to: period.to,
      description: describePeriod(period),
    },
    previousPeriod: { label: previous.label, description: describePeriod(previous) },
    generatedAt: nowIso,
    totals: {
      received: trend(totals.received[0]!, totals.received[1]!),
      closed: trend(totals.closed[0]!, totals.closed[1]!),
      rejected: trend(totals.rejected[0]!, totals.rejected[1]!),
    },
    byTheme: breakdown(received, closed),
    byPolicyDomain: breakdown(receivedDomain, closedDomain),
    monthly: [...monthly.values()],
    backlog: {
      open,
      asOf,
      overdue,
      byPolicyDomain: [...backlogOpen.entries()]
        .map(([key, count]) => ({ key, open: count, overdue: backlogOverdue.get(key) ?? 0 }))
        .sort((a, b) => b.open - a.open || a.key.localeCompare(b.key)),
    },
    leadTimes: {
      closed: leadDays.length,
      medianDays: quantileOf(leadDays, 0.5),
      p90Days: quantileOf(leadDays, 0.9),
      averageDays:
        leadDays.length === 0
          ? null
          : round1(leadDays.reduce((sum, days) => sum + days, 0) / leadDays.length),
      byPolicyDomain: [...leadByDomain.entries()]
        .map(([key, days]) => ({
          key,
          closed: days.length,
          medianDays: quantileOf(
            days.sort((a, b) => a - b),
            0.5,
          ),
        }))
        .sort((a, b) => b.closed - a.closed || a.key.localeCompare(b.key)),
    },
    structuralSignals: {
      count: structural.length,
      byTheme: [...structuralByTheme.entries()]
        .map(([key, count]) => ({ key, count }))
        .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key)),
      titles: structural
        .filter((signal) => signal.title !== null && signal.title !== '')
        .sort((a, b) => (a.submittedAt < b.submittedAt ? 1 : -1))
        .slice(0, STRUCTURAL_TITLES)
        .map((signal) => ({ title: signal.title!, themes: signal.themes, signalId: signal.signalId })),
    },
    dossiers: {
      count: dossiers.length,
      main,
      escalations: dossiers
        .flatMap((dossier) =>
          dossier.escalations
            .filter((escalation) => within(escalation.at, period))
            .map((escalation) => ({
              dossier: dossier.title,
              at: escalation.at,
              level: escalation.level,
              body: escalation.body,
              signalCount: escalation.memberCount,
            })),
        )
        .sort((a, b) => (a.at < b.at ? -1 : 1)),
      decisions: dossiers
        .flatMap((dossier) =>
          dossier.decisions
            .filter((decision) => within(decision.at, period))
            .map((decision) => ({
              dossier: dossier.title,
              at: decision.at,
              decision: decision.decision,
              actions: decision.actions,
              signalCount: decision.memberCount,
            })),
        )
        .sort((a, b) => (a.at < b.at ? -1 : 1)),
    },
  };
}
