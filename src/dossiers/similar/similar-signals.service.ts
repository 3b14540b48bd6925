import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { EventStore, type AllSubscription } from '../../platform/event-store/event-store.port.js';
import { SimilarityIndex } from './similarity-index.js';

const YIELD_EVERY = 2000;

/**
 * Keeps the similarity index of this process: it follows `$all` from the start (catch-up, then
 * live) and applies signal and dossier events one by one. The index lives in memory and is
 * rebuilt from the store at every start, like any read model; queries wait for a position.
 */
@Injectable()
export class SimilarSignals implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly index = new SimilarityIndex();
  private readonly logger = new Logger('SimilarSignals');
  private subscription: AllSubscription | null = null;
  private loop: Promise<void> | null = null;
  private readonly waiters = new Set<() => void>();

  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  onApplicationBootstrap(): void {
    const subscription = this.store.subscribeToAll({ fromPosition: 'start' });
    this.subscription = subscription;
    this.loop = this.follow(subscription).catch((error: unknown) => {
      this.logger.error(`similar-signal index stopped: ${(error as Error).stack ?? String(error)}`);
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscription?.stop();
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

  /** The store's last position: what a query waits for when it names none. */
  async head(): Promise<bigint | null> {
    const { lastPosition } = await this.store.health();
    return lastPosition === undefined ? null : BigInt(lastPosition);
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
