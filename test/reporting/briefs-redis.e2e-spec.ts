import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { seedDemoData } from '../../src/demo/seed-demo-data.js';
import { ProjectionHost } from '../../src/read-models/projection-host.js';
import { BRIEF_GENERATED } from '../../src/reporting/brief.events.js';
import { SCHEDULED_BRIEF_JOB, schedulerIdOf } from '../../src/reporting/jobs/brief-jobs.js';
import type { BullMqBriefQueue } from '../../src/reporting/jobs/bullmq-brief-queue.js';
import { lastCompletePeriod } from '../../src/reporting/period.js';
import type { ReportingRuntime } from '../../src/reporting/reporting-runtime.js';
import { REPORTING_RUNTIME } from '../../src/reporting/reporting.tokens.js';
import { collect } from '../support/events.js';
import { startTsChild, type RunningChild } from '../support/processes.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { redisAnswers, TEST_REDIS_URL } from '../support/redis.js';
import { TEST_JWT_SECRET } from '../support/tokens.js';

/**
 * The API on BullMQ (REDIS_URL, the Redis of this machine under a queue prefix of this run) with
 * `npm run worker` as a child process. Without Redis: skipped, except with CI=true, where it fails.
 */
const REDIS_URL = TEST_REDIS_URL;

const available = await redisAnswers();
const inCi = process.env['CI'] === 'true';
const suite = available || inCi ? describe : describe.skip;

