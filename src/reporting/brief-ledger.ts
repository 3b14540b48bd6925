import { ConcurrencyError } from '../platform/event-store/errors.js';
import {
  EventStore,
  type Actor,
  type EventMetadata,
  type RecordedEvent,
} from '../platform/event-store/event-store.port.js';
import { uuidv7 } from '../platform/ids.js';
import type { JsonObject } from '../platform/json.js';
import {
  BRIEF_FAILED,
  BRIEF_GENERATED,
  BRIEF_REDACTED,
  BRIEF_REQUESTED,
  BRIEF_SCHEDULE_SET,
  briefIdOf,
  briefScheduleStream,
  briefStream,
  DEFAULT_CADENCE,
  parseBriefId,
  type BriefFailedData,
  type BriefGeneratedData,
  type BriefRedactedData,
  type BriefRequestedData,
  type Cadence,
} from './brief.events.js';
import type { BriefRequest } from './brief-answers.js';
import type { Period } from './period.js';

export type BriefStatus = 'requested' | 'generated' | 'failed';

/** What the event store says of one brief: the source of truth behind the API and the reconciler. */
export type BriefRecord = BriefRequest & {
  tenantId: string;
  requestedAt: string;
  requestedBy: { id: string; role: string };
  status: BriefStatus;
  /** Once generated; `contentHash` and `formats` are those of the files now (after a redaction). */
  generated:
    (BriefGeneratedData & { generatedAt: string; redacted?: { signalIds: string[]; at: string } }) | null;
  failed: (BriefFailedData & { failedAt: string }) | null;
};

export const SYSTEM_ACTOR: Actor = { id: 'brief-worker', role: 'system' };

const MAX_APPEND_ATTEMPTS = 20;

