import { createHash } from 'node:crypto';
import { EventStore } from '../platform/event-store/event-store.port.js';
import { KeyedLock } from '../platform/keyed-lock.js';
import { SIGNAL_TEXT_ERASED, signalStream } from '../signals/signal.events.js';
import type { BriefFormat } from './brief.events.js';
import type { BriefGenerator } from './brief-generator.js';
import type { BriefLedger, BriefRecord } from './brief-ledger.js';
import type { BriefStorage } from './brief-storage.js';

/**
 * Carries an erasure of a signal's text into the briefs that quote its title. A brief quotes the
 * titles of at most ten structural signals and BriefGenerated records which ones (never the
 * brief itself). When one of them is erased, the brief's files are rendered again from its JSON
 * with that title read as "[gewist]", stored over the old ones, and `BriefRedacted` records it.
 *
 * A sweep (with the reconciler: at start and every BRIEF_RECONCILE_MS, in the processes that run
 * brief jobs) looks at the erasures since the one before it, every erasure at a process's first.
 * Until it has run, a download renders the redacted file at once instead of serving the stored one.
 * Every redaction takes every erased signal the brief quotes, so two processes redacting one brief
 * at once end with the files of the later one, which has them all.
 */
export class BriefRedactor {
  /** The last erasure a sweep looked at; -1: none yet (the first sweep reads them all). */
  private checkpoint = -1n;
  private readonly lock = new KeyedLock();

  constructor(
    private readonly store: EventStore,
    private readonly ledger: BriefLedger,
    private readonly generator: BriefGenerator,
    private readonly storage: BriefStorage,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  /** Which of a tenant's signals are erased: their streams hold SignalTextErased. */
  async erasedAmong(tenantId: string, signalIds: readonly string[]): Promise<Set<string>> {
    const erased = new Set<string>();
    await Promise.all(
      [...new Set(signalIds)].map(async (signalId) => {
        for await (const event of this.store.readStream(signalStream(tenantId, signalId))) {
          if (event.type === SIGNAL_TEXT_ERASED) {
            erased.add(signalId);
            return;
          }
        }
      }),
    );
    return erased;
  }

  /** Redacts one brief for every erased signal it quotes; true when its files were rewritten. */
  redact(briefId: string): Promise<boolean> {
    return this.lock.run(briefId, async () => {
      const record = await this.ledger.get(briefId);
      const quoted = record?.generated?.quotedSignals ?? [];
      if (!record?.generated || quoted.length === 0) return false;
      const redacted = await this.generator.redacted(record, await this.erasedAmong(record.tenantId, quoted));
      if (!redacted) return false;
      if (redacted.changed) await this.storage.write(briefId, redacted.files);
      await this.ledger.recordRedacted(briefId, {
        signalIds: redacted.signalIds,
        contentHash: redacted.contentHash,
        formats: formatsOf(redacted.files),
      });
      return redacted.changed;
    });
  }

  /**
   * Redacts every brief that quotes a signal erased since the last sweep; how many were rewritten.
   * A failure leaves the checkpoint where it was: the next sweep tries those erasures again.
   */
  async sweep(): Promise<number> {
    const erasures = new Map<string, Set<string>>();
    let last = this.checkpoint;
    const events = this.store.readAll({
      fromPosition: this.checkpoint < 0n ? 'start' : this.checkpoint + 1n,
      filter: { eventTypes: [SIGNAL_TEXT_ERASED] },
    });
    for await (const event of events) {
      last = event.position;
      const signalId = event.data['signalId'];
      if (typeof signalId !== 'string') continue;
      const tenant = erasures.get(event.metadata.tenantId) ?? new Set<string>();
      erasures.set(event.metadata.tenantId, tenant.add(signalId));
    }
    let rewritten = 0;
    if (erasures.size > 0) {
      for (const record of await this.ledger.quoting(new Set(erasures.keys()))) {
        const erased = erasures.get(record.tenantId)!;
        if (!record.generated!.quotedSignals!.some((signalId) => erased.has(signalId))) continue;
        if (await this.redact(record.briefId)) rewritten += 1;
      }
    }
    this.checkpoint = last;
    if (rewritten > 0) this.log(`briefs: ${rewritten} brief(s) rewritten without the text of erased signals`);
    return rewritten;
  }

  /**
   * A generated brief's file as a download gives it: the stored one, or, while the stored files
   * still quote an erased signal's title (before the next sweep), the redacted one made now.
   */
  async file(record: BriefRecord, format: BriefFormat): Promise<Buffer | null> {
    const generated = record.generated!;
    const quoted = generated.quotedSignals ?? [];
    if (quoted.length > 0) {
      const erased = await this.erasedAmong(record.tenantId, quoted);
      if (erased.size > 0) {
        const redacted = await this.generator.redacted(record, erased);
        if (redacted?.changed) return redacted.files.get(format) ?? null;
      }
    }
    return this.storage.read(generated.location, format);
  }
}

export function formatsOf(
  files: ReadonlyMap<BriefFormat, Buffer>,
): Record<string, { bytes: number; sha256: string }> {
  const formats: Record<string, { bytes: number; sha256: string }> = {};
  for (const [format, content] of files)
    formats[format] = {
      bytes: content.byteLength,
      sha256: createHash('sha256').update(content).digest('hex'),
    };
  return formats;
}
