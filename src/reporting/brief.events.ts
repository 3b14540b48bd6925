import { streamName } from '../platform/event-store/stream-name.js';

/** Published event types of the reporting capability; stored names are stable strings. */
export const BRIEF_REQUESTED = 'BriefRequested';
export const BRIEF_GENERATED = 'BriefGenerated';
export const BRIEF_FAILED = 'BriefFailed';
export const BRIEF_SCHEDULE_SET = 'BriefScheduleSet';

export const BRIEF_EVENT_TYPES = [BRIEF_REQUESTED, BRIEF_GENERATED, BRIEF_FAILED] as const;

export type BriefFormat = 'pdf' | 'html' | 'md' | 'json';
export const BRIEF_FORMATS: readonly BriefFormat[] = ['pdf', 'html', 'md', 'json'];

export type BriefRequestedData = {
  /** `brief__<tenant>__<period>__<n>`: also the job id. */
  briefId: string;
  period: string;
  periodKind: string;
  from: string;
  to: string;
  /** 1 for the first brief of this tenant and period, 2 for the next request, … */
  n: number;
  scheduled: boolean;
};

export type BriefGeneratedData = {
  briefId: string;
  /** SHA-256 of the brief's JSON content: the same figures give the same hash. */
  contentHash: string;
  /** Where the rendered files are: `file:briefs/<tenant>/<briefId>` under DATA_DIR (embedded). */
  location: string;
  formats: { [format: string]: { bytes: number; sha256: string } };
  durationMs: number;
};

export type BriefFailedData = { briefId: string; reason: string; attempts: number };

export type Cadence = 'month' | 'quarter' | 'year' | 'off';
export const CADENCES: readonly Cadence[] = ['month', 'quarter', 'year', 'off'];
export const DEFAULT_CADENCE: Cadence = 'quarter';

export type BriefScheduleSetData = { cadence: Cadence };

/** One stream per tenant and period holds every request of that period and its outcomes. */
export function briefStream(tenantId: string, period: string): string {
  return streamName('brief', tenantId, period);
}

export function briefScheduleStream(tenantId: string): string {
  return streamName('briefschedule', tenantId);
}

export function briefIdOf(tenantId: string, period: string, n: number): string {
  return `brief__${tenantId}__${period}__${n}`;
}

const BRIEF_ID = /^brief__([a-z0-9][a-z0-9-]{0,62})__([0-9Q_-]{4,21})__([1-9][0-9]{0,5})$/;

export function parseBriefId(id: string): { tenantId: string; period: string; n: number } | null {
  const match = BRIEF_ID.exec(id);
  if (!match) return null;
  return { tenantId: match[1]!, period: match[2]!, n: Number(match[3]) };
}

/** Tenant slugs as tokens carry them; a brief id and a stream are built from them. */
export const TENANT_SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;
