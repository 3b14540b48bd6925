/**
 * What GET /dashboard answers: the API's contract, declared once. The tenant dashboard's view
 * (projections/tenant-dashboard) builds these types and the web app reads them. Types only, with
 * no imports, so that the web's compiler reads nothing else of the server.
 */

export type LeadTimeSummary = {
  /** Number of times a signal left the stage (or was closed, for the total). */
  count: number;
  /** Hours, estimated from the histogram (within 5%); null when nothing was measured. */
  median: number | null;
  p90: number | null;
};

/** Open signals by calendar days (UTC) from the day of submission to today. */
export type AgingBuckets = {
  '0-7d': number;
  '8-30d': number;
  '31-90d': number;
  '91-365d': number;
  '>365d': number;
};

/**
 * Signals per month (UTC) as aligned columns: entry i of every column is month `from` + i, from
 * the first month with a figure to the last (`from` null when there is none): submitted, and
 * entered into closed, rejected and merged. Months without a figure between them are zeros.
 */
export type MonthTable = {
  from: string | null;
  submitted: number[];
  closed: number[];
  rejected: number[];
  merged: number[];
};

/** The dashboard of a tenant: counts only, never a signal's text. */
export type DashboardView = {
  tenantId: string;
  asOf: string;
  total: number;
  open: number;
  /**
   * Open signals whose state's deadline fell on a day before today (UTC): exact to the day, as the
   * dashboard counts deadlines per day. The inbox's `dueAt` (and its overdue filter) remains exact.
   */
  overdue: number;
  /** Every signal by its current state. */
  byState: Record<string, number>;
  /** Every signal under each theme it has now (a reclassification at triage or analysis moves it). */
  byTheme: Record<string, number>;
  /** Open signals only (not closed, rejected or merged) per policy domain they are assigned to. */
  byPolicyDomain: Record<string, number>;
  perMonth: MonthTable;
  leadTimeHours: { total: LeadTimeSummary; byStage: Record<string, LeadTimeSummary> };
  aging: AgingBuckets;
};

/** Open signals per processor and policy domain, largest first (ties by name). */
export type WorkloadView = {
  tenantId: string;
  open: number;
  unassigned: number;
  byAssignee: Array<{ assigneeId: string; open: number }>;
  byPolicyDomain: Array<{ policyDomain: string; open: number }>;
};

/**
 * GET /dashboard: the view of the tenant's dashboard (absent for a tenant without signals yet),
 * and the workload for a lead processor only.
 */
export type DashboardAnswer = { tenantId: string; generatedAt: string } & Partial<
  Omit<DashboardView, 'tenantId'>
> & { workload?: WorkloadView };
