import { collectionOf, signalInboxProjection, type SignalInboxDocument } from '../../projections/index.js';
import { ReadStore, type CollectionSpec, type Filter } from '../platform/read-store/read-store.port.js';
import { openSignalText, type SealedText } from '../privacy/sealed-text.js';
import type { BriefSignal } from './brief-content.js';

/** The signals of a tenant as a brief reads them: from a read model, never by replaying events. */
export abstract class BriefSignalSource {
  /**
   * The signals a brief from `since` on needs: those submitted since, and older ones still open
   * or changed since (closures, backlog). Older signals finished before `since` are not read, so
   * the cost follows the period, not the tenant's history.
   */
  abstract signals(tenantId: string, since: string): Promise<BriefSignal[]>;
}

const PAGE = 1000;

/**
 * Pages through the tenant's `signal-inbox` documents (one per signal) by index, keeping the
 * fields a brief uses; the titles it quotes opened with `sealed` (the read model keeps them sealed).
 */
export class ReadModelBriefSignalSource extends BriefSignalSource {
  constructor(
    private readonly readStore: ReadStore,
    private readonly sealed: SealedText,
  ) {
    super();
  }

  async signals(tenantId: string, since: string): Promise<BriefSignal[]> {
    const version =
      (await this.readStore.activeVersion(signalInboxProjection.name)) ?? signalInboxProjection.schemaVersion;
    const spec = collectionOf(signalInboxProjection, version);
    const tenant: Filter = { field: 'tenantId', op: 'eq', value: tenantId };
    const found = new Map<string, BriefSignal>();
    // Three disjoint slices: submitted since; older and open; older, finished, changed since.
    await this.slice(spec, [tenant], since, undefined, found);
    await this.slice(spec, [tenant, { field: 'open', op: 'eq', value: true }], undefined, since, found);
    await this.slice(
      spec,
      [tenant, { field: 'open', op: 'eq', value: false }, { field: 'updatedAt', op: 'range', gte: since }],
      undefined,
      since,
      found,
    );
    return [...found.values()];
  }

  /**
   * Pages by the submission instant (keyset, not offset: each page costs the same however deep).
   * The next page starts at the last instant again, so signals sharing it are not skipped; a map
   * by signal id drops the ones read twice.
   */
  private async slice(
    spec: CollectionSpec,
    filters: readonly Filter[],
    from: string | undefined,
    before: string | undefined,
    found: Map<string, BriefSignal>,
  ): Promise<void> {
    let cursor = from;
    let inclusive = true;
    for (;;) {
      const bounds = {
        ...(cursor === undefined ? {} : inclusive ? { gte: cursor } : { gt: cursor }),
        ...(before === undefined ? {} : { lt: before }),
      };
      const range: Filter[] =
        Object.keys(bounds).length > 0 ? [{ field: 'submittedAt', op: 'range', ...bounds }] : [];
      const page = await this.readStore.list<SignalInboxDocument>(spec, {
        filters: [...filters, ...range],
        sort: { field: 'submittedAt', direction: 'asc' },
        limit: PAGE,
        count: false,
      });
      for (const doc of page.items) found.set(doc.signalId, await this.briefSignalOf(doc));
      if (!page.hasMore) return;
      const last = page.items[page.items.length - 1]!.submittedAt;
      if (last === page.items[0]!.submittedAt) {
        // A full page of one instant (a bulk import): read that instant by offset, then go past it.
        for (let offset = PAGE; ; offset += PAGE) {
          const same = await this.readStore.list<SignalInboxDocument>(spec, {
            filters: [...filters, { field: 'submittedAt', op: 'range', gte: last, lte: last }],
            sort: { field: 'submittedAt', direction: 'asc' },
            limit: PAGE,
            offset,
            count: false,
          });
          for (const doc of same.items) found.set(doc.signalId, await this.briefSignalOf(doc));
          if (!same.hasMore) break;
        }
        inclusive = false;
      } else {
        inclusive = true;
      }
      cursor = last;
    }
  }

  private async briefSignalOf(doc: SignalInboxDocument): Promise<BriefSignal> {
    const quoted = doc.structural === true && !doc.erased;
    return {
      signalId: doc.signalId,
      themes: doc.themes,
      policyDomain: doc.policyDomain,
      state: doc.state,
      open: doc.open,
      submittedAt: doc.submittedAt,
      stateEnteredAt: doc.stateEnteredAt,
      dueAt: doc.dueAt,
      structural: doc.structural,
      title: quoted ? (await openSignalText(this.sealed, doc, ['title'])).title : null,
    };
  }
}
