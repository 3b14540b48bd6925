import { setImmediate as nextTurn } from 'node:timers/promises';
import { getWorkflow } from '../../workflows/registry.js';
import { readsStoredText, type EventStore } from '../platform/event-store/event-store.port.js';
import { storedEventsOf } from '../privacy/encrypting-event-store.js';
import { ChainVerifier } from './core/chain-verifier.js';
import { belongsToTenant } from './core/streams.js';
import type { StoreVerifyReport } from './audit-answers.js';

export type { StoreVerifyReport };

export interface VerifyProgress {
  /** Events read from the store, the tenant's and others. */
  read: number;
  /** Events verified (of the tenant, when one is given). */
  verified: number;
  seconds: number;
}

export interface VerifyStoreOptions {
  /** Only this tenant's streams (`signal-<tenant>-…`, `audit-<tenant>`, others by their tenantId). */
  tenant?: string;
  onProgress?: (progress: VerifyProgress) => void;
  /** Events between progress reports, which are also turns given back to the event loop. */
  progressEvery?: number;
  maxViolations?: number;
  /**
   * Hash the text a store keeps when it can hand it out (default); false serialises every event
   * again, as for a store that keeps no text (what EventStoreDB costs; the benchmark shows both).
   */
  storedText?: boolean;
}

export function lookupWorkflow(name: string, version: number) {
  try {
    return getWorkflow(name, version);
  } catch {
    return undefined;
  }
}

/**
 * Streams `$all` once through the verifier: bounded memory (per stream, not per event), and a
 * turn of the event loop every `progressEvery` events so that a server stays responsive while an
 * auditor's verification runs beside its requests.
 */
export async function verifyStore(
  store: EventStore,
  options: VerifyStoreOptions = {},
): Promise<StoreVerifyReport> {
  const every = options.progressEvery ?? 2_000;
  const verifier = new ChainVerifier({
    lookupWorkflow,
    ...(options.maxViolations !== undefined ? { maxViolations: options.maxViolations } : {}),
  });
  const startedAt = new Date();
  const started = performance.now();
  const tenant = options.tenant;
  let read = 0;
  const progress = () => ({ read, verified: verifier.events, seconds: (performance.now() - started) / 1000 });
  // A store that keeps the stored text lets the verifier hash it without serialising again.
  // The chain covers what is stored: ciphertext, not the text a decrypting store hands out.
  store = storedEventsOf(store);
  const events =
    options.storedText !== false && readsStoredText(store) ? store.readAllWithText() : store.readAll();
  for await (const event of events) {
    read += 1;
    if (tenant === undefined || belongsToTenant(event, tenant)) verifier.feed(event);
    if (read % every === 0) {
      options.onProgress?.(progress());
      await nextTurn();
    }
  }
  options.onProgress?.(progress());
  const report = verifier.finish();
  const durationMs = performance.now() - started;
  return {
    ...report,
    tenant: tenant ?? null,
    eventsRead: read,
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(durationMs),
    eventsPerSecond: Math.round(read / Math.max(durationMs / 1000, 0.001)),
  };
}
