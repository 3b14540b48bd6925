import type { JsonObject } from '../../platform/json.js';
import type { LifecycleState } from './signal-lifecycle-rules.js';
import { SIGNAL_STREAM_PREFIX } from './streams.js';
import type { ViolationKind } from './violations.js';

export type CrossStreamKind = Extract<
  ViolationKind,
  | 'merge-into-self'
  | 'merge-target-missing'
  | 'merge-target-ineligible'
  | 'merge-cycle'
  | 'dossier-member-missing'
  | 'dossier-member-ineligible'
  | 'dossier-member-in-other-dossier'
  | 'dossier-reference-missing'
>;

export interface CrossStreamProblem {
  kind: CrossStreamKind;
  detail: string;
}

/** What the rules read of an event, in the order the verifier accepts them (chain order). */
export interface CrossStreamEvent {
  stream: string;
  type: string;
  data: JsonObject;
  metadata: JsonObject;
}

/** The lifecycle the verifier folded for a signal stream so far; undefined when it has none (yet). */
export type SignalLookup = (signalStream: string) => LifecycleState | null | undefined;

const DOSSIER_STREAM_PREFIX = 'dossier-';
const MERGED = 'SignalMerged';
const FAN_OUT_EVENTS = new Set(['SignalDossierEscalated', 'SignalDossierDecisionRecorded']);
/** Far more than any merge chain the decider lets through (one hop); a bound against forged loops. */
const MAX_CHAIN = 10_000;

interface DossierState {
  tenant: string;
  dossierId: string;
  open: boolean;
  /** Members now (removed ones leave). */
  members: Set<string>;
  /** The members its escalations and its policy decisions named (memberSignalIds): the fan-out's. */
  escalatedTo: Set<string>;
  decidedFor: Set<string>;
}

/**
 * The rules that span streams, checked in global order as the verifier accepts events:
 * - a merge (`SignalMerged`) names another signal of the same tenant that existed at that moment,
 *   was neither merged nor rejected then (the decider's MERGE_TARGET_INVALID), and does not close a
 *   cycle of merges (a → b → … → a);
 * - a dossier's members (`DossierCreated`, `DossierSignalAdded`) are signals of the dossier's
 *   tenant that existed and were accepted (not submitted, nor awaiting information before triage,
 *   not rejected, not merged) when they joined, and were then in no other open dossier;
 * - the fan-out's events on a signal (`SignalDossierEscalated`, `…DecisionRecorded`) name a dossier
 *   of the signal's tenant whose escalation (policy decision) named the signal among its members.
 * Memory: a dossier's members and, per signal, the target it was merged into or the open dossier
 * holding it — nothing for a signal that was neither merged nor bundled.
 */
export class CrossStreamRules {
  /** Signal stream → the id of the signal it was merged into. */
  private readonly mergedInto = new Map<string, string>();
  /** Signal stream → the stream of the open dossier holding it. */
  private readonly openHolder = new Map<string, string>();
  private readonly dossiers = new Map<string, DossierState>();

  constructor(private readonly signalAt: SignalLookup) {}

  /**
   * Applies the event and returns what it breaks. `signalTenant` is the tenant of a signal stream
   * (from its name), null for other streams. Call it after the event's own lifecycle was folded.
   */
  apply(event: CrossStreamEvent, signalTenant: string | null): CrossStreamProblem[] {
    if (event.stream.startsWith(SIGNAL_STREAM_PREFIX)) {
      if (signalTenant === null) return [];
      if (event.type === MERGED) return this.merge(event, signalTenant);
      if (FAN_OUT_EVENTS.has(event.type)) return this.fanOut(event, signalTenant);
      return [];
    }
    if (event.stream.startsWith(DOSSIER_STREAM_PREFIX)) return this.dossierEvent(event);
    return [];
  }

