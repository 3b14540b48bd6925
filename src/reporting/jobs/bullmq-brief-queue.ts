import { Queue, UnrecoverableError, Worker, type Job, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import type { BriefRecord } from '../brief-ledger.js';
import type { Cadence } from '../brief.events.js';
import type { ReportingConfig } from '../reporting-config.js';
import type { BriefJobHandler } from './brief-job-handler.js';
import {
  BRIEF_JOB,
  BRIEF_QUEUE_NAME,
  BriefJobUnrecoverableError,
  BriefQueue,
  CADENCE_PATTERN,
  SCHEDULE_TIME_ZONE,
  SCHEDULED_BRIEF_JOB,
  schedulerIdOf,
  type BriefJobData,
  type JobProgress,
  type ScheduledBriefJobData,
} from './brief-jobs.js';

/** Bounded history in Redis: the event store is the record, Redis only keeps recent jobs to inspect. */
const KEEP_COMPLETED = { count: 1000, age: 7 * 24 * 3600 };
const KEEP_FAILED = { count: 5000, age: 30 * 24 * 3600 };

export function jobOptions(config: Pick<ReportingConfig, 'attempts' | 'backoffMs'>): JobsOptions {
  return {
    attempts: config.attempts,
    backoff: { type: 'exponential', delay: config.backoffMs },
    removeOnComplete: KEEP_COMPLETED,
    removeOnFail: KEEP_FAILED,
  };
}

function connect(url: string): Redis {
  // BullMQ needs maxRetriesPerRequest null on blocking connections; it reconnects with backoff.
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });
}

/** The producer side: the API queues jobs and reads their progress; `npm run worker` runs them. */
export class BullMqBriefQueue extends BriefQueue {
  readonly queue: Queue<BriefJobData | ScheduledBriefJobData>;
  private readonly connection: Redis;

  constructor(private readonly config: ReportingConfig) {
    super();
    if (!config.redisUrl) throw new Error('BullMqBriefQueue needs REDIS_URL');
    this.connection = connect(config.redisUrl);
    // A Redis outage must not crash the process: errors are logged by the reconnecting client.
    this.connection.on('error', () => undefined);
    this.queue = new Queue(BRIEF_QUEUE_NAME, { connection: this.connection, prefix: config.queuePrefix });
    this.queue.on('error', () => undefined);
  }

  async enqueue(record: BriefRecord): Promise<void> {
    const data: BriefJobData = { briefId: record.briefId, tenantId: record.tenantId, period: record.period };
    // The job id is the brief id: BullMQ ignores an add whose id is already in the queue.
    await this.queue.add(BRIEF_JOB, data, { ...jobOptions(this.config), jobId: record.briefId });
  }

  async progress(briefId: string): Promise<JobProgress | null> {
    const job = await this.queue.getJob(briefId);
    if (!job) return null;
    const progress = (typeof job.progress === 'object' ? job.progress : {}) as {
      percent?: number;
      stage?: string;
    };
    return {
      state: await job.getState(),
      percent: progress.percent ?? (typeof job.progress === 'number' ? job.progress : 0),
      stage: progress.stage ?? null,
      attemptsMade: job.attemptsMade,
    };
  }

  async schedule(tenantId: string, cadence: Cadence): Promise<void> {
    if (cadence === 'off') {
      await this.queue.removeJobScheduler(schedulerIdOf(tenantId));
      return;
    }
    const data: ScheduledBriefJobData = { tenantId, cadence };
    await this.queue.upsertJobScheduler(
      schedulerIdOf(tenantId),
      { pattern: CADENCE_PATTERN[cadence], tz: SCHEDULE_TIME_ZONE },
      { name: SCHEDULED_BRIEF_JOB, data, opts: { ...jobOptions(this.config) } },
    );
  }

  async close(): Promise<void> {
    await this.queue.close();
    this.connection.disconnect();
  }
}

/**
 * The consumer: runs brief jobs and scheduler ticks. A job whose brief can never be produced
 * fails with UnrecoverableError (no retry); others retry with exponential backoff. `close()`
 * waits for the running job (graceful SIGTERM).
 */
export function startBriefWorker(
  config: ReportingConfig,
  handler: BriefJobHandler,
  producer: BullMqBriefQueue,
  log: (line: string) => void,
): { worker: Worker; close(): Promise<void> } {
  const connection = connect(config.redisUrl!);
  connection.on('error', () => undefined);
  const worker = new Worker<BriefJobData | ScheduledBriefJobData>(
    BRIEF_QUEUE_NAME,
    async (job: Job<BriefJobData | ScheduledBriefJobData>) => {
      if (job.name === SCHEDULED_BRIEF_JOB) {
        const record = await handler.scheduled(job.data as ScheduledBriefJobData);
        if (record.status === 'requested') await producer.enqueue(record);
        return record.briefId;
      }
      const data = job.data as BriefJobData;
      try {
        return await handler.run(
          data.briefId, // Progress is for display: a Redis hiccup while reporting it must not fail the brief.
          (percent, stage) => job.updateProgress({ percent, stage }).catch(() => undefined),
          {
            made: job.attemptsMade,
            max: job.opts.attempts ?? 1,
          },
        );
      } catch (error) {
        if (error instanceof BriefJobUnrecoverableError) throw new UnrecoverableError(error.message);
        throw error;
      }
    },
    {
      connection,
      prefix: config.queuePrefix,
      concurrency: config.concurrency,
      lockDuration: config.lockMs,
      stalledInterval: Math.max(500, Math.floor(config.lockMs / 2)),
      // A job that stalls this often (its worker killed again and again) fails instead of looping.
      maxStalledCount: 5,
    },
  );
  worker.on('error', (error) => log(`worker error: ${error.message}`));
  return {
    worker,
    async close() {
      await worker.close();
      connection.disconnect();
    },
  };
}
