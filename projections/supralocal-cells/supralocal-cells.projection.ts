import { createHash } from 'node:crypto';
import type { IndexDeclaration } from '../../src/platform/read-store/read-store.port.js';
import type { Projection } from '../projection.js';
import { readClassification, type Classification } from '../shared/classification.js';
import { ProjectionEventError } from '../shared/projection-error.js';
import {
  addCount,
  asDictionary,
  CountChanges,
  countOf,
  dictionary,
  isUnsafeKey,
  own,
  type Counts,
} from '../shared/records.js';
import { SIGNAL_DOSSIER_ESCALATED } from '../../src/dossiers/dossier.events.js';
import {
  changesState,
  readSignalEvent,
  readTransitionFacts,
  recordsAnyOf,
  SIGNAL_TEXT_ERASED,
  signalEventTypesWhere,
  signalKeyOf,
  submittedAtOf,
} from '../shared/signal-event.js';

/**
 * The supra-local cells of one tenant and one quarter of submission: per shared theme, how many
 * signals, from how many distinct signal givers and organisations, how many escalated to the
 * supra-local level; per theme × month of submission, signals and distinct givers (and per month
 * over all themes, distinct givers); per theme × target group, theme × area type and per pair of
 * themes, signals and distinct givers; and the distinct givers and organisations of the tenant's
 * quarter over all themes.
 *
 * No text and no person id: givers and organisations are kept as truncated SHA-256 digests of
 * (tenant, id), in `tally`, each with the number of counted signals it accounts for, so that a
 * distinct count can move down when a signal is reclassified, rejected or merged. Queries read the
 * distinct counts, never the tally (they ask the store for the other fields only). Digests are per
 * tenant, so distinct counts of different tenants add up exactly.
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
  /** Theme → signals, distinct givers, distinct organisations, escalations to the supra-local level. */
  signals: Counts;
  givers: Counts;
  organisations: Counts;
  escalations: Counts;
  /** Theme → distinct dossiers escalated (at any level) with signals of the theme among their members. */
  dossiers: Counts;
  /**
   * `YYYY-MM|theme` → of the signals submitted in that month: signals, distinct givers and
   * organisations (exact), escalations to the supra-local level, distinct dossiers escalated.
   */
  months: Counts;
  monthGivers: Counts;
  monthOrganisations: Counts;
  monthEscalations: Counts;
  monthDossiers: Counts;
  /** `YYYY-MM` → distinct givers and organisations of the month's counted signals, over all themes (exact). */
  monthAllGivers: Counts;
  monthAllOrganisations: Counts;
  /** `theme|targetGroup` → signals and distinct givers (followed up to BOUNDED_GIVERS: a lower bound beyond). */
  targetGroups: Counts;
  targetGroupGivers: Counts;
  /** `theme|areaType` → signals and distinct givers (as target groups); signals without an area type are not here. */
  areaTypes: Counts;
  areaTypeGivers: Counts;
  /** `themeA|themeB` (A < B) → signals with both themes and their distinct givers (as target groups). */
  pairs: Counts;
  pairGivers: Counts;
  /** Distinct givers and organisations of the counted signals, over all themes. */
  allGivers: number;
  allOrganisations: number;
  /** Digest → counted signals, per key of the distinct counts above (`*` for all themes). */
  tally: {
    givers: Record<string, Counts>;
    organisations: Record<string, Counts>;
    targetGroupGivers: Record<string, Counts>;
    areaTypeGivers: Record<string, Counts>;
    pairGivers: Record<string, Counts>;
    monthGivers: Record<string, Counts>;
    monthOrganisations: Record<string, Counts>;
    monthAllGivers: Record<string, Counts>;
    monthAllOrganisations: Record<string, Counts>;
    /** `YYYY-MM|theme` → dossier id → member escalations recorded (only grows, as `dossiers`). */
    monthDossiers: Record<string, Counts>;
    allGivers: Counts;
    allOrganisations: Counts;
    /** Theme → dossier id → member escalations recorded (only grows: an escalation is never undone). */
    dossiers: Record<string, Counts>;
    /**
     * Per bounded tally (`targetGroupGivers`, `areaTypeGivers`, `pairGivers`): the keys that have
     * freed a place since they were last full (each → 1), where a giver turned away may take it
     * (keepCounted). A kind with no such key has no entry.
     */
    freed: Record<string, Counts>;
  };
};

