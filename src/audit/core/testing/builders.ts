import { getWorkflow } from '../../../../workflows/registry.js';
import type { Role } from '../../../../workflows/roles.js';
import { canonicalParts, chainHash, GENESIS_HASH } from '../../../platform/event-store/hash-chain.js';
import { deterministicUuid } from '../../../platform/ids.js';
import type { JsonObject } from '../../../platform/json.js';
import {
  createSignalDecider,
  type ExistingSignal,
  type SignalActor,
  type SignalState,
} from '../../../signals/signal.decider.js';
import { signalStream } from '../../../signals/signal.events.js';
import type { VerifiableEvent } from '../chain-verifier.js';

/** Builders for the audit specs: signal streams decided by the real decider, sealed as a store seals them. */

export const decider = createSignalDecider((ref) => getWorkflow(ref.name, ref.version));

export const lookupWorkflow = (name: string, version: number) => {
  try {
    return getWorkflow(name, version);
  } catch {
    return undefined;
  }
};

export function anActor(role: Role, overrides: Partial<SignalActor> = {}): SignalActor {
  return { id: `${role}-1`, tenantId: 'gent', roles: [role], policyDomains: ['wonen'], ...overrides };
}

/** Valid fields for each command of signal-lifecycle v1. */
export const FIELDS: Record<string, JsonObject> = {
  submit: {
    title: 'Gezinnen vinden geen huurwoning',
    description: 'Sinds de zomer vinden gezinnen met kinderen geen betaalbare huurwoning in de wijk.',
    themes: ['wonen'],
  },
  triage: { motivation: 'Komt vaker voor in de wijk.' },
  assign: { assigneeId: 'processor-1', policyDomain: 'wonen' },
  reassign: { assigneeId: 'processor-2', motivation: 'Vakantie.' },
  'start-analysis': {},
  'request-info': { question: 'Gaat het ook om sociale huurwoningen?' },
  'provide-info': { answer: 'Ja, de wachtlijst is vier jaar.' },
  'record-analysis': { conclusion: 'Structureel tekort aan grote huurwoningen.', structural: true },
  escalate: { level: 'local', body: 'college', motivation: 'Vraagt een beleidskeuze.' },
  'record-policy-decision': { decision: 'De huurpremie wordt uitgebreid.' },
  close: { outcome: 'Huurpremie uitgebreid.', feedback: 'Dank voor uw signaal.' },
  reject: { reason: 'Individuele vraag.', feedback: 'Doorverwezen naar het OCMW.' },
  reopen: { reason: 'Nieuwe feiten.' },
  'add-note': { note: 'Opvolgen na de zomer.' },
};

const START = Date.UTC(2026, 2, 2, 9, 0, 0);

/** A signal's stream as the command handler writes it: decided events with the handler's metadata. */
export class SignalStory {
  readonly events: Array<{ type: string; data: JsonObject; metadata: JsonObject }> = [];
  private state: SignalState = decider.initialState;
  private minute = 0;

  constructor(
    readonly signalId: string,
    readonly tenantId = 'gent',
  ) {}

  get stream(): string {
    return signalStream(this.tenantId, this.signalId);
  }

  then(command: string, role: Role, fields: JsonObject = FIELDS[command] ?? {}): this {
    return this.decided(command, role, fields);
  }

  /**
   * `merge-into` as the decider records it, whatever the target: the decider is handed a target
   * that passes its checks and the event then names `targetSignalId` (itself, a missing signal, one
   * merged already…): what a store written by another writer, or a race, could hold. Sealed validly.
   */
  mergeInto(targetSignalId: string): this {
    const standIn = signalId(9999);
    const target: SignalState = { ...(this.state as ExistingSignal), signalId: standIn, state: 'triaged' };
    this.decided('merge-into', 'lead-processor', { targetSignalId: standIn }, target);
    const merged = this.events[this.events.length - 1]!;
    merged.data = { ...merged.data, targetSignalId };
    return this;
  }

