import type { IndexDeclaration } from '../../src/platform/read-store/read-store.port.js';
import type { Projection } from '../projection.js';
import { emptyHistogram, recordValue, type Histogram } from '../shared/histogram.js';
import { ProjectionEventError } from '../shared/projection-error.js';
import { addCount, assertUsableKeys, own, type Counts } from '../shared/records.js';
import {
  changesState,
  readSignalEvent,
  signalKeyOf,
  recordsAnyOf,
  SIGNAL_TEXT_ERASED,
  signalEventTypesWhere,
  type Submitted,
  type TextErased,
  type Transitioned,
} from '../shared/signal-event.js';
import { minutesBetween, monthOf } from '../shared/time.js';

/** What the dashboard must remember of every signal to move its counts when the signal changes. */
export type DashboardSignal = {
  state: string;
  submittedAt: string;
  themes: string[];
  policyDomain: string | null;
  area: string | null;
};

/** A signal not in a terminal state: what aging and overdue counts are computed from at query time. */
export type OpenSignal = {
  state: string;
  stateEnteredAt: string;
  submittedAt: string;
  dueAt: string | null;
};

export type TenantDashboardDocument = {
  tenantId: string;
  updatedAt: string;
  /** Current state of every signal. */
  byState: Counts;
  /** Current classification of every signal; a signal with several themes counts under each. */
  byTheme: Counts;
  byPolicyDomain: Counts;
  /** Signals with a (not erased) area. */
  byArea: Counts;
  /** `YYYY-MM` (UTC) → signals submitted, and entries into closed, rejected and merged. */
  submittedPerMonth: Counts;
  closedPerMonth: Counts;
  rejectedPerMonth: Counts;
  mergedPerMonth: Counts;
  /** Minutes, as mergeable histograms: per non-terminal state when a signal leaves it, and submitted → closed. */
  leadTime: { byStage: Record<string, Histogram>; total: Histogram };
  signals: Record<string, DashboardSignal>;
  openSignals: Record<string, OpenSignal>;
};

const CLOSED = 'closed';

const PER_MONTH_ON_ENTRY = {
  closed: 'closedPerMonth',
  rejected: 'rejectedPerMonth',
  merged: 'mergedPerMonth',
} as const satisfies Record<string, keyof TenantDashboardDocument>;

const INDEXES: readonly IndexDeclaration[] = [{ field: 'tenantId', type: 'string' }];

/** One document per tenant (`tenantId`): counts, lead times and the open backlog behind GET /dashboard. */
export const tenantDashboardProjection: Projection<TenantDashboardDocument> = {
  name: 'tenant-dashboard',
  schemaVersion: 1,
  handles: [
    ...signalEventTypesWhere(
      (command) => changesState(command) || recordsAnyOf('themes', 'policyDomain', 'area')(command),
    ),
    SIGNAL_TEXT_ERASED,
  ],
  indexes: INDEXES,
  documentId: (event) => signalKeyOf(event).tenantId,
  evolve(document, event) {
    const view = readSignalEvent(event);
    const fail = (reason: string) => new ProjectionEventError(event, reason);
    if (view.kind !== 'erased') {
      const { themes = [], policyDomain, area } = view.attributes;
      assertUsableKeys([...themes, policyDomain, area], fail);
    }
    if (view.kind === 'submitted') {
      const dashboard = document ?? emptyDashboard(view.tenantId);
      if (own(dashboard.signals, view.signalId)) throw fail(`signal ${view.signalId} was already submitted`);
      submit(dashboard, view);
      return dashboard;
    }
    const signal = document === null ? undefined : own(document.signals, view.signalId);
    if (document === null || signal === undefined) {
      throw fail(
        `signal ${view.signalId} of tenant ${view.tenantId} is unknown (its submission is missing or parked)`,
      );
    }
    if (view.kind === 'erased') {
      erase(document, signal, view);
      return document;
    }
    const { from, fromTerminal } = view.transition;
    if (signal.state !== from) {
      throw fail(
        `the event leaves "${from}" but the signal is in "${signal.state}" (an earlier event is missing or parked)`,
      );
    }
    const open = own(document.openSignals, view.signalId);
    if (!fromTerminal && open === undefined) throw fail(`open signal ${view.signalId} has no backlog entry`);
    move(document, signal, open, view);
    return document;
  },
};

