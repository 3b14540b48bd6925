import { PlatformLogger } from '../logger.js';
import { collectionOf, documentIdsOf, type Projection } from '../../../projections/projection.js';
import type {
  AllSubscription,
  EventStore,
  RecordedEvent,
  TenantSelection,
} from '../event-store/event-store.port.js';
import type { JsonObject } from '../json.js';
import type {
  CollectionSpec,
  DocumentPut,
  ParkedEvent,
  ProjectionBatch,
  ProjectionStatus,
  ReadStore,
  ServedForm,
} from '../read-store/read-store.port.js';

/**
 * Events a runner reads and applies per step, by default and in a rebuild: 250. The events of a
 * step are decoded together and live until its last one is applied; a small step lets them die in
 * the young generation instead of being copied and promoted. A 100k rebuild: 3.8–4.0 s against
 * 4.8–4.9 s in steps of 2,000 (with pages of 250 read by the subscription; test/bench/PROJECTIONS.md,
 * tenth session).
 */
export const CATCH_UP_BATCH_SIZE = 250;

export interface ProjectionRunnerOptions {
  /** Most events read and applied in memory per step. */
  batchSize?: number;
  /**
   * While catching up, most events applied in memory before documents and checkpoints are
   * committed together: a document changed by many events of a window is written once.
   */
  flushEvents?: number;
  /** While catching up, most changed documents (all read models together) held before a commit. */
  maxDirtyDocuments?: number;
  /** Unchanged documents kept in memory per read model after a commit (the runner is their only writer). */
  cacheSize?: number;
  /** While following live, how long a batch may collect events before it is applied (ms). */
  liveWindowMs?: number;
  /**
   * Event types that erase content (text erasure): after committing documents changed by one, the
   * runner scrubs the read store (`ReadStore.scrub`) before anyone waiting for that position
   * hears of it, so the old text does not linger in the store's files.
   */
  scrubAfter?: ReadonlySet<string>;
  now?: () => Date;
  /**
   * Called when following fails (the store or the read store threw): the runner has stopped and
   * its host decides what next (the worker thread exits and is started again).
   */
  onFailure?: (error: unknown) => void;
  /**
   * This runner is one of several that split the tenants between them (a rebuild on several
   * cores, tenant-shares.ts): it follows only the events of `share`, and commits documents and
   * parked events but never a checkpoint, nor marks a read model caught up (no indexes, no
   * version swap): sealShares does that once every share has caught up. Every read model's
   * documents are of one tenant (projections/README.md), so the shares never write the same one.
   */
  share?: TenantSelection;
  /** Fault tests only: called at the named points of a commit (F2 kills the process there). */
  faultHook?: (point: 'before-commit' | 'after-commit') => void;
}

interface CachedDocument {
  doc: JsonObject | null;
  /** Last global position applied to the document; -1 for a document that does not exist. */
  position: bigint;
  /** The runner's step that last used the document: the least recently used go first. */
  usedAt: number;
  /**
   * The stored copy's list index values (listsKey): null when there is no stored copy, undefined
   * when not known. A commit that leaves them as they are tells the store so (it then skips them).
   */
  storedLists: string | null | undefined;
  /** Whether the document is in its lane's `dirty` (changed since last committed): no look-up per event. */
  changed: boolean;
}

interface Lane {
  projection: Projection;
  spec: CollectionSpec;
  handles: ReadonlySet<string>;
  /** Last position committed with the read model's documents. */
  checkpoint: bigint | null;
  /** Last position applied in memory: ahead of the checkpoint until the next commit. */
  applied: bigint | null;
  caughtUp: boolean;
  /** A newer schema version being built beside the active one; swapped in once caught up. */
  replaces: CollectionSpec | null;
  cache: Map<string, CachedDocument>;
  /**
   * Cached documents changed since they were last committed, by id: since when (the lane's
   * applied position before the batch that first changed it, null before any; everything up to
   * there is in the stored copy) and the runner's count of events applied at that moment.
   */
  dirty: Map<string, { since: bigint | null; at: number }>;
  /** The lane's applied position before the batch being applied. */
  appliedBefore: bigint | null;
  /** The fields of the list indexes, and the partition key; empty without list indexes. */
  listFields: readonly string[];
  parked: ParkedEvent[];
  /** The collection was created without its query indexes; they are built once it has caught up. */
  indexesDeferred: boolean;
  lastAppliedAt: Date | null;
}