/** The distinct counts whose tallies follow at most BOUNDED_GIVERS givers per key. */
type BoundedKind = 'targetGroupGivers' | 'areaTypeGivers' | 'pairGivers';

/** What schemaVersion 4 added: a document of version 3 (active until 4 is rebuilt beside it) lacks them. */
type AddedInVersion4 =
  | 'months'
  | 'monthGivers'
  | 'monthOrganisations'
  | 'monthEscalations'
  | 'monthDossiers'
  | 'monthAllGivers'
  | 'monthAllOrganisations'
  | 'areaTypes'
  | 'areaTypeGivers';

/** A cells document as queries read it (of the active version, which may be an older one). */
export type SupralocalCellsFigures = Omit<SupralocalCellsDocument, 'tally' | AddedInVersion4> &
  Partial<Pick<SupralocalCellsDocument, AddedInVersion4>>;

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
    command.event === 'SignalEscalated' ||
    command.event === SIGNAL_DOSSIER_ESCALATED,
);

export const supralocalCellsProjection: Projection<SupralocalCellsDocument> = {
  name: 'supralocal-cells',
  // 5: the bounded tallies' freed places (tally.freed).
  schemaVersion: 5,
  handles,
  indexes: INDEXES,
  partitionKey: 'quarter',
  documentId(event) {
    // Asked for a whole batch before any of it is applied: the submission instant alone, not the
    // event's full read, which would be read again when the event is applied (LastRead).
    const submittedAt = event.type === SIGNAL_TEXT_ERASED ? null : submittedAtOf(event);
    if (submittedAt !== null) return joinKey(signalKeyOf(event).tenantId, quarterOf(submittedAt));
    const view = readSignalEvent(event);
    if (view.kind === 'erased') return null;
    return joinKey(view.tenantId, quarterOf(readTransitionFacts(view).submittedAt));
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
    const dossierId =
      event.type === SIGNAL_DOSSIER_ESCALATED && countedAfter && typeof view.fields['dossierId'] === 'string'
        ? view.fields['dossierId']
        : null;
    if (dossierId !== null && isUnsafeKey(dossierId)) throw fail('data.dossierId is not a usable id');
    if (document === null && view.kind !== 'submitted' && !countedAfter && !countedBefore) return null;
    const cells =
      document === null
        ? emptyCells(view.tenantId, quarterOf(facts.submittedAt))
        : withDictionaries(document);
    // A signal counted before and after under the same classification moves no count: taking
    // it out and putting it back nets to nothing (most lifecycle steps are such events). Only a
    // giver the bounded tallies did not follow may now take a place another giver freed. Nothing
    // here can be refused (counts only go up), so it changes the document straight away.
    if (countedBefore && countedAfter && sameClassification(change.before!, change.after)) {
      keepCounted(cells, view.tenantId, change.after);
      if (escalatesSupralocal || dossierId !== null) {
        const month = facts.submittedAt.slice(0, 7);
        if (escalatesSupralocal)
          for (const theme of change.after.themes) {
            addCount(cells.escalations, theme, 1);
            addCount(cells.monthEscalations, joinKey(month, theme), 1);
          }
        if (dossierId !== null) countDossier(cells, change.after.themes, dossierId, month);
      }
      cells.updatedAt = view.at > cells.updatedAt ? view.at : cells.updatedAt;
      return cells;
    }
    // Plan, check together, then change: a refused event leaves the document as it was.
    const plan: Plan = {
      cells,
      changes: new CountChanges(),
      created: [],
      distinct: [],
      bounded: [],
      tenantId: view.tenantId,
      month: facts.submittedAt.slice(0, 7),
    };
    if (countedBefore) contribute(plan, change.before!, -1);
    if (countedAfter) contribute(plan, change.after, 1);
    if (escalatesSupralocal)
      for (const theme of change.after.themes) {
        plan.changes.add(cells.escalations, 'escalations', theme, 1);
        plan.changes.add(cells.monthEscalations, 'monthEscalations', joinKey(plan.month, theme), 1);
      }
    try {
      plan.changes.check(fail);
    } catch (error) {
      dropCreated(plan);
      throw error;
    }
    // Whether each digest was present before, to move the distinct counts after.
    const { distinct } = plan;
    const present = distinct.map(({ tally, digest }) => countOf(tally, digest) !== undefined);
    plan.changes.apply();
    for (let i = 0; i < distinct.length; i++) {
      const { tally, digest } = distinct[i]!;
      if (plannedBefore(distinct, i)) continue; // the same digest of the same tally, moved once
      const now = countOf(tally, digest) !== undefined;
      if (now !== present[i]) moveDistinct(cells, distinct[i]!, now ? 1 : -1);
    }
    dropCreated(plan);
    for (const bounded of plan.bounded) applyBounded(cells, bounded);
    if (dossierId !== null) countDossier(cells, change.after.themes, dossierId, plan.month);
    cells.updatedAt = view.at > cells.updatedAt ? view.at : cells.updatedAt;
    return cells;
  },
};

