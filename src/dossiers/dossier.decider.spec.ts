import { describe, expect, it } from '@jest/globals';
import { DossierDomainError } from './dossier.errors.js';
import {
  allowedDossierCommands,
  decideDossier,
  evolveDossier,
  initialDossierState,
  MAX_MEMBERS,
  type CandidateSignal,
  type DecidedDossierEvent,
  type DossierActor,
  type DossierCommand,
  type DossierState,
} from './dossier.decider.js';

const NOW = new Date('2026-03-02T09:00:00.000Z');
const LEAD: DossierActor = { id: 'lead-1', tenantId: 'gent', roles: ['lead-processor'] };
const PROCESSOR: DossierActor = { id: 'proc-1', tenantId: 'gent', roles: ['processor'] };
const D = 'd-1';
const [S1, S2, S3] = ['s-1', 's-2', 's-3'];

const accepted = (state = 'triaged', openDossierId: string | null = null): CandidateSignal => ({
  exists: true,
  state,
  previousState: null,
  openDossierId,
});

type Given = readonly DecidedDossierEvent[];

/** given(events).when(command, context).then(events | error code) */
function given(history: Given = []) {
  const state = history.reduce<DossierState>(evolveDossier, initialDossierState);
  return {
    state,
    when(
      command: DossierCommand,
      context: { actor?: DossierActor; candidates?: Record<string, CandidateSignal> } = {},
    ) {
      const run = () =>
        decideDossier(command, state, {
          actor: context.actor ?? LEAD,
          now: NOW,
          candidates: new Map(Object.entries(context.candidates ?? {})),
        });
      return {
        then: (expected: Array<{ type: string; data: object }>) => {
          const events = run();
          expect(events.map(({ type, data }) => ({ type, data }))).toEqual(expected);
          return events;
        },
        thenRefused: (code: string, details?: object) => {
          let error: unknown;
          try {
            run();
          } catch (caught) {
            error = caught;
          }
          expect(error).toBeInstanceOf(DossierDomainError);
          expect((error as DossierDomainError).code).toBe(code);
          if (details) expect((error as DossierDomainError).details).toMatchObject(details);
          expect((error as Error).message).toMatch(/[a-z]/);
        },
      };
    },
  };
}

const create = (signalIds = [S1, S2]): DossierCommand => ({
  name: 'create',
  dossierId: D,
  title: 'Betaalbaar wonen voor grote gezinnen',
  summary: 'Signalen over huurwoningen voor gezinnen met kinderen.',
  themes: ['wonen'],
  signalIds,
});

function created(signalIds = [S1, S2]): Given {
  return given()
    .when(create(signalIds), {
      candidates: Object.fromEntries(signalIds.map((id) => [id, accepted()])),
    })
    .then([
      {
        type: 'DossierCreated',
        data: {
          dossierId: D,
          title: 'Betaalbaar wonen voor grote gezinnen',
          summary: 'Signalen over huurwoningen voor gezinnen met kinderen.',
          themes: ['wonen'],
          signalIds,
        },
      },
    ]);
}

const analysis: DossierCommand = {
  name: 'record-analysis',
  dossierId: D,
  conclusion: 'Structureel tekort aan grote huurwoningen.',
  structural: true,
  themes: ['wonen', 'armoede-en-inkomen'],
};
const escalate: DossierCommand = {
  name: 'escalate',
  dossierId: D,
  level: 'local',
  body: 'college van burgemeester en schepenen',
  motivation: 'Vraagt een beleidskeuze.',
};
const decision: DossierCommand = {
  name: 'record-policy-decision',
  dossierId: D,
  decision: 'Huurpremie uitgebreid naar gezinnen met drie kinderen.',
  actions: ['Reglement aanpassen', 'Communicatie naar partners'],
  feedback: 'Dank voor uw signaal: de huurpremie wordt uitgebreid.',
};

function through(...commands: DossierCommand[]): Given {
  let history = created();
  for (const command of commands)
    history = [
      ...history,
      ...given(history)
        .when(command)
        .then([expect.anything()] as never),
    ];
  return history;
}

