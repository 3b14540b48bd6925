import type { AppConfig } from '../config/app-config.js';
import { systemClock } from '../platform/clock.js';
import type { EventStore } from '../platform/event-store/event-store.port.js';
import type { ReadStore } from '../platform/read-store/read-store.port.js';
import { ReadOnlyProjectionHost } from '../read-models/projection-host.js';
import { ReadModels } from '../read-models/read-models.js';
import { TenantsService } from '../tenants/tenants.service.js';
import { SupralocalQueries } from './supralocal-queries.js';
import { TenantParticipants } from './tenant-participants.js';

/**
 * The supra-local queries outside Nest (the brief worker): the same classes the module wires,
 * over the process's own event store (participants) and read store (cells).
 */
export function standaloneSupralocalQueries(
  store: EventStore,
  readStore: ReadStore,
  config: AppConfig,
): SupralocalQueries {
  return new SupralocalQueries(
    new ReadModels(readStore, new ReadOnlyProjectionHost()),
    new TenantParticipants(new TenantsService(store, systemClock)),
    config,
    systemClock,
  );
}
