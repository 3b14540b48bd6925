import { SIGNAL_WORKFLOW_MIGRATED } from '../../src/signals/signal.events.js';
import type { WorkflowDefinition } from '../../workflows/definition.js';
import type { IndexDeclaration } from '../../src/platform/read-store/read-store.port.js';
import type { Projection } from '../projection.js';
import { emptyHistogram, recordValue, type Histogram } from '../shared/histogram.js';
import { readClassification } from '../shared/classification.js';
import { ProjectionEventError } from '../shared/projection-error.js';
import { addCount, assertUsableKeys, CountChanges, own, type Counts } from '../shared/records.js';
import { emptySeries, monthKey, monthLabel, takeBefore, type Series } from '../shared/series.js';
import {
  changesState,
  readSignalEvent,
  readTransitionFacts,
  recordsAnyOf,
  signalEventTypesWhere,
  signalKeyOf,
  type Submitted,
  type Transitioned,
} from '../shared/signal-event.js';
import { deadlineAt } from '../../workflows/calendar/working-days.js';
import { dayLabel, dayNumberOf, dueAtFor, minutesBetween } from '../shared/time.js';
import { serveDashboard } from './tenant-dashboard.view.js';

/**
 * The dashboard of one tenant, BOUNDED: it holds counts only, never an entry per signal, so its
 * size depends on the number of distinct states, themes, policy domains and months, and on a
 * window of days (the last year of submissions, the deadlines still ahead), not on the tenant's
 * history. Every count moves with what the event's `metadata.workflow` says of the
 * signal before it (from, submittedAt, fromEnteredAt, assignmentBefore).
 *
 * Counts over days, months and histogram buckets are dense series (`Series`: a first key and
 * the counts from there), not objects keyed by text: a year of days takes about a kilobyte
 * rather than six, and GET /dashboard reads them without hashing or sorting keys (schema v5).
 *
 * What that costs, knowingly:
 * - `byTheme` counts every signal under the themes it has now: a reclassification (triage,
 *   analysis) moves it, from what `metadata.workflow.classificationBefore` says it was; one
 *   recorded before the decider filled that cannot be placed and moves nothing.
 * - There is no count by area: the area is free text, which the erasure of a signal blanks, and a
 *   count without memory of each signal's area could never honour that erasure. The dashboard
 *   therefore does not handle the erasure (it holds no text of any signal).
 * - Overdue is exact to the day (see `openByDueDay`); the inbox's `dueAt` remains exact.
 * - A stale or duplicated event is only noticed when a count would drop below zero.
 */
export type TenantDashboardDocument = {
  tenantId: string;
  updatedAt: string;
  /** Current state of every signal. */
  byState: Counts;
  /** Signals per theme they have now (reclassification moves them); a signal with several themes counts under each. */
  byTheme: Counts;
  /** Open signals (not in a terminal state) per policy domain. */
  byPolicyDomain: Counts;
  /** Per month (`monthKey` of `YYYY-MM`, UTC): signals submitted, and entries into closed, rejected and merged. */
  submittedPerMonth: Series;
  closedPerMonth: Series;
  rejectedPerMonth: Series;
  mergedPerMonth: Series;
  /** Minutes, as mergeable histograms: per non-terminal state when a signal leaves it, and submitted → closed. */
  leadTime: { byStage: Record<string, Histogram>; total: Histogram };
  /**
   * Per day of submission (`dayNumber`, UTC): open signals submitted that day, the backlog and its
   * aging. Days before `foldedBefore.submitted` are folded into `openFolded.submitted`.
   */
  openBySubmittedDay: Series;
  /**
   * Per day (`dayNumber`, UTC): open signals whose current state's deadline falls on that day
   * (signals in a state without a deadline are not counted). Overdue at query time is the sum
   * over days before today, so it is exact to the day: a signal due later today is not yet
   * overdue. Days before `foldedBefore.due` are folded into `openFolded.due`.
   */
  openByDueDay: Series;
  /**
   * Open signals folded out of the per-day counts: `submitted`, those submitted more than 365 days
   * before the latest event (in the oldest aging bucket at any later moment); `due`, those whose
   * deadline day lies before the latest event's day (overdue at any later moment).
   */
  openFolded: Counts;
  /** The days (`dayNumber`) before which the per-day counts are folded; they only move forward (null at first). */
  foldedBefore: { submitted: number | null; due: number | null };
};