  private decided(command: string, role: Role, fields: JsonObject, target?: SignalState): this {
    const actor = anActor(role, { tenantId: this.tenantId });
    const decided = decider.decide({ name: command, signalId: this.signalId, fields }, this.state, {
      actor,
      now: new Date(START + this.minute++ * 3_600_000),
      definitionForNewSignals: getWorkflow('signal-lifecycle', 1),
      ...(target ? { target } : {}),
    });
    for (const event of decided) {
      this.state = decider.evolve(this.state, event);
      const correlationId = deterministicUuid(this.signalId, String(this.events.length));
      this.events.push({
        type: event.type,
        data: event.data,
        metadata: { ...event.metadata, correlationId, causationId: correlationId },
      });
    }
    return this;
  }

  /** The commands this role may fire on the signal now, as the decider says. */
  allowed(role: Role): string[] {
    const actor = anActor(role, {
      tenantId: this.tenantId,
      id: role === 'processor' ? 'processor-1' : `${role}-1`,
    });
    return decider
      .allowedCommands(this.state, actor, getWorkflow('signal-lifecycle', 1))
      .map(({ name }) => name);
  }

  /** Any event, decider or not (a forgery), appended as the store would: with a valid seal. */
  append(event: { type: string; data: JsonObject; metadata: JsonObject }): this {
    this.events.push(event);
    return this;
  }

  /** A full, legal life: submitted, triaged, assigned, analysed with a question, closed. */
  static full(signalId: string, tenantId = 'gent'): SignalStory {
    return new SignalStory(signalId, tenantId)
      .then('submit', 'signal-giver')
      .then('triage', 'lead-processor')
      .then('assign', 'lead-processor')
      .then('start-analysis', 'processor')
      .then('request-info', 'processor')
      .then('provide-info', 'signal-giver')
      .then('add-note', 'processor')
      .then('record-analysis', 'processor')
      .then('close', 'lead-processor');
  }
}

/**
 * Seals streams as a store does and lays them out in one global order: one event of each stream
 * in turn, positions 1, 2, 3, …
 */
export function sealAndInterleave(
  streams: ReadonlyArray<{
    stream: string;
    events: ReadonlyArray<{ type: string; data: JsonObject; metadata: JsonObject }>;
  }>,
): VerifiableEvent[] {
  const sealed = streams.map(({ stream, events }) => {
    let previousHash = GENESIS_HASH;
    return events.map((event, revision) => {
      const hash = chainHash(
        stream,
        revision,
        event.type,
        canonicalParts(event.data, event.metadata),
        previousHash,
      );
      const metadata = { ...event.metadata, previousHash, hash };
      previousHash = hash;
      return {
        stream,
        revision: BigInt(revision),
        position: 0n,
        type: event.type,
        data: event.data,
        metadata,
      };
    });
  });
  const all: VerifiableEvent[] = [];
  const longest = Math.max(0, ...sealed.map((s) => s.length));
  for (let i = 0; i < longest; i++) {
    for (const events of sealed) {
      const event = events[i];
      if (event) all.push({ ...event, position: BigInt(all.length + 1) });
    }
  }
  return all;
}

export function signalId(n: number): string {
  return `0190${String(n).padStart(4, '0')}-0000-7000-8000-000000000000`;
}

/**
 * Seals events as a store does, in exactly the global order given (positions 1, 2, 3, …): for
 * rules across streams, where which came first is the point.
 */
export function sealInOrder(
  steps: ReadonlyArray<{ stream: string; event: { type: string; data: JsonObject; metadata: JsonObject } }>,
): VerifiableEvent[] {
  const heads = new Map<string, { revision: number; hash: string }>();
  return steps.map(({ stream, event }, index) => {
    const head = heads.get(stream) ?? { revision: -1, hash: GENESIS_HASH };
    const revision = head.revision + 1;
    const hash = chainHash(
      stream,
      revision,
      event.type,
      canonicalParts(event.data, event.metadata),
      head.hash,
    );
    heads.set(stream, { revision, hash });
    return {
      stream,
      revision: BigInt(revision),
      position: BigInt(index + 1),
      type: event.type,
      data: event.data,
      metadata: { ...event.metadata, previousHash: head.hash, hash },
    };
  });
}
