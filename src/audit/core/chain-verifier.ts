import {
  chainHash,
  GENESIS_HASH,
  HASH_KEY,
  PREVIOUS_HASH_KEY,
  recomputeHash,
  type ChainLink,
} from '../../platform/event-store/hash-chain.js';
import type { JsonObject } from '../../platform/json.js';
import { CrossStreamRules } from './cross-stream-rules.js';
import { checkSignalEvent, type LifecycleState, type WorkflowLookup } from './signal-lifecycle-rules.js';
import { isSignalStream, tenantOfStreamName } from './streams.js';
import { VIOLATION_KINDS, type Violation, type ViolationKind } from './violations.js';
import type { VerifyReport } from '../audit-answers.js';

export type { VerifyReport };

/** What the verifier reads of a stored event: a RecordedEvent fits. */
export interface VerifiableEvent {
  stream: string;
  revision: bigint;
  position: bigint;
  type: string;
  data: JsonObject;
  metadata: JsonObject;
  /** The JSON text the store keeps, when it hands it out (StoredTextReader): hashed as it is. */
  text?: { data: string; metadata: string };
}

export interface VerifierOptions {
  lookupWorkflow: WorkflowLookup;
  /**
   * Events of one stream held back while an earlier revision has not come by (it may come later
   * in global order: a swap). Past this many the missing revisions are reported and the stream
   * goes on, so memory stays bounded.
   */
  maxPendingPerStream?: number;
  /** Violations kept in the report; every one is still counted. */
  maxViolations?: number;
  /** How far from its own revision a moved event is looked for when its hash does not match. */
  moveSearchDistance?: number;
}

interface StreamState {
  /** The revision expected next in chain order. */
  next: number;
  /** The recorded hash of revision next − 1; null when that event had none. */
  lastHash: string | null;
  lastPosition: bigint;
  /** Revisions are missing or an event was flagged just before: its successor is re-synced, not blamed. */
  resync: boolean;
  pending: Map<number, VerifiableEvent> | undefined;
  lifecycle: LifecycleState | null;
  signal: boolean;
  tenant: string | null;
}

/**
 * The verifier's pure core: feed it every event of the store in global order, then `finish()`.
 * Per stream it walks the chain in revision order, recomputing each hash and checking each link,
 * and re-checks every signal transition against the definition version it claims. Memory grows
 * with the number of streams (a few hundred bytes each), never with the number of events.
 */
export class ChainVerifier {
  private readonly streams = new Map<string, StreamState>();
  private readonly violations: Violation[] = [];
  private readonly counts = Object.fromEntries(VIOLATION_KINDS.map((kind) => [kind, 0])) as Record<
    ViolationKind,
    number
  >;
  private readonly maxPending: number;
  private readonly maxViolations: number;
  private readonly moveSearch: number;
  private seen = 0;
  private readonly crossStream = new CrossStreamRules((name) => this.streams.get(name)?.lifecycle);

  constructor(private readonly options: VerifierOptions) {
    this.maxPending = options.maxPendingPerStream ?? 10_000;
    this.maxViolations = options.maxViolations ?? 10_000;
    this.moveSearch = options.moveSearchDistance ?? 8;
  }

  get events(): number {
    return this.seen;
  }

  feed(event: VerifiableEvent): void {
    this.seen += 1;
    let stream = this.streams.get(event.stream);
    if (!stream) {
      stream = {
        next: 0,
        lastHash: GENESIS_HASH,
        lastPosition: -1n,
        resync: false,
        pending: undefined,
        lifecycle: null,
        signal: isSignalStream(event.stream),
        tenant: tenantOfStreamName(event.stream),
      };
      this.streams.set(event.stream, stream);
    }
    const revision = Number(event.revision);
    if (revision === stream.next) {
      this.accept(stream, event, revision);
      this.drain(stream);
    } else if (revision > stream.next) {
      (stream.pending ??= new Map()).set(revision, event);
      if (stream.pending.size > this.maxPending) this.closeGap(stream, event.stream);
    } else {
      this.report(event, revision, 'out-of-order', `revision ${revision} is stored a second time`);
    }
  }

  finish(): VerifyReport {
    for (const [name, stream] of this.streams) {
      while (stream.pending && stream.pending.size > 0) this.closeGap(stream, name);
    }
    const violations = [...this.violations].sort(
      (a, b) =>
        (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : 0) ||
        a.revision - b.revision ||
        VIOLATION_KINDS.indexOf(a.kind) - VIOLATION_KINDS.indexOf(b.kind),
    );
    const total = Object.values(this.counts).reduce((sum, n) => sum + n, 0);
    return {
      ok: total === 0,
      events: this.seen,
      streams: this.streams.size,
      counts: { ...this.counts },
      violations,
      truncated: total > violations.length,
    };
  }