describe('dossier decider', () => {
  it('given nothing, when the lead creates a dossier from accepted signals, then DossierCreated with metadata', () => {
    const [event] = created();
    expect(event!.metadata).toEqual({
      tenantId: 'gent',
      actor: { id: 'lead-1', role: 'lead-processor' },
      occurredAt: NOW.toISOString(),
      dossier: { title: 'Betaalbaar wonen voor grote gezinnen', command: 'create', from: null, to: 'open' },
    });
  });

  it('refuses processors and every other role: only the lead processor bundles', () => {
    given()
      .when(create(), { actor: PROCESSOR, candidates: { [S1]: accepted(), [S2]: accepted() } })
      .thenRefused('ROLE_NOT_ALLOWED');
    given(created())
      .when(analysis, { actor: { ...PROCESSOR, roles: ['official'] } })
      .thenRefused('ROLE_NOT_ALLOWED');
  });

  it('refuses signals that are unknown (or of another tenant), not yet accepted, rejected or merged', () => {
    const cases: Array<[CandidateSignal, string]> = [
      [{ exists: false }, 'not-found'],
      [accepted('submitted'), 'not-triaged'],
      [
        { exists: true, state: 'awaiting-info', previousState: 'submitted', openDossierId: null },
        'not-triaged',
      ],
      [accepted('rejected'), 'rejected'],
      [accepted('merged'), 'merged'],
    ];
    for (const [candidate, reason] of cases) {
      given()
        .when(create([S1]), { candidates: { [S1]: candidate } })
        .thenRefused('SIGNAL_NOT_BUNDLABLE', {
          signalId: S1,
          reason,
        });
    }
    for (const state of [
      'triaged',
      'assigned',
      'in-analysis',
      'analysed',
      'escalated',
      'closed',
      'reopened',
    ]) {
      given()
        .when(create([S1]), { candidates: { [S1]: accepted(state) } })
        .then([expect.anything()] as never);
    }
    given()
      .when(create([S1]), {
        candidates: {
          [S1]: { exists: true, state: 'awaiting-info', previousState: 'assigned', openDossierId: null },
        },
      })
      .then([expect.anything()] as never);
  });

  it('refuses a signal that is in another open dossier, and duplicates or no signals at all', () => {
    given()
      .when(create([S1]), { candidates: { [S1]: accepted('triaged', 'd-9') } })
      .thenRefused('SIGNAL_IN_OTHER_DOSSIER', { dossierId: 'd-9' });
    given()
      .when(create([S1, S1]), { candidates: { [S1]: accepted() } })
      .thenRefused('FIELD_INVALID');
    given().when(create([]), {}).thenRefused('FIELD_INVALID');
    const many = Array.from({ length: MAX_MEMBERS + 1 }, (_, i) => `s-${i}`);
    given()
      .when(create(many), { candidates: Object.fromEntries(many.map((id) => [id, accepted()])) })
      .thenRefused('DOSSIER_TOO_LARGE');
  });

  it('refuses to create twice and commands on a dossier that does not exist or is of another tenant', () => {
    given(created())
      .when(create(), { candidates: { [S1]: accepted(), [S2]: accepted() } })
      .thenRefused('DOSSIER_ALREADY_EXISTS');
    given().when(analysis).thenRefused('DOSSIER_NOT_FOUND');
    given(created())
      .when(analysis, { actor: { ...LEAD, tenantId: 'eeklo' } })
      .thenRefused('DOSSIER_NOT_FOUND');
    given(created())
      .when(create(), {
        actor: { ...LEAD, tenantId: 'eeklo' },
        candidates: { [S1]: accepted(), [S2]: accepted() },
      })
      .thenRefused('DOSSIER_NOT_FOUND');
  });

  it('adds and removes members until it is escalated; never the last one, never twice', () => {
    const history = created();
    const added = given(history)
      .when(
        { name: 'add-signal', dossierId: D, signalId: S3 },
        { candidates: { [S3]: accepted('assigned') } },
      )
      .then([{ type: 'DossierSignalAdded', data: { dossierId: D, signalId: S3 } }]);
    const withS3 = [...history, ...added];
    expect(given(withS3).state).toMatchObject({ members: [S1, S2, S3] });
    given(withS3)
      .when(
        { name: 'add-signal', dossierId: D, signalId: S3 },
        { candidates: { [S3]: accepted('triaged', D) } },
      )
      .thenRefused('SIGNAL_ALREADY_IN_DOSSIER');
    const removed = given(withS3)
      .when({ name: 'remove-signal', dossierId: D, signalId: S1, reason: 'Ander probleem.' })
      .then([
        { type: 'DossierSignalRemoved', data: { dossierId: D, signalId: S1, reason: 'Ander probleem.' } },
      ]);
    expect(given([...withS3, ...removed]).state).toMatchObject({ members: [S2, S3] });
    given(withS3)
      .when({ name: 'remove-signal', dossierId: D, signalId: 'x', reason: 'r' })
      .thenRefused('SIGNAL_NOT_IN_DOSSIER');
    const single = created([S1]);
    given(single)
      .when({ name: 'remove-signal', dossierId: D, signalId: S1, reason: 'r' })
      .thenRefused('DOSSIER_WOULD_BE_EMPTY');
    expect(allowedDossierCommands(given(single).state, LEAD)).not.toContain('remove-signal');
  });

  it('escalates only after an analysis, with the members of that moment', () => {
    given(created()).when(escalate).thenRefused('TRANSITION_NOT_ALLOWED', { phase: 'open' });
    const history = through(analysis);
    given(history)
      .when(escalate)
      .then([
        {
          type: 'DossierEscalated',
          data: {
            dossierId: D,
            level: 'local',
            body: 'college van burgemeester en schepenen',
            motivation: 'Vraagt een beleidskeuze.',
            memberSignalIds: [S1, S2],
          },
        },
      ]);
  });

  it('fixes membership once escalated; decides only when escalated; escalates again supra-locally', () => {
    given(through(analysis)).when(decision).thenRefused('TRANSITION_NOT_ALLOWED');
    const escalated = through(analysis, escalate);
    given(escalated)
      .when({ name: 'add-signal', dossierId: D, signalId: S3 }, { candidates: { [S3]: accepted() } })
      .thenRefused('TRANSITION_NOT_ALLOWED', { phase: 'escalated' });
    given(escalated)
      .when({ name: 'remove-signal', dossierId: D, signalId: S1, reason: 'r' })
      .thenRefused('TRANSITION_NOT_ALLOWED');
    const [decided] = given(escalated)
      .when(decision)
      .then([
        {
          type: 'DossierPolicyDecisionRecorded',
          data: {
            dossierId: D,
            decision: 'Huurpremie uitgebreid naar gezinnen met drie kinderen.',
            actions: ['Reglement aanpassen', 'Communicatie naar partners'],
            feedback: 'Dank voor uw signaal: de huurpremie wordt uitgebreid.',
            memberSignalIds: [S1, S2],
          },
        },
      ]);
    expect(decided!.metadata.dossier).toEqual({
      title: 'Betaalbaar wonen voor grote gezinnen',
      command: 'record-policy-decision',
      from: 'escalated',
      to: 'decided',
    });
    const afterDecision = [...escalated, decided!];
    given(afterDecision)
      .when({ ...escalate, level: 'supralocal', body: 'VVSG' } as DossierCommand)
      .then([expect.anything()] as never);
    given(afterDecision)
      .when(decision)
      .then([expect.anything()] as never);
  });

  it('closes from any phase once, and refuses everything after', () => {
    const close: DossierCommand = { name: 'close', dossierId: D, outcome: 'Opgenomen in het meerjarenplan.' };
    for (const history of [
      created(),
      through(analysis),
      through(analysis, escalate),
      through(analysis, escalate, decision),
    ]) {
      const closed = [
        ...history,
        ...given(history)
          .when(close)
          .then([
            { type: 'DossierClosed', data: { dossierId: D, outcome: 'Opgenomen in het meerjarenplan.' } },
          ]),
      ];
      expect(given(closed).state).toMatchObject({ phase: 'closed' });
      for (const command of [
        close,
        analysis,
        escalate,
        decision,
        { name: 'add-signal', dossierId: D, signalId: S3 } as DossierCommand,
      ]) {
        given(closed)
          .when(command, { candidates: { [S3]: accepted() } })
          .thenRefused('TRANSITION_NOT_ALLOWED', { phase: 'closed' });
      }
      expect(allowedDossierCommands(given(closed).state, LEAD)).toEqual([]);
    }
  });

  it('lists allowed commands per phase for the lead, none for others', () => {
    expect(allowedDossierCommands(given(created()).state, LEAD)).toEqual([
      'add-signal',
      'remove-signal',
      'record-analysis',
      'close',
    ]);
    expect(allowedDossierCommands(given(through(analysis, escalate)).state, LEAD)).toEqual([
      'escalate',
      'record-policy-decision',
      'close',
    ]);
    expect(allowedDossierCommands(given(created()).state, PROCESSOR)).toEqual([]);
  });
});