/** The documents a lane's read model changes with each event of a batch (ProjectionRunner.targetsOf). */
interface LaneTargets {
  ids: Array<string | readonly string[] | null>;
  found: Array<CachedDocument | undefined>;
}

export interface LaneStatus {
  name: string;
  version: number;
  checkpoint: string | null;
  caughtUp: boolean;
  rebuildingBeside: number | null;
  /** Events between the checkpoint and the store's head (global positions; exact on SQLite). */
  lagEvents: number | null;
  lagMs: number;
  parked: number;
}

const IDLE = Symbol('idle');
type Next = IteratorResult<RecordedEvent> | typeof IDLE;
const nextTurn = () => new Promise<typeof IDLE>((resolve) => setImmediate(() => resolve(IDLE)));
const after = (ms: number) => new Promise<typeof IDLE>((resolve) => setTimeout(() => resolve(IDLE), ms));
/** Lets timers and I/O run between steps: a catch-up from a local store never waits otherwise. */
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Follows `$all` once for a set of projections, each with its own checkpoint. Events are applied
 * to documents held in memory; documents, parked events and checkpoints are committed together
 * (after each live batch, and while catching up once per window of events or changed documents),
 * and a document remembers the last position applied, so a replay after a crash changes nothing.
 * A read model built from scratch gets its query indexes once it has caught up.
 */
