import { createHash } from 'node:crypto';
import type { IndexDeclaration } from '../../src/platform/read-store/read-store.port.js';
import type { Projection } from '../projection.js';
import { readClassification, type Classification } from '../shared/classification.js';
import { ProjectionEventError } from '../shared/projection-error.js';
import { CountChanges, own, type Counts } from '../shared/records.js';
import {
  changesState,
  readSignalEvent,
  readTransitionFacts,
  recordsAnyOf,
  signalEventTypesWhere,
} from '../shared/signal-event.js';

/**
 * The supra-local cells of one tenant and one quarter of submission: per shared theme, how many
 * signals, from how many distinct signal givers and organisations, how many escalated to the
 * supra-local level; per theme × target group and per pair of themes, signals and givers.
 *
 * No text and no person id: givers and organisations are kept as truncated SHA-256 digests of
 * (tenant, id), each with the number of the cell's signals it accounts for, so that a distinct
 * count can move down when a signal is reclassified, rejected or merged, and so that quarters,
 * tenants and totals can be united exactly at query time.
 *
 * A signal counts from submission until it is rejected (not a signal) or merged (a duplicate),
 * under the themes and target groups it has now: reclassification (triage, analysis) moves it,
 * from what the event's `metadata.workflow.classificationBefore` says it was. Lifecycle events
 * recorded before the decider filled that field cannot be placed and change nothing. Which
 * tenants take part is decided at query time (the tenant's supra-local opt-in).
 */
export type SupralocalCellsDocument = {
  tenantId: string;
  /** `YYYY-Qn` of the signals' submission (UTC). */
  quarter: string;
  updatedAt: string;
  /** Theme → signals. */
  signals: Counts;
  /** Theme → giver digest → signals. */
  givers: Record<string, Counts>;
  /** Theme → organisation digest → signals (signals given outside an organisation count under none). */
  organisations: Record<string, Counts>;
  /** Theme → escalations of its signals to the supra-local level. */
  escalations: Counts;
  /** `theme|targetGroup` → signals, and → giver digest → signals. */
  targetGroups: Counts;
  targetGroupGivers: Record<string, Counts>;
  /** `themeA|themeB` (A < B) → signals with both themes, and → giver digest → signals. */
  pairs: Counts;
  pairGivers: Record<string, Counts>;
};

/** States in which a signal no longer counts: not accepted as a signal, or a duplicate of another. */
export const NOT_COUNTED_STATES: ReadonlySet<string> = new Set(['rejected', 'merged']);

const INDEXES: readonly IndexDeclaration[] = [
  { field: 'quarter', type: 'string' },
  { field: 'tenantId', type: 'string' },
];

const handles = signalEventTypesWhere(
  (command) =>
    changesState(command) ||
    recordsAnyOf('themes', 'targetGroups')(command) ||
    command.event === 'SignalEscalated',
);

export const supralocalCellsProjection: Projection<SupralocalCellsDocument> = {
  name: 'supralocal-cells',
  schemaVersion: 1,
  handles,
  indexes: INDEXES,
  partitionKey: 'quarter',
  documentId(event) {
    const view = readSignalEvent(event);
    if (view.kind === 'erased') return null;
    return `${view.tenantId}|${quarterOf(readTransitionFacts(view).submittedAt)}`;
  },
  evolve(document, event) {
    const view = readSignalEvent(event);
    const fail = (reason: string) => new ProjectionEventError(event, reason);
    if (view.kind === 'erased') throw fail('the supra-local cells hold no text to erase');
    const facts = readTransitionFacts(view);
    const change = readClassification(view);
    if (change === null) return document; // recorded before classificationBefore: cannot be placed
    const { transition } = view;
    const countedBefore =
      change.before !== null && transition.from !== null && !NOT_COUNTED_STATES.has(transition.from);
    const countedAfter = !NOT_COUNTED_STATES.has(transition.to);
    const escalatesSupralocal =
      event.type === 'SignalEscalated' && view.fields['level'] === 'supralocal' && countedAfter;
    if (document === null && view.kind !== 'submitted' && !countedAfter && !countedBefore) return null;
    const cells = document ?? emptyCells(view.tenantId, quarterOf(facts.submittedAt));
    // Plan, check together, then change: a refused event leaves the document as it was.
    const changes = new CountChanges();
    const created: Array<[Record<string, Counts>, string]> = [];
    const plan = { cells, changes, created, tenantId: view.tenantId };
    if (countedBefore) contribute(plan, change.before!, -1);
    if (countedAfter) contribute(plan, change.after, 1);
    if (escalatesSupralocal)
      for (const theme of change.after.themes) changes.add(cells.escalations, 'escalations', theme, 1);
    try {
      changes.check(fail);
    } catch (error) {
      for (const [record, key] of created) if (Object.keys(record[key]!).length === 0) delete record[key];
      throw error;
    }
    changes.apply();
    for (const [record, key] of created) if (Object.keys(record[key]!).length === 0) delete record[key];
    pruneEmpty(cells, change.before);
    cells.updatedAt = view.at > cells.updatedAt ? view.at : cells.updatedAt;
    return cells;
  },
};

