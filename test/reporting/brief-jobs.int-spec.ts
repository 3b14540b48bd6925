import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { SqliteEventStore } from '../../src/platform/event-store/sqlite/sqlite-event-store.js';
import type { BriefGenerator, GenerationOutcome, Progress } from '../../src/reporting/brief-generator.js';
import { BriefLedger, type BriefRecord } from '../../src/reporting/brief-ledger.js';
import {
  BRIEF_FAILED,
  BRIEF_GENERATED,
  briefStream,
  SUPRALOCAL_SCOPE,
} from '../../src/reporting/brief.events.js';
import { BriefJobHandler } from '../../src/reporting/jobs/brief-job-handler.js';
import { InProcessBriefQueue } from '../../src/reporting/jobs/in-process-brief-queue.js';
import { parsePeriod } from '../../src/reporting/period.js';
import { collect } from '../support/events.js';

const OFFICIAL = { id: 'official-1', role: 'official' };
const GENERATED = { contentHash: 'h', location: 'file:gent/x', formats: {}, durationMs: 1 };

/** A generator whose runs the test controls: fail n times, or wait for a release. */
class ScriptedGenerator {
  calls = 0;
  failures = 0;
  release: Promise<void> = Promise.resolve();

  constructor(private readonly ledger: BriefLedger) {}

  async generate(record: BriefRecord, progress: Progress): Promise<GenerationOutcome> {
    this.calls += 1;
    await progress(50, 'bezig');
    await this.release;
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error('read store unavailable');
    }
    return { recorded: await this.ledger.recordGenerated(record.briefId, GENERATED), skipped: false };
  }
}

