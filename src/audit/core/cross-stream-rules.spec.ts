import { describe, expect, it } from '@jest/globals';
import type { Role } from '../../../workflows/roles.js';
import type { JsonObject } from '../../platform/json.js';
import { ChainVerifier } from './chain-verifier.js';
import { lookupWorkflow, sealInOrder, SignalStory, signalId } from './testing/builders.js';
import type { ViolationKind } from './violations.js';

type StoredEvent = { type: string; data: JsonObject; metadata: JsonObject };
interface Story {
  readonly stream: string;
  readonly events: ReadonlyArray<StoredEvent>;
}

/** A dossier's stream, hand-built as the dossier decider records it (the rules read data and tenant). */
class DossierStory implements Story {
  readonly events: StoredEvent[] = [];

  constructor(
    readonly dossierId: string,
    readonly tenantId = 'gent',
  ) {}

  get stream(): string {
    return `dossier-${this.tenantId}-${this.dossierId}`;
  }

  private record(type: string, data: JsonObject): this {
    this.events.push({
      type,
      data: { dossierId: this.dossierId, ...data },
      metadata: {
        tenantId: this.tenantId,
        actor: { id: 'lead-processor-1', role: 'lead-processor' },
        occurredAt: '2026-03-02T09:00:00.000Z',
      },
    });
    return this;
  }

  create(...signalIds: string[]): this {
    return this.record('DossierCreated', {
      title: 'Wonen',
      summary: 'Te weinig huurwoningen.',
      themes: ['wonen'],
      signalIds,
    });
  }
  add(signalId: string): this {
    return this.record('DossierSignalAdded', { signalId });
  }
  remove(signalId: string): this {
    return this.record('DossierSignalRemoved', { signalId, reason: 'Past niet.' });
  }
  analyse(): this {
    return this.record('DossierAnalysisRecorded', {
      conclusion: 'Structureel.',
      structural: true,
      themes: ['wonen'],
    });
  }
  escalate(...memberSignalIds: string[]): this {
    return this.record('DossierEscalated', {
      level: 'local',
      body: 'college',
      motivation: 'Beleid.',
      memberSignalIds,
    });
  }
  decide(...memberSignalIds: string[]): this {
    return this.record('DossierPolicyDecisionRecorded', {
      decision: 'Huurpremie.',
      actions: [],
      feedback: 'Dank.',
      memberSignalIds,
    });
  }
  close(): this {
    return this.record('DossierClosed', { outcome: 'Afgerond.' });
  }
}

const SYSTEM = 'system' as Role;
const escalation = (dossierId: string): JsonObject => ({
  dossierId,
  level: 'local',
  body: 'college',
  motivation: 'Beleid.',
});

/**
 * given(stories).when(the global order: each story named takes its next event).then(violations).
 * Every story must be used up, so a test cannot leave events out by mistake.
 */
function given(...stories: Story[]) {
  return {
    when(...order: Story[]) {
      const next = new Map<Story, number>();
      const steps = order.map((story) => {
        const index = next.get(story) ?? 0;
        next.set(story, index + 1);
        const event = story.events[index];
        if (!event) throw new Error(`${story.stream} has no event ${index}`);
        return { stream: story.stream, event };
      });
      for (const story of stories) expect(next.get(story) ?? 0).toBe(story.events.length);
      const verifier = new ChainVerifier({ lookupWorkflow });
      for (const event of sealInOrder(steps)) verifier.feed(event);
      const report = verifier.finish();
      return {
        report,
        then(expected: Array<{ stream: string; revision: number; kind: ViolationKind }>) {
          expect(report.violations.map(({ stream, revision, kind }) => ({ stream, revision, kind }))).toEqual(
            expected,
          );
          expect(report.ok).toBe(expected.length === 0);
          return report;
        },
      };
    },
  };
}

/** Every event of each story in turn, story by story: the simplest global order. */
const oneAfterAnother = (...stories: Story[]) => stories.flatMap((story) => story.events.map(() => story));

const triaged = (n: number, tenant = 'gent') =>
  new SignalStory(signalId(n), tenant).then('submit', 'signal-giver').then('triage', 'lead-processor');

