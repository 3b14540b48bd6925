import type { LeaseStore } from './lease-store.port.js';
import { RedisLeaseStore } from './redis-lease-store.js';
import { SqliteLeaseStore } from './sqlite-lease-store.js';

/** Where the leases of a deployment live: Redis (shared by every instance on it) or a SQLite file in the data folder. */
export type LeaseStoreConfig =
  { kind: 'redis'; url: string; prefix: string } | { kind: 'sqlite'; file: string };

export function createLeaseStore(config: LeaseStoreConfig): LeaseStore {
  return config.kind === 'redis'
    ? new RedisLeaseStore({ url: config.url, prefix: config.prefix })
    : new SqliteLeaseStore({ file: config.file });
}