suite('policy briefs on BullMQ with npm run worker', () => {
  const prefix = `e2e-${randomBytes(4).toString('hex')}`;
  let app: TestApp;
  let worker: RunningChild;
  let token: string;

  beforeAll(async () => {
    if (!available) throw new Error(`Redis does not answer at ${REDIS_URL} (CI=true: not skipped)`);
    process.env['REDIS_URL'] = REDIS_URL;
    process.env['BRIEF_QUEUE_PREFIX'] = prefix;
    app = await startTestApp();
    await seedDemoData(app.store, { tenants: 1, signals: 200, seed: 11 });
    expect(await app.app.get(ProjectionHost).waitForPosition(BigInt(await app.head()), 60_000)).toBe(true);
    worker = startTsChild('src/reporting/worker.ts', [], {
      DATA_DIR: app.dataDir,
      REDIS_URL,
      BRIEF_QUEUE_PREFIX: prefix,
      BRIEF_RECONCILE_MS: '1000',
      JWT_SECRET: TEST_JWT_SECRET,
      EVENTSTORE_CONNECTION_STRING: '',
      MONGODB_URI: '',
    });
    await worker.waitForLine((line) => line.includes('ready'), 60_000);
    token = await app.token({ tenant: 'bornem', roles: ['lead-processor'] });
  }, 120_000);

  afterAll(async () => {
    delete process.env['REDIS_URL'];
    delete process.env['BRIEF_QUEUE_PREFIX'];
    if (worker) {
      worker.child.kill('SIGTERM');
      const exit = await worker.exited;
      expect(exit.code).toBe(0);
    }
    await app?.close();
    if (available) {
      const client = new Redis(REDIS_URL);
      const keys = await client.keys(`${prefix}:*`);
      if (keys.length) await client.del(...keys);
      client.disconnect();
    }
  }, 60_000);

  it('queues on POST and the worker process produces the brief', async () => {
    const posted = await app.http
      .post('/briefs')
      .set('Authorization', `Bearer ${token}`)
      .send({ period: '2026-10' })
      .expect(202);
    const id = posted.body.briefId as string;
    let body: Record<string, unknown> = {};
    for (const deadline = Date.now() + 60_000; Date.now() < deadline;) {
      body = (await app.http.get(`/briefs/${id}`).set('Authorization', `Bearer ${token}`).expect(200)).body;
      if (body['status'] === 'generated') break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(body['status']).toBe('generated');
    const md = await app.http
      .get(`/briefs/${id}/download?format=md`)
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    expect(md.text).toContain('# Beleidsbrief Bornem — oktober 2026');
  }, 90_000);

  it('produces the supra-local brief in the worker process, from the supra-local queries it builds itself', async () => {
    const analyst = await app.token({ tenant: 'vvsg', roles: ['supralocal-analyst'], sub: 'analist-1' });
    const posted = await app.http
      .post('/supralocal/briefs')
      .set('Authorization', `Bearer ${analyst}`)
      .send({ period: '2026-Q3' })
      .expect(202);
    const id = posted.body.briefId as string;
    expect(id).toBe('supralocal-brief__2026-Q3__1');
    let body: Record<string, unknown> = {};
    for (const deadline = Date.now() + 60_000; Date.now() < deadline;) {
      body = (
        await app.http.get(`/supralocal/briefs/${id}`).set('Authorization', `Bearer ${analyst}`).expect(200)
      ).body;
      if (body['status'] === 'generated' || body['status'] === 'failed') break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(body['status']).toBe('generated');
    const md = await app.http
      .get(`/supralocal/briefs/${id}/download?format=md`)
      .set('Authorization', `Bearer ${analyst}`)
      .expect(200);
    expect(md.text).toContain('# Bovenlokale patronen — 3de kwartaal 2026');
    expect(md.text).toContain('## Methode en onderdrukking van kleine aantallen');
  }, 90_000);

  it('keeps a job scheduler per municipality and turns a tick into one scheduled brief', async () => {
    await app.http
      .put('/briefs/schedule')
      .set('Authorization', `Bearer ${token}`)
      .send({ cadence: 'month' })
      .expect(200);
    const runtime = app.app.get<ReportingRuntime>(REPORTING_RUNTIME);
    const queue = (runtime.queue as BullMqBriefQueue).queue;
    const scheduler = await queue.getJobScheduler(schedulerIdOf('bornem'));
    expect(scheduler).toMatchObject({ pattern: '0 6 1 * *', tz: 'Europe/Brussels' });

    // Two ticks of the scheduler (as when it fires twice): one request, one brief.
    const period = lastCompletePeriod('quarter', new Date());
    await queue.add(SCHEDULED_BRIEF_JOB, { tenantId: 'bornem', cadence: 'quarter' });
    await queue.add(SCHEDULED_BRIEF_JOB, { tenantId: 'bornem', cadence: 'quarter' });
    const stream = `brief-bornem-${period.label}`;
    for (const deadline = Date.now() + 60_000; Date.now() < deadline;) {
      const types = (await collect(app.store.readStream(stream))).map((event) => event.type);
      if (types.includes(BRIEF_GENERATED)) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const events = await collect(app.store.readStream(stream));
    expect(events.map((event) => event.type)).toEqual(['BriefRequested', BRIEF_GENERATED]);
    expect(events[0]!.data).toMatchObject({ scheduled: true, n: 1 });

    await app.http
      .put('/briefs/schedule')
      .set('Authorization', `Bearer ${token}`)
      .send({ cadence: 'off' })
      .expect(200);
    expect(await queue.getJobScheduler(schedulerIdOf('bornem'))).toBeFalsy();
  }, 90_000);

  it('finishes the running job on SIGTERM, then stops', async () => {
    const posted = await app.http
      .post('/briefs')
      .set('Authorization', `Bearer ${token}`)
      .send({ period: '2026' })
      .expect(202);
    const id = posted.body.briefId as string;
    await worker.waitForLine((line) => line.includes(`${id}: generating`), 60_000);
    worker.child.kill('SIGTERM');
    expect((await worker.exited).code).toBe(0);
    const generated = worker.lines.findIndex((line) => line.includes(`${id}: generated`));
    // Not on a terminal, the worker writes JSON lines (LOG_FORMAT's default), as the app does.
    const stopped = worker.lines.findIndex(
      (line) => line.startsWith('{') && JSON.parse(line).msg === 'stopped',
    );
    expect(generated).toBeGreaterThan(-1);
    expect(stopped).toBeGreaterThan(generated);
    const record = await app.http.get(`/briefs/${id}`).set('Authorization', `Bearer ${token}`).expect(200);
    expect(record.body.status).toBe('generated');
  }, 90_000);
});
