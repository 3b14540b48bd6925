import { streamName } from '../platform/event-store/stream-name.js';
import type { BriefFormat, BriefOutput, BriefRequest, Cadence } from './brief-answers.js';

export type { BriefFormat, Cadence };

/** Published event types of the reporting capability; stored names are stable strings. */
export const BRIEF_REQUESTED = 'BriefRequested';
export const BRIEF_GENERATED = 'BriefGenerated';
export const BRIEF_FAILED = 'BriefFailed';
export const BRIEF_SCHEDULE_SET = 'BriefScheduleSet';
export const BRIEF_REDACTED = 'BriefRedacted';

export const BRIEF_EVENT_TYPES = [BRIEF_REQUESTED, BRIEF_GENERATED, BRIEF_FAILED, BRIEF_REDACTED] as const;

export const BRIEF_FORMATS: readonly BriefFormat[] = ['pdf', 'html', 'md', 'json'];

export type BriefRequestedData = BriefRequest;

export type BriefGeneratedData = { briefId: string } & BriefOutput & {
    /**
     * The signals whose titles the brief quotes, in the order of its structural signals' titles
     * (never in the brief itself): an erasure of one of them reaches the brief (BriefRedacted).
     * Absent in briefs generated before it was recorded.
     */
    quotedSignals?: string[];
  };

/**
 * The brief's files rewritten with the titles of erased signals read as "[gewist]": every quoted
 * signal erased so far (`signalIds`, cumulative), and the hashes of the files as they are now.
 */
export type BriefRedactedData = {
  briefId: string;
  signalIds: string[];
  contentHash: string;
  formats: { [format: string]: { bytes: number; sha256: string } };
};

export type BriefFailedData = { briefId: string; reason: string; attempts: number };

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

/**
 * The scope of the supra-local briefs for VVSG, in the place of a tenant: stream
 * `brief-_supralocal-<quarter>`, files under `_supralocal/`, `metadata.tenantId` of their events.
 * No tenant can have this id: a tenant slug and a token's tenant start with a letter (the tenant
 * decider and the token verifier both refuse anything else), so a municipality's brief stream,
 * its brief list and its brief ids can never meet the supra-local ones, and the requester's own
 * tenant is never recorded with them.
 */
export const SUPRALOCAL_SCOPE = '_supralocal';

/** `brief__<tenant>__<period>__<n>` for a municipality, `supralocal-brief__<quarter>__<n>` for VVSG. */
export function briefIdOf(tenantId: string, period: string, n: number): string {
  if (tenantId === SUPRALOCAL_SCOPE) return `supralocal-brief__${period}__${n}`;
  return `brief__${tenantId}__${period}__${n}`;
}

const BRIEF_ID = /^brief__([a-z0-9][a-z0-9-]{0,62})__([0-9Q_-]{4,21})__([1-9][0-9]{0,5})$/;
const SUPRALOCAL_BRIEF_ID = /^supralocal-brief__(\d{4}-Q[1-4])__([1-9][0-9]{0,5})$/;

/** The scope (a tenant or SUPRALOCAL_SCOPE), period and number of a brief id; null if it is none. */
export function parseBriefId(id: string): { tenantId: string; period: string; n: number } | null {
  const match = BRIEF_ID.exec(id);
  if (match) return { tenantId: match[1]!, period: match[2]!, n: Number(match[3]) };
  const supralocal = SUPRALOCAL_BRIEF_ID.exec(id);
  if (!supralocal) return null;
  return { tenantId: SUPRALOCAL_SCOPE, period: supralocal[1]!, n: Number(supralocal[2]) };
}

/** Tenant slugs as tokens carry them; a brief id and a stream are built from them. */
export const TENANT_SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;
