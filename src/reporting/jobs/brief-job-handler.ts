import type { BriefGenerator, Progress } from '../brief-generator.js';
import { SYSTEM_ACTOR, type BriefLedger, type BriefRecord } from '../brief-ledger.js';
import { SUPRALOCAL_SCOPE } from '../brief.events.js';
import { lastCompletePeriod } from '../period.js';
import { BriefJobUnrecoverableError, type ScheduledBriefJobData } from './brief-jobs.js';

export type JobOutcome = 'generated' | 'already-generated' | 'recorded-by-another-run';

export interface Attempt {
  /** Attempts made before this one. */
  made: number;
  max: number;
}

/** The one job body both runtimes run (BullMQ worker, in-process runner). */
export class BriefJobHandler {
  constructor(
    private readonly ledger: BriefLedger,
    private readonly generator: BriefGenerator,
    private readonly log: (line: string) => void = () => undefined,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async run(briefId: string, progress: Progress, attempt: Attempt): Promise<JobOutcome> {
    const record = await this.ledger.get(briefId);
    if (!record) throw new BriefJobUnrecoverableError(`brief ${briefId} was never requested`);
    if (record.status !== 'requested') return 'already-generated';
    try {
      this.log(`brief ${briefId}: generating (attempt ${attempt.made + 1}/${attempt.max})`);
      const outcome = await this.generator.generate(record, progress);
      this.log(`brief ${briefId}: ${outcome.recorded ? 'generated' : 'already recorded by another run'}`);
      return outcome.recorded ? 'generated' : 'recorded-by-another-run';
    } catch (error) {
      const final = error instanceof BriefJobUnrecoverableError || attempt.made + 1 >= attempt.max;
      const reason = error instanceof Error ? error.message : String(error);
      this.log(`brief ${briefId}: attempt ${attempt.made + 1} failed${final ? ' (final)' : ''}: ${reason}`);
      if (final) await this.ledger.recordFailed(briefId, reason.slice(0, 500), attempt.made + 1);
      throw error;
    }
  }

  /** A scheduler tick: requests the tenant's brief of the last complete period, once per period. */
  async scheduled(data: ScheduledBriefJobData): Promise<BriefRecord> {
    const period = lastCompletePeriod(data.cadence, this.now());
    const { record, created } = await this.ledger.request(data.tenantId, period, SYSTEM_ACTOR, {
      scheduled: true,
    });
    if (created) this.log(`scheduled brief ${record.briefId} requested`);
    return record;
  }

  /**
   * A scheduler round for VVSG: requests the supra-local brief of the last complete quarter,
   * unless that quarter has one already (an analyst's or an earlier round's): once per quarter.
   */
  async scheduledSupralocal(): Promise<BriefRecord> {
    const period = lastCompletePeriod('quarter', this.now());
    const { record, created } = await this.ledger.request(SUPRALOCAL_SCOPE, period, SYSTEM_ACTOR, {
      scheduled: true,
      once: true,
    });
    if (created) this.log(`scheduled supra-local brief ${record.briefId} requested`);
    return record;
  }
}
