import 'reflect-metadata';
import { loadConfig } from '../config/app-config.js';
import { PlatformLogger } from '../platform/logger.js';
import { openEventStore, openKeyStore, openReadStore } from '../platform/open-stores.js';
import { EncryptingEventStore } from '../privacy/encrypting-event-store.js';
import { standaloneSupralocalQueries } from '../supralocal/standalone-queries.js';
import { loadReportingConfig } from './reporting-config.js';
import { createReportingRuntime } from './reporting-runtime.js';
import { QueriesSupralocalBriefSource } from './supralocal-brief-source.js';

/**
 * `npm run worker`: runs brief jobs from BullMQ (REDIS_URL), reconciles pending briefs from the
 * event store and keeps the tenants' job schedulers. SIGTERM/SIGINT let the running job finish.
 */
async function main(): Promise<void> {
  const logger = new PlatformLogger('BriefWorker');
  const log = (line: string) => logger.log(line);
  const reporting = loadReportingConfig();
  if (!reporting.redisUrl) {
    console.error(
      'REDIS_URL is not set. The worker runs brief jobs from Redis; without Redis the app runs them in its own process.',
    );
    process.exit(1);
  }
  const config = loadConfig();
  // JSON lines where the app writes them (LOG_FORMAT; by default when not on a terminal).
  process.env['LOG_FORMAT'] = config.logFormat;
  // Keys only to read: a brief quotes the titles of structural signals, sealed in the read models.
  const keys = await openKeyStore(config.keyStore, { readOnly: true });
  const store = new EncryptingEventStore(await openEventStore(config.eventStore), keys);
  const readStore = await openReadStore(config.readStore);
  const runtime = await createReportingRuntime({
    store,
    readStore,
    sealed: store,
    config: reporting,
    supralocal: new QueriesSupralocalBriefSource(standaloneSupralocalQueries(store, readStore, config)),
    role: 'worker',
    log,
  });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: finishing the running job, then stopping`);
    await runtime.close();
    await readStore.close();
    await store.close();
    await keys.close();
    log('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  for (let attempt = 1; ; attempt += 1) {
    try {
      await runtime.start();
      break;
    } catch (error) {
      log(`start failed (${error instanceof Error ? error.message : String(error)}); retrying`);
      await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 250 * attempt)));
    }
  }
  if (reporting.schedule)
    await runtime.syncSchedules().catch((error: unknown) => log(`schedules: ${String(error)}`));
  log(`ready (queue prefix ${reporting.queuePrefix}, concurrency ${reporting.concurrency})`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
