import type { BriefRecord } from '../brief-ledger.js';
import type { Cadence } from '../brief.events.js';
import type { ReportingConfig } from '../reporting-config.js';
import type { BriefJobHandler } from './brief-job-handler.js';
import { BriefJobUnrecoverableError, BriefQueue, type JobProgress } from './brief-jobs.js';

/**
 * The embedded default (no `REDIS_URL`): jobs run one at a time in the app's process, with the
 * same handler, retries and backoff as the BullMQ worker. It keeps nothing durable: the
 * reconciler re-queues at start every brief the event store says is pending.
 */
export class InProcessBriefQueue extends BriefQueue {
  private readonly waiting: BriefRecord[] = [];
  private readonly jobs = new Map<string, JobProgress>();
  private readonly cadences = new Map<string, Cadence>();
  private running: Promise<void> | null = null;
  private stopped = false;
  private wake: (() => void) | null = null;

  constructor(
    private readonly handler: BriefJobHandler,
    private readonly config: Pick<ReportingConfig, 'attempts' | 'backoffMs'>,
    private readonly log: (line: string) => void = () => undefined,
  ) {
    super();
  }

  async enqueue(record: BriefRecord): Promise<void> {
    const known = this.jobs.get(record.briefId);
    if (this.stopped || (known && ['waiting', 'active', 'delayed'].includes(known.state))) return;
    this.jobs.set(record.briefId, { state: 'waiting', percent: 0, stage: null, attemptsMade: 0 });
    this.waiting.push(record);
    this.running ??= this.drain().finally(() => {
      this.running = null;
    });
  }

  async progress(briefId: string): Promise<JobProgress | null> {
    return this.jobs.get(briefId) ?? null;
  }

  async schedule(tenantId: string, cadence: Cadence): Promise<void> {
    this.cadences.set(tenantId, cadence);
  }

  /** Requests (once per period) and queues the scheduled brief of every tenant with a cadence. */
  async tick(): Promise<void> {
    for (const [tenantId, cadence] of this.cadences) {
      if (cadence === 'off' || this.stopped) continue;
      const record = await this.handler.scheduled({ tenantId, cadence });
      if (record.status === 'requested') await this.enqueue(record);
    }
  }

  /** Finishes the running job (graceful shutdown); waiting jobs stay pending in the event store. */
  async close(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.running;
  }

  private async drain(): Promise<void> {
    for (let record = this.waiting.shift(); record && !this.stopped; record = this.waiting.shift()) {
      await this.runWithRetries(record);
    }
  }

  private async runWithRetries(record: BriefRecord): Promise<void> {
    const job = this.jobs.get(record.briefId)!;
    for (let made = 0; made < this.config.attempts && !this.stopped; made += 1) {
      job.state = 'active';
      job.attemptsMade = made;
      try {
        await this.handler.run(
          record.briefId,
          (percent, stage) => {
            job.percent = percent;
            job.stage = stage;
          },
          { made, max: this.config.attempts },
        );
        job.state = 'completed';
        job.attemptsMade = made + 1;
        return;
      } catch (error) {
        job.attemptsMade = made + 1;
        if (error instanceof BriefJobUnrecoverableError || made + 1 >= this.config.attempts) {
          job.state = 'failed';
          return;
        }
        job.state = 'delayed';
        await this.sleep(this.config.backoffMs * 2 ** made);
      }
    }
    this.log(`brief ${record.briefId}: left pending at shutdown`);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
