import { Logger } from '@nestjs/common';
import type { Projection } from '../../../projections/projection.js';
import type { AllSubscription, EventStore, RecordedEvent } from '../event-store/event-store.port.js';
import type { JsonObject } from '../json.js';
import type {
  CollectionSpec,
  ParkedEvent,
  ProjectionBatch,
  ReadStore,
} from '../read-store/read-store.port.js';

export interface ProjectionRunnerOptions {
  /** Most events applied per read-model transaction. */
  batchSize?: number;
  /** Documents kept in memory between batches, per projection (the runner is their only writer). */
  cacheSize?: number;
  /** While following live, how long a batch may collect events before it is applied (ms). */
  liveWindowMs?: number;
  now?: () => Date;
  /** Fault tests only: called at the named points of a batch (F2 kills the process there). */
  faultHook?: (point: 'before-commit' | 'after-commit') => void;
}

interface Lane {
  projection: Projection;
  spec: CollectionSpec;
  handles: ReadonlySet<string>;
  checkpoint: bigint | null;
  caughtUp: boolean;
  /** A newer schema version being built beside the active one; swapped in once caught up. */
  replaces: CollectionSpec | null;
  cache: Map<string, { doc: JsonObject | null; position: bigint }>;
  lastAppliedAt: Date | null;
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

/**
 * Follows `$all` once for a set of projections, each with its own checkpoint, and applies events
 * in batches: documents, parked events and checkpoints of a batch are committed together, and a
 * document remembers the last position applied, so a replay after a crash changes nothing.
 */
export class ProjectionRunner {
  private readonly logger = new Logger('Projections');
  private readonly batchSize: number;
  private readonly cacheSize: number;
  private readonly liveWindowMs: number;
  private readonly now: () => Date;
  private lanes: Lane[] = [];
  private subscription: AllSubscription | null = null;
  private loop: Promise<void> | null = null;
  private stopped = false;
  private readonly positionWaiters = new Set<() => void>();
  private eventsApplied = 0;
  private readonly faultHook: ProjectionRunnerOptions['faultHook'];

  constructor(
    private readonly store: EventStore,
    private readonly readStore: ReadStore,
    private readonly projections: readonly Projection[],
    options: ProjectionRunnerOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 5000;
    this.cacheSize = options.cacheSize ?? 20_000;
    this.liveWindowMs = options.liveWindowMs ?? 100;
    this.now = options.now ?? (() => new Date());
    this.faultHook = options.faultHook;
  }

  /** Prepares every read model (a new schema version rebuilds beside the active one) and starts following. */
  async start(): Promise<void> {
    this.lanes = [];
    for (const projection of this.projections) {
      const spec: CollectionSpec = {
        name: projection.name,
        version: projection.schemaVersion,
        indexes: projection.indexes,
      };
      await this.readStore.ensureCollection(spec);
      const active = await this.readStore.activeVersion(projection.name);
      if (active === null) await this.readStore.activate(spec);
      const status = await this.readStore.status(spec);
      const replaces =
        active !== null && active !== spec.version
          ? { name: projection.name, version: active, indexes: projection.indexes }
          : null;
      this.lanes.push({
        projection,
        spec,
        handles: new Set(projection.handles),
        checkpoint: status.checkpoint,
        caughtUp: false,
        replaces,
        cache: new Map(),
        lastAppliedAt: null,
      });
    }
    this.stopped = false;
    const from = this.lanes.reduce<bigint | null>(
      (min, lane) =>
        lane.checkpoint === null || min === null ? null : lane.checkpoint < min ? lane.checkpoint : min,
      this.lanes[0]?.checkpoint ?? null,
    );
    this.subscription = this.store.subscribeToAll({ fromPosition: from ?? 'start' });
    this.loop = this.follow(this.subscription).catch((error: unknown) => {
      this.logger.error(`projection runner stopped: ${(error as Error).stack ?? String(error)}`);
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.subscription?.stop();
    await this.loop;
    this.loop = null;
    for (const wake of this.positionWaiters) wake();
  }

  /** Resolves true once every projection has applied `position`, false after `timeoutMs`. */
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

  get applied(): number {
    return this.eventsApplied;
  }

  private async follow(subscription: AllSubscription): Promise<void> {
    const iterator = subscription[Symbol.asyncIterator]();
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
          // a few times a second rather than once per command.
          const left = this.liveWindowMs - (Date.now() - firstAt);
          if (batch.length > 0 && left > 0) {
            idleSignal = after(left);
            const waited: Next = await Promise.race([pending, idleSignal]);
            if (waited !== IDLE) {
              if (waited.done) return this.flushIfAny(batch, false);
              batch.push(waited.value);
              pending = iterator.next();
              idleSignal = nextTurn();
              continue;
            }
          }
          idle = true;
          break;
        }
        if (next.done) return this.flushIfAny(batch, false);
        if (batch.length === 0) firstAt = Date.now();
        batch.push(next.value);
        pending = iterator.next();
      }
      if (batch.length > 0) await this.apply(batch, idle);
      else if (idle) await this.markCaughtUp();
      if (idle && batch.length === 0) {
        const next = await pending;
        if (next.done) return;
        pending = Promise.resolve(next);
      }
    }
  }