export class ProjectionRunner {
  private readonly logger = new PlatformLogger('Projections');
  private readonly batchSize: number;
  private readonly flushEvents: number;
  private readonly maxDirty: number;
  private readonly cacheSize: number;
  private readonly liveWindowMs: number;
  private readonly scrubAfter: ReadonlySet<string>;
  /** An erasure was applied since the last scrub. */
  private scrubPending = false;
  private readonly now: () => Date;
  private lanes: Lane[] = [];
  private subscription: AllSubscription | null = null;
  private loop: Promise<void> | null = null;
  private stopped = false;
  private readonly positionWaiters = new Set<() => void>();
  /** lanesHandling's answers; emptied whenever the lanes are set up again. */
  private readonly handledBy = new Map<string, readonly boolean[]>();
  private eventsApplied = 0;
  private unflushedEvents = 0;
  /** Counts evolve steps; stamps cached documents for eviction. */
  private step = 0;
  private readonly faultHook: ProjectionRunnerOptions['faultHook'];
  private readonly onFailure: ProjectionRunnerOptions['onFailure'];
  private readonly share: TenantSelection | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly readStore: ReadStore,
    private readonly projections: readonly Projection[],
    options: ProjectionRunnerOptions = {},
  ) {
    this.batchSize = options.batchSize ?? CATCH_UP_BATCH_SIZE;
    // While catching up, the changed documents bound a window (memory); the event count only
    // bounds how much a crash makes the runner read again.
    this.flushEvents = Math.max(this.batchSize, options.flushEvents ?? 250_000);
    this.maxDirty = options.maxDirtyDocuments ?? 32_000;
    this.cacheSize = options.cacheSize ?? 2_000;
    this.liveWindowMs = options.liveWindowMs ?? 100;
    this.scrubAfter = options.scrubAfter ?? new Set();
    this.now = options.now ?? (() => new Date());
    this.faultHook = options.faultHook;
    this.onFailure = options.onFailure;
    this.share = options.share;
  }

  /** Prepares every read model (a new schema version rebuilds beside the active one) and starts following. */
  async start(): Promise<void> {
    this.lanes = [];
    this.handledBy.clear();
    for (const projection of this.projections) {
      const { spec, status, replaces } = await prepareReadModel(this.readStore, projection);
      this.lanes.push({
        projection,
        spec,
        handles: new Set(projection.handles),
        checkpoint: status.checkpoint,
        applied: status.checkpoint,
        caughtUp: false,
        replaces,
        cache: new Map(),
        dirty: new Map(),
        appliedBefore: status.checkpoint,
        listFields: listFieldsOf(spec),
        parked: [],
        indexesDeferred: !status.caughtUp,
        lastAppliedAt: null,
      });
    }
    this.stopped = false;
    this.unflushedEvents = 0;
    const from = this.lanes.reduce<bigint | null>(
      (min, lane) =>
        lane.checkpoint === null || min === null ? null : lane.checkpoint < min ? lane.checkpoint : min,
      this.lanes[0]?.checkpoint ?? null,
    );
    this.subscription = this.store.subscribeToAll({
      fromPosition: from ?? 'start',
      ...(this.share ? { tenants: this.share } : {}),
    });
    this.loop = this.follow(this.subscription).catch((error: unknown) => {
      this.logger.error(`projection runner stopped: ${(error as Error).stack ?? String(error)}`);
      this.onFailure?.(error);
    });
  }

  /** Stops following; what was applied but not yet committed is committed first. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.subscription?.stop();
    await this.loop;
    this.loop = null;
    for (const wake of this.positionWaiters) wake();
  }

  /** Resolves true once every projection has committed `position`, false after `timeoutMs`. */
  async waitForPosition(position: bigint, timeoutMs: number): Promise<boolean> {
    const reached = () => this.lanes.every((lane) => lane.checkpoint !== null && lane.checkpoint >= position);
    if (reached()) return true;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.positionWaiters.delete(check);
        resolve(false);
      }, timeoutMs);
      const check = (): void => {
        if (!reached() && !this.stopped) return;
        clearTimeout(timer);
        this.positionWaiters.delete(check);
        resolve(reached());
      };
      this.positionWaiters.add(check);
    });
  }

  /** Resolves once every projection has caught up with the store (for rebuilds and tests). */
  async whenCaughtUp(): Promise<void> {
    const done = () => this.lanes.length > 0 && this.lanes.every((lane) => lane.caughtUp);
    if (done()) return;
    await new Promise<void>((resolve) => {
      const check = (): void => {
        if (!done() && !this.stopped) return;
        this.positionWaiters.delete(check);
        resolve();
      };
      this.positionWaiters.add(check);
    });
  }

  async status(): Promise<LaneStatus[]> {
    const head = await this.store.health();
    const headPosition =
      head.lastPosition !== undefined && head.adapter === 'sqlite' ? BigInt(head.lastPosition) : null;
    const now = this.now().getTime();
    return Promise.all(
      this.lanes.map(async (lane) => {
        const stored = await this.readStore.status(lane.spec);
        const lagEvents = headPosition === null ? null : Number(headPosition - (lane.checkpoint ?? 0n));
        return {
          name: lane.spec.name,
          version: lane.spec.version,
          checkpoint: lane.checkpoint === null ? null : String(lane.checkpoint),
          caughtUp: lane.caughtUp,
          rebuildingBeside: lane.replaces?.version ?? null,
          lagEvents: lagEvents === null ? null : Math.max(0, lagEvents),
          lagMs: lane.caughtUp || !lane.lastAppliedAt ? 0 : Math.max(0, now - lane.lastAppliedAt.getTime()),
          parked: stored.parked,
        };
      }),
    );
  }

  /** Per event type: for each lane, whether it handles the type (remembered). */
  private lanesHandling(type: string): readonly boolean[] {
    let handled = this.handledBy.get(type);
    if (handled === undefined) {
      handled = this.lanes.map((lane) => lane.handles.has(type));
      this.handledBy.set(type, handled);
    }
    return handled;
  }

  /** Events applied in memory so far (committed or about to be). */
  get applied(): number {
    return this.eventsApplied;
  }

  private async follow(subscription: AllSubscription): Promise<void> {
    const iterator = subscription[Symbol.asyncIterator]();
    // Events the subscription has read already come along at once, not one turn of the loop each.
    const takeReady = subscription.takeReady?.bind(subscription);
    let pending = iterator.next();
    while (!this.stopped) {
      const batch: RecordedEvent[] = [];
      let idle = false;
      let firstAt = 0;
      // Whatever is available without waiting, up to the batch size: big batches while catching up.
      let idleSignal = nextTurn();
      while (batch.length < this.batchSize) {
        const next: Next = await Promise.race([pending, idleSignal]);
        if (next === IDLE) {
          // Live: keep collecting for a short window, so a busy tenant's documents are written
          // a few times a second rather than once per command. Still catching up, the first
          // wait means the log's end is reached: nothing more is coming to collect, so the last
          // batch goes at once (a rebuild's lanes each waited out the window at their end).
          const left = this.liveWindowMs - (Date.now() - firstAt);
          if (batch.length > 0 && left > 0 && this.followingLive()) {
            idleSignal = after(left);
            const waited: Next = await Promise.race([pending, idleSignal]);
            if (waited !== IDLE) {
              if (waited.done) return this.finish(batch);
              batch.push(waited.value);
              pending = iterator.next();
              idleSignal = nextTurn();
              continue;
            }
          }
          idle = true;
          break;
        }
        if (next.done) return this.finish(batch);
        if (batch.length === 0) firstAt = Date.now();
        batch.push(next.value);
        if (takeReady) for (const event of takeReady(this.batchSize - batch.length)) batch.push(event);
        pending = iterator.next();
      }
      if (batch.length > 0) await this.apply(batch, idle);
      else if (idle) await this.flush(true);
      if (idle && batch.length === 0) {
        const next = await pending;
        if (next.done) return this.finish([]);
        pending = Promise.resolve(next);
      } else {
        await yieldToLoop();
      }
    }
    await this.finish([]);
  }

  /** Whether every read model has caught up once (the runner follows live appends). */
  private followingLive(): boolean {
    return this.lanes.every((lane) => lane.caughtUp);
  }

  /** The subscription ended or the runner stops: apply what was read and commit what is pending. */
  private async finish(batch: RecordedEvent[]): Promise<void> {
    if (batch.length > 0) await this.evolve(batch);
    if (this.unflushedEvents > 0) await this.flush(false);
  }

  private async apply(events: RecordedEvent[], idle: boolean): Promise<void> {
    await this.evolve(events);
    const dirty = this.lanes.reduce((sum, lane) => sum + lane.dirty.size, 0);
    if (idle || this.unflushedEvents >= this.flushEvents) await this.flush(idle);
    else if (dirty >= this.maxDirty) await this.flush(false, true);
  }

  /**
   * Applies events to the lanes' documents in memory: first, lane by lane, the documents each
   * event changes (those not cached read from the store in one go per lane), then event by event
   * through every lane that takes it. Event by event, what the read models read of an event (its
   * checked views, shared through LastRead) is garbage once its lanes are done instead of living
   * as long as the batch: the 100k demo events through all seven read models in memory, in
   * batches of 2,000, 3.2–3.3 against 3.7–3.9 s (test/bench/PROJECTIONS.md, tenth session).
   */
  private async evolve(events: RecordedEvent[]): Promise<void> {
    const first = events[0]!.position;
    const last = events[events.length - 1]!.position;
    // Which lanes handle each event, one look-up per event type rather than one per lane.
    const lanesOf = events.map((event) => this.lanesHandling(event.type));
    const targets: LaneTargets[] = [];
    for (let l = 0; l < this.lanes.length; l++) {
      const lane = this.lanes[l]!;
      lane.appliedBefore = lane.applied;
      targets.push(await this.targetsOf(lane, l, events, lanesOf, first));
    }
    const step = ++this.step;
    for (let i = 0; i < events.length; i++) {
      const event = events[i]!;
      for (let l = 0; l < targets.length; l++) {
        const { ids, found } = targets[l]!;
        const eventIds = ids[i];
        if (eventIds === null || eventIds === undefined) continue;
        const lane = this.lanes[l]!;
        if (typeof eventIds === 'string')
          this.evolveDocument(lane, eventIds, found[i] ?? lane.cache.get(eventIds)!, event, step);
        else for (const id of eventIds) this.evolveDocument(lane, id, lane.cache.get(id)!, event, step);
      }
    }
    const lastAt = events[events.length - 1]!.recordedAt;
    for (const lane of this.lanes) {
      if (lane.applied === null || last > lane.applied) lane.applied = last;
      lane.lastAppliedAt = lastAt;
    }
    this.eventsApplied += events.length;
    this.unflushedEvents += events.length;
    if (this.scrubAfter.size > 0 && events.some((event) => this.scrubAfter.has(event.type)))
      this.scrubPending = true;
  }

  /**
   * Commits every lane's changed documents, parked events and applied position in one go; with
   * `caughtUp`, marks the lanes caught up (a rebuilt version takes over, deferred indexes are built).
   *
   * `partial` (catching up, the changed documents reached their bound): commits the least recently
   * used half of each lane's changed documents, and those changed long ago, and keeps the others
   * in memory, changed: a document that events still come for (an open signal, a tenant's counts)
   * is then written once per stretch of its activity rather than once per window. The checkpoint
   * committed is the oldest position a kept document's stored copy is at, so that a crash goes
   * back to where every kept change is applied again; a document whose stored copy is newer than
   * an event read again skips it (its position), so nothing counts twice.
   */
  private async flush(caughtUp: boolean, partial = false): Promise<void> {
    const lanes = this.lanes.filter(
      (lane) =>
        lane.dirty.size > 0 ||
        lane.parked.length > 0 ||
        lane.applied !== lane.checkpoint ||
        (caughtUp && !lane.caughtUp),
    );
    if (lanes.length === 0) return;
    // The list index values each put leaves in the store, set on the cache once committed.
    const written: Array<Array<[CachedDocument, string | null | undefined]>> = [];
    // Per lane: the ids committed now (all changed ones unless partial) and the checkpoint.
    const commits = lanes.map((lane) => this.toCommit(lane, partial));
    // In id order: consecutive upserts land on the same pages of the store's id index rather
    // than on random ones (a 1M rebuild: 53.5–53.9 s against 54.9 and 59.8 s in runs between).
    for (const commit of commits) commit.ids.sort();
    // Loops over a window's documents live in methods, not in closures made at every flush: a new
    // closure started cold each time, interpreted until V8 compiled it again (twice per window
    // in a 1M rebuild; test/bench/PROJECTIONS.md, eighteenth session).
    const batches: ProjectionBatch[] = [];
    for (let index = 0; index < lanes.length; index++) {
      const after: Array<[CachedDocument, string | null | undefined]> = [];
      written.push(after);
      batches.push(this.batchOf(lanes[index]!, commits[index]!, caughtUp, after));
    }
    this.faultHook?.('before-commit');
    try {
      await this.readStore.commit(batches);
    } catch (error) {
      // Memory holds changes that are not stored: forget them and go back to the checkpoints.
      for (const lane of this.lanes) {
        lane.cache.clear();
        lane.dirty.clear();
        lane.parked = [];
        lane.applied = lane.checkpoint;
      }
      throw error;
    }
    this.faultHook?.('after-commit');
    for (const after of written) for (const [cached, lists] of after) cached.storedLists = lists;
    this.unflushedEvents = 0;
    for (let index = 0; index < lanes.length; index++) {
      const lane = lanes[index]!;
      const { ids, checkpoint } = commits[index]!;
      lane.checkpoint = checkpoint;
      for (const id of ids) lane.cache.get(id)!.changed = false;
      if (ids.length === lane.dirty.size) lane.dirty.clear();
      else for (const id of ids) lane.dirty.delete(id);
      lane.parked = [];
    }
    for (const lane of lanes) {
      this.evict(lane);
      if (caughtUp && !lane.caughtUp && lane.dirty.size === 0) await this.caughtUp(lane);
    }
    // After an erasure, once every changed document is stored (a partial commit keeps some back).
    if (this.scrubPending && this.lanes.every((lane) => lane.dirty.size === 0)) {
      try {
        await this.readStore.scrub();
        this.scrubPending = false;
      } catch {
        // The store was busy (e.g. a long read held the WAL): tried again after the next commit.
      }
    }
    for (const wake of this.positionWaiters) wake();
  }

  /** What a lane commits of a flush: its changed documents as puts and deletions, parked events, checkpoint. */
  private batchOf(
    lane: Lane,
    commit: { ids: string[]; checkpoint: bigint },
    caughtUp: boolean,
    after: Array<[CachedDocument, string | null | undefined]>,
  ): ProjectionBatch {
    const puts: DocumentPut[] = [];
    const deletes: Array<{ id: string; position: bigint }> = [];
    const withLists = lane.listFields.length > 0;
    const serve = lane.spec.served === true ? lane.projection.serve : undefined;
    const { ids, checkpoint } = commit;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      const cached = lane.cache.get(id)!;
      const { doc, position } = cached;
      if (doc === null) {
        deletes.push({ id, position });
        after.push([cached, undefined]);
        continue;
      }
      let storedLists: DocumentPut['storedLists'];
      if (withLists) {
        const lists = listsKey(doc, lane.listFields);
        if (cached.storedLists === null) storedLists = 'absent';
        else if (cached.storedLists === lists) storedLists = 'same';
        after.push([cached, lists]);
      }
      const served = serve === undefined ? undefined : this.served(lane, serve, id, doc);
      // Every put of one shape, absent fields undefined: the store's commit loop reads them through
      // one hidden class (puts with and without storedLists and served deoptimised it).
      puts.push({ id, doc, position, storedLists, served });
    }
    return {
      collection: lane.spec,
      puts,
      deletes,
      parked: lane.parked,
      checkpoint: this.share ? null : checkpoint,
      caughtUp,
    };
  }

  /**
   * The changed documents of a lane to commit now and the checkpoint that goes with them: all of
   * them and the applied position, or (partial) the settled ones and at least the least recently
   * used half (leastUsedFirst), those changed `flushEvents` events ago or more, and those changed
   * before any event was applied, with the oldest position a kept document is stored at.
   */
  private toCommit(lane: Lane, partial: boolean): { ids: string[]; checkpoint: bigint } {
    const applied = lane.applied ?? 0n;
    if (!partial) return { ids: [...lane.dirty.keys()], checkpoint: applied };
    const byUse = this.leastUsedFirst(lane, [...lane.dirty.keys()]);
    const keepFrom = Math.max(Math.floor(byUse.ids.length / 2), byUse.settled);
    const tooOld = this.eventsApplied - this.flushEvents;
    const ids: string[] = [];
    let checkpoint = applied;
    for (let index = 0; index < byUse.ids.length; index++) {
      const id = byUse.ids[index]!;
      const { since, at } = lane.dirty.get(id)!;
      if (index < keepFrom || since === null || at <= tooOld) ids.push(id);
      else if (since < checkpoint) checkpoint = since;
    }
    return { ids, checkpoint };
  }

  /**
   * Cached document ids in the order the runner lets go of them: settled documents (deleted ones
   * included) first, then by last use. Also says how many are settled.
   */
  private leastUsedFirst(lane: Lane, ids: string[]): { ids: string[]; settled: number } {
    const settledOf = lane.projection.settled;
    let settled = 0;
    const keyed: Array<{ id: string; key: number }> = new Array(ids.length);
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      const cached = lane.cache.get(id)!;
      const isSettled = cached.doc === null || (settledOf !== undefined && settledOf(cached.doc));
      if (isSettled) settled++;
      // Settled ones sort before any used one (steps count from 1).
      keyed[i] = { id, key: isSettled ? cached.usedAt - this.step - 1 : cached.usedAt };
    }
    keyed.sort(byKey);
    const ordered: string[] = new Array(keyed.length);
    for (let i = 0; i < keyed.length; i++) ordered[i] = keyed[i]!.id;
    return { ids: ordered, settled };
  }

  /**
   * Drops unchanged documents beyond the cache size (after a commit): settled ones first, then the
   * least recently used.
   */
  private evict(lane: Lane): void {
    const excess = lane.cache.size - this.cacheSize;
    if (excess <= 0) return;
    const clean: string[] = [];
    for (const id of lane.cache.keys()) if (!lane.dirty.has(id)) clean.push(id);
    for (const id of this.leastUsedFirst(lane, clean).ids.slice(0, excess)) lane.cache.delete(id);
  }

  /**
   * The documents of a lane each event of a batch changes, with those not cached yet read into the
   * cache: per event its one document's id (most read models), its ids, or null (not the lane's,
   * applied before, none, or refused: parked); for one id, the cached document too when it was
   * cached already (one look-up per event).
   */
  private async targetsOf(
    lane: Lane,
    index: number,
    events: RecordedEvent[],
    lanesOf: ReadonlyArray<readonly boolean[]>,
    first: bigint,
  ): Promise<LaneTargets> {
    const { projection, cache } = lane;
    const applied = lane.applied;
    // Catching up, a lane has applied none of the batch: no position to compare per event.
    const fresh = applied === null || first > applied;
    const ids: LaneTargets['ids'] = new Array(events.length).fill(null);
    const found: LaneTargets['found'] = new Array(events.length);
    const missing = new Set<string>();
    const several = projection.documentIds !== undefined;
    for (let i = 0; i < events.length; i++) {
      if (lanesOf[i]![index] !== true) continue;
      const event = events[i]!;
      if (!fresh && event.position <= applied) continue;
      try {
        if (several) {
          const eventIds = documentIdsOf(projection, event);
          ids[i] = eventIds;
          for (const id of eventIds) if (!cache.has(id)) missing.add(id);
        } else {
          const id = projection.documentId(event);
          ids[i] = id;
          if (id === null) continue;
          const cached = cache.get(id);
          if (cached === undefined) missing.add(id);
          else found[i] = cached;
        }
      } catch (error) {
        lane.parked.push(parkedEvent(event, error));
      }
    }
    if (missing.size > 0) {
      const loaded = await this.readStore.getMany(lane.spec, [...missing]);
      for (const id of missing) {
        const stored = loaded.get(id);
        cache.set(
          id,
          stored
            ? {
                doc: stored.doc,
                position: stored.position,
                usedAt: 0,
                storedLists: lane.listFields.length > 0 ? listsKey(stored.doc, lane.listFields) : undefined,
                changed: false,
              }
            : { doc: null, position: -1n, usedAt: 0, storedLists: null, changed: false },
        );
      }
    }
    return { ids, found };
  }

  /**
   * A document's served form. One that cannot be made is left out, with an error in the log: the
   * query then answers from the document itself, and the read model goes on.
   */
  private served(
    lane: Lane,
    serve: NonNullable<Projection['serve']>,
    id: string,
    doc: JsonObject,
  ): ServedForm | undefined {
    try {
      const form = serve(doc);
      if (typeof form?.json !== 'string' || !(form.ints instanceof Int32Array))
        throw new TypeError('serve must give { json: string, ints: Int32Array }');
      return form;
    } catch (error) {
      this.logger.error(
        `${lane.spec.name} v${lane.spec.version}: no served form for document ${id}: ${(error as Error).message}`,
      );
      return undefined;
    }
  }

  private evolveDocument(
    lane: Lane,
    id: string,
    current: CachedDocument,
    event: RecordedEvent,
    step: number,
  ): void {
    current.usedAt = step;
    if (current.position >= event.position) return;
    try {
      current.doc = lane.projection.evolve(current.doc, event);
      current.position = event.position;
      if (!current.changed) {
        current.changed = true;
        lane.dirty.set(id, { since: lane.appliedBefore, at: this.eventsApplied });
      }
    } catch (error) {
      // The document stays as it was; the event is kept with its reason for someone to look at.
      lane.parked.push(parkedEvent(event, error));
    }
  }

  private async caughtUp(lane: Lane): Promise<void> {
    lane.caughtUp = true;
    // A share leaves the read model to sealShares, which finishes it once every share is in.
    if (this.share) return;
    await finishCatchUp(this.readStore, lane.spec, lane.indexesDeferred, lane.replaces, this.logger);
    lane.indexesDeferred = false;
    lane.replaces = null;
  }
}