/** Days kept per submission day: aging needs the day exactly up to 365 days back. */
const AGING_DAYS = 365;

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
  // 6: the same document, with its served form (`serveDashboard`) stored beside it. 7: a migration
  // back to a version without the state it leaves is counted (version 6 parked it). 8: byTheme
  // follows reclassification (it kept the themes given at submission), and due days count working
  // days of Brussels (version 7's, of the old rule, would be taken out of other days than they were
  // put in).
  schemaVersion: 8,
  // A migration to another lifecycle version may move the signal to another state.
  handles: [
    ...signalEventTypesWhere(
      (command) => changesState(command) || recordsAnyOf('policyDomain', 'themes')(command),
    ),
    SIGNAL_WORKFLOW_MIGRATED,
  ],
  indexes: INDEXES,
  documentId: (event) => signalKeyOf(event).tenantId,
  evolve(document, event) {
    const view = readSignalEvent(event);
    const fail = (reason: string) => new ProjectionEventError(event, reason);
    if (view.kind === 'erased') throw fail('the dashboard holds no text to erase');
    const facts = readTransitionFacts(view);
    const { transition, at } = view;
    const themes = themeChanges(view);
    assertUsableKeys([...themes.removed, ...themes.added], fail);
    if (document === null && view.kind !== 'submitted') {
      throw fail(
        `signal ${view.signalId} of tenant ${view.tenantId} is unknown (its submission is missing or parked)`,
      );
    }
    const dashboard = document ?? emptyDashboard(view.tenantId);

    // Plan every count change, check them together, and only then change the document.
    const changes = new CountChanges();
    const { from, to, definition } = transition;
    const entersState = transition.changesState;
    for (const theme of themes.removed) changes.add(dashboard.byTheme, 'byTheme', theme, -1);
    for (const theme of themes.added) changes.add(dashboard.byTheme, 'byTheme', theme, 1);
    if (view.kind === 'submitted') {
      changes.addAt(dashboard.submittedPerMonth, 'submittedPerMonth', monthKey(at), 1, monthLabel);
    }
    if (entersState) {
      if (from !== null) changes.add(dashboard.byState, 'byState', from, -1);
      changes.add(dashboard.byState, 'byState', to, 1);
      if (Object.hasOwn(PER_MONTH_ON_ENTRY, to)) {
        const counts = PER_MONTH_ON_ENTRY[to as keyof typeof PER_MONTH_ON_ENTRY];
        changes.addAt(dashboard[counts], counts, monthKey(at), 1, monthLabel);
      }
      // The deadline of the state left, from when the signal entered it; of the state entered, from now.
      const dueLeft =
        from !== null && !transition.fromTerminal && facts.fromEnteredAt !== null
          ? facts.fromDeadline !== null
            ? dayNumberOf(deadlineAt(facts.fromEnteredAt, facts.fromDeadline))
            : dueDay(definition, from, facts.fromEnteredAt, fail)
          : null;
      // A day before the fold boundary counts in the folded count, both ways: events of one tenant
      // need not come in time order (several writers, clocks), so a day may be behind already.
      if (dueLeft !== null) countDueDay(changes, dashboard, dueLeft, -1);
      // The view computed the entered state's deadline already.
      const dueEntered =
        transition.toTerminal || transition.dueAt === null ? null : dayNumberOf(transition.dueAt);
      if (dueEntered !== null) countDueDay(changes, dashboard, dueEntered, 1);
    }
    if (facts.openBefore !== facts.openAfter) {
      const submittedDay = dayNumberOf(facts.submittedAt);
      const folded = dashboard.foldedBefore.submitted;
      if (folded !== null && submittedDay < folded) {
        changes.add(dashboard.openFolded, 'openFolded', 'submitted', facts.openAfter ? 1 : -1);
      } else {
        changes.addAt(
          dashboard.openBySubmittedDay,
          'openBySubmittedDay',
          submittedDay,
          facts.openAfter ? 1 : -1,
          dayLabel,
        );
      }
    }
    const domainBefore = facts.assignmentBefore?.policyDomain ?? null;
    const domainAfter = facts.assignmentAfter.policyDomain;
    if (facts.openBefore && domainBefore !== null)
      changes.add(dashboard.byPolicyDomain, 'byPolicyDomain', domainBefore, -1);
    if (facts.openAfter && domainAfter !== null)
      changes.add(dashboard.byPolicyDomain, 'byPolicyDomain', domainAfter, 1);
    changes.check(fail);

    changes.apply();
    if (entersState && from !== null && !transition.fromTerminal && facts.fromEnteredAt !== null) {
      const { byStage } = dashboard.leadTime;
      const stage = own(byStage, from) ?? (byStage[from] = emptyHistogram());
      recordValue(stage, minutesBetween(facts.fromEnteredAt, at));
    }
    if (entersState && to === CLOSED) {
      recordValue(dashboard.leadTime.total, minutesBetween(facts.submittedAt, at));
    }
    dashboard.updatedAt = at;
    foldDays(dashboard, at);
    return dashboard;
  },
  serve: serveDashboard,
};

