import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { SIGNAL_TEXT_ERASED } from '../../../projections/index.js';
import { canonicalParts, chainHash, recordedLink } from '../../platform/event-store/hash-chain.js';
import type { JsonObject } from '../../platform/json.js';
import { ChainVerifier, type VerifiableEvent, type VerifierOptions } from './chain-verifier.js';
import { lookupWorkflow, sealAndInterleave, SignalStory, signalId } from './testing/builders.js';
import type { ViolationKind } from './violations.js';

type Expected = { stream?: string; revision: number; kind: ViolationKind };
type Tamper = (events: VerifiableEvent[]) => VerifiableEvent[];
type Stream = {
  stream: string;
  events: ReadonlyArray<{ type: string; data: JsonObject; metadata: JsonObject }>;
};

/** given(streams, sealed and interleaved).when(a tamper of the stored rows).then(violations). */
function given(...streams: Stream[]) {
  const stored = sealAndInterleave(streams);
  return {
    stored,
    when(...tampers: Tamper[]) {
      const events = tampers.reduce((current, tamper) => tamper(current), stored);
      return {
        verify(options: Partial<VerifierOptions> = {}) {
          const verifier = new ChainVerifier({ lookupWorkflow, ...options });
          for (const event of [...events].sort((a, b) => Number(a.position - b.position)))
            verifier.feed(event);
          return verifier.finish();
        },
        then(expected: Expected[]) {
          const report = this.verify();
          const found = report.violations.map(({ stream, revision, kind }) => ({ stream, revision, kind }));
          expect(found).toEqual(
            expected.map((e) => ({
              stream: e.stream ?? streams[0]!.stream,
              revision: e.revision,
              kind: e.kind,
            })),
          );
          expect(report.ok).toBe(expected.length === 0);
          return report;
        },
      };
    },
  };
}

// ---- tampers: what someone with write access to the rows could do ----

const at = (event: VerifiableEvent, stream: string, revision: number) =>
  event.stream === stream && event.revision === BigInt(revision);

const editData =
  (stream: string, revision: number, patch: JsonObject): Tamper =>
  (events) =>
    events.map((e) => (at(e, stream, revision) ? { ...e, data: { ...e.data, ...patch } } : e));

const editMetadata =
  (stream: string, revision: number, patch: JsonObject): Tamper =>
  (events) =>
    events.map((e) => (at(e, stream, revision) ? { ...e, metadata: { ...e.metadata, ...patch } } : e));

const remove =
  (stream: string, ...revisions: number[]): Tamper =>
  (events) =>
    events.filter((e) => !revisions.some((r) => at(e, stream, r)));

/** UPDATE events SET revision = … : the rows keep their place in the log, the stream order changes. */
const swapRevisionNumbers =
  (stream: string, a: number, b: number): Tamper =>
  (events) =>
    events.map((e) =>
      at(e, stream, a) ? { ...e, revision: BigInt(b) } : at(e, stream, b) ? { ...e, revision: BigInt(a) } : e,
    );

/** Exchanges what two rows say, leaving revision and position columns as they were. */
const swapContents =
  (stream: string, a: number, b: number): Tamper =>
  (events) => {
    const ea = events.find((e) => at(e, stream, a))!;
    const eb = events.find((e) => at(e, stream, b))!;
    const content = (e: VerifiableEvent) => ({ type: e.type, data: e.data, metadata: e.metadata });
    return events.map((e) => (e === ea ? { ...e, ...content(eb) } : e === eb ? { ...e, ...content(ea) } : e));
  };

/** Replaces an event with new content, sealed correctly onto the event before it. */
const reseal =
  (stream: string, revision: number, patch: JsonObject): Tamper =>
  (events) =>
    events.map((e) => {
      if (!at(e, stream, revision)) return e;
      const previousHash = recordedLink(e.metadata)!.previousHash;
      const data = { ...e.data, ...patch };
      const { hash: _hash, previousHash: _previous, ...metadata } = e.metadata;
      const hash = chainHash(stream, revision, e.type, canonicalParts(data, metadata), previousHash);
      return { ...e, data, metadata: { ...metadata, previousHash, hash } };
    });

