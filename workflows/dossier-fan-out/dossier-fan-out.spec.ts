import { describe, expect, it } from '@jest/globals';
import { anInput, givenProcess } from '../testing/process-given.js';
import { dossierFanOutWorkflow as workflow } from './dossier-fan-out.js';

const DOSSIER = '0195f3c2-7b1a-7c3e-8d4f-000000000001';
const STREAM = `dossier-gent-${DOSSIER}`;
const MEMBERS = ['0195f3c2-7b1a-7c3e-8d4f-00000000000a', '0195f3c2-7b1a-7c3e-8d4f-00000000000b'];

const escalated = anInput('DossierEscalated', {
  stream: STREAM,
  data: {
    dossierId: DOSSIER,
    level: 'local',
    body: 'college',
    motivation: 'Structureel probleem.',
    memberSignalIds: MEMBERS,
  },
});
const decided = anInput('DossierPolicyDecisionRecorded', {
  stream: STREAM,
  data: {
    dossierId: DOSSIER,
    decision: 'Extra budget voor energiescans.',
    actions: ['energiescans'],
    feedback: 'Dank voor uw signaal: er komt een budget.',
    memberSignalIds: MEMBERS,
  },
});

describe('dossier-fan-out workflow', () => {
  it('given nothing, when a dossier is escalated, then one system command per member with the id <event id>:<signalId>', () => {
    expect(givenProcess(workflow, []).when(escalated)).toEqual(
      MEMBERS.map((signalId) => ({
        kind: 'send',
        commandId: `${escalated.id}:${signalId}`,
        command: {
          target: 'signal',
          tenantId: 'gent',
          signalId,
          name: 'record-dossier-escalation',
          fields: {
            dossierId: DOSSIER,
            level: 'local',
            body: 'college',
            motivation: 'Structureel probleem.',
          },
        },
      })),
    );
  });

  it('given an escalation, when a decision is recorded, then each member records it and its giver gets the feedback', () => {
    const intents = givenProcess(workflow, [escalated]).when(decided);
    expect(intents.filter((i) => i.kind === 'send')).toHaveLength(2);
    expect(intents[0]).toMatchObject({
      commandId: `${decided.id}:${MEMBERS[0]}`,
      command: {
        name: 'record-dossier-decision',
        fields: {
          dossierId: DOSSIER,
          decision: 'Extra budget voor energiescans.',
          feedback: 'Dank voor uw signaal: er komt een budget.',
        },
      },
    });
    expect(intents[1]).toMatchObject({
      kind: 'notify',
      notification: { recipient: { kind: 'signal-giver', signalId: MEMBERS[0] }, topic: 'dossier-feedback' },
    });
  });

  it('a member named twice gets one command', () => {
    const twice = anInput('DossierEscalated', {
      stream: STREAM,
      data: {
        dossierId: DOSSIER,
        level: 'supralocal',
        body: 'VVSG',
        motivation: 'Overal.',
        memberSignalIds: [MEMBERS[0]!, MEMBERS[0]!],
      },
    });
    expect(givenProcess(workflow, []).when(twice)).toHaveLength(1);
  });

  it('given a closed dossier, then it completes and later events fan out nothing', () => {
    const closed = anInput('DossierClosed', {
      stream: STREAM,
      data: { dossierId: DOSSIER, outcome: 'Opgelost.' },
    });
    expect(givenProcess(workflow, [escalated]).when(closed)).toEqual([{ kind: 'complete' }]);
    expect(givenProcess(workflow, [escalated, closed]).when(decided)).toEqual([]);
  });

  it('ignores events outside dossier streams', () => {
    expect(workflow.instanceOf({ ...escalated, stream: 'signal-gent-x' })).toBeNull();
  });
});