describe('the verifier across streams: merges', () => {
  it('finds nothing in merges the decider allows: into a triaged, a closed and a reopened signal, two into one', () => {
    const target = triaged(1);
    const closed = triaged(2).then('close', 'lead-processor');
    const reopened = new SignalStory(signalId(3))
      .then('submit', 'signal-giver')
      .then('reject', 'lead-processor')
      .then('reopen', 'lead-processor');
    const a = triaged(4).mergeInto(target.signalId);
    const b = triaged(5).mergeInto(target.signalId);
    const c = triaged(6).mergeInto(closed.signalId);
    const d = triaged(7).mergeInto(reopened.signalId);
    const stories = [target, closed, reopened, a, b, c, d];
    given(...stories)
      .when(...oneAfterAnother(...stories))
      .then([]);
  });

  it('finds a signal merged into itself', () => {
    const a = triaged(1);
    a.mergeInto(a.signalId);
    given(a)
      .when(...oneAfterAnother(a))
      .then([{ stream: a.stream, revision: 2, kind: 'merge-into-self' }]);
  });

  it('finds a merge into a signal that does not exist, exists only in another tenant, or was submitted after it', () => {
    const elsewhere = triaged(1, 'bornem');
    const later = triaged(2);
    const a = triaged(3).mergeInto(signalId(99));
    const b = triaged(4).mergeInto(elsewhere.signalId);
    const c = triaged(5).mergeInto(later.signalId);
    given(elsewhere, later, a, b, c)
      .when(...oneAfterAnother(elsewhere, a, b, c, later))
      .then([
        { stream: a.stream, revision: 2, kind: 'merge-target-missing' },
        { stream: b.stream, revision: 2, kind: 'merge-target-missing' },
        { stream: c.stream, revision: 2, kind: 'merge-target-missing' },
      ]);
  });

  it('finds a merge into a signal that was rejected or merged at that moment', () => {
    const rejected = new SignalStory(signalId(1))
      .then('submit', 'signal-giver')
      .then('reject', 'lead-processor');
    const end = triaged(2);
    const merged = triaged(3).mergeInto(end.signalId);
    const a = triaged(4).mergeInto(rejected.signalId);
    const b = triaged(5).mergeInto(merged.signalId);
    const report = given(rejected, end, merged, a, b)
      .when(...oneAfterAnother(rejected, end, merged, a, b))
      .then([
        { stream: a.stream, revision: 2, kind: 'merge-target-ineligible' },
        { stream: b.stream, revision: 2, kind: 'merge-target-ineligible' },
      ]);
    expect(report.violations[1]!.detail).toContain(`merged into ${end.signalId}`);
  });

  it('finds two signals merged into each other at once (the race) as a cycle, at the merge recorded second', () => {
    const a = triaged(1).mergeInto(signalId(2));
    const b = triaged(2).mergeInto(signalId(1));
    // Both were read before either merge was appended: a0 a1 b0 b1 a2 b2.
    const report = given(a, b)
      .when(a, a, b, b, a, b)
      .then([{ stream: b.stream, revision: 2, kind: 'merge-cycle' }]);
    expect(report.violations[0]!.detail).toBe(
      `closes a cycle of merges: ${signalId(2)} → ${signalId(1)} → ${signalId(2)}`,
    );
    expect(report.counts['merge-cycle']).toBe(1);
  });

  it('finds a longer cycle a → b → c → a where it closes', () => {
    const a = triaged(1).mergeInto(signalId(2));
    const b = triaged(2).mergeInto(signalId(3));
    const c = triaged(3).mergeInto(signalId(1));
    given(a, b, c)
      .when(a, a, b, b, c, c, b, a, c)
      .then([
        { stream: a.stream, revision: 2, kind: 'merge-target-ineligible' },
        { stream: c.stream, revision: 2, kind: 'merge-cycle' },
      ]);
  });

  it('checks merges within the tenant verified only', () => {
    const a = triaged(1).mergeInto(signalId(2));
    const b = triaged(2, 'bornem');
    // The same id in another tenant is another signal: gent's a names no signal of gent.
    given(a, b)
      .when(b, b, a, a, a)
      .then([{ stream: a.stream, revision: 2, kind: 'merge-target-missing' }]);
  });
});

