import type { AppConfig } from '../config/app-config.js';
import { createLeaseStore } from '../platform/lease/create-lease-store.js';
import { defaultHolder } from '../platform/lease/leased-role.js';

/**
 * The lease of the projection runner: one per deployment (per Redis prefix, or per data folder).
 * Apart from projection-host.ts so that the CLI's rebuild takes it without loading NestJS.
 */
export const PROJECTIONS_LEASE = 'projections';

/** How a rebuild names itself in the lease, so that a refusal tells another rebuild from the app. */
const REBUILD_HOLDER = 'cli-rebuild@';

/** The lease a rebuild holds while it runs; `release` is safe to call more than once. */
export interface RebuildLease {
  release(): Promise<void>;
}

/**
 * Takes the projections lease for a rebuild by the CLI, or says why not. A rebuild drops the read
 * models and builds them again: beside a running projection runner, the app would answer from
 * tables that are gone (500 `no such table`) and its runner would write into the new ones. The
 * runner of an app with `PROJECTIONS=thread` holds this lease, so while anyone else holds it the
 * rebuild is refused. The rebuild holds it while it runs (extended every third of LEASE_TTL_MS),
 * so an app started meanwhile stands by instead of running its runner, and takes it over once the
 * rebuild releases it.
 */
export async function takeRebuildLease(
  config: AppConfig['leases'],
): Promise<{ lease: RebuildLease } | { refused: string }> {
  const store = createLeaseStore(config.store);
  const holder = `${REBUILD_HOLDER}${defaultHolder()}`;
  let held: boolean;
  try {
    held = await store.acquire(PROJECTIONS_LEASE, holder, config.ttlMs);
  } catch (error) {
    await store.close();
    throw error;
  }
  if (!held) {
    const current = await store.holder(PROJECTIONS_LEASE).catch(() => null);
    await store.close();
    return { refused: refusal(current, config) };
  }
  let lost = false;
  const extend = setInterval(
    () => {
      store.acquire(PROJECTIONS_LEASE, holder, config.ttlMs).then(
        (extended) => {
          if (!extended && !lost) {
            lost = true;
            process.stderr.write(
              `\nwarning: another holder took the ${PROJECTIONS_LEASE} lease during the rebuild (this process stood still longer than LEASE_TTL_MS); run the rebuild again with the app stopped\n`,
            );
          }
        },
        () => undefined,
      );
    },
    Math.max(1, Math.floor(config.ttlMs / 3)),
  );
  extend.unref();
  let released = false;
  return {
    lease: {
      async release() {
        if (released) return;
        released = true;
        clearInterval(extend);
        await store.release(PROJECTIONS_LEASE, holder).catch(() => undefined);
        await store.close();
      },
    },
  };
}

function refusal(holder: string | null, config: AppConfig['leases']): string {
  const where =
    config.store.kind === 'sqlite'
      ? config.store.file
      : `Redis under the prefix ${config.store.prefix} (REDIS_URL)`;
  if (holder?.startsWith(REBUILD_HOLDER)) {
    return `refused: another rebuild (${holder.slice(REBUILD_HOLDER.length)}) holds the ${PROJECTIONS_LEASE} lease (${where}); wait for it to end`;
  }
  return (
    `refused: the app's projection runner holds the ${PROJECTIONS_LEASE} lease` +
    `${holder ? ` (holder ${holder})` : ''} in ${where}. Stop the app first, then run the rebuild again: ` +
    `a rebuild drops the read models the running app reads and writes. The lease of an app that ` +
    `stopped without releasing it (killed) runs out within LEASE_TTL_MS (${config.ttlMs} ms).`
  );
}