/** Records and reads briefs in the event store; every write checks the stream's revision. */
export class BriefLedger {
  constructor(
    private readonly store: EventStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Records `BriefRequested` with the next number of this tenant and period. A scheduled request
   * for a period that already has one returns that one: a scheduler firing twice asks once. With
   * `once` (the supra-local brief), any request of the period that did not fail is returned
   * instead: the period has one brief, however often it is asked for. The check and the append
   * are one step (the stream's revision), so two concurrent requests also record one.
   */
  async request(
    tenantId: string,
    period: Period,
    actor: Actor,
    options: { scheduled?: boolean; once?: boolean; correlationId?: string } = {},
  ): Promise<{ record: BriefRecord; created: boolean }> {
    const stream = briefStream(tenantId, period.label);
    for (let attempt = 1; ; attempt += 1) {
      const { records, revision } = await this.readPeriod(stream);
      const existing = options.once
        ? records.find((record) => record.status !== 'failed')
        : options.scheduled
          ? records.find((record) => record.scheduled)
          : undefined;
      if (existing) return { record: existing, created: false };
      const n = records.length + 1;
      const data: BriefRequestedData = {
        briefId: briefIdOf(tenantId, period.label, n),
        period: period.label,
        periodKind: period.kind,
        from: period.from,
        to: period.to,
        n,
        scheduled: options.scheduled ?? false,
      };
      try {
        await this.store.append(
          stream,
          [{ type: BRIEF_REQUESTED, data, metadata: this.metadata(tenantId, actor, options.correlationId) }],
          { expectedRevision: revision },
        );
        const { records: after } = await this.readPeriod(stream);
        const record = after.find((candidate) => candidate.briefId === data.briefId);
        if (!record) throw new Error(`brief ${data.briefId} was appended but cannot be read back`);
        return { record, created: true };
      } catch (error) {
        if (!(error instanceof ConcurrencyError) || attempt >= MAX_APPEND_ATTEMPTS) throw error;
      }
    }
  }

  async get(briefId: string): Promise<BriefRecord | null> {
    const key = parseBriefId(briefId);
    if (!key) return null;
    const { records } = await this.readPeriod(briefStream(key.tenantId, key.period));
    return records.find((record) => record.briefId === briefId) ?? null;
  }

  /**
   * Records `BriefGenerated` unless the brief already has an outcome: the check and the append
   * are one step through the expected revision, so two workers finishing one job (a stalled job
   * redelivered, a worker killed after the append) record it once. False when already recorded.
   */
  async recordGenerated(briefId: string, data: Omit<BriefGeneratedData, 'briefId'>): Promise<boolean> {
    return this.recordOutcome(briefId, BRIEF_GENERATED, { briefId, ...data });
  }

  /**
   * Records that the brief's files now read the titles of `signalIds` (every quoted signal erased so
   * far) as erased, unless a redaction of those signals (or more) is recorded already: false then.
   */
  async recordRedacted(briefId: string, data: Omit<BriefRedactedData, 'briefId'>): Promise<boolean> {
    return this.appendUnless(briefId, BRIEF_REDACTED, { briefId, ...data }, (record) => {
      if (!record.generated) throw new Error(`brief ${briefId} was never generated`);
      const done = new Set(record.generated.redacted?.signalIds ?? []);
      return data.signalIds.every((signalId) => done.has(signalId));
    });
  }

  /** Every generated brief of `tenants` that quotes a signal: what an erasure may have to reach. */
  async quoting(tenants: ReadonlySet<string>): Promise<BriefRecord[]> {
    const records = await this.readAllBriefs((event) => tenants.has(event.metadata.tenantId));
    return records.filter((record) => (record.generated?.quotedSignals?.length ?? 0) > 0);
  }

  async recordFailed(briefId: string, reason: string, attempts: number): Promise<boolean> {
    return this.recordOutcome(briefId, BRIEF_FAILED, { briefId, reason, attempts });
  }

  /** Every brief of a tenant, newest request first. */
  async list(tenantId: string): Promise<BriefRecord[]> {
    const records = await this.readAllBriefs((event) => event.metadata.tenantId === tenantId);
    return records.sort((a, b) =>
      a.requestedAt < b.requestedAt ? 1 : a.requestedAt > b.requestedAt ? -1 : 0,
    );
  }

  /** Every requested brief without an outcome, of every tenant: what the reconciler re-queues. */
  async pending(): Promise<BriefRecord[]> {
    return (await this.readAllBriefs(() => true)).filter((record) => record.status === 'requested');
  }

  async cadence(tenantId: string): Promise<Cadence> {
    let cadence: Cadence = DEFAULT_CADENCE;
    for await (const event of this.store.readStream(briefScheduleStream(tenantId))) {
      if (event.type === BRIEF_SCHEDULE_SET) cadence = (event.data as { cadence: Cadence }).cadence;
    }
    return cadence;
  }

  async setCadence(tenantId: string, cadence: Cadence, actor: Actor, correlationId?: string): Promise<void> {
    await this.store.append(
      briefScheduleStream(tenantId),
      [
        {
          type: BRIEF_SCHEDULE_SET,
          data: { cadence },
          metadata: this.metadata(tenantId, actor, correlationId),
        },
      ],
      { expectedRevision: 'any' },
    );
  }

  /** Tenants with an explicit schedule setting, with that setting. */
  async schedules(): Promise<Map<string, Cadence>> {
    const cadences = new Map<string, Cadence>();
    for await (const event of this.store.readAll({ filter: { categories: ['briefschedule'] } })) {
      if (event.type === BRIEF_SCHEDULE_SET)
        cadences.set(event.metadata.tenantId, (event.data as { cadence: Cadence }).cadence);
    }
    return cadences;
  }

  private recordOutcome(briefId: string, type: string, data: JsonObject): Promise<boolean> {
    return this.appendUnless(briefId, type, data, (record) => record.status !== 'requested');
  }

  /**
   * Appends one event to the brief's stream unless `done` says the record already has it (false
   * then); the check and the append are one step through the stream's revision.
   */
  private async appendUnless(
    briefId: string,
    type: string,
    data: JsonObject,
    done: (record: BriefRecord) => boolean,
  ): Promise<boolean> {
    const key = parseBriefId(briefId);
    if (!key) throw new Error(`"${briefId}" is not a brief id`);
    const stream = briefStream(key.tenantId, key.period);
    for (let attempt = 1; ; attempt += 1) {
      const { records, revision } = await this.readPeriod(stream);
      const record = records.find((candidate) => candidate.briefId === briefId);
      if (!record) throw new Error(`brief ${briefId} was never requested`);
      if (done(record)) return false;
      try {
        await this.store.append(
          stream,
          [{ type, data, metadata: this.metadata(key.tenantId, SYSTEM_ACTOR, record.briefId) }],
          { expectedRevision: revision },
        );
        return true;
      } catch (error) {
        if (!(error instanceof ConcurrencyError) || attempt >= MAX_APPEND_ATTEMPTS) throw error;
      }
    }
  }

  private async readPeriod(
    stream: string,
  ): Promise<{ records: BriefRecord[]; revision: 'no-stream' | bigint }> {
    const records = new Map<string, BriefRecord>();
    let revision: 'no-stream' | bigint = 'no-stream';
    for await (const event of this.store.readStream(stream)) {
      revision = event.revision;
      applyBriefEvent(records, event);
    }
    return { records: [...records.values()], revision };
  }

  private async readAllBriefs(keep: (event: RecordedEvent) => boolean): Promise<BriefRecord[]> {
    const records = new Map<string, BriefRecord>();
    for await (const event of this.store.readAll({ filter: { categories: ['brief'] } })) {
      if (keep(event)) applyBriefEvent(records, event);
    }
    return [...records.values()];
  }

  private metadata(tenantId: string, actor: Actor, correlationId?: string): EventMetadata {
    const id = correlationId ?? uuidv7();
    return { tenantId, actor, correlationId: id, causationId: id, occurredAt: this.now().toISOString() };
  }
}

/** Folds one brief event into the records of its stream; unknown types change nothing. */
export function applyBriefEvent(records: Map<string, BriefRecord>, event: RecordedEvent): void {
  const at = event.metadata.occurredAt;
  if (event.type === BRIEF_REQUESTED) {
    const data = event.data as BriefRequestedData;
    records.set(data.briefId, {
      ...data,
      tenantId: event.metadata.tenantId,
      requestedAt: at,
      requestedBy: { id: event.metadata.actor.id, role: event.metadata.actor.role },
      status: 'requested',
      generated: null,
      failed: null,
    });
    return;
  }
  const briefId = (event.data as { briefId?: unknown }).briefId;
  const record = typeof briefId === 'string' ? records.get(briefId) : undefined;
  if (event.type === BRIEF_REDACTED && record?.generated) {
    const { signalIds, contentHash, formats } = event.data as BriefRedactedData;
    record.generated = { ...record.generated, contentHash, formats, redacted: { signalIds, at } };
    return;
  }
  if (!record || record.status !== 'requested') return;
  if (event.type === BRIEF_GENERATED) {
    record.status = 'generated';
    record.generated = { ...(event.data as BriefGeneratedData), generatedAt: at };
  } else if (event.type === BRIEF_FAILED) {
    record.status = 'failed';
    record.failed = { ...(event.data as BriefFailedData), failedAt: at };
  }
}