export function emptyDashboard(tenantId: string): TenantDashboardDocument {
  return {
    tenantId,
    updatedAt: '',
    byState: {},
    byTheme: {},
    byPolicyDomain: {},
    byArea: {},
    submittedPerMonth: {},
    closedPerMonth: {},
    rejectedPerMonth: {},
    mergedPerMonth: {},
    leadTime: { byStage: {}, total: emptyHistogram() },
    signals: {},
    openSignals: {},
  };
}

function submit(dashboard: TenantDashboardDocument, view: Submitted): void {
  const { transition, attributes, at } = view;
  const signal: DashboardSignal = {
    state: transition.to,
    submittedAt: at,
    themes: unique(attributes.themes ?? []),
    policyDomain: attributes.policyDomain ?? null,
    area: attributes.area ?? null,
  };
  dashboard.signals[view.signalId] = signal;
  addCount(dashboard.byState, signal.state, 1);
  classify(dashboard, signal, 1);
  addCount(dashboard.submittedPerMonth, monthOf(at), 1);
  if (!transition.toTerminal) {
    dashboard.openSignals[view.signalId] = {
      state: signal.state,
      stateEnteredAt: at,
      submittedAt: at,
      dueAt: transition.dueAt,
    };
  }
  dashboard.updatedAt = at;
}

function move(
  dashboard: TenantDashboardDocument,
  signal: DashboardSignal,
  open: OpenSignal | undefined,
  view: Transitioned,
): void {
  const { transition, attributes, at } = view;
  const { themes, policyDomain, area } = attributes;
  if (themes !== undefined || policyDomain !== undefined || area !== undefined) {
    classify(dashboard, signal, -1);
    if (themes !== undefined) signal.themes = unique(themes);
    if (policyDomain !== undefined) signal.policyDomain = policyDomain;
    if (area !== undefined) signal.area = area;
    classify(dashboard, signal, 1);
  }
  if (transition.changesState) {
    addCount(dashboard.byState, signal.state, -1);
    addCount(dashboard.byState, transition.to, 1);
    if (open !== undefined) {
      const { byStage } = dashboard.leadTime;
      const stage = own(byStage, signal.state) ?? (byStage[signal.state] = emptyHistogram());
      recordValue(stage, minutesBetween(open.stateEnteredAt, at));
    }
    if (Object.hasOwn(PER_MONTH_ON_ENTRY, transition.to)) {
      const counts = PER_MONTH_ON_ENTRY[transition.to as keyof typeof PER_MONTH_ON_ENTRY];
      addCount(dashboard[counts], monthOf(at), 1);
    }
    if (transition.to === CLOSED)
      recordValue(dashboard.leadTime.total, minutesBetween(signal.submittedAt, at));
    if (transition.toTerminal) {
      delete dashboard.openSignals[view.signalId];
    } else {
      dashboard.openSignals[view.signalId] = {
        state: transition.to,
        stateEnteredAt: at,
        submittedAt: signal.submittedAt,
        dueAt: transition.dueAt,
      };
    }
    signal.state = transition.to;
  }
  dashboard.updatedAt = at;
}

function erase(dashboard: TenantDashboardDocument, signal: DashboardSignal, view: TextErased): void {
  if (signal.area !== null) {
    addCount(dashboard.byArea, signal.area, -1);
    signal.area = null;
  }
  dashboard.updatedAt = view.at;
}

function classify(dashboard: TenantDashboardDocument, signal: DashboardSignal, delta: 1 | -1): void {
  for (const theme of signal.themes) addCount(dashboard.byTheme, theme, delta);
  if (signal.policyDomain !== null) addCount(dashboard.byPolicyDomain, signal.policyDomain, delta);
  if (signal.area !== null) addCount(dashboard.byArea, signal.area, delta);
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
