import { Redis } from 'ioredis';
import { assertLeaseArguments, LeaseStore } from './lease-store.port.js';

/** Takes a free lease, or extends the caller's own; 1 when the caller holds it after. */
const ACQUIRE = `
local current = redis.call('GET', KEYS[1])
if current == false then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
if current == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0`;

/** Deletes the lease only when the caller holds it. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

export interface RedisLeaseStoreOptions {
  url: string;
  /** Prefix of the keys (`<prefix>:lease:<name>`). */
  prefix?: string;
}

/**
 * Leases in Redis (REDIS_URL): the instances that share a Redis share its leases, on any machine.
 * A lease is one key with the holder as its value and the lease's time as its expiry (Redis's own
 * clock); taking, extending and releasing are scripts, so each checks the holder and changes the
 * key in one step.
 */
export class RedisLeaseStore extends LeaseStore {
  private readonly client: Redis;
  private readonly prefix: string;

  constructor(options: RedisLeaseStoreOptions) {
    super();
    this.prefix = options.prefix ?? 'lokaal-signaal';
    // While Redis is away a command waits for one reconnection at most, then fails, so that the
    // holder steps down in time; the client goes on reconnecting.
    this.client = new Redis(options.url, { maxRetriesPerRequest: 1 });
    // Errors come back from the commands; the reconnecting client's own are not worth a crash.
    this.client.on('error', () => undefined);
  }

  private key(name: string): string {
    return `${this.prefix}:lease:${name}`;
  }

  async acquire(name: string, holder: string, ttlMs: number): Promise<boolean> {
    assertLeaseArguments(name, holder, ttlMs);
    return (await this.client.eval(ACQUIRE, 1, this.key(name), holder, ttlMs)) === 1;
  }

  async release(name: string, holder: string): Promise<void> {
    assertLeaseArguments(name, holder);
    await this.client.eval(RELEASE, 1, this.key(name), holder);
  }

  async holder(name: string): Promise<string | null> {
    assertLeaseArguments(name, '-');
    return this.client.get(this.key(name));
  }

  async close(): Promise<void> {
    if (this.client.status === 'end') return;
    await this.client.quit().catch(() => this.client.disconnect());
  }
}