const s1 = SignalStory.full(signalId(1));
const s2 = SignalStory.full(signalId(2));
const auditLog: Stream = {
  stream: 'audit-gent',
  events: [1, 2, 3].map((n) => ({
    type: 'AuditRead',
    data: { read: 'history', signalId: signalId(n) },
    metadata: {
      tenantId: 'gent',
      actor: { id: 'auditor-1', role: 'auditor' },
      occurredAt: '2026-03-03T10:00:00.000Z',
    },
  })),
};

describe('ChainVerifier: an untouched store', () => {
  it('finds nothing in interleaved signal and audit streams, and counts what it saw', () => {
    const report = given(s1, s2, auditLog).when().then([]);
    expect(report).toMatchObject({ ok: true, events: 9 + 9 + 3, streams: 3, truncated: false });
    expect(Object.values(report.counts).every((n) => n === 0)).toBe(true);
  });

  it('lets an erasure pass: it is no transition and it is sealed like any event', () => {
    const erased = SignalStory.full(signalId(3)).append({
      type: SIGNAL_TEXT_ERASED,
      data: { signalId: signalId(3) },
      metadata: {
        tenantId: 'gent',
        actor: { id: 'lead-1', role: 'lead-processor' },
        occurredAt: '2026-04-01T00:00:00.000Z',
      },
    });
    given(erased).when().then([]);
  });
});

describe('ChainVerifier: tampered rows', () => {
  it('reports edited data as hash-mismatch at that revision only', () => {
    given(s1, s2)
      .when(editData(s1.stream, 3, { title: 'Iets anders' }))
      .then([{ revision: 3, kind: 'hash-mismatch' }]);
  });

  it('reports a changed actor in the metadata as hash-mismatch', () => {
    given(s1, s2)
      .when(editMetadata(s1.stream, 2, { actor: { id: 'someone-else', role: 'lead-processor' } }))
      .then([{ revision: 2, kind: 'hash-mismatch' }]);
  });

  it('reports a deleted event as missing-event, once, and nothing after it', () => {
    given(s1, s2)
      .when(remove(s1.stream, 4))
      .then([{ revision: 4, kind: 'missing-event' }]);
  });

  it('names a run of deleted events, also at the start of a stream', () => {
    const report = given(s1, s2)
      .when(remove(s1.stream, 0), remove(s2.stream, 3, 4, 5))
      .then([
        { revision: 0, kind: 'missing-event' },
        { stream: s2.stream, revision: 3, kind: 'missing-event' },
      ]);
    expect(report.violations.map((v) => v.detail)).toEqual([
      'revision 0 is missing',
      'revisions 3–5 are missing',
    ]);
  });

  it('reports two events swapped in the stream (their revision numbers exchanged) as out-of-order', () => {
    given(s1, s2)
      .when(swapRevisionNumbers(s1.stream, 3, 4))
      .then([
        { revision: 3, kind: 'out-of-order' },
        { revision: 4, kind: 'out-of-order' },
      ]);
  });

  it('reports two events swapped in place (their contents exchanged) as out-of-order too', () => {
    const report = given(s1, s2)
      .when(swapContents(s1.stream, 2, 5))
      .then([
        { revision: 2, kind: 'out-of-order' },
        { revision: 5, kind: 'out-of-order' },
      ]);
    expect(report.violations.map((v) => v.detail)).toEqual([
      'holds the sealed event of revision 5',
      'holds the sealed event of revision 2',
    ]);
  });

  it('reports an event replaced by one sealed anew as chain-broken at the next revision', () => {
    given(s1)
      .when(reseal(s1.stream, 3, { assigneeId: 'iemand-anders' }))
      .then([{ revision: 4, kind: 'chain-broken' }]);
  });

  it('reports an event without a seal as hash-missing', () => {
    given(s1)
      .when((events) =>
        events.map((e) => {
          if (!at(e, s1.stream, 6)) return e;
          const { hash: _h, previousHash: _p, ...metadata } = e.metadata;
          return { ...e, metadata };
        }),
      )
      .then([{ revision: 6, kind: 'hash-missing' }]);
  });

  it('finds a revision stored twice', () => {
    given(s1)
      .when((events) => [...events, { ...events[2]!, position: 100n }])
      .then([{ revision: 2, kind: 'out-of-order' }]);
  });
});

