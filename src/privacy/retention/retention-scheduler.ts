import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { RetentionSweep } from './retention-sweep.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** After start, so that the first sweep does not compete with the start-up (and demo seeding). */
const FIRST_RUN_DELAY_MS = 60 * 1000;

/**
 * Runs the retention sweep once a day (and a minute after start, so that a restart never skips a
 * day for long). Several instances may sweep at once: each erasure is decided on the signal's
 * stream at an exact revision, so one wins and the others find the text already erased.
 */
@Injectable()
export class RetentionScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('RetentionScheduler');
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(RetentionSweep) private readonly sweep: RetentionSweep,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.retentionSweep) return;
    this.schedule(FIRST_RUN_DELAY_MS);
  }

  onApplicationShutdown(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.sweep
        .run()
        .catch((error: unknown) => this.logger.error(`retention sweep failed: ${(error as Error).message}`))
        .finally(() => {
          if (this.timer) this.schedule(DAY_MS);
        });
    }, delayMs);
    this.timer.unref();
  }
}
