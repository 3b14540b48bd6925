/** How long a closed signal's free text is kept. */
export interface RetentionPeriod {
  years: number;
  months?: number;
  days?: number;
}

/**
 * The tenant's retention period. The default keeps text 5 years after closing; tenant settings
 * (issue #4 part 1) replace it by a policy that reads the tenant's `retention period` setting.
 */
export abstract class RetentionPolicy {
  abstract periodFor(tenantId: string): Promise<RetentionPeriod>;

  /** The shortest period of any tenant: what the sweep first selects on. */
  abstract shortestPeriod(): Promise<RetentionPeriod>;
}

export const DEFAULT_RETENTION: RetentionPeriod = { years: 5 };

export class DefaultRetentionPolicy extends RetentionPolicy {
  constructor(private readonly period: RetentionPeriod = DEFAULT_RETENTION) {
    super();
  }

  periodFor(): Promise<RetentionPeriod> {
    return Promise.resolve(this.period);
  }

  shortestPeriod(): Promise<RetentionPeriod> {
    return Promise.resolve(this.period);
  }
}

/** The instant before which a signal closed at that time is past its period, as of `now` (UTC calendar). */
export function retentionCutoff(now: Date, period: RetentionPeriod): Date {
  const cutoff = new Date(now.getTime());
  cutoff.setUTCFullYear(
    cutoff.getUTCFullYear() - period.years,
    cutoff.getUTCMonth() - (period.months ?? 0),
    cutoff.getUTCDate() - (period.days ?? 0),
  );
  return cutoff;
}