describe('ChainVerifier: transitions re-checked against the definition they claim', () => {
  const forged = (
    story: SignalStory,
    patch: { type?: string; workflow?: JsonObject; role?: string; tenantId?: string },
  ) => {
    const last = story.events[story.events.length - 1]!;
    const workflow = last.metadata['workflow'] as JsonObject;
    return story.append({
      type: patch.type ?? last.type,
      data: { signalId: story.signalId },
      metadata: {
        ...last.metadata,
        tenantId: patch.tenantId ?? 'gent',
        actor: { id: 'forger', role: patch.role ?? 'lead-processor' },
        workflow: { ...workflow, ...patch.workflow },
      },
    });
  };

  it('reports a close fired from submitted by a processor, appended with a valid seal, as illegal-transition', () => {
    const story = forged(new SignalStory(signalId(7)).then('submit', 'signal-giver'), {
      type: 'SignalClosed',
      role: 'processor',
      workflow: { command: 'close', from: 'submitted', to: 'closed' },
    });
    const report = given(story)
      .when()
      .then([{ revision: 1, kind: 'illegal-transition' }]);
    expect(report.violations[0]!.detail).toBe(
      "role processor may not fire 'close' (allowed: lead-processor); 'close' cannot be fired in submitted (only in triaged, analysed, escalated)",
    );
  });

  it('reports a role the definition does not allow, in a state it does', () => {
    const story = forged(new SignalStory(signalId(8)).then('submit', 'signal-giver'), {
      type: 'SignalTriaged',
      role: 'signal-giver',
      workflow: { command: 'triage', from: 'submitted', to: 'triaged' },
    });
    given(story)
      .when()
      .then([{ revision: 1, kind: 'illegal-transition' }]);
  });

  it('reports a transition that claims the wrong target, and an event that claims another from-state', () => {
    const wrongTarget = forged(new SignalStory(signalId(9)).then('submit', 'signal-giver'), {
      type: 'SignalTriaged',
      workflow: { command: 'triage', from: 'submitted', to: 'assigned' },
    });
    const wrongFrom = forged(new SignalStory(signalId(10)).then('submit', 'signal-giver'), {
      type: 'SignalTriaged',
      workflow: { command: 'triage', from: 'reopened', to: 'triaged' },
    });
    const report = given(wrongTarget, wrongFrom)
      .when()
      .then([
        { revision: 1, kind: 'illegal-transition' },
        { stream: wrongFrom.stream, revision: 1, kind: 'illegal-transition' },
      ]);
    expect(report.violations.map((v) => v.detail)).toEqual([
      "'triage' in submitted leads to triaged, not to assigned",
      'the event leaves reopened, but the signal was in submitted',
    ]);
  });

  it('reports a version switch after submission, a wrong tenant, and an unknown event type', () => {
    const v2 = forged(new SignalStory(signalId(11)).then('submit', 'signal-giver'), {
      type: 'SignalTriaged',
      workflow: { command: 'triage', from: 'submitted', to: 'triaged', version: 99 },
    });
    const tenant = forged(new SignalStory(signalId(12)).then('submit', 'signal-giver'), {
      type: 'SignalTriaged',
      tenantId: 'eeklo',
      workflow: { command: 'triage', from: 'submitted', to: 'triaged' },
    });
    const unknownType = new SignalStory(signalId(13)).then('submit', 'signal-giver').append({
      type: 'SignalApproved',
      data: { signalId: signalId(13) },
      metadata: {
        tenantId: 'gent',
        actor: { id: 'x', role: 'lead-processor' },
        occurredAt: '2026-03-03T00:00:00.000Z',
      },
    });
    const report = given(v2, tenant, unknownType)
      .when()
      .then([
        { revision: 1, kind: 'unknown-workflow' },
        { stream: tenant.stream, revision: 1, kind: 'illegal-transition' },
        { stream: unknownType.stream, revision: 1, kind: 'illegal-transition' },
      ]);
    expect(report.violations[1]!.detail).toBe(`recorded for tenant eeklo in a stream of tenant gent`);
  });

  it('reports a signal whose first event is no submission', () => {
    const story = new SignalStory(signalId(14))
      .then('submit', 'signal-giver')
      .then('triage', 'lead-processor');
    given({ stream: story.stream, events: story.events.slice(1) })
      .when()
      .then([{ revision: 0, kind: 'illegal-transition' }]);
  });

  it('follows @previous as the decider does: an answer returns the signal where it was', () => {
    const story = new SignalStory(signalId(15))
      .then('submit', 'signal-giver')
      .then('request-info', 'lead-processor')
      .then('provide-info', 'signal-giver')
      .then('triage', 'lead-processor');
    given(story).when().then([]);
    const wrong = new SignalStory(signalId(16))
      .then('submit', 'signal-giver')
      .then('request-info', 'lead-processor');
    forged(wrong, {
      type: 'InformationProvided',
      workflow: { command: 'provide-info', from: 'awaiting-info', to: 'assigned' },
    });
    given(wrong)
      .when()
      .then([{ revision: 2, kind: 'illegal-transition' }]);
  });
});

