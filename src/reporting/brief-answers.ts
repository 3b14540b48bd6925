/**
 * What the brief endpoints answer (the municipality's policy briefs at /briefs, the supra-local
 * brief at /supralocal/briefs): the API's contract, declared once. The controllers answer with it,
 * the web's brief screens read it, and the brief events record the request and output declared
 * here. Types only, with no imports, so that the web's compiler reads nothing else of the server.
 */

/** The files a generated brief comes in. */
export type BriefFormat = 'pdf' | 'html' | 'md' | 'json';

/** How often a municipality's brief is made without being asked (`off`: only on request). */
export type Cadence = 'month' | 'quarter' | 'year' | 'off';

/** A brief's request, as `BriefRequested` records it and the API shows it. */
export type BriefRequest = {
  /** `brief__<tenant>__<period>__<n>` (`supralocal-brief__<quarter>__<n>`): also the job id. */
  briefId: string;
  period: string;
  periodKind: string;
  from: string;
  to: string;
  /** 1 for the first brief of this tenant and period, 2 for the next request, … */
  n: number;
  scheduled: boolean;
};

/** A generated brief's files, as `BriefGenerated` records them and the API shows them. */
export type BriefOutput = {
  /** SHA-256 of the brief's JSON content: the same figures give the same hash. */
  contentHash: string;
  /** Where the rendered files are: `file:briefs/<tenant>/<briefId>` under DATA_DIR (embedded). */
  location: string;
  formats: { [format: string]: { bytes: number; sha256: string } };
  durationMs: number;
};

/** A brief as GET /briefs and GET /briefs/{id} give it: its request, progress and outcome. */
export type BriefView = BriefRequest & {
  status: 'queued' | 'running' | 'generated' | 'failed';
  requestedAt: string;
  /** The requester's role only: a brief never names who asked for it. */
  requestedBy: { role: string };
  progress: { percent: number; stage: string | null; attemptsMade: number | null };
  generated?: BriefOutput & { at: string };
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
