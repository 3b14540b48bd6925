import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { SignalInboxDocument } from '../../../projections/index.js';
import type { AuthenticatedActor } from '../../auth/actor.js';
import {
  EventStore,
  type AllSubscription,
  type RecordedEvent,
} from '../../platform/event-store/event-store.port.js';
import { ReadModels } from '../../read-models/read-models.js';
import { scopeFilters } from '../list-signals/inbox-query.js';
import { SIGNAL_CATEGORY } from '../signal.events.js';
import type { SignalChange } from '../signal-answers.js';

export type { SignalChange };

/** How many signals' last seen scope the feed remembers (to tell a processor a signal left them). */
const REMEMBERED_SCOPES = 10_000;

/**
 * A person's events that take access away: the roles the token names may be gone, so the stream
 * ends and the client reconnects with a fresh token (or is refused).
 */
const ACCESS_ENDING_EVENTS: ReadonlySet<string> = new Set(['RolesRevoked', 'PersonErased']);
const PERSON_CATEGORY = 'person';
const REMEMBERED_REVOCATIONS = 10_000;

/** Facts for processors only: a signal giver does not learn that an internal note was written. */
const PROCESSOR_ONLY_EVENTS: ReadonlySet<string> = new Set(['NoteAdded']);

interface Listener {
  actor: AuthenticatedActor;
  send(change: SignalChange): void;
  /** The feed is shutting down: end the connection. */
  end(): void;
}

/**
 * Fans the event store's new signal events out to the connected screens (`GET /events/stream`).
 * One subscription to `$all` (signal streams only) while anyone listens, none otherwise. A change
 * goes only to listeners of the event's tenant for whom the signal is in scope, decided as the
 * inbox decides it (DOMAIN.md's scope rules on the signal's `scopeKeys`, after the read models
 * have applied the event): another tenant's events, and signals outside one's scope, are never sent.
 * The same subscription reads the person streams: when a listener's roles are revoked or the
 * person is erased, their stream ends at once, whatever their token still says.
 */
