import { collectionOf, signalInboxProjection, type SignalInboxDocument } from '../../projections/index.js';
import { ReadStore } from '../platform/read-store/read-store.port.js';
import type { BriefSignal } from './brief-content.js';

/** The signals of a tenant as a brief reads them: from a read model, never by replaying events. */
export abstract class BriefSignalSource {
  abstract signals(tenantId: string): Promise<BriefSignal[]>;
}

const PAGE = 1000;

/** Pages through the tenant's `signal-inbox` documents (one per signal), keeping the fields a brief uses. */
export class ReadModelBriefSignalSource extends BriefSignalSource {
  constructor(private readonly readStore: ReadStore) {
    super();
  }

  async signals(tenantId: string): Promise<BriefSignal[]> {
    const version =
      (await this.readStore.activeVersion(signalInboxProjection.name)) ?? signalInboxProjection.schemaVersion;
    const spec = collectionOf(signalInboxProjection, version);
    const signals: BriefSignal[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const page = await this.readStore.list<SignalInboxDocument>(spec, {
        filters: [{ field: 'tenantId', op: 'eq', value: tenantId }],
        sort: { field: 'submittedAt', direction: 'asc' },
        limit: PAGE,
        offset,
        count: false,
      });
      for (const doc of page.items) {
        signals.push({
          themes: doc.themes,
          policyDomain: doc.policyDomain,
          state: doc.state,
          open: doc.open,
          submittedAt: doc.submittedAt,
          stateEnteredAt: doc.stateEnteredAt,
          dueAt: doc.dueAt,
          structural: doc.structural,
          title: doc.structural === true && !doc.erased ? doc.title : null,
        });
      }
      if (!page.hasMore) return signals;
    }
  }
}
