/**
 * What the brief endpoints answer (the municipality's policy briefs at /briefs, the supra-local
 * brief at /supralocal/briefs): the API's contract, declared once. The controllers answer with it
 * and the web's brief screens read it. Types only, with no imports, so that the web's compiler
 * reads nothing else of the server.
 */

/** The files a generated brief comes in. */
export type BriefFormat = 'pdf' | 'html' | 'md' | 'json';

/** How often a municipality's brief is made without being asked (`off`: only on request). */
export type Cadence = 'month' | 'quarter' | 'year' | 'off';

/** A brief as GET /briefs and GET /briefs/{id} give it: its request, progress and outcome. */
export type BriefView = {
  /** `brief__<tenant>__<period>__<n>` (`supralocal-brief__<quarter>__<n>`). */
  briefId: string;
  period: string;
  periodKind: string;
  from: string;
  to: string;
  /** 1 for the first brief of this period, 2 for the next request, … */
  n: number;
  scheduled: boolean;
  status: 'queued' | 'running' | 'generated' | 'failed';
  requestedAt: string;
  /** The requester's role only: a brief never names who asked for it. */
  requestedBy: { role: string };
  progress: { percent: number; stage: string | null; attemptsMade: number | null };
  generated?: {
    at: string;
    /** SHA-256 of the brief's JSON content: the same figures give the same hash. */
    contentHash: string;
    location: string;
    durationMs: number;
    formats: { [format: string]: { bytes: number; sha256: string } };
  };
  /** Where each format is downloaded, once generated. */
  downloads?: Partial<Record<BriefFormat, string>>;
  failed?: { at: string; reason: string };
} & ({ tenantId: string } | { scope: 'supralocal' });

/** GET /briefs: the briefs, newest first. */
export interface BriefPage {
  items: BriefView[];
}

/** GET and PUT /briefs/schedule. */
export interface BriefSchedule {
  tenantId: string;
  cadence: Cadence;
}