  private merge(event: CrossStreamEvent, tenant: string): CrossStreamProblem[] {
    const source = signalIdOf(event.stream, tenant);
    const target = event.data['targetSignalId'];
    if (typeof target !== 'string' || target.length === 0) {
      return [{ kind: 'merge-target-missing', detail: 'the merge names no target signal (targetSignalId)' }];
    }
    const targetStream = signalStreamOf(tenant, target);
    if (targetStream === event.stream) {
      this.mergedInto.set(event.stream, target);
      return [{ kind: 'merge-into-self', detail: `signal ${source} is merged into itself` }];
    }
    const targetState = this.signalAt(targetStream);
    const problems: CrossStreamProblem[] = [];
    if (!targetState) {
      problems.push({
        kind: 'merge-target-missing',
        detail: `merged into ${target}, which is no signal of tenant ${tenant} at that moment`,
      });
    } else {
      const cycle = this.cycleThrough(event.stream, target, tenant);
      if (cycle) {
        problems.push({
          kind: 'merge-cycle',
          detail: `closes a cycle of merges: ${[source, ...cycle].join(' → ')}`,
        });
      } else {
        const targetMergedInto = this.mergedInto.get(targetStream);
        if (targetMergedInto !== undefined || targetState.state === 'merged') {
          problems.push({
            kind: 'merge-target-ineligible',
            detail: `merged into ${target}, which was itself merged${targetMergedInto ? ` into ${targetMergedInto}` : ''} at that moment`,
          });
        } else if (targetState.state === 'rejected') {
          problems.push({
            kind: 'merge-target-ineligible',
            detail: `merged into ${target}, which was rejected at that moment`,
          });
        }
      }
    }
    this.mergedInto.set(event.stream, target);
    return problems;
  }

  /** The ids from `target` along recorded merges back to the source, when they lead there. */
  private cycleThrough(sourceStream: string, target: string, tenant: string): string[] | null {
    const path = [target];
    let current = signalStreamOf(tenant, target);
    const seen = new Set([current]);
    for (let hop = 0; hop < MAX_CHAIN; hop++) {
      const next = this.mergedInto.get(current);
      if (next === undefined) return null;
      path.push(next);
      current = signalStreamOf(tenant, next);
      if (current === sourceStream) return path;
      if (seen.has(current)) return null; // a loop (reported when it closed) that does not pass the source
      seen.add(current);
    }
    return null;
  }

  private fanOut(event: CrossStreamEvent, tenant: string): CrossStreamProblem[] {
    const dossierId = event.data['dossierId'];
    const signal = signalIdOf(event.stream, tenant);
    const dossier =
      typeof dossierId === 'string' ? this.dossiers.get(dossierStreamOf(tenant, dossierId)) : undefined;
    if (!dossier) {
      return [
        {
          kind: 'dossier-reference-missing',
          detail: `${event.type} names dossier ${String(dossierId)}, which is no dossier of tenant ${tenant} at that moment`,
        },
      ];
    }
    const escalation = event.type === 'SignalDossierEscalated';
    if (!(escalation ? dossier.escalatedTo : dossier.decidedFor).has(signal)) {
      return [
        {
          kind: 'dossier-reference-missing',
          detail: `${event.type} names dossier ${dossier.dossierId}, whose ${escalation ? 'escalations' : 'policy decisions'} did not name signal ${signal}`,
        },
      ];
    }
    return [];
  }

