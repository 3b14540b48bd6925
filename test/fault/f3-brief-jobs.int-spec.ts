import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { seedDemoData } from '../../src/demo/seed-demo-data.js';
import { SqliteEventStore } from '../../src/platform/event-store/sqlite/sqlite-event-store.js';
import { SqliteReadStore } from '../../src/platform/read-store/sqlite/sqlite-read-store.js';
import { InlineProjectionHost } from '../../src/read-models/projection-host.js';
import { BriefLedger } from '../../src/reporting/brief-ledger.js';
import { BRIEF_FAILED, BRIEF_GENERATED, BRIEF_REQUESTED } from '../../src/reporting/brief.events.js';
import { BullMqBriefQueue } from '../../src/reporting/jobs/bullmq-brief-queue.js';
import { parsePeriod } from '../../src/reporting/period.js';
import { loadReportingConfig } from '../../src/reporting/reporting-config.js';
import { collect } from '../support/events.js';
import { startTsChild, type RunningChild } from '../support/processes.js';

/**
 * F3 of QUALITY.md against a real Redis started by this test on a port of its own (so killing it
 * touches no other session), with a queue prefix of its own. In CI a missing redis-server fails.
 */
const BRIEFS = Number(process.env['F3_BRIEFS'] || 100);
const REDIS_KILLS = 2;
const hasRedis = spawnSync('redis-server', ['--version']).status === 0;
const inCi = process.env['CI'] === 'true';
const dir = mkdtempSync(join(tmpdir(), 'ls-f3-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function startRedis(port: number): Promise<ChildProcess> {
  // No persistence: a killed Redis comes back empty, the hardest case for the queue.
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    {
      stdio: 'ignore',
    },
  );
  children.push(child);
  const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => null });
  client.on('error', () => undefined);
  for (let attempt = 0; attempt < 100; attempt += 1) {
    try {
      await client.connect();
      await client.ping();
      client.disconnect();
      return child;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  throw new Error(`redis-server did not start on port ${port}`);
}

async function killed(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

async function eventsOf(store: SqliteEventStore, type: string): Promise<string[]> {
  const events = await collect(store.readAll({ filter: { eventTypes: [type] } }));
  return events.map((event) => (event.data as { briefId: string }).briefId);
}

const suite = hasRedis || inCi ? describe : describe.skip;

suite('F3: brief jobs under Redis and worker faults', () => {
  it('produces every requested brief exactly once', async () => {
    if (!hasRedis) throw new Error('F3 needs redis-server on the PATH (CI=true: not skipped)');
    const port = await freePort();
    let redis = await startRedis(port);
    const redisUrl = `redis://127.0.0.1:${port}`;
    const prefix = `f3-${randomBytes(4).toString('hex')}`;
    const file = join(dir, 'events.sqlite');
    const store = new SqliteEventStore({ file });
    const readStore = new SqliteReadStore({ file: join(dir, 'read-models.sqlite') });
    // A tenant with data, its read models built, as the app's projection runner leaves them.
    await seedDemoData(store, { tenants: 1, signals: 300, seed: 3 });
    const projections = new InlineProjectionHost(store, readStore);
    await projections.start();
    const head = (await store.health()).lastPosition;
    expect(await projections.waitForPosition(BigInt(head ?? '0'), 60_000)).toBe(true);
    await projections.stop();

    const env = {
      DATA_DIR: dir,
      REDIS_URL: redisUrl,
      BRIEF_QUEUE_PREFIX: prefix,
      BRIEF_RECONCILE_MS: '1000',
      BRIEF_LOCK_MS: '2000',
      BRIEF_BACKOFF_MS: '200',
      BRIEF_ATTEMPTS: '8',
      BRIEF_CONCURRENCY: '2',
      BRIEF_SCHEDULE: 'off',
      JWT_SECRET: 'f3-secret-0123456789abcdef0123456789abcdef',
      EVENTSTORE_CONNECTION_STRING: '',
      MONGODB_URI: '',
    };
    const startWorker = (): RunningChild => {
      const worker = startTsChild('src/reporting/worker.ts', [], env);
      children.push(worker.child);
      return worker;
    };

    // The API's part: record each request, then queue its job.
    const ledger = new BriefLedger(store);
    const producer = new BullMqBriefQueue(loadReportingConfig({ ...env }));
    const months = Array.from(
      { length: 24 },
      (_, i) => `${2024 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`,
    );
    for (let i = 0; i < BRIEFS; i += 1) {
      const { record } = await ledger.request('bornem', parsePeriod(months[i % months.length]!), {
        id: 'official-1',
        role: 'official',
      });
      await producer.enqueue(record);
    }

    const workers = [startWorker(), startWorker()];
    // Worker killed mid-job: SIGKILL as soon as it reports generating a brief.
    await workers[0]!.waitForLine((line) => line.includes(': generating'), 60_000);
    await killed(workers[0]!.child);
    const workerKills = 1;
    workers[0] = startWorker();

    const generatedCount = async () => new Set(await eventsOf(store, BRIEF_GENERATED)).size;
    const waitFor = async (count: number, timeoutMs: number) => {
      const deadline = Date.now() + timeoutMs;
      while ((await generatedCount()) < count) {
        if (Date.now() > deadline)
          throw new Error(`only ${await generatedCount()} of ${count} generated in time`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    };

    // Redis killed K times while jobs run; it comes back empty (every queued job lost).
    for (let kill = 1; kill <= REDIS_KILLS; kill += 1) {
      await waitFor(Math.floor((BRIEFS * kill) / (REDIS_KILLS + 2)), 180_000);
      await killed(redis);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      redis = await startRedis(port);
    }
    // FLUSHALL once.
    await waitFor(Math.floor((BRIEFS * (REDIS_KILLS + 1)) / (REDIS_KILLS + 2)), 180_000);
    const admin = new Redis(redisUrl);
    await admin.flushall();
    admin.disconnect();

    await waitFor(BRIEFS, 240_000);
    // Let any job still running after a redelivery finish, then count again.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    for (const worker of workers) {
      worker.child.kill('SIGTERM');
      await worker.exited;
    }
    await producer.close();

    const requested = await eventsOf(store, BRIEF_REQUESTED);
    const generated = await eventsOf(store, BRIEF_GENERATED);
    const failed = await eventsOf(store, BRIEF_FAILED);
    const duplicates = generated.length - new Set(generated).size;
    const missing = requested.filter((id) => !generated.includes(id)).length;
    console.info(
      `F3: ${requested.length} briefs requested, Redis killed ${REDIS_KILLS} times, worker killed ${workerKills} time mid-job, ` +
        `FLUSHALL once: ${new Set(generated).size} produced, ${duplicates} duplicates, ${missing} missing, ${failed.length} failed`,
    );
    expect(requested).toHaveLength(BRIEFS);
    expect(duplicates).toBe(0);
    expect(missing).toBe(0);
    expect(failed).toHaveLength(0);
    await readStore.close();
    await store.close();
    await killed(redis);
  }, 600_000);
});