  private async flushIfAny(batch: RecordedEvent[], caughtUp: boolean): Promise<void> {
    if (batch.length > 0) await this.apply(batch, caughtUp);
  }

  private async markCaughtUp(): Promise<void> {
    const pendingLanes = this.lanes.filter((lane) => !lane.caughtUp);
    if (pendingLanes.length === 0) return;
    await this.readStore.commit(
      pendingLanes.map((lane) => ({
        collection: lane.spec,
        puts: [],
        deletes: [],
        parked: [],
        checkpoint: lane.checkpoint ?? 0n,
        caughtUp: true,
      })),
    );
    for (const lane of pendingLanes) await this.caughtUp(lane);
    for (const wake of this.positionWaiters) wake();
  }

  private async apply(events: RecordedEvent[], caughtUp: boolean): Promise<void> {
    const last = events[events.length - 1]!.position;
    const batches: ProjectionBatch[] = [];
    for (const lane of this.lanes) {
      const relevant = events.filter(
        (event) =>
          (lane.checkpoint === null || event.position > lane.checkpoint) && lane.handles.has(event.type),
      );
      batches.push(await this.evolveLane(lane, relevant, last, caughtUp));
    }
    this.faultHook?.('before-commit');
    try {
      await this.readStore.commit(batches);
    } catch (error) {
      // Cached documents hold this batch's uncommitted changes: forget them, reload on the next try.
      for (const lane of this.lanes) lane.cache.clear();
      throw error;
    }
    this.faultHook?.('after-commit');
    this.eventsApplied += events.length;
    const at = events[events.length - 1]!.recordedAt;
    for (const lane of this.lanes) {
      if (lane.checkpoint === null || last > lane.checkpoint) lane.checkpoint = last;
      lane.lastAppliedAt = at;
      if (caughtUp && !lane.caughtUp) await this.caughtUp(lane);
    }
    for (const wake of this.positionWaiters) wake();
  }

  private async evolveLane(
    lane: Lane,
    events: RecordedEvent[],
    last: bigint,
    caughtUp: boolean,
  ): Promise<ProjectionBatch> {
    const { projection } = lane;
    const ids = new Map<RecordedEvent, string | null>();
    const missing = new Set<string>();
    const parked: ParkedEvent[] = [];
    for (const event of events) {
      let id: string | null;
      try {
        id = projection.documentId(event);
      } catch (error) {
        parked.push(parkedEvent(event, error));
        continue;
      }
      ids.set(event, id);
      if (id !== null && !lane.cache.has(id)) missing.add(id);
    }
    if (missing.size > 0) {
      const loaded = await this.readStore.getMany(lane.spec, [...missing]);
      for (const id of missing) {
        const stored = loaded.get(id);
        lane.cache.set(
          id,
          stored ? { doc: stored.doc, position: stored.position } : { doc: null, position: -1n },
        );
      }
    }
    const dirty = new Set<string>();
    for (const [event, id] of ids) {
      if (id === null) continue;
      const current = lane.cache.get(id)!;
      if (current.position >= event.position) continue;
      try {
        const next = projection.evolve(current.doc, event);
        lane.cache.set(id, { doc: next, position: event.position });
        dirty.add(id);
      } catch (error) {
        // The document stays as it was; the event is kept with its reason for someone to look at.
        parked.push(parkedEvent(event, error));
      }
    }
    const puts = [];
    const deletes = [];
    for (const id of dirty) {
      const { doc, position } = lane.cache.get(id)!;
      if (doc === null) deletes.push({ id, position });
      else puts.push({ id, doc, position });
    }
    if (lane.cache.size > this.cacheSize) lane.cache.clear();
    return { collection: lane.spec, puts, deletes, parked, checkpoint: last, caughtUp };
  }

  private async caughtUp(lane: Lane): Promise<void> {
    lane.caughtUp = true;
    if (!lane.replaces) return;
    await this.readStore.activate(lane.spec);
    await this.readStore.drop(lane.replaces);
    this.logger.log(
      `${lane.spec.name} v${lane.spec.version} caught up and replaced v${lane.replaces.version}`,
    );
    lane.replaces = null;
  }
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