interface Plan {
  cells: SupralocalCellsDocument;
  changes: CountChanges;
  /** Tally maps created for this event: removed again when they stay empty. */
  created: Array<[Record<string, Counts>, string]>;
  /** Digest tallies whose presence moves a distinct count. */
  distinct: DistinctChange[];
  /** Changes of the bounded tallies (theme pairs, target groups), made after the checked ones. */
  bounded: BoundedChange[];
  tenantId: string;
  /** `YYYY-MM` of the signal's submission (UTC). */
  month: string;
}

/**
 * A digest's tally whose presence moves a distinct count: `counts[key]`, or the document's
 * `allGivers` / `allOrganisations` when `counts` is null (`key` names which).
 */
interface DistinctChange {
  tally: Counts;
  digest: string;
  counts: Counts | null;
  key: string;
  /** Where the tally hangs, so that an emptied one is removed. */
  parent: [Record<string, Counts>, string] | null;
}

function moveDistinct(cells: SupralocalCellsDocument, change: DistinctChange, delta: 1 | -1): void {
  if (change.counts !== null) addCount(change.counts, change.key, delta);
  else if (change.key === 'allGivers') cells.allGivers += delta;
  else cells.allOrganisations += delta;
}

/** Whether an earlier change of the plan tracks the same digest of the same tally. */
function plannedBefore(distinct: readonly DistinctChange[], i: number): boolean {
  const { tally, digest } = distinct[i]!;
  for (let j = 0; j < i; j++) if (distinct[j]!.tally === tally && distinct[j]!.digest === digest) return true;
  return false;
}

interface BoundedChange {
  kind: BoundedKind;
  key: string;
  digest: string;
  delta: 1 | -1;
}

/**
 * How many givers a theme pair's or target group's tally follows. Those lists need only "at
 * least N givers" (N = SUPRALOCAL_MIN_GIVERS), so their tallies stay small whatever the volume:
 * a giver is followed while the tally has room, and the count is a lower bound beyond it (never
 * more than the truth: a followed giver always has a counted signal), which can only hide a
 * list entry, never publish one too many. A threshold above this bound publishes no such entry.
 */
export const BOUNDED_GIVERS = 16;

