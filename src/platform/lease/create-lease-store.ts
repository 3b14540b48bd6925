import { LeaseStore } from './lease-store.port.js';
import { SqliteLeaseStore } from './sqlite-lease-store.js';

/** Where the leases of a deployment live: Redis (shared by every instance on it) or a SQLite file in the data folder. */
export type LeaseStoreConfig =
  { kind: 'redis'; url: string; prefix: string } | { kind: 'sqlite'; file: string };

export function createLeaseStore(config: LeaseStoreConfig): LeaseStore {
  if (config.kind === 'sqlite') return new SqliteLeaseStore({ file: config.file });
  const { url, prefix } = config;
  return new DeferredLeaseStore(async () => {
    const { RedisLeaseStore } = await import('./redis-lease-store.js');
    return new RedisLeaseStore({ url, prefix });
  });
}

/**
 * A lease store whose adapter is made at its first call: the Redis client's module is loaded only
 * by a process whose leases are in Redis (an app on the embedded stores does not load it, see
 * test/integration/embedded-clients.int-spec.ts). Closing one never called, or one that could not
 * be made, closes nothing.
 */
class DeferredLeaseStore extends LeaseStore {
  private store: Promise<LeaseStore> | null = null;

  constructor(private readonly open: () => Promise<LeaseStore>) {
    super();
  }

  private opened(): Promise<LeaseStore> {
    return (this.store ??= this.open());
  }

  async acquire(name: string, holder: string, ttlMs: number): Promise<boolean> {
    return (await this.opened()).acquire(name, holder, ttlMs);
  }

  async release(name: string, holder: string): Promise<void> {
    await (await this.opened()).release(name, holder);
  }

  async holder(name: string): Promise<string | null> {
    return (await this.opened()).holder(name);
  }

  async close(): Promise<void> {
    if (this.store === null) return;
    // A store that could not be made has nothing to close (its calls reported why).
    const store = await this.store.catch(() => null);
    await store?.close();
  }
}