describe('brief ledger and in-process jobs', () => {
  let store: SqliteEventStore;
  let ledger: BriefLedger;

  beforeEach(() => {
    store = new SqliteEventStore({ file: ':memory:' });
    ledger = new BriefLedger(store, () => new Date('2026-11-28T10:00:00.000Z'));
  });
  afterEach(async () => store.close());

  it('numbers concurrent requests of one period 1..n without gaps', async () => {
    const records = await Promise.all(
      Array.from({ length: 20 }, () => ledger.request('gent', parsePeriod('2026-Q3'), OFFICIAL)),
    );
    expect(records.map((r) => r.record.n).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    expect(new Set(records.map((r) => r.record.briefId)).size).toBe(20);
  });

  it('records BriefGenerated once when several runs finish the same brief at once', async () => {
    const { record } = await ledger.request('gent', parsePeriod('2026-Q3'), OFFICIAL);
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, () => ledger.recordGenerated(record.briefId, GENERATED)),
    );
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    expect(await collect(store.readAll({ filter: { eventTypes: [BRIEF_GENERATED] } }))).toHaveLength(1);
    expect(await ledger.pending()).toEqual([]);
    expect((await ledger.get(record.briefId))?.status).toBe('generated');
  });

  it('asks a scheduled brief once per period however often the scheduler fires', async () => {
    const first = await ledger.request('gent', parsePeriod('2026-Q3'), OFFICIAL, { scheduled: true });
    const again = await ledger.request('gent', parsePeriod('2026-Q3'), OFFICIAL, { scheduled: true });
    expect(first.created).toBe(true);
    expect(again).toMatchObject({ created: false, record: { briefId: first.record.briefId } });
  });

  it('keeps one supra-local brief per quarter: concurrent and repeated requests, the schedule; a new one only after a failure', async () => {
    const analyst = { id: 'analist-1', role: 'supralocal-analyst' };
    const q3 = parsePeriod('2026-Q3');
    const requests = await Promise.all(
      Array.from({ length: 10 }, () => ledger.request(SUPRALOCAL_SCOPE, q3, analyst, { once: true })),
    );
    expect(requests.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(requests.map((r) => r.record.briefId))).toEqual(new Set(['supralocal-brief__2026-Q3__1']));
    // The quarterly round (now 2026-11-28: the last complete quarter is 2026-Q3) asks nothing new.
    const handler = new BriefJobHandler(
      ledger,
      new ScriptedGenerator(ledger) as unknown as BriefGenerator,
      () => undefined,
      () => new Date('2026-11-28T10:00:00.000Z'),
    );
    expect((await handler.scheduledSupralocal()).briefId).toBe('supralocal-brief__2026-Q3__1');
    await ledger.recordFailed('supralocal-brief__2026-Q3__1', 'read store unavailable', 3);
    const retry = await ledger.request(SUPRALOCAL_SCOPE, q3, analyst, { once: true });
    expect(retry).toMatchObject({ created: true, record: { briefId: 'supralocal-brief__2026-Q3__2' } });
    // Its own stream and scope: no municipality lists it.
    const events = await collect(store.readStream(briefStream(SUPRALOCAL_SCOPE, '2026-Q3')));
    expect(events.map((event) => event.metadata.tenantId)).toEqual([
      SUPRALOCAL_SCOPE,
      SUPRALOCAL_SCOPE,
      SUPRALOCAL_SCOPE,
    ]);
    expect(await ledger.list('gent')).toEqual([]);
    expect((await ledger.list(SUPRALOCAL_SCOPE)).map((record) => record.n).sort()).toEqual([1, 2]);
  });

  it('retries with backoff, then records the brief generated', async () => {
    const generator = new ScriptedGenerator(ledger);
    generator.failures = 2;
    const queue = new InProcessBriefQueue(
      new BriefJobHandler(ledger, generator as unknown as BriefGenerator),
      {
        attempts: 3,
        backoffMs: 10,
      },
    );
    const { record } = await ledger.request('gent', parsePeriod('2026-Q3'), OFFICIAL);
    await queue.enqueue(record);
    await queue.enqueue(record);
    await waitUntil(async () => (await ledger.get(record.briefId))?.status === 'generated');
    expect(generator.calls).toBe(3);
    expect(await queue.progress(record.briefId)).toMatchObject({ state: 'completed', attemptsMade: 3 });
    await queue.close();
  });

  it('records BriefFailed after the last attempt, and at once for a brief never requested', async () => {
    const generator = new ScriptedGenerator(ledger);
    generator.failures = 5;
    const handler = new BriefJobHandler(ledger, generator as unknown as BriefGenerator);
    const queue = new InProcessBriefQueue(handler, { attempts: 2, backoffMs: 10 });
    const { record } = await ledger.request('gent', parsePeriod('2026-Q3'), OFFICIAL);
    await queue.enqueue(record);
    await waitUntil(async () => (await ledger.get(record.briefId))?.status === 'failed');
    expect(generator.calls).toBe(2);
    const failed = await collect(store.readAll({ filter: { eventTypes: [BRIEF_FAILED] } }));
    expect(failed[0]?.data).toMatchObject({ reason: 'read store unavailable', attempts: 2 });
    await expect(
      handler.run('brief__gent__2026-Q3__9', () => undefined, { made: 0, max: 5 }),
    ).rejects.toMatchObject({
      code: 'BRIEF_JOB_UNRECOVERABLE',
    });
    await queue.close();
  });

  it('lets the running job finish on close (graceful shutdown)', async () => {
    const generator = new ScriptedGenerator(ledger);
    let release!: () => void;
    generator.release = new Promise((resolve) => (release = resolve));
    const queue = new InProcessBriefQueue(
      new BriefJobHandler(ledger, generator as unknown as BriefGenerator),
      {
        attempts: 1,
        backoffMs: 10,
      },
    );
    const { record } = await ledger.request('gent', parsePeriod('2026-Q3'), OFFICIAL);
    await queue.enqueue(record);
    await waitUntil(async () => (await queue.progress(record.briefId))?.state === 'active');
    const closed = queue.close();
    release();
    await closed;
    expect((await ledger.get(record.briefId))?.status).toBe('generated');
  });
});

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