function applyBounded(cells: SupralocalCellsDocument, change: BoundedChange): void {
  const { kind, key, digest, delta } = change;
  const tallies = cells.tally[kind];
  // `cells[kind][key]` counts the tally's givers (this is its only writer): no listing of its keys.
  const distinct = cells[kind];
  let tally = own(tallies, key);
  if (delta === 1) {
    if (tally === undefined) tallies[key] = tally = dictionary();
    const count = countOf(tally, digest);
    if (count !== undefined) tally[digest] = count + 1;
    else {
      const followed = countOf(distinct, key) ?? 0;
      if (followed >= BOUNDED_GIVERS) return; // full: the giver is turned away
      tally[digest] = 1;
      addCount(distinct, key, 1);
      if (followed + 1 === BOUNDED_GIVERS) unmarkFreed(cells.tally.freed, kind, key);
    }
    return;
  }
  const count = tally === undefined ? undefined : countOf(tally, digest);
  if (tally === undefined || count === undefined) return; // a giver the tally did not follow
  if (count > 1) {
    tally[digest] = count - 1;
    return;
  }
  delete tally[digest];
  const followed = countOf(distinct, key)!;
  addCount(distinct, key, -1);
  // A full tally that lets a giver go may have turned others away: one of them may take the place.
  if (followed === BOUNDED_GIVERS) markFreed(cells.tally.freed, kind, key);
  if (followed === 1) delete tallies[key];
}

/** A bounded tally's key freed a place: a giver it turned away may take it (keepCounted). */
function markFreed(freed: Record<string, Counts>, kind: BoundedKind, key: string): void {
  let keys = own(freed, kind);
  if (keys === undefined) freed[kind] = keys = dictionary();
  keys[key] = 1;
}

/** A bounded tally's key is full again: no place left to take. */
function unmarkFreed(freed: Record<string, Counts>, kind: BoundedKind, key: string): void {
  const keys = own(freed, kind);
  if (keys === undefined || countOf(keys, key) === undefined) return;
  delete keys[key];
  if (Object.keys(keys).length === 0) delete freed[kind];
}

/**
 * For a signal that stays counted as it was, what taking it out of the bounded tallies and putting
 * it back does: nothing to a giver a tally follows (its count goes down and up again), and a giver
 * it does not follow takes a free place, as a new signal of the giver would. In the order
 * `planBounded` gives, without planning (no refusal is possible).
 *
 * Only a key that has freed a place since it was last full (`tally.freed`) can have such a place
 * and such a giver: a tally that was never full took the giver of every signal counted under it,
 * and keeps them while their signals count. So these steps, most events, look a key up in the
 * small `freed` record only, and in a quarter without freed places not at all, instead of in the
 * tallies of digests (5% of one runner's time at 100k events; test/bench/PROJECTIONS.md,
 * twentieth session). The documents come out as before: at 100k and 1M demo events, every
 * quarter's equals version 4's but for `freed`.
 */
function keepCounted(cells: SupralocalCellsDocument, tenantId: string, signal: Classification): void {
  const { themes, targetGroups, areaType } = signal;
  const { freed } = cells.tally;
  const groups = targetGroups.length > 0 && own(freed, 'targetGroupGivers') !== undefined;
  // The area type when its lists have freed places, else null.
  const area = areaType !== null && own(freed, 'areaTypeGivers') !== undefined ? areaType : null;
  const pairs = themes.length > 1 && own(freed, 'pairGivers') !== undefined;
  if (!groups && area === null && !pairs) return;
  const giver = digestOf(tenantId, signal.givenBy);
  for (const theme of themes) {
    if (groups)
      for (const group of targetGroups)
        takeFreePlace(cells, 'targetGroupGivers', joinKey(theme, group), giver);
    if (area !== null) takeFreePlace(cells, 'areaTypeGivers', joinKey(theme, area), giver);
  }
  if (pairs)
    for (let i = 0; i < themes.length; i++)
      for (let j = i + 1; j < themes.length; j++)
        takeFreePlace(cells, 'pairGivers', joinKey(themes[i]!, themes[j]!), giver); // themes are sorted
}

