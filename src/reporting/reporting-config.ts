import { resolve } from 'node:path';
import { decimalInteger } from '../config/decimal-integer.js';

/** The reporting capability's environment variables (README, "Beleidsbriefs / policy briefs"). */
export interface ReportingConfig {
  /** `REDIS_URL`: BullMQ on Redis when set; otherwise jobs run in the app's process. */
  redisUrl: string | null;
  /** `BRIEF_QUEUE_PREFIX`: Redis key prefix of the queue (one per deployment or test run). */
  queuePrefix: string;
  /** `BRIEFS_DIR`: where rendered briefs are stored (default `DATA_DIR/briefs`). */
  briefsDir: string;
  /** `BRIEF_RECONCILE_MS`: how often pending briefs are re-queued and schedules refreshed. */
  reconcileMs: number;
  /** `BRIEF_ATTEMPTS`: tries per job before the brief is recorded as failed. */
  attempts: number;
  /** `BRIEF_BACKOFF_MS`: first retry delay, doubled at each retry. */
  backoffMs: number;
  /** `BRIEF_CONCURRENCY`: jobs one worker runs at once. */
  concurrency: number;
  /** `BRIEF_LOCK_MS`: a job whose worker stops renewing its lock this long is redelivered (stalled). */
  lockMs: number;
  /** `BRIEF_SCHEDULE`: `on` (default) or `off` to request no scheduled briefs from this process. */
  schedule: boolean;
  /**
   * `SUPRALOCAL_BRIEF_SCHEDULE`: `on` to request the supra-local brief of the last complete
   * quarter automatically (once per quarter, in the reconciler round); `off` (default).
   */
  supralocalSchedule: boolean;
}

export class ReportingConfigError extends Error {
  readonly code = 'INVALID_CONFIGURATION';
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = decimalInteger(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ReportingConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

export function loadReportingConfig(env: NodeJS.ProcessEnv = process.env): ReportingConfig {
  const redisUrl = env['REDIS_URL'] || null;
  if (redisUrl !== null && !/^rediss?:\/\//.test(redisUrl)) {
    throw new ReportingConfigError(`REDIS_URL must start with redis:// or rediss://, got "${redisUrl}"`);
  }
  const prefix = env['BRIEF_QUEUE_PREFIX'] || 'lokaal-signaal';
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(prefix)) {
    throw new ReportingConfigError('BRIEF_QUEUE_PREFIX may hold only letters, digits, _ and - (at most 64)');
  }
  const schedule = (env['BRIEF_SCHEDULE'] || 'on').toLowerCase();
  if (schedule !== 'on' && schedule !== 'off') {
    throw new ReportingConfigError(`BRIEF_SCHEDULE must be on or off, got "${env['BRIEF_SCHEDULE']}"`);
  }
  const supralocalSchedule = (env['SUPRALOCAL_BRIEF_SCHEDULE'] || 'off').toLowerCase();
  if (supralocalSchedule !== 'on' && supralocalSchedule !== 'off') {
    throw new ReportingConfigError(
      `SUPRALOCAL_BRIEF_SCHEDULE must be on or off, got "${env['SUPRALOCAL_BRIEF_SCHEDULE']}"`,
    );
  }
  return {
    redisUrl,
    queuePrefix: prefix,
    briefsDir: resolve(env['BRIEFS_DIR'] || resolve(env['DATA_DIR'] || 'data', 'briefs')),
    reconcileMs: integer(env, 'BRIEF_RECONCILE_MS', 60_000, 200, 86_400_000),
    attempts: integer(env, 'BRIEF_ATTEMPTS', 3, 1, 20),
    backoffMs: integer(env, 'BRIEF_BACKOFF_MS', 2_000, 10, 600_000),
    concurrency: integer(env, 'BRIEF_CONCURRENCY', 1, 1, 16),
    lockMs: integer(env, 'BRIEF_LOCK_MS', 30_000, 1_000, 600_000),
    schedule: schedule === 'on',
    supralocalSchedule: supralocalSchedule === 'on',
  };
}