/**
 * Readies a read model's collection for a runner: created (query indexes deferred while it has
 * not caught up), its first version active at once; a newer schema version is built beside the
 * active one, which it replaces once caught up (`replaces`).
 */
export async function prepareReadModel(
  readStore: ReadStore,
  projection: Projection,
): Promise<{ spec: CollectionSpec; status: ProjectionStatus; replaces: CollectionSpec | null }> {
  const spec = collectionOf(projection);
  await readStore.ensureCollection(spec, { deferIndexes: true });
  const status = await readStore.status(spec);
  // A read model that has caught up before keeps its indexes up to date as it goes.
  if (status.caughtUp) await readStore.ensureIndexes(spec);
  const active = await readStore.activeVersion(projection.name);
  if (active === null) await readStore.activate(spec);
  const replaces = active !== null && active !== spec.version ? collectionOf(projection, active) : null;
  return { spec, status, replaces };
}

/**
 * What a read model gets once caught up: its deferred query indexes, and the swap to a version
 * built beside the active one.
 */
export async function finishCatchUp(
  readStore: ReadStore,
  spec: CollectionSpec,
  indexesDeferred: boolean,
  replaces: CollectionSpec | null,
  logger: PlatformLogger,
): Promise<void> {
  if (indexesDeferred) {
    const started = Date.now();
    await readStore.ensureIndexes(spec);
    const ms = Date.now() - started;
    // Worth a line when it took a while (a rebuild of a big store), not on every start.
    if (ms >= 250) logger.log(`${spec.name} v${spec.version}: query indexes built in ${ms} ms`);
  }
  if (!replaces) return;
  await readStore.activate(spec);
  await readStore.drop(replaces);
  logger.log(`${spec.name} v${spec.version} caught up and replaced v${replaces.version}`);
}

