import type { BriefRecord } from '../brief-ledger.js';
import type { Cadence } from '../brief.events.js';

export const BRIEF_QUEUE_NAME = 'briefs';
export const BRIEF_JOB = 'brief';
export const SCHEDULED_BRIEF_JOB = 'scheduled-brief';

export interface BriefJobData {
  briefId: string;
  tenantId: string;
  period: string;
}

export interface ScheduledBriefJobData {
  tenantId: string;
  cadence: Exclude<Cadence, 'off'>;
}

export interface JobProgress {
  /** `waiting`, `active`, `delayed` (a retry waits), `completed`, `failed`, or `unknown`. */
  state: string;
  percent: number;
  stage: string | null;
  attemptsMade: number;
}

/** Thrown for a job that can never succeed (its brief was never requested): no retry. */
export class BriefJobUnrecoverableError extends Error {
  readonly code = 'BRIEF_JOB_UNRECOVERABLE';
}

/**
 * Where brief jobs go: BullMQ on Redis, or a runner in this process. Jobs only execute; the
 * event store says what is pending (the reconciler re-queues it), so a lost queue loses nothing.
 */
export abstract class BriefQueue {
  /** Queues the brief's job under the brief id; a job already queued under it is kept. */
  abstract enqueue(record: BriefRecord): Promise<void>;

  abstract progress(briefId: string): Promise<JobProgress | null>;

  /** Makes the tenant's scheduled briefs follow its cadence (`off` removes the schedule). */
  abstract schedule(tenantId: string, cadence: Cadence): Promise<void>;

  abstract close(): Promise<void>;
}

/** Cron patterns of the cadences: 06:00 Brussels time on the first day after the period. */
export const CADENCE_PATTERN: Record<Exclude<Cadence, 'off'>, string> = {
  month: '0 6 1 * *',
  quarter: '0 6 1 1,4,7,10 *',
  year: '0 6 1 1 *',
};

export const SCHEDULE_TIME_ZONE = 'Europe/Brussels';

export function schedulerIdOf(tenantId: string): string {
  return `brief-schedule__${tenantId}`;
}