@Injectable()
export class SignalChangeFeed implements OnModuleDestroy {
  private readonly logger = new Logger(SignalChangeFeed.name);
  private readonly listeners = new Map<string, Set<Listener>>();
  /** Scope keys of recently changed signals as they were before their latest change (LRU order). */
  private readonly lastScopes = new Map<string, string[]>();
  /** `tenant:person` → when (ms) their roles were last revoked or they were erased, as the feed saw it. */
  private readonly accessEnded = new Map<string, number>();
  private subscription: AllSubscription | null = null;
  private running: Promise<void> | null = null;

  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(ReadModels) private readonly readModels: ReadModels,
  ) {}

  /** Starts telling `send` about changes in the actor's scope; returns the function that stops it. */
  listen(actor: AuthenticatedActor, send: (change: SignalChange) => void, end: () => void): () => void {
    const listener: Listener = { actor, send, end };
    let tenant = this.listeners.get(actor.tenantId);
    if (!tenant) {
      tenant = new Set();
      this.listeners.set(actor.tenantId, tenant);
    }
    tenant.add(listener);
    this.start();
    return () => {
      const set = this.listeners.get(actor.tenantId);
      if (!set) return;
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(actor.tenantId);
      if (this.listeners.size === 0) {
        this.lastScopes.clear();
        void this.stop();
      }
    };
  }

  /**
   * Whether a token issued at `issuedAtMs` predates the last revocation of the actor's roles (or
   * their erasure) that this feed saw: such a token must not open a new stream, or a client would
   * simply reconnect with the roles it just lost.
   */
  predatesRevocation(actor: AuthenticatedActor, issuedAtMs: number): boolean {
    const ended = this.accessEnded.get(`${actor.tenantId}:${actor.id}`);
    return ended !== undefined && issuedAtMs <= ended;
  }

  private remember(key: string, at: number): void {
    this.accessEnded.delete(key);
    this.accessEnded.set(key, Number.isFinite(at) ? at : Date.now());
    // Tokens live minutes; the oldest revocations are the first to go.
    if (this.accessEnded.size > REMEMBERED_REVOCATIONS)
      this.accessEnded.delete(this.accessEnded.keys().next().value!);
  }

  /** Number of connected listeners (for health and tests). */
  get size(): number {
    let count = 0;
    for (const set of this.listeners.values()) count += set.size;
    return count;
  }

  async onModuleDestroy(): Promise<void> {
    const all = [...this.listeners.values()].flatMap((set) => [...set]);
    this.listeners.clear();
    for (const listener of all) listener.end();
    await this.stop();
  }

  private start(): void {
    if (this.subscription) return;
    const subscription = this.store.subscribeToAll({
      fromPosition: 'end',
      filter: { categories: [SIGNAL_CATEGORY, PERSON_CATEGORY] },
    });
    this.subscription = subscription;
    this.running = this.follow(subscription);
  }

  private async stop(): Promise<void> {
    const subscription = this.subscription;
    const running = this.running;
    this.subscription = null;
    this.running = null;
    if (subscription) await subscription.stop();
    await running;
  }

  private async follow(subscription: AllSubscription): Promise<void> {
    try {
      for await (const event of subscription) {
        if (this.subscription !== subscription) return;
        await this.dispatch(event).catch((error: unknown) =>
          this.logger.warn(`Could not dispatch a signal change: ${String(error)}`),
        );
      }
    } catch (error) {
      if (this.subscription === subscription) {
        this.logger.warn(`The signal change subscription ended: ${String(error)}`);
        this.subscription = null;
        // Listeners remain: follow again from now on.
        if (this.listeners.size > 0) this.start();
      }
    }
  }

  private async dispatch(event: RecordedEvent): Promise<void> {
    const tenantId = event.metadata.tenantId;
    const listeners = this.listeners.get(tenantId);
    if (!listeners || listeners.size === 0) return;
    if (ACCESS_ENDING_EVENTS.has(event.type)) {
      const personId = (event.data as { personId?: unknown }).personId;
      if (typeof personId !== 'string') return;
      this.remember(`${tenantId}:${personId}`, Date.parse(event.metadata.occurredAt));
      for (const listener of [...listeners]) if (listener.actor.id === personId) listener.end();
      return;
    }
    const signalId = (event.data as { signalId?: unknown }).signalId;
    if (typeof signalId !== 'string') return;
    // Scope is decided on the signal as the read models have it after this event.
    await this.readModels.reach(event.position);
    const doc = await this.readModels.get<SignalInboxDocument>('signal-inbox', `${tenantId}:${signalId}`);
    if (!doc || doc.tenantId !== tenantId) return;
    const key = `${tenantId}:${signalId}`;
    // A change that takes the signal out of someone's scope (a reassignment) is still theirs to
    // hear about: the scope before the change counts too, when the feed saw it.
    const before = this.lastScopes.get(key);
    this.lastScopes.delete(key);
    this.lastScopes.set(key, doc.scopeKeys);
    if (this.lastScopes.size > REMEMBERED_SCOPES)
      this.lastScopes.delete(this.lastScopes.keys().next().value!);
    const change: SignalChange = { signalId, type: event.type, position: event.position.toString() };
    for (const listener of [...listeners]) {
      const visible =
        inScope(listener.actor, doc) ||
        (before !== undefined && inScope(listener.actor, { tenantId, scopeKeys: before }));
      if (!visible) continue;
      if (PROCESSOR_ONLY_EVENTS.has(event.type) && !isProcessor(listener.actor)) continue;
      listener.send(change);
    }
  }
}

function isProcessor(actor: AuthenticatedActor): boolean {
  return actor.roles.some(
    (role) => role === 'lead-processor' || role === 'processor' || role === 'partner-processor',
  );
}

/** The inbox's scope filter (`scopeFilters`) applied to one document. */
export function inScope(
  actor: AuthenticatedActor,
  doc: Pick<SignalInboxDocument, 'tenantId' | 'scopeKeys'>,
): boolean {
  if (doc.tenantId !== actor.tenantId) return false;
  const filter = scopeFilters(actor)[0];
  if (filter === undefined) return true;
  return filter.op === 'in' && doc.scopeKeys.some((key) => filter.values.includes(key));
}