describe('ChainVerifier: bounded memory and report size', () => {
  it('reports a gap once the events held back for it pass the bound, and goes on', () => {
    const long: Stream = {
      stream: 'audit-gent',
      events: Array.from({ length: 50 }, (_, i) => ({
        type: 'AuditRead',
        data: { n: i },
        metadata: {
          tenantId: 'gent',
          actor: { id: 'a', role: 'auditor' },
          occurredAt: '2026-03-03T00:00:00.000Z',
        },
      })),
    };
    const scenario = given(long).when(remove('audit-gent', 1));
    const bounded = scenario.verify({ maxPendingPerStream: 5 });
    expect(bounded.violations.map(({ revision, kind }) => ({ revision, kind }))).toEqual([
      { revision: 1, kind: 'missing-event' },
    ]);
    expect(scenario.verify().violations).toEqual(bounded.violations);
  });

  it('keeps at most maxViolations in the report but counts them all', () => {
    const report = given(s1)
      .when(
        editData(s1.stream, 1, { a: 1 }),
        editData(s1.stream, 2, { a: 1 }),
        editData(s1.stream, 3, { a: 1 }),
      )
      .verify({ maxViolations: 2 });
    expect(report).toMatchObject({ ok: false, truncated: true, counts: { 'hash-mismatch': 3 } });
    expect(report.violations).toHaveLength(2);
  });
});

describe('ChainVerifier agrees with the decider', () => {
  const roles = ['signal-giver', 'lead-processor', 'processor', 'partner-processor'] as const;

  it('finds nothing in any history the decider allows', () => {
    const lengths: number[] = [];
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 40 }), (choices) => {
        const story = new SignalStory(signalId(99)).then('submit', 'signal-giver');
        for (const choice of choices) {
          const options = roles.flatMap((role) =>
            story
              .allowed(role)
              .filter((name) => name !== 'merge-into')
              .map((name) => [name, role] as const),
          );
          if (options.length === 0) break;
          const [command, role] = options[choice % options.length]!;
          story.then(command, role);
        }
        const clean = given(story).when().verify();
        lengths.push(story.events.length);
        return clean.ok && clean.events === story.events.length;
      }),
      { numRuns: 200 },
    );
    // The walks do get somewhere: long lives with reopenings, not only submissions.
    expect(Math.max(...lengths)).toBeGreaterThan(10);
  });
});