describe('the verifier across streams: dossiers', () => {
  it('finds nothing when a signal joins a new dossier after the first was closed, or after it was removed', () => {
    const a = triaged(1).then('assign', 'lead-processor');
    const b = triaged(2);
    const c = triaged(3);
    const first = new DossierStory(signalId(101)).create(a.signalId, b.signalId).remove(b.signalId).close();
    const second = new DossierStory(signalId(102)).create(a.signalId).add(b.signalId).add(c.signalId);
    const stories = [a, b, c, first, second];
    given(...stories)
      .when(...oneAfterAnother(...stories))
      .then([]);
  });

  it('finds nothing in the fan-out of an escalation and a decision to its members, also after the dossier was closed', () => {
    const a = triaged(1);
    const d = new DossierStory(signalId(101))
      .create(a.signalId)
      .analyse()
      .escalate(a.signalId)
      .decide(a.signalId)
      .close();
    a.then('record-dossier-escalation', SYSTEM, escalation(d.dossierId)).then(
      'record-dossier-decision',
      SYSTEM,
      {
        dossierId: d.dossierId,
        decision: 'Huurpremie.',
        feedback: 'Dank.',
      },
    );
    given(a, d).when(a, a, d, d, d, a, d, d, a).then([]);
  });

  it('finds a signal that joins a second open dossier, by creation and by adding (the race)', () => {
    const a = triaged(1);
    const b = triaged(2);
    const first = new DossierStory(signalId(101)).create(a.signalId, b.signalId);
    const second = new DossierStory(signalId(102)).create(a.signalId);
    const third = new DossierStory(signalId(103)).create(signalId(3)).add(b.signalId);
    const c = triaged(3);
    const report = given(a, b, c, first, second, third)
      .when(...oneAfterAnother(a, b, c, first, second, third))
      .then([
        { stream: second.stream, revision: 0, kind: 'dossier-member-in-other-dossier' },
        { stream: third.stream, revision: 1, kind: 'dossier-member-in-other-dossier' },
      ]);
    expect(report.violations[0]!.detail).toContain(`open dossier ${first.dossierId}`);
  });

  it('finds a member that is no signal of the dossier’s tenant: unknown, of another tenant, or submitted later', () => {
    const elsewhere = triaged(1, 'bornem');
    const later = triaged(2);
    const d = new DossierStory(signalId(101))
      .create(signalId(99))
      .add(elsewhere.signalId)
      .add(later.signalId);
    given(elsewhere, later, d)
      .when(...oneAfterAnother(elsewhere, d, later))
      .then([
        { stream: d.stream, revision: 0, kind: 'dossier-member-missing' },
        { stream: d.stream, revision: 1, kind: 'dossier-member-missing' },
        { stream: d.stream, revision: 2, kind: 'dossier-member-missing' },
      ]);
  });

  it('finds a member that joined while only submitted, awaiting information before triage, rejected or merged', () => {
    const submitted = new SignalStory(signalId(1)).then('submit', 'signal-giver');
    const asked = new SignalStory(signalId(2))
      .then('submit', 'signal-giver')
      .then('request-info', 'lead-processor');
    const rejected = new SignalStory(signalId(3))
      .then('submit', 'signal-giver')
      .then('reject', 'lead-processor');
    const target = triaged(4);
    const merged = triaged(5).mergeInto(target.signalId);
    const d = new DossierStory(signalId(101))
      .create(submitted.signalId)
      .add(asked.signalId)
      .add(rejected.signalId)
      .add(merged.signalId)
      .add(target.signalId);
    const stories = [submitted, asked, rejected, target, merged, d];
    given(...stories)
      .when(...oneAfterAnother(...stories))
      .then(
        [0, 1, 2, 3].map((revision) => ({ stream: d.stream, revision, kind: 'dossier-member-ineligible' })),
      );
  });

  it('finds a fan-out event naming a dossier that does not exist or does not hold the signal', () => {
    const a = triaged(1);
    const b = triaged(2);
    const d = new DossierStory(signalId(101)).create(a.signalId).analyse().escalate(a.signalId);
    b.then('record-dossier-escalation', SYSTEM, escalation(d.dossierId)).then(
      'record-dossier-escalation',
      SYSTEM,
      escalation(signalId(199)),
    );
    given(a, b, d)
      .when(...oneAfterAnother(a, d, b))
      .then([
        { stream: b.stream, revision: 2, kind: 'dossier-reference-missing' },
        { stream: b.stream, revision: 3, kind: 'dossier-reference-missing' },
      ]);
  });

  it('reports a tampered merge by its chain finding only', () => {
    const a = triaged(1).mergeInto(signalId(1));
    const [s0, s1, s2] = a.events;
    const stored = sealInOrder([s0!, s1!, s2!].map((event) => ({ stream: a.stream, event })));
    stored[2] = { ...stored[2]!, data: { ...stored[2]!.data, motivation: 'Gewijzigd.' } };
    const verifier = new ChainVerifier({ lookupWorkflow });
    for (const event of stored) verifier.feed(event);
    expect(verifier.finish().violations.map((v) => v.kind)).toEqual(['hash-mismatch']);
  });
});