/** A bounded tally with a freed place takes a giver it does not follow yet. */
function takeFreePlace(cells: SupralocalCellsDocument, kind: BoundedKind, key: string, digest: string): void {
  const freedKeys = own(cells.tally.freed, kind);
  // Not freed: full, or never full (it follows every giver of its signals).
  if (freedKeys === undefined || countOf(freedKeys, key) === undefined) return;
  const tallies = cells.tally[kind];
  let tally = own(tallies, key);
  if (tally !== undefined && countOf(tally, digest) !== undefined) return;
  if (tally === undefined) tallies[key] = tally = dictionary();
  tally[digest] = 1;
  addCount(cells[kind], key, 1);
  if (countOf(cells[kind], key) === BOUNDED_GIVERS) unmarkFreed(cells.tally.freed, kind, key);
}

/** Plans the bounded tallies' changes of a signal's giver: per theme × target group, theme × area type, theme pair. */
function planBounded(plan: Plan, signal: Classification, giver: string, delta: 1 | -1): void {
  const { themes, targetGroups, areaType } = signal;
  for (const theme of themes) {
    for (const group of targetGroups)
      plan.bounded.push({ kind: 'targetGroupGivers', key: joinKey(theme, group), digest: giver, delta });
    if (areaType !== null)
      plan.bounded.push({ kind: 'areaTypeGivers', key: joinKey(theme, areaType), digest: giver, delta });
  }
  for (let i = 0; i < themes.length; i++)
    for (let j = i + 1; j < themes.length; j++)
      // themes are sorted
      plan.bounded.push({ kind: 'pairGivers', key: joinKey(themes[i]!, themes[j]!), digest: giver, delta });
}

/** Plans a signal's contribution to every count and tally. */
function contribute(plan: Plan, signal: Classification, delta: 1 | -1): void {
  const { cells, changes } = plan;
  const { tally } = cells;
  const giver = digestOf(plan.tenantId, signal.givenBy);
  const { themes, targetGroups, areaType } = signal;
  const organisation = signal.organisationId === null ? null : digestOf(plan.tenantId, signal.organisationId);
  track(plan, 'tally.allGivers', tally.allGivers, giver, delta, null, 'allGivers');
  if (organisation !== null)
    track(plan, 'all-organisations', tally.allOrganisations, organisation, delta, null, 'allOrganisations');
  const { month } = plan;
  trackIn(plan, 'month-all-givers', tally.monthAllGivers, month, giver, delta, cells.monthAllGivers);
  if (organisation !== null)
    trackIn(
      plan,
      'month-all-organisations',
      tally.monthAllOrganisations,
      month,
      organisation,
      delta,
      cells.monthAllOrganisations,
    );
  for (const theme of themes) {
    changes.add(cells.signals, 'signals', theme, delta);
    trackIn(plan, 'givers', tally.givers, theme, giver, delta, cells.givers);
    const monthKey = joinKey(month, theme);
    changes.add(cells.months, 'months', monthKey, delta);
    trackIn(plan, 'month-givers', tally.monthGivers, monthKey, giver, delta, cells.monthGivers);
    if (organisation !== null)
      trackIn(
        plan,
        'month-organisations',
        tally.monthOrganisations,
        monthKey,
        organisation,
        delta,
        cells.monthOrganisations,
      );
    if (areaType !== null) changes.add(cells.areaTypes, 'areaTypes', joinKey(theme, areaType), delta);
    if (organisation !== null)
      trackIn(plan, 'organisations', tally.organisations, theme, organisation, delta, cells.organisations);
    for (const group of targetGroups)
      changes.add(cells.targetGroups, 'targetGroups', joinKey(theme, group), delta);
  }
  for (let i = 0; i < themes.length; i++)
    for (let j = i + 1; j < themes.length; j++)
      changes.add(cells.pairs, 'pairs', joinKey(themes[i]!, themes[j]!), delta); // themes are sorted
  planBounded(plan, signal, giver, delta);
}

/** Plans a digest's tally change under `key` of a record of tallies, moving `distinct[key]` with its presence. */
function trackIn(
  plan: Plan,
  name: string,
  tallies: Record<string, Counts>,
  key: string,
  digest: string,
  delta: 1 | -1,
  distinct: Counts,
): void {
  let tally = own(tallies, key);
  if (tally === undefined) {
    tally = dictionary();
    tallies[key] = tally;
    plan.created.push([tallies, key]);
  }
  track(plan, `${name}|${key}`, tally, digest, delta, distinct, key, [tallies, key]);
}

