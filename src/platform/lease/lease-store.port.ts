/**
 * Named leases with an expiry: at most one holder per name at a time. A role that several
 * instances of the app could each take on (the projection runner, the process workflows) runs in
 * the one instance that holds its lease, and another instance takes over within the lease's time
 * when that one dies. The lease is not what keeps the roles' effects exactly-once (process
 * decisions are appended at exact revisions with deterministic ids; read-model documents and
 * checkpoints only move forward): it keeps the other instances from doing the same work again and
 * from sending a notification twice.
 */
export abstract class LeaseStore {
  /**
   * Takes the lease `name` for `holder` until `ttlMs` from now, or extends it when `holder`
   * holds it already; false while another holder's lease runs.
   */
  abstract acquire(name: string, holder: string, ttlMs: number): Promise<boolean>;

  /** Ends `holder`'s lease at once, so another instance may take it; nothing when it holds none. */
  abstract release(name: string, holder: string): Promise<void>;

  /** Who holds the lease now; null when it is free or has run out. */
  abstract holder(name: string): Promise<string | null>;

  abstract close(): Promise<void>;
}

export class LeaseArgumentError extends Error {
  readonly code = 'INVALID_LEASE_ARGUMENT';
}

/** Throws on what no store should take: an empty name or holder, a time that is no whole number of ms above 0. */
export function assertLeaseArguments(name: string, holder: string, ttlMs?: number): void {
  if (typeof name !== 'string' || name === '') throw new LeaseArgumentError('a lease needs a name');
  if (typeof holder !== 'string' || holder === '') throw new LeaseArgumentError('a lease needs a holder');
  if (ttlMs !== undefined && !(Number.isSafeInteger(ttlMs) && ttlMs > 0))
    throw new LeaseArgumentError(
      `a lease's time must be a whole number of milliseconds above 0, got ${ttlMs}`,
    );
}
