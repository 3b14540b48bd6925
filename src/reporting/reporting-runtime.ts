import { collectionOf, tenantDashboardProjection } from '../../projections/index.js';
import { EventStore } from '../platform/event-store/event-store.port.js';
import { ReadStore } from '../platform/read-store/read-store.port.js';
import type { SealedText } from '../privacy/sealed-text.js';
import { BriefGenerator } from './brief-generator.js';
import { BriefLedger } from './brief-ledger.js';
import { BriefRedactor } from './brief-redactor.js';
import { ReadModelBriefSignalSource } from './brief-sources.js';
import { BriefStorage, FileBriefStorage } from './brief-storage.js';
import { DEFAULT_CADENCE } from './brief.events.js';
import { EventStoreDossierSummarySource } from './dossier-summary-source.js';
import { BriefJobHandler } from './jobs/brief-job-handler.js';
import { BriefQueue } from './jobs/brief-jobs.js';
import { InProcessBriefQueue } from './jobs/in-process-brief-queue.js';
import type { ReportingConfig } from './reporting-config.js';
import type { SupralocalBriefSource } from './supralocal-brief-source.js';

/** Every tenant with signals (one tenant-dashboard document each) or with a schedule setting. */
export async function knownTenants(readStore: ReadStore, ledger: BriefLedger): Promise<string[]> {
  const version =
    (await readStore.activeVersion(tenantDashboardProjection.name)) ??
    tenantDashboardProjection.schemaVersion;
  const tenants = new Set((await ledger.schedules()).keys());
  const spec = collectionOf(tenantDashboardProjection, version);
  for (let offset = 0; ; offset += 1000) {
    const page = await readStore.list<{ tenantId: string }>(spec, { limit: 1000, offset, count: false });
    for (const doc of page.items) tenants.add(doc.tenantId);
    if (!page.hasMore) break;
  }
  return [...tenants].sort();
}

export interface ReportingRuntime {
  ledger: BriefLedger;
  generator: BriefGenerator;
  storage: BriefStorage;
  queue: BriefQueue;
  handler: BriefJobHandler;
  /** Carries erasures of signals' text into the briefs that quote them (swept with the reconciler). */
  redactor: BriefRedactor;
  /** Re-queues every brief requested without outcome; returns how many. */
  reconcile(): Promise<number>;
  /** Makes every known tenant's schedule follow its recorded cadence (quarterly by default). */
  syncSchedules(): Promise<void>;
  /** Reconciles now, then (with schedules) every `BRIEF_RECONCILE_MS`. */
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Builds the reporting side for a process: `app` queues jobs (and, without Redis, runs them in
 * process); `worker` (`npm run worker`) runs them from BullMQ. Both reconcile from the event store.
 * BullMQ and the Redis client are loaded only with REDIS_URL: an app on the embedded stores does
 * not load them (test/integration/embedded-clients.int-spec.ts).
 */
export async function createReportingRuntime(options: {
  store: EventStore;
  readStore: ReadStore;
  /** Opens the signal titles a brief quotes (the read models keep them sealed). */
  sealed: SealedText;
  config: ReportingConfig;
  /** The figures of the quarterly supra-local brief (through the supra-local queries). */
  supralocal: SupralocalBriefSource;
  role: 'app' | 'worker';
  log?: (line: string) => void;
  now?: () => Date;
}): Promise<ReportingRuntime> {
  const { store, readStore, config, role } = options;
  const log = options.log ?? (() => undefined);
  const now = options.now ?? (() => new Date());
  const ledger = new BriefLedger(store, now);
  const storage = new FileBriefStorage(config.briefsDir);
  const generator = new BriefGenerator(
    ledger,
    new ReadModelBriefSignalSource(readStore, options.sealed),
    new EventStoreDossierSummarySource(store),
    storage,
    now,
    options.supralocal,
  );
  const handler = new BriefJobHandler(ledger, generator, log, now);
  const redactor = new BriefRedactor(store, ledger, generator, storage, log);
  let inProcess: InProcessBriefQueue | null = null;
  // With Redis: starts the BullMQ worker that runs the jobs (role `worker`).
  let startWorker: (() => { close(): Promise<void> }) | null = null;
  let worker: { close(): Promise<void> } | null = null;
  let queue: BriefQueue;
  if (config.redisUrl) {
    const { BullMqBriefQueue, startBriefWorker } = await import('./jobs/bullmq-brief-queue.js');
    const bull = new BullMqBriefQueue(config);
    startWorker = () => startBriefWorker(config, handler, bull, log);
    queue = bull;
  } else {
    if (role === 'worker')
      throw new Error('REDIS_URL is not set: without Redis the app runs brief jobs itself');
    inProcess = new InProcessBriefQueue(handler, config, log);
    queue = inProcess;
  }
  // The processes that run jobs reconcile; an app on Redis only queues what it records.
  const runsJobs = role === 'worker' || inProcess !== null;
  let timer: NodeJS.Timeout | null = null;
  let ticking: Promise<void> | null = null;
  // A failed sweep at start is tried again at the next round; the start goes on.
  const redact = () =>
    redactor.sweep().then(
      () => undefined,
      (error: unknown) =>
        log(`briefs: ${error instanceof Error ? error.message : String(error)} (retrying next round)`),
    );

  const runtime: ReportingRuntime = {
    ledger,
    generator,
    storage,
    queue,
    handler,
    redactor,
    async reconcile() {
      const pending = await ledger.pending();
      for (const record of pending) await queue.enqueue(record);
      if (pending.length > 0) log(`reconciler: re-queued ${pending.length} pending brief(s)`);
      return pending.length;
    },
    async syncSchedules() {
      const cadences = await ledger.schedules();
      for (const tenantId of await knownTenants(readStore, ledger)) {
        await queue.schedule(tenantId, cadences.get(tenantId) ?? DEFAULT_CADENCE);
      }
    },
    async start() {
      if (!runsJobs) return;
      if (role === 'worker') worker ??= startWorker!();
      await runtime.reconcile();
      await redact();
      const tick = async () => {
        try {
          await runtime.reconcile();
          if (config.schedule) {
            await runtime.syncSchedules();
            await inProcess?.tick();
            if (config.supralocalSchedule) {
              const record = await handler.scheduledSupralocal();
              if (record.status === 'requested') await queue.enqueue(record);
            }
          }
        } catch (error) {
          log(`reconciler: ${error instanceof Error ? error.message : String(error)} (retrying next round)`);
        }
        await redact();
      };
      timer = setInterval(() => {
        ticking ??= tick().finally(() => {
          ticking = null;
        });
      }, config.reconcileMs);
      timer.unref();
    },
    async close() {
      if (timer) clearInterval(timer);
      await ticking;
      await worker?.close();
      await queue.close();
    },
  };
  return runtime;
}