function track(
  plan: Plan,
  name: string,
  tally: Counts,
  digest: string,
  delta: 1 | -1,
  counts: Counts | null,
  key: string,
  parent: [Record<string, Counts>, string] | null = null,
): void {
  plan.changes.add(tally, name, digest, delta);
  plan.distinct.push({ tally, digest, counts, key, parent });
}

function sameClassification(a: Classification, b: Classification): boolean {
  return (
    a.givenBy === b.givenBy &&
    a.organisationId === b.organisationId &&
    a.areaType === b.areaType &&
    sameList(a.themes, b.themes) &&
    sameList(a.targetGroups, b.targetGroups)
  );
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Counts a dossier once per theme (and per theme and month) of a member signal escalated with it. */
function countDossier(
  cells: SupralocalCellsDocument,
  themes: readonly string[],
  dossierId: string,
  month: string,
): void {
  const once = (tallies: Record<string, Counts>, distinct: Counts, key: string) => {
    let tally = own(tallies, key);
    if (tally === undefined) tallies[key] = tally = dictionary();
    if (countOf(tally, dossierId) === undefined) addCount(distinct, key, 1);
    addCount(tally, dossierId, 1);
  };
  for (const theme of themes) {
    once(cells.tally.dossiers, cells.dossiers, theme);
    once(cells.tally.monthDossiers, cells.monthDossiers, joinKey(month, theme));
  }
}

/** Removes tallies this event left empty (new ones it did not fill, old ones it emptied). */
function dropCreated(plan: Plan): void {
  for (const [record, key] of plan.created) if (Object.keys(record[key]!).length === 0) delete record[key];
  for (const { tally, digest, parent } of plan.distinct) {
    // Only a tally this event took a digest out of can have emptied (a quarter's tally may hold
    // hundreds of digests: listing its keys at every event was a good part of the projection's cost).
    if (parent === null || countOf(tally, digest) !== undefined || Object.keys(tally).length > 0) continue;
    const [record, key] = parent;
    if (own(record, key) === tally) delete record[key];
  }
}

export function emptyCells(tenantId: string, quarter: string): SupralocalCellsDocument {
  const cells: SupralocalCellsDocument = {
    tenantId,
    quarter,
    updatedAt: '',
    signals: dictionary(),
    givers: dictionary(),
    organisations: dictionary(),
    escalations: dictionary(),
    dossiers: dictionary(),
    months: dictionary(),
    monthGivers: dictionary(),
    monthOrganisations: dictionary(),
    monthEscalations: dictionary(),
    monthDossiers: dictionary(),
    monthAllGivers: dictionary(),
    monthAllOrganisations: dictionary(),
    targetGroups: dictionary(),
    targetGroupGivers: dictionary(),
    areaTypes: dictionary(),
    areaTypeGivers: dictionary(),
    pairs: dictionary(),
    pairGivers: dictionary(),
    allGivers: 0,
    allOrganisations: 0,
    tally: {
      givers: dictionary(),
      organisations: dictionary(),
      targetGroupGivers: dictionary(),
      areaTypeGivers: dictionary(),
      pairGivers: dictionary(),
      monthGivers: dictionary(),
      monthOrganisations: dictionary(),
      monthAllGivers: dictionary(),
      monthAllOrganisations: dictionary(),
      monthDossiers: dictionary(),
      allGivers: dictionary(),
      allOrganisations: dictionary(),
      dossiers: dictionary(),
      freed: dictionary(),
    },
  };
  inDictionaries.add(cells);
  return cells;
}

/** Cells documents whose records are all dictionaries (`dictionary`): made here, or converted once. */
const inDictionaries = new WeakSet<SupralocalCellsDocument>();

/** Counts by key of a cells document (each a `Counts`). */
const COUNTS = [
  'signals',
  'givers',
  'organisations',
  'escalations',
  'dossiers',
  'months',
  'monthGivers',
  'monthOrganisations',
  'monthEscalations',
  'monthDossiers',
  'monthAllGivers',
  'monthAllOrganisations',
  'targetGroups',
  'targetGroupGivers',
  'areaTypes',
  'areaTypeGivers',
  'pairs',
  'pairGivers',
] as const satisfies ReadonlyArray<keyof SupralocalCellsDocument>;

/** Tallies by key (each a record of `Counts`). */
const TALLIES_BY_KEY = [
  'givers',
  'organisations',
  'targetGroupGivers',
  'areaTypeGivers',
  'pairGivers',
  'monthGivers',
  'monthOrganisations',
  'monthAllGivers',
  'monthAllOrganisations',
  'monthDossiers',
  'dossiers',
  'freed',
] as const satisfies ReadonlyArray<keyof SupralocalCellsDocument['tally']>;

/**
 * The document with its records as dictionaries, converted in place the first time the runner
 * hands it over (read back from the store, its records are plain objects).
 */
function withDictionaries(cells: SupralocalCellsDocument): SupralocalCellsDocument {
  if (inDictionaries.has(cells)) return cells;
  for (const field of COUNTS) if (cells[field] !== undefined) cells[field] = asDictionary(cells[field]);
  const { tally } = cells;
  for (const field of TALLIES_BY_KEY) {
    const stored = tally[field];
    if (stored === undefined) continue;
    const tallies = dictionary<Counts>();
    for (const key of Object.keys(stored)) tallies[key] = asDictionary(stored[key]!);
    tally[field] = tallies;
  }
  tally.allGivers = asDictionary(tally.allGivers);
  tally.allOrganisations = asDictionary(tally.allOrganisations);
  inDictionaries.add(cells);
  return cells;
}

/** `YYYY-Qn` of an ISO-8601 instant (UTC). */
export function quarterOf(instant: string): string {
  const month = Number(instant.slice(5, 7));
  return `${instant.slice(0, 4)}-Q${Math.floor((month - 1) / 3) + 1}`;
}

/**
 * Texts remembered by two keys, up to a bound (then it starts over): found without building a
 * key text from the two. Keys of counts and digests come back with nearly every event, and a text
 * made anew is hashed anew at every look-up (the bounded tallies' look-ups took 1 µs each so).
 */
class PairMemo {
  private readonly byFirst = new Map<string, Map<string, string>>();
  private size = 0;

  constructor(private readonly max: number) {}

  get(a: string, b: string, make: (a: string, b: string) => string): string {
    let withA = this.byFirst.get(a);
    let value = withA?.get(b);
    if (value === undefined) {
      value = make(a, b);
      if (this.size >= this.max) {
        this.byFirst.clear();
        this.size = 0;
        withA = undefined;
      }
      if (withA === undefined) this.byFirst.set(a, (withA = new Map()));
      withA.set(b, value);
      this.size++;
    }
    return value;
  }
}

/** `a|b`: the key of a count by two parts (theme and target group, month and theme, tenant and quarter). */
function joinKey(a: string, b: string): string {
  return joined.get(a, b, pipeJoined);
}

const joined = new PairMemo(20_000);
const pipeJoined = (a: string, b: string): string => `${a}|${b}`;

/**
 * A person's or organisation's id as the supra-local cells keep it: 72 bits of SHA-256 over the
 * tenant and the id, enough to count distinct ids exactly at any realistic scale, and no way back
 * to the id short of guessing it. Remembered: a giver or organisation comes back with each of
 * their signals' events.
 */
export function digestOf(tenantId: string, id: string): string {
  return digests.get(tenantId, id, digestText);
}

const digests = new PairMemo(50_000);

function digestText(tenantId: string, id: string): string {
  return createHash('sha256')
    .update(`supralocal\u0000${tenantId}\u0000${id}`)
    .digest('base64url')
    .slice(0, 12);
}
