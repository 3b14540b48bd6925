import type { JsonObject, JsonValue } from '../../src/platform/json.js';
import type { ProcessInput, ProcessIntent, ProcessWorkflow } from '../process.js';

/** Dossier event types of the shared contract (owned by src/dossiers/dossier.events.ts). */
export const DOSSIER_ESCALATED = 'DossierEscalated';
export const DOSSIER_POLICY_DECISION_RECORDED = 'DossierPolicyDecisionRecorded';
export const DOSSIER_CLOSED = 'DossierClosed';
export const DOSSIER_CATEGORY = 'dossier';

export type FanOutState =
  | { status: 'open'; dossierId: string | null; fannedOut: number }
  | { status: 'completed'; dossierId: string };

function strings(value: JsonValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function text(data: JsonObject, key: string): string | null {
  const value = data[key];
  return typeof value === 'string' ? value : null;
}

/**
 * Escalating a dossier or recording a policy decision on it reaches every member signal: one
 * system command per member with the id `<dossier event id>:<signalId>` (a redelivered dossier
 * event or a crash midway never records a member twice), and for a decision the feedback to each
 * member's signal giver. The members are those the dossier event names.
 */
export const dossierFanOutWorkflow: ProcessWorkflow<FanOutState> = {
  name: 'dossier-fan-out',
  version: 1,
  inputs: [DOSSIER_ESCALATED, DOSSIER_POLICY_DECISION_RECORDED, DOSSIER_CLOSED],
  instanceOf(input: ProcessInput) {
    const dossierId = input.data['dossierId'];
    if (!input.stream.startsWith(`${DOSSIER_CATEGORY}-`) || typeof dossierId !== 'string') return null;
    return { tenantId: input.metadata.tenantId, key: dossierId };
  },
  record(input) {
    return {
      dossierId: input.data['dossierId'] ?? null,
      members: strings(input.data['memberSignalIds']).length,
    };
  },
  initialState: { status: 'open', dossierId: null, fannedOut: 0 },
  evolve(state, fact) {
    if (fact.kind !== 'input' || state.status === 'completed') return state;
    const dossierId = text(fact.data, 'dossierId') ?? state.dossierId ?? '';
    if (fact.type === DOSSIER_CLOSED) return { status: 'completed', dossierId };
    const members = fact.data['members'];
    return {
      status: 'open',
      dossierId,
      fannedOut: state.fannedOut + (typeof members === 'number' ? members : 0),
    };
  },
  decide(input, state): ProcessIntent[] {
    if (state.status === 'completed') return [];
    const { data } = input;
    const tenantId = input.metadata.tenantId;
    const dossierId = text(data, 'dossierId');
    if (dossierId === null) return [];
    if (input.type === DOSSIER_CLOSED) return [{ kind: 'complete' }];
    const members = [...new Set(strings(data['memberSignalIds']))];
    if (input.type === DOSSIER_ESCALATED) {
      const fields: JsonObject = { dossierId };
      for (const key of ['level', 'body', 'motivation']) {
        const value = text(data, key);
        if (value !== null) fields[key] = value;
      }
      return members.map((signalId) => ({
        kind: 'send',
        commandId: `${input.id}:${signalId}`,
        command: { target: 'signal', tenantId, signalId, name: 'record-dossier-escalation', fields },
      }));
    }
    const decision = text(data, 'decision');
    const feedback = text(data, 'feedback');
    const fields: JsonObject = { dossierId };
    if (decision !== null) fields['decision'] = decision;
    if (feedback !== null) fields['feedback'] = feedback;
    return members.flatMap((signalId): ProcessIntent[] => [
      {
        kind: 'send',
        commandId: `${input.id}:${signalId}`,
        command: { target: 'signal', tenantId, signalId, name: 'record-dossier-decision', fields },
      },
      {
        kind: 'notify',
        notificationId: `${input.id}:${signalId}:feedback`,
        notification: {
          tenantId,
          recipient: { kind: 'signal-giver', signalId },
          topic: 'dossier-feedback',
          signalId,
          subject: 'Feedback op je signaal: er is een beleidsbeslissing',
          body: `Je signaal maakt deel uit van een dossier waarover beslist is.\n\nBeslissing: ${decision ?? ''}\n\nFeedback: ${feedback ?? ''}`,
        },
      },
    ]);
  },
  onTimer() {
    return [];
  },
};