interface Plan {
  cells: SupralocalCellsDocument;
  changes: CountChanges;
  created: Array<[Record<string, Counts>, string]>;
  tenantId: string;
}

function contribute(plan: Plan, signal: Classification, delta: 1 | -1): void {
  const { cells, changes } = plan;
  const giver = digestOf(plan.tenantId, signal.givenBy);
  const organisation = signal.organisationId === null ? null : digestOf(plan.tenantId, signal.organisationId);
  const { themes, targetGroups } = signal;
  for (const theme of themes) {
    changes.add(cells.signals, 'signals', theme, delta);
    changes.add(nested(plan, cells.givers, theme), 'givers', giver, delta);
    if (organisation !== null)
      changes.add(nested(plan, cells.organisations, theme), 'organisations', organisation, delta);
    for (const group of targetGroups) {
      const key = `${theme}|${group}`;
      changes.add(cells.targetGroups, 'targetGroups', key, delta);
      changes.add(nested(plan, cells.targetGroupGivers, key), 'targetGroupGivers', giver, delta);
    }
  }
  for (let i = 0; i < themes.length; i++) {
    for (let j = i + 1; j < themes.length; j++) {
      const key = `${themes[i]}|${themes[j]}`; // themes are sorted
      changes.add(cells.pairs, 'pairs', key, delta);
      changes.add(nested(plan, cells.pairGivers, key), 'pairGivers', giver, delta);
    }
  }
}

function nested(plan: Plan, record: Record<string, Counts>, key: string): Counts {
  let counts = own(record, key);
  if (counts === undefined) {
    counts = {};
    record[key] = counts;
    plan.created.push([record, key]);
  }
  return counts;
}

/** Drops the per-giver maps a moved-out signal left empty. */
function pruneEmpty(cells: SupralocalCellsDocument, before: Classification | null): void {
  if (before === null) return;
  for (const record of [cells.givers, cells.organisations, cells.targetGroupGivers, cells.pairGivers]) {
    for (const key of Object.keys(record)) if (Object.keys(record[key]!).length === 0) delete record[key];
  }
}

export function emptyCells(tenantId: string, quarter: string): SupralocalCellsDocument {
  return {
    tenantId,
    quarter,
    updatedAt: '',
    signals: {},
    givers: {},
    organisations: {},
    escalations: {},
    targetGroups: {},
    targetGroupGivers: {},
    pairs: {},
    pairGivers: {},
  };
}

/** `YYYY-Qn` of an ISO-8601 instant (UTC). */
export function quarterOf(instant: string): string {
  const month = Number(instant.slice(5, 7));
  return `${instant.slice(0, 4)}-Q${Math.floor((month - 1) / 3) + 1}`;
}

/**
 * A person's or organisation's id as the supra-local cells keep it: 72 bits of SHA-256 over the
 * tenant and the id, enough to count distinct ids exactly at any realistic scale, and no way back
 * to the id short of guessing it.
 */
export function digestOf(tenantId: string, id: string): string {
  return createHash('sha256')
    .update(`supralocal\u0000${tenantId}\u0000${id}`)
    .digest('base64url')
    .slice(0, 12);
}
