import type { AuthenticatedActor } from '../../auth/actor.js';
import type { AllSubscription, EventStore } from '../../platform/event-store/event-store.port.js';
import { EMPTY_ATTRIBUTES, isInScope, type ExistingSignal } from '../../signals/signal.decider.js';
import type { SimilarItem } from '../dossier-answers.js';
import { SimilarityIndex, type IndexedSignal } from './similarity-index.js';

const YIELD_EVERY = 2000;

export type { SimilarItem };

export interface SimilarRequest {
  actor: AuthenticatedActor;
  signalId: string;
  limit: number;
  /** The position the index must have applied first (null: none), waiting up to `timeoutMs`. */
  wanted: bigint | null;
  timeoutMs: number;
}

/** `found: false`: the signal is not indexed or outside the caller's scope (the same 404). */
export type SimilarAnswer = { reached: boolean } & ({ found: false } | { found: true; items: SimilarItem[] });

/**
 * The similarity index of one thread and the subscription that keeps it: it follows `$all` from
 * the start (catch-up, then live) and applies signal and dossier events one by one. The index lives
 * in memory and is rebuilt from the store at every start, like any read model; a query waits for a
 * position. It runs in the app's thread or in a worker thread of its own (`similar-worker.ts`).
 */
export class SimilarIndexFollower {
  readonly index = new SimilarityIndex();
  private subscription: AllSubscription | null = null;
  private loop: Promise<void> | null = null;
  private readonly waiters = new Set<() => void>();

  constructor(private readonly onError: (error: unknown) => void) {}

  start(store: EventStore): void {
    const subscription = store.subscribeToAll({ fromPosition: 'start' });
    this.subscription = subscription;
    this.loop = this.follow(subscription).catch((error: unknown) => {
      this.subscription = null;
      for (const wake of this.waiters) wake();
      this.onError(error);
    });
  }

  async stop(): Promise<void> {
    const subscription = this.subscription;
    this.subscription = null;
    await subscription?.stop();
    await this.loop;
    for (const wake of this.waiters) wake();
  }

  /** True once the index has applied `position` (waiting up to `timeoutMs`). */
  async reach(position: bigint, timeoutMs: number): Promise<boolean> {
    if (this.index.position >= position) return true;
    return new Promise((resolve) => {
      const done = (reached: boolean) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(reached);
      };
      const check = () => {
        if (this.index.position >= position) done(true);
        else if (this.subscription === null) done(false);
      };
      const timer = setTimeout(() => done(false), timeoutMs);
      this.waiters.add(check);
    });
  }

  async answer(request: SimilarRequest): Promise<SimilarAnswer> {
    const { actor, signalId, limit, wanted, timeoutMs } = request;
    const reached = wanted === null || (await this.reach(wanted, timeoutMs));
    const visible = (signal: IndexedSignal) =>
      actor.roles.some((role) => isInScope(role, actor, asSignal(actor.tenantId, signal)));
    const subject = this.index.get(actor.tenantId, signalId);
    if (!subject || !visible(subject)) return { reached, found: false };
    const ranked = this.index.similar(actor.tenantId, signalId, { limit, visible });
    return {
      reached,
      found: true,
      items: ranked.map(({ signal, score, text, themes, sharedTerms }) => ({
        signalId: signal.signalId,
        title: signal.title,
        state: signal.state,
        themes: signal.themes,
        dossierId: signal.dossierId,
        score: round(score),
        textScore: round(text),
        themeScore: round(themes),
        sharedTerms,
      })),
    };
  }

  private async follow(subscription: AllSubscription): Promise<void> {
    let applied = 0;
    for await (const event of subscription) {
      this.index.apply(event);
      for (const wake of this.waiters) wake();
      // While catching up the events come without waiting: let requests in now and then.
      if (++applied % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

/** The decider's view of an indexed signal, for DOMAIN.md's scope rules. */
function asSignal(tenantId: string, signal: IndexedSignal): ExistingSignal {
  return {
    status: 'exists',
    signalId: signal.signalId,
    tenantId,
    workflow: { name: 'signal-lifecycle', version: 1 },
    state: signal.state,
    previousState: null,
    givenBy: signal.givenBy,
    organisationId: signal.organisationId,
    mergedInto: null,
    submittedAt: '',
    stateEnteredAt: '',
    attributes: {
      ...EMPTY_ATTRIBUTES,
      title: signal.title,
      // Scope never depends on the text; the index does not keep the description.
      description: null,
      themes: signal.themes,
      assigneeId: signal.assigneeId,
      policyDomain: signal.policyDomain,
    },
  };
}