/** The fields whose values a store keeps beside the document for list indexes (with the partition key). */
function listFieldsOf(spec: CollectionSpec): readonly string[] {
  const lists = spec.indexes.filter((index) => index.type === 'string[]').map((index) => index.field);
  if (lists.length === 0) return lists;
  return spec.partitionKey === undefined ? lists : [...lists, spec.partitionKey];
}

/**
 * The list index values of a document as one string: equal keys mean the store's list indexes
 * would get the same rows (only string values are indexed, as the stores do).
 */
function listsKey(doc: JsonObject, fields: readonly string[]): string {
  let key = '';
  for (const field of fields) {
    const value = doc[field];
    if (Array.isArray(value)) {
      // Each string behind its length: no two lists give the same key.
      for (const item of value) if (typeof item === 'string') key += `${item.length}:${item}`;
    } else if (value !== undefined && value !== null) {
      key += `=${JSON.stringify(value)}`;
    }
    key += '|';
  }
  return key;
}

function parkedEvent(event: RecordedEvent, error: unknown): ParkedEvent {
  return {
    position: event.position,
    eventId: event.id,
    eventType: event.type,
    stream: event.stream,
    reason: error instanceof Error ? error.message : String(error),
    parkedAt: new Date().toISOString(),
  };
}

function byKey(a: { key: number }, b: { key: number }): number {
  return a.key - b.key;
}