  /** One event in chain order: its place, its seal, its link, then (signals) its transition. */
  private accept(stream: StreamState, event: VerifiableEvent, revision: number): void {
    let flagged = false;
    if (event.position < stream.lastPosition) {
      flagged = this.report(event, revision, 'out-of-order', `stored before revision ${revision - 1}`);
    }
    const link = linkOf(event.metadata);
    if (!link) {
      if (!flagged) flagged = this.report(event, revision, 'hash-missing', 'no hash chain in its metadata');
    } else {
      if (!this.sealIntact(event, link)) {
        const movedFrom = this.originalRevision(event, revision, link.hash, link.previousHash);
        if (movedFrom !== null) {
          if (!flagged)
            flagged = this.report(
              event,
              revision,
              'out-of-order',
              `holds the sealed event of revision ${movedFrom}`,
            );
        } else {
          flagged = this.report(
            event,
            revision,
            'hash-mismatch',
            'its content no longer gives its recorded hash',
          );
        }
      }
      const expectedPrevious = revision === 0 ? GENESIS_HASH : stream.lastHash;
      if (!flagged && !stream.resync && expectedPrevious !== null && link.previousHash !== expectedPrevious) {
        flagged = this.report(
          event,
          revision,
          'chain-broken',
          `its previous hash is not the hash of revision ${revision - 1}`,
        );
      }
    }
    if (stream.signal) {
      const outcome = checkSignalEvent(stream.lifecycle, event, {
        lookup: this.options.lookupWorkflow,
        streamTenant: stream.tenant,
        resync: stream.resync || flagged,
      });
      // A tampered event's claims are not its author's: the chain finding is the one to report.
      if (outcome.problem && !flagged)
        flagged = this.report(event, revision, outcome.problem.kind, outcome.problem.detail);
      stream.lifecycle = outcome.state;
    }
    // Rules across streams, in the order events are accepted: a tampered or illegal event still
    // moves what they remember (as it moves the lifecycle), but its first finding is the one
    // reported. They do not re-sync the stream: its chain and lifecycle are intact.
    const crossProblems = this.crossStream.apply(event, stream.tenant);
    if (!flagged) {
      for (const problem of crossProblems) this.report(event, revision, problem.kind, problem.detail);
    }
    stream.lastHash = link ? link.hash : null;
    stream.lastPosition = event.position;
    stream.next = revision + 1;
    stream.resync = flagged;
  }

  /**
   * Whether the event's content still gives its recorded hash. Stored text that is still the text
   * that was sealed hashes to it as it is; any other text (edited, or rewritten in another but
   * equal form) is parsed and serialised canonically, as for a store that keeps no text.
   */
  private sealIntact(event: VerifiableEvent, link: ChainLink): boolean {
    const text = event.text;
    if (text) {
      const suffix = `,"${PREVIOUS_HASH_KEY}":"${link.previousHash}","${HASH_KEY}":"${link.hash}"}`;
      if (text.metadata.endsWith(suffix)) {
        const metadata = `${text.metadata.slice(0, -suffix.length)}}`;
        const parts = { data: text.data, metadata };
        if (chainHash(event.stream, event.revision, event.type, parts, link.previousHash) === link.hash)
          return true;
      }
    }
    return recomputeHash(event, link.previousHash) === link.hash;
  }

  /** The revision whose sealed content this event is, when it was moved (swapped) within reach. */
  private originalRevision(
    event: VerifiableEvent,
    revision: number,
    hash: string,
    previousHash: string,
  ): number | null {
    for (let distance = 1; distance <= this.moveSearch; distance++) {
      for (const candidate of [revision - distance, revision + distance]) {
        if (candidate < 0) continue;
        if (recomputeHash({ ...event, revision: BigInt(candidate) }, previousHash) === hash) return candidate;
      }
    }
    return null;
  }

  private drain(stream: StreamState): void {
    const pending = stream.pending;
    if (!pending) return;
    for (let next = pending.get(stream.next); next !== undefined; next = pending.get(stream.next)) {
      pending.delete(stream.next);
      this.accept(stream, next, stream.next);
    }
    if (pending.size === 0) stream.pending = undefined;
  }

  /** Gives up waiting for the revisions before the lowest held-back one: they are missing. */
  private closeGap(stream: StreamState, name: string): void {
    if (!stream.pending || stream.pending.size === 0) return;
    let lowest = Number.POSITIVE_INFINITY;
    for (const revision of stream.pending.keys()) lowest = Math.min(lowest, revision);
    const missing =
      lowest - stream.next === 1
        ? `revision ${stream.next} is`
        : `revisions ${stream.next}–${lowest - 1} are`;
    this.add({
      stream: name,
      revision: stream.next,
      position: null,
      kind: 'missing-event',
      detail: `${missing} missing`,
    });
    stream.next = lowest;
    stream.resync = true;
    this.drain(stream);
  }

  private report(event: VerifiableEvent, revision: number, kind: ViolationKind, detail: string): true {
    this.add({ stream: event.stream, revision, position: event.position.toString(), kind, detail });
    return true;
  }

  private add(violation: Violation): void {
    this.counts[violation.kind] += 1;
    if (this.violations.length < this.maxViolations) this.violations.push(violation);
  }
}

/**
 * The recorded link, checked for shape only (recordedLink also checks the hex digits): a value
 * that is no hex digest never equals a recomputed one, so it fails the hash or the link check.
 */
function linkOf(metadata: JsonObject): ChainLink | null {
  const hash = metadata[HASH_KEY];
  const previousHash = metadata[PREVIOUS_HASH_KEY];
  return typeof hash === 'string' &&
    hash.length === 64 &&
    typeof previousHash === 'string' &&
    previousHash.length === 64
    ? { hash, previousHash }
    : null;
}