  private dossierEvent(event: CrossStreamEvent): CrossStreamProblem[] {
    const tenant = event.metadata['tenantId'];
    const dossierId = event.data['dossierId'];
    if (typeof tenant !== 'string' || typeof dossierId !== 'string') return [];
    let dossier = this.dossiers.get(event.stream);
    if (!dossier) {
      // Known by the name the typed helper gives it, so that a signal's fan-out finds it by id.
      dossier = {
        tenant,
        dossierId,
        open: true,
        members: new Set(),
        escalatedTo: new Set(),
        decidedFor: new Set(),
      };
      this.dossiers.set(dossierStreamOf(tenant, dossierId), dossier);
      if (event.stream !== dossierStreamOf(tenant, dossierId)) this.dossiers.set(event.stream, dossier);
    }
    switch (event.type) {
      case 'DossierCreated':
        return stringsOf(event.data['signalIds']).flatMap((id) => this.join(dossier, id));
      case 'DossierSignalAdded': {
        const id = event.data['signalId'];
        return typeof id === 'string' ? this.join(dossier, id) : [];
      }
      case 'DossierSignalRemoved': {
        const id = event.data['signalId'];
        if (typeof id === 'string') this.leave(dossier, id);
        return [];
      }
      case 'DossierEscalated':
        for (const id of stringsOf(event.data['memberSignalIds'])) dossier.escalatedTo.add(id);
        return [];
      case 'DossierPolicyDecisionRecorded':
        for (const id of stringsOf(event.data['memberSignalIds'])) dossier.decidedFor.add(id);
        return [];
      case 'DossierClosed':
        if (dossier.open) {
          dossier.open = false;
          for (const id of dossier.members) this.release(dossier, id);
        }
        return [];
      default:
        return [];
    }
  }

  private join(dossier: DossierState, signalId: string): CrossStreamProblem[] {
    const stream = signalStreamOf(dossier.tenant, signalId);
    const problems: CrossStreamProblem[] = [];
    const signal = this.signalAt(stream);
    if (!signal) {
      problems.push({
        kind: 'dossier-member-missing',
        detail: `signal ${signalId} joins, which is no signal of tenant ${dossier.tenant} at that moment`,
      });
    } else {
      const reason = unbundlable(signal, this.mergedInto.has(stream));
      if (reason) {
        problems.push({
          kind: 'dossier-member-ineligible',
          detail: `signal ${signalId} joins while ${reason}`,
        });
      }
    }
    const holder = this.openHolder.get(stream);
    if (holder !== undefined && holder !== dossierStreamOf(dossier.tenant, dossier.dossierId)) {
      const other = this.dossiers.get(holder);
      problems.push({
        kind: 'dossier-member-in-other-dossier',
        detail: `signal ${signalId} joins while it is a member of open dossier ${other?.dossierId ?? holder}`,
      });
    }
    dossier.members.add(signalId);
    // The first open dossier keeps the signal; the second one is the violation.
    if (holder === undefined && dossier.open) {
      this.openHolder.set(stream, dossierStreamOf(dossier.tenant, dossier.dossierId));
    }
    return problems;
  }

  private leave(dossier: DossierState, signalId: string): void {
    dossier.members.delete(signalId);
    this.release(dossier, signalId);
  }

  private release(dossier: DossierState, signalId: string): void {
    const stream = signalStreamOf(dossier.tenant, signalId);
    if (this.openHolder.get(stream) === dossierStreamOf(dossier.tenant, dossier.dossierId)) {
      this.openHolder.delete(stream);
    }
  }
}

/** Why a signal could not join a dossier (the dossier decider's unbundlableReason), or null. */
function unbundlable(signal: LifecycleState, merged: boolean): string | null {
  if (merged || signal.state === 'merged') return 'merged';
  if (signal.state === 'rejected') return 'rejected';
  if (signal.state === 'submitted') return 'only submitted (not triaged)';
  if (signal.state === 'awaiting-info' && signal.previousState === 'submitted')
    return 'awaiting information before triage';
  return null;
}

function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function signalStreamOf(tenant: string, signalId: string): string {
  return `${SIGNAL_STREAM_PREFIX}${tenant}-${signalId}`;
}

function dossierStreamOf(tenant: string, dossierId: string): string {
  return `${DOSSIER_STREAM_PREFIX}${tenant}-${dossierId}`;
}

function signalIdOf(stream: string, tenant: string): string {
  return stream.slice(SIGNAL_STREAM_PREFIX.length + tenant.length + 1);
}