/** The themes the signal leaves and takes with this event: all of them at submission, the difference at a reclassification. */
function themeChanges(view: Submitted | Transitioned): { removed: string[]; added: string[] } {
  if (view.kind === 'submitted') return { removed: [], added: [...new Set(view.attributes.themes ?? [])] };
  if (view.attributes.themes === undefined) return { removed: [], added: [] };
  const change = readClassification(view);
  if (change === null || change.before === null) return { removed: [], added: [] };
  const before = new Set(change.before.themes);
  const after = new Set(change.after.themes);
  return {
    removed: [...before].filter((theme) => !after.has(theme)),
    added: [...after].filter((theme) => !before.has(theme)),
  };
}

function countDueDay(
  changes: CountChanges,
  dashboard: TenantDashboardDocument,
  day: number,
  delta: number,
): void {
  const folded = dashboard.foldedBefore.due;
  if (folded !== null && day < folded) changes.add(dashboard.openFolded, 'openFolded', 'due', delta);
  else changes.addAt(dashboard.openByDueDay, 'openByDueDay', day, delta, dayLabel);
}

/**
 * Moves the fold boundaries up to the event's day and folds the per-day counts that fell behind
 * them (each day once): the document keeps a window of days, whatever the history's length.
 */
function foldDays(dashboard: TenantDashboardDocument, at: string): void {
  const today = dayNumberOf(at);
  const agedOut = today - AGING_DAYS;
  const { foldedBefore } = dashboard;
  if (foldedBefore.submitted === null || agedOut > foldedBefore.submitted) {
    foldedBefore.submitted = agedOut;
    foldInto(dashboard.openBySubmittedDay, agedOut, dashboard.openFolded, 'submitted');
  }
  if (foldedBefore.due === null || today > foldedBefore.due) {
    foldedBefore.due = today;
    foldInto(dashboard.openByDueDay, today, dashboard.openFolded, 'due');
  }
}

function foldInto(perDay: Series, before: number, folded: Counts, key: string): void {
  addCount(folded, key, takeBefore(perDay, before));
}

/** The UTC day (`dayNumber`) a signal that entered `state` at `enteredAt` is due; null when the state has no deadline. */
function dueDay(
  definition: WorkflowDefinition,
  state: string,
  enteredAt: string,
  fail: (reason: string) => Error,
): number | null {
  let dueAt: string | null;
  try {
    dueAt = dueAtFor(definition, state, enteredAt);
  } catch (error) {
    throw fail((error as Error).message);
  }
  return dueAt === null ? null : dayNumberOf(dueAt);
}

export function emptyDashboard(tenantId: string): TenantDashboardDocument {
  return {
    tenantId,
    updatedAt: '',
    byState: {},
    byTheme: {},
    byPolicyDomain: {},
    submittedPerMonth: emptySeries(),
    closedPerMonth: emptySeries(),
    rejectedPerMonth: emptySeries(),
    mergedPerMonth: emptySeries(),
    leadTime: { byStage: {}, total: emptyHistogram() },
    openBySubmittedDay: emptySeries(),
    openByDueDay: emptySeries(),
    openFolded: {},
    foldedBefore: { submitted: null, due: null },
  };
}
