import {
  Binary,
  MongoBulkWriteError,
  MongoClient,
  MongoServerError,
  type AnyBulkWriteOperation,
  type ClientSession,
  type Collection,
  type Db,
  type Document,
} from 'mongodb';
import type { JsonObject } from '../../json.js';
import {
  ReadStore,
  ReadStoreQueryError,
  type CollectionSpec,
  type EnsureCollectionOptions,
  type ListQuery,
  type ListResult,
  type ParkedEvent,
  type ProjectionBatch,
  type ProjectionStatus,
  type StoredDocument,
  type StoredServedForm,
} from '../read-store.port.js';
import { servedInts } from '../served-form.js';
import { checkOmit, omitFields } from '../query-validation.js';
import { InvalidDocumentError } from './errors.js';
import {
  checkId,
  checkLimit,
  checkPage,
  collectionName,
  indexKeys,
  toMongoFilter,
  toMongoSort,
  validateName,
  validateSpec,
} from './mongodb-query.js';
import {
  fromParkedRecord,
  fromRecord,
  planDocumentWrites,
  toParkedRecord,
  type CheckpointRecord,
  type DocumentWrite,
  type ParkedRecord,
  type ReadModelRecord,
  type VersionRecord,
} from './mongodb-records.js';
import { decodePosition, encodePosition } from './position-codec.js';

const DUPLICATE_KEY = 11000;
const NAMESPACE_EXISTS = 48;
/** The server's code for dropping an index that is not there (any more). */
const INDEX_NOT_FOUND = 27;
const DEFAULT_PARKED_LIMIT = 100;

export interface MongoReadStoreOptions {
  /** Database to use; defaults to the one in the URI (the driver's `test` when there is none). */
  dbName?: string;
  /**
   * `auto` commits in a transaction when the server supports them (replica set or sharded
   * cluster); `never` always takes the position-guarded path (tests use it to cover that path).
   */
  transactions?: 'auto' | 'never';
}

interface CommitPlan {
  spec: CollectionSpec;
  writes: DocumentWrite[];
  parked: ParkedRecord[];
  /** null: left as it is (ProjectionBatch.checkpoint). */
  checkpoint: string | null;
  caughtUp: boolean;
}

/**
 * Read models in MongoDB: one collection per read-model version (`rm_<name>_v<version>`), holding
 * `{ _id, d, p, i }` (document JSON, position of the last applied event, copies of the declared
 * fields), beside `projection_checkpoints`, `projection_versions` and `projection_parked`.
 */
export class MongoReadStore extends ReadStore {
  private readonly checkpoints: Collection<CheckpointRecord>;
  private readonly versions: Collection<VersionRecord>;
  private readonly parkedEvents: Collection<ParkedRecord>;
  /** Collections this instance created or found, so a commit need not create one in a transaction. */
  private readonly ensured = new Set<string>();

