import type { CommandBus } from '@nestjs/cqrs';
import { dossierFanOutWorkflow } from '../../workflows/dossier-fan-out/dossier-fan-out.js';
import { createSignalDeadlinesWorkflow } from '../../workflows/signal-deadlines/signal-deadlines.js';
import type { EventStore, RecordedEvent } from '../../src/platform/event-store/event-store.port.js';
import { streamName } from '../../src/platform/event-store/stream-name.js';
import { uuidv7 } from '../../src/platform/ids.js';
import type { JsonObject } from '../../src/platform/json.js';
import { ProcessRunner, type ProcessFaultPoint } from '../../src/platform/processes/process-runner.js';
import type {
  NotificationChannel,
  OutgoingMessage,
} from '../../src/processes/notifier/notification-channel.js';
import { ResolvingNotifier } from '../../src/processes/notifier/resolving-notifier.js';
import { SignalCommandGateway } from '../../src/processes/signal-command-gateway.js';
import { ExecuteSignalCommand } from '../../src/signals/execute-signal-command/execute-signal-command.command.js';
import { ExecuteSignalCommandHandler } from '../../src/signals/execute-signal-command/execute-signal-command.handler.js';
import { SignalRepository } from '../../src/signals/signal.repository.js';

export class RecordingChannel implements NotificationChannel {
  readonly name = 'test';
  readonly sent: OutgoingMessage[] = [];

  deliver(message: OutgoingMessage): Promise<void> {
    this.sent.push(message);
    return Promise.resolve();
  }
}

/** The runner with both workflows on the real signal command path, outside Nest. */
export function buildProcesses(
  store: EventStore,
  now: () => Date,
  faultHook?: (point: ProcessFaultPoint) => void,
  inputStore?: EventStore,
) {
  const signals = new SignalRepository(store);
  const handler = new ExecuteSignalCommandHandler(store, signals, { now });
  const commandBus = { execute: (command: ExecuteSignalCommand) => handler.execute(command) };
  const channel = new RecordingChannel();
  const runner = new ProcessRunner(
    store,
    [createSignalDeadlinesWorkflow(), dossierFanOutWorkflow],
    new SignalCommandGateway(commandBus as unknown as CommandBus),
    new ResolvingNotifier(signals, channel),
    {
      now,
      pollMs: 50,
      retryMs: 20,
      ...(faultHook ? { faultHook } : {}),
      ...(inputStore ? { inputStore } : {}),
    },
  );
  return { runner, handler, channel };
}

export const GIVER = {
  id: 'giver-1',
  tenantId: 'gent',
  roles: ['signal-giver' as const],
  organisationId: 'org-1',
  policyDomains: [],
};
export const LEAD = { id: 'lead-1', tenantId: 'gent', roles: ['lead-processor' as const], policyDomains: [] };

export async function submitSignal(handler: ExecuteSignalCommandHandler, index = 0): Promise<string> {
  const { result } = await handler.execute(
    new ExecuteSignalCommand({
      actor: GIVER,
      name: 'submit',
      fields: {
        title: `Wachtlijst jeugdhulp ${index}`,
        description: 'Jongeren wachten meer dan een jaar op een eerste gesprek.',
        themes: ['jeugd'],
      },
      correlationId: uuidv7(),
    }),
  );
  return result.signalId;
}

/** A dossier event of the shared contract, appended as the dossiers capability would. */
export async function appendDossierEvent(
  store: EventStore,
  dossierId: string,
  type: 'DossierEscalated' | 'DossierPolicyDecisionRecorded',
  memberSignalIds: string[],
  at: Date,
): Promise<string> {
  const id = uuidv7();
  const data: JsonObject =
    type === 'DossierEscalated'
      ? {
          dossierId,
          level: 'local',
          body: 'college van burgemeester en schepenen',
          motivation: 'Structureel tekort.',
          memberSignalIds,
        }
      : {
          dossierId,
          decision: 'Extra budget voor jeugdhulp.',
          actions: ['budget'],
          feedback: 'Dank voor uw signaal: er komt extra budget.',
          memberSignalIds,
        };
  await store.append(
    streamName('dossier', 'gent', dossierId),
    [
      {
        id,
        type,
        data,
        metadata: {
          tenantId: 'gent',
          actor: { id: 'lead-1', role: 'lead-processor' },
          correlationId: id,
          causationId: id,
          occurredAt: at.toISOString(),
        },
      },
    ],
    { expectedRevision: 'any' },
  );
  return id;
}

export async function eventsOfType(store: EventStore, type: string): Promise<RecordedEvent[]> {
  const found: RecordedEvent[] = [];
  for await (const event of store.readAll({ filter: { eventTypes: [type] } })) found.push(event);
  return found;
}

/** A child runner's clock: `nowIso` at its start, then running as the machine's. */
export function clockFrom(nowIso: string): () => Date {
  const base = Date.parse(nowIso);
  const startedAt = Date.now();
  return () => new Date(base + (Date.now() - startedAt));
}

/** A fault hook that kills this process with SIGKILL at the `killAfter`th `point` (never when 0). */
export function killAt(point: ProcessFaultPoint, killAfter: number): (reached: ProcessFaultPoint) => void {
  let seen = 0;
  return (reached) => {
    if (reached !== point) return;
    seen += 1;
    if (killAfter > 0 && seen >= killAfter) process.kill(process.pid, 'SIGKILL');
  };
}
