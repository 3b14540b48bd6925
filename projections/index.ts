import type { Projection } from './projection.js';
import { processorWorkloadProjection } from './processor-workload/processor-workload.projection.js';
import { signalDetailProjection } from './signal-detail/signal-detail.projection.js';
import { signalInboxProjection } from './signal-inbox/signal-inbox.projection.js';
import { supralocalCellsProjection } from './supralocal-cells/supralocal-cells.projection.js';
import { tenantDashboardProjection } from './tenant-dashboard/tenant-dashboard.projection.js';
import { dossierListProjection } from './dossier-list/dossier-list.projection.js';
import { dossierDetailProjection } from './dossier-detail/dossier-detail.projection.js';

export { collectionOf, documentIdsOf, type Projection } from './projection.js';
export { dossierListProjection, type DossierListDocument } from './dossier-list/dossier-list.projection.js';
export {
  dossierDetailProjection,
  type DossierDetailDocument,
} from './dossier-detail/dossier-detail.projection.js';
export {
  processorWorkloadProjection,
  workloadView,
  type Assignment,
  type ProcessorWorkloadDocument,
  type WorkloadView,
} from './processor-workload/processor-workload.projection.js';
export {
  signalDetailOf,
  signalDetailProjection,
  type SignalDetail,
  type SignalDetailDocument,
  type SignalDossier,
} from './signal-detail/signal-detail.projection.js';
export { signalTimeline, type TimelineEntry } from './signal-detail/signal-timeline.js';
export { signalInboxProjection, type SignalInboxDocument } from './signal-inbox/signal-inbox.projection.js';
export {
  digestOf,
  quarterOf,
  supralocalCellsProjection,
  type SupralocalCellsDocument,
  type SupralocalCellsFigures,
} from './supralocal-cells/supralocal-cells.projection.js';
export {
  tenantDashboardProjection,
  type TenantDashboardDocument,
} from './tenant-dashboard/tenant-dashboard.projection.js';
export { readDashboardDocument } from './tenant-dashboard/tenant-dashboard.stored.js';
export {
  dashboardView,
  servedDashboardMembers,
  type AgingBuckets,
  type DashboardView,
  type LeadTimeSummary,
  type MonthTable,
} from './tenant-dashboard/tenant-dashboard.view.js';
export { mergeHistograms, quantile, type Histogram } from './shared/histogram.js';
export { countAt, monthKey, type Series } from './shared/series.js';
export { ProjectionEventError } from './shared/projection-error.js';
export { SIGNAL_TEXT_ERASED } from './shared/signal-event.js';
import { SIGNAL_TEXT_ERASED as TEXT_ERASED } from './shared/signal-event.js';
/** Events after which read models hold less text than before: the read store is scrubbed of it. */
export const ERASURE_EVENT_TYPES: ReadonlySet<string> = new Set([TEXT_ERASED]);

/** Every read model the runner keeps. */
export const PROJECTIONS: readonly Projection[] = [
  signalInboxProjection,
  signalDetailProjection,
  tenantDashboardProjection,
  processorWorkloadProjection,
  supralocalCellsProjection,
  dossierListProjection,
  dossierDetailProjection,
];