  private constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
    /** Whether a commit runs in one transaction; otherwise each write is guarded by position. */
    readonly transactional: boolean,
  ) {
    super();
    this.checkpoints = db.collection<CheckpointRecord>('projection_checkpoints');
    this.versions = db.collection<VersionRecord>('projection_versions');
    this.parkedEvents = db.collection<ParkedRecord>('projection_parked');
  }

  static async connect(uri: string, options: MongoReadStoreOptions = {}): Promise<MongoReadStore> {
    const client = new MongoClient(uri);
    try {
      await client.connect();
      const db = client.db(options.dbName);
      const hello = await db.admin().command({ hello: 1 });
      const supportsTransactions = typeof hello['setName'] === 'string' || hello['msg'] === 'isdbgrid';
      const store = new MongoReadStore(client, db, options.transactions !== 'never' && supportsTransactions);
      // Created up front: a transaction should not have to create a collection implicitly.
      await store.createIfMissing(store.checkpoints.collectionName);
      await store.createIfMissing(store.versions.collectionName);
      await store.createIfMissing(store.parkedEvents.collectionName);
      await store.parkedEvents.createIndex({ n: 1, v: 1, p: -1 }, { name: 'n_v_p' });
      return store;
    } catch (error) {
      await client.close();
      throw error;
    }
  }

  private records(spec: CollectionSpec): Collection<ReadModelRecord> {
    return this.db.collection<ReadModelRecord>(collectionName(spec));
  }

  private async createIfMissing(name: string): Promise<void> {
    try {
      await this.db.createCollection(name);
    } catch (error) {
      if (!(error instanceof MongoServerError && error.code === NAMESPACE_EXISTS)) throw error;
    }
  }

  async ensureCollection(spec: CollectionSpec, options: EnsureCollectionOptions = {}): Promise<void> {
    validateSpec(spec);
    await this.createIfMissing(collectionName(spec));
    if (options.deferIndexes !== true) await this.ensureIndexes(spec);
    this.ensured.add(collectionName(spec));
  }

  async ensureIndexes(spec: CollectionSpec): Promise<void> {
    validateSpec(spec);
    const indexes = indexKeys(spec);
    const records = this.records(spec);
    // Ours are named i_…; one the spec no longer declares, or declares on other keys, is dropped.
    const declared = new Map(indexes.map(({ name, key }) => [name, JSON.stringify(key)]));
    for (const { name, key } of await records.indexes()) {
      if (typeof name !== 'string' || !name.startsWith('i_') || declared.get(name) === JSON.stringify(key))
        continue;
      try {
        await records.dropIndex(name);
      } catch (error) {
        // Another instance dropped it first.
        if (!(error instanceof MongoServerError && error.code === INDEX_NOT_FOUND)) throw error;
      }
    }
    if (indexes.length > 0) await records.createIndexes(indexes);
  }

  async get<D extends JsonObject>(spec: CollectionSpec, id: string): Promise<StoredDocument<D> | null> {
    validateSpec(spec);
    const record = await this.records(spec).findOne({ _id: checkId(id) });
    return record ? fromRecord<D>(record) : null;
  }

  async getServed(spec: CollectionSpec, id: string): Promise<StoredServedForm | null> {
    validateSpec(spec);
    const _id = checkId(id);
    if (spec.served !== true) return null;
    const record = await this.records(spec).findOne({ _id }, { projection: { s: 1, n: 1, p: 1 } });
    if (!record || typeof record.s !== 'string' || !(record.n instanceof Binary)) return null;
    return { json: record.s, ints: servedInts(record.n.value()), position: decodePosition(record.p) };
  }

  async getMany<D extends JsonObject>(
    spec: CollectionSpec,
    ids: readonly string[],
  ): Promise<Map<string, StoredDocument<D>>> {
    validateSpec(spec);
    if (!Array.isArray(ids)) throw new ReadStoreQueryError('Ids must be an array');
    const unique = [...new Set((ids as readonly unknown[]).map(checkId))];
    const found = new Map<string, StoredDocument<D>>();
    if (unique.length === 0) return found;
    for await (const record of this.records(spec).find({ _id: { $in: unique } })) {
      found.set(record._id, fromRecord<D>(record));
    }
    return found;
  }

  async list<D extends JsonObject>(spec: CollectionSpec, query: ListQuery): Promise<ListResult<D>> {
    validateSpec(spec);
    // Everything is checked before the server sees any of it.
    const { limit, offset } = checkPage(query);
    checkOmit(query.omit);
    const filter = toMongoFilter(spec, query.filters);
    const sort = toMongoSort(spec, query.sort);
    const collection = this.records(spec);
    const [total, records] = await Promise.all([
      query.count === false ? Promise.resolve(null) : collection.countDocuments(filter),
      // One past the page tells whether another follows (and is never 0, the driver's "no limit").
      collection
        .find(filter)
        .sort(sort)
        .skip(offset)
        .limit(limit + 1)
        .toArray(),
    ]);
    const hasMore = records.length > limit;
    const page = hasMore ? records.slice(0, limit) : records;
    // Documents are stored as one JSON text: omitted fields are dropped after reading it.
    const { omit } = query;
    return {
      items: page.map((record) => {
        const { doc } = fromRecord<D>(record);
        return omit === undefined ? doc : (omitFields(doc, omit) as D);
      }),
      total,
      hasMore,
    };
  }

  async commit(batches: readonly ProjectionBatch[]): Promise<void> {
    if (!Array.isArray(batches)) throw new InvalidDocumentError('A commit takes an array of batches');
    const plans = batches.map((batch) => this.plan(batch));
    if (plans.length === 0) return;
    for (const { spec } of plans) {
      if (!this.ensured.has(collectionName(spec))) await this.ensureCollection(spec);
    }
    if (this.transactional) {
      await this.client.withSession((session) =>
        session.withTransaction(() => this.apply(plans, session), {
          readConcern: { level: 'snapshot' },
          writeConcern: { w: 'majority' },
          readPreference: 'primary',
        }),
      );
    } else {
      await this.apply(plans, undefined);
    }
  }

  private plan(batch: ProjectionBatch): CommitPlan {
    const spec = batch.collection;
    validateSpec(spec);
    if (typeof batch.caughtUp !== 'boolean') throw new InvalidDocumentError('caughtUp must be a boolean');
    return {
      spec,
      writes: planDocumentWrites(spec, batch.puts, batch.deletes),
      parked: batch.parked.map((event) => toParkedRecord(spec, event)),
      checkpoint: batch.checkpoint === null ? null : encodePosition(batch.checkpoint),
      caughtUp: batch.caughtUp,
    };
  }

  /**
   * Documents first, parked events next, checkpoints last: without a transaction a crash in
   * between leaves the checkpoint behind, the runner replays, and the position guards make the
   * replay change nothing that was already applied. Inside a transaction the operations must be
   * sequential, and a duplicate-key error would abort it, hence the reads before the writes.
   */
  private async apply(plans: readonly CommitPlan[], session: ClientSession | undefined): Promise<void> {
    for (const plan of plans) await this.applyDocuments(plan, session);
    for (const plan of plans) await this.applyParked(plan, session);
    for (const plan of plans) await this.applyCheckpoint(plan, session);
  }

  private async applyDocuments(plan: CommitPlan, session: ClientSession | undefined): Promise<void> {
    if (plan.writes.length === 0) return;
    const collection = this.records(plan.spec);
    const stored = new Map<string, string | null>();
    const cursor = collection.find(
      { _id: { $in: plan.writes.map((write) => write.id) } },
      { projection: { p: 1 }, session },
    );
    for await (const record of cursor) stored.set(record._id, typeof record.p === 'string' ? record.p : null);

    const operations: AnyBulkWriteOperation<ReadModelRecord>[] = [];
    for (const write of plan.writes) {
      const current = stored.get(write.id);
      if (current !== undefined && current !== null && current >= write.p) continue;
      const guard = { _id: write.id, $or: [{ p: { $lt: write.p } }, { p: { $exists: false } }] };
      if (write.kind === 'put') {
        const { _id: _ignored, ...replacement } = write.record;
        operations.push({ replaceOne: { filter: guard, replacement, upsert: true } });
      } else if (current !== undefined) {
        operations.push({ deleteOne: { filter: guard } });
      }
    }
    if (operations.length > 0) await this.bulkWrite(collection, operations, session);
  }

  private async applyParked(plan: CommitPlan, session: ClientSession | undefined): Promise<void> {
    if (plan.parked.length === 0) return;
    const operations: AnyBulkWriteOperation<ParkedRecord>[] = plan.parked.map(({ _id, ...replacement }) => ({
      replaceOne: { filter: { _id }, replacement, upsert: true },
    }));
    await this.bulkWrite(this.parkedEvents, operations, session);
  }

  private async applyCheckpoint(plan: CommitPlan, session: ClientSession | undefined): Promise<void> {
    if (plan.checkpoint === null) return;
    const _id = collectionName(plan.spec);
    const current = await this.checkpoints.findOne({ _id }, { projection: { c: 1 }, session });
    // A checkpoint never moves back: a stale runner's late commit leaves it where it is.
    if (current && typeof current.c === 'string' && current.c > plan.checkpoint) return;
    try {
      await this.checkpoints.updateOne(
        { _id, $or: [{ c: { $lte: plan.checkpoint } }, { c: { $exists: false } }] },
        // Once caught up, a version stays ready: a later batch behind a burst of new events does not undo it.
        {
          $set: { n: plan.spec.name, v: plan.spec.version, c: plan.checkpoint },
          $max: { caughtUp: plan.caughtUp },
        },
        { upsert: true, session },
      );
    } catch (error) {
      if (session || !isDuplicateKey(error)) throw error;
    }
  }

  /**
   * Unordered bulk write. Outside a transaction, a guarded upsert that lost a race to a newer
   * write fails with E11000 (its filter no longer matches, so it tries to insert the same `_id`):
   * that document is already newer, which is the outcome the guard wants.
   */
  private async bulkWrite<T extends Document>(
    collection: Collection<T>,
    operations: AnyBulkWriteOperation<T>[],
    session: ClientSession | undefined,
  ): Promise<void> {
    try {
      await collection.bulkWrite(operations, { ordered: false, session });
    } catch (error) {
      if (session || !isDuplicateKey(error)) throw error;
    }
  }

  async checkpoint(spec: CollectionSpec): Promise<bigint | null> {
    validateSpec(spec);
    const record = await this.checkpoints.findOne({ _id: collectionName(spec) });
    return record ? decodePosition(record.c) : null;
  }

  async status(spec: CollectionSpec): Promise<ProjectionStatus> {
    validateSpec(spec);
    const [record, active, parked] = await Promise.all([
      this.checkpoints.findOne({ _id: collectionName(spec) }),
      this.activeVersion(spec.name),
      this.parkedEvents.countDocuments({ n: spec.name, v: spec.version }),
    ]);
    return {
      name: spec.name,
      version: spec.version,
      checkpoint: record ? decodePosition(record.c) : null,
      active: active === spec.version,
      caughtUp: record?.caughtUp === true,
      parked,
    };
  }

  async parked(spec: CollectionSpec, limit = DEFAULT_PARKED_LIMIT): Promise<ParkedEvent[]> {
    validateSpec(spec);
    const checked = checkLimit(limit);
    if (checked === 0) return [];
    const records = await this.parkedEvents
      .find({ n: spec.name, v: spec.version })
      .sort({ p: -1, _id: -1 })
      .limit(checked)
      .toArray();
    return records.map(fromParkedRecord);
  }

  async activeVersion(name: string): Promise<number | null> {
    const record = await this.versions.findOne({ _id: validateName(name) });
    return record ? record.v : null;
  }

  async activate(spec: CollectionSpec): Promise<void> {
    validateSpec(spec);
    await this.versions.updateOne({ _id: spec.name }, { $set: { v: spec.version } }, { upsert: true });
  }

  async drop(spec: CollectionSpec): Promise<void> {
    validateSpec(spec);
    this.ensured.delete(collectionName(spec));
    await this.records(spec).drop();
    await this.checkpoints.deleteOne({ _id: collectionName(spec) });
    await this.parkedEvents.deleteMany({ n: spec.name, v: spec.version });
    // Queries must not be sent to a version that no longer exists.
    await this.versions.deleteOne({ _id: spec.name, v: spec.version });
  }

  /**
   * Nothing the driver can do: WiredTiger rewrites a changed document's blocks and reuses them; an
   * erased text leaves the files when its blocks are reused or `compact` runs (an operator task,
   * README "Privacy by design").
   */
  async scrub(): Promise<void> {}

  async close(): Promise<void> {
    await this.client.close();
  }
}

/** Only duplicate-key write errors, and no write-concern error that would leave durability in doubt. */
export function isDuplicateKey(error: unknown): boolean {
  if (error instanceof MongoBulkWriteError) {
    if (error.result.getWriteConcernError()) return false;
    const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
    return writeErrors.length > 0 && writeErrors.every((writeError) => writeError.code === DUPLICATE_KEY);
  }
  return error instanceof MongoServerError && error.code === DUPLICATE_KEY;
}
