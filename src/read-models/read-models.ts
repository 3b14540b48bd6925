import { Inject, Injectable, Optional } from '@nestjs/common';
import { collectionOf, PROJECTIONS } from '../../projections/index.js';
import type { JsonObject } from '../platform/json.js';
import { HttpDrain, onDrain } from '../platform/http/http-drain.js';
import { ProjectionHost } from './projection-host.js';
import {
  ReadStore,
  type CollectionSpec,
  type ListQuery,
  type ListResult,
  type StoredServedForm,
} from '../platform/read-store/read-store.port.js';

/** How long a query with `minPosition` waits for the read models to reach it. */
export const READ_YOUR_WRITES_TIMEOUT_MS = 2000;

/** Queries against the active version of each read model, with read-your-writes on request. */
@Injectable()
export class ReadModels {
  private readonly projections = new Map(PROJECTIONS.map((projection) => [projection.name, projection]));

  constructor(
    @Inject(ReadStore) private readonly readStore: ReadStore,
    @Inject(ProjectionHost) private readonly runner: ProjectionHost,
    // Absent outside the app (the CLI's standalone queries): nothing drains there.
    @Optional() @Inject(HttpDrain) private readonly drain?: HttpDrain,
  ) {}

  async spec(name: string): Promise<CollectionSpec> {
    const projection = this.projections.get(name);
    if (!projection) throw new Error(`Unknown read model ${name}`);
    const version = (await this.readStore.activeVersion(name)) ?? projection.schemaVersion;
    return collectionOf(projection, version);
  }

  async get<D extends JsonObject>(name: string, id: string): Promise<D | null> {
    return (await this.readStore.get<D>(await this.spec(name), id))?.doc ?? null;
  }

  /** The served form of a document of the active version, when that version stores one (`Projection.serve`). */
  async getServed(name: string, id: string): Promise<StoredServedForm | null> {
    return this.readStore.getServed(await this.spec(name), id);
  }

  async list<D extends JsonObject>(name: string, query: ListQuery): Promise<ListResult<D>> {
    return this.readStore.list<D>(await this.spec(name), query);
  }

  /**
   * True when the read models have applied `position` (waiting up to 2 s); false means stale. Once
   * the app shuts down (HttpDrain), it waits no longer: the request answers with what is there.
   */
  async reach(position: bigint | undefined): Promise<boolean> {
    if (position === undefined) return true;
    const drain = this.drain;
    if (!drain) return this.runner.waitForPosition(position, READ_YOUR_WRITES_TIMEOUT_MS);
    if (drain.draining) return this.runner.waitForPosition(position, 0);
    const waiting = this.runner.waitForPosition(position, READ_YOUR_WRITES_TIMEOUT_MS);
    let forget = (): void => undefined;
    const drained = new Promise<'drained'>((resolve) => (forget = onDrain(drain, () => resolve('drained'))));
    try {
      const first = await Promise.race([waiting, drained]);
      if (first !== 'drained') return first;
      // No longer awaited: a wait that fails later (the store closed) is not an unhandled rejection.
      waiting.catch(() => undefined);
      return this.runner.waitForPosition(position, 0);
    } finally {
      forget();
    }
  }
}
