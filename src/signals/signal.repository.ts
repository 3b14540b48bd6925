import { Inject, Injectable } from '@nestjs/common';
import { latestWorkflow, getWorkflow } from '../../workflows/registry.js';
import { EventStore, type RecordedEvent } from '../platform/event-store/event-store.port.js';
import { createSignalDecider, type SignalState } from './signal.decider.js';
import { signalStream, type SignalSubmittedData, type WorkflowRef } from './signal.events.js';

export const signalDecider = createSignalDecider((ref) => getWorkflow(ref.name, ref.version));

export function currentSignalWorkflow() {
  return latestWorkflow('signal-lifecycle');
}

export interface LoadedSignal {
  stream: string;
  state: SignalState;
  /** Revision of the stream's last event, `no-stream` when the signal does not exist. */
  revision: bigint | 'no-stream';
  events: RecordedEvent[];
}

/** Reads a signal's stream and folds it; signal streams are short (tens of events). */
@Injectable()
export class SignalRepository {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  /** A signal known not to exist yet (a new id of our own making). */
  empty(tenantId: string, signalId: string): LoadedSignal {
    return {
      stream: signalStream(tenantId, signalId),
      state: signalDecider.initialState,
      revision: 'no-stream',
      events: [],
    };
  }

  /** The workflow a signal was submitted under, from its first event only; null when it does not exist. */
  async workflowOf(tenantId: string, signalId: string): Promise<WorkflowRef | null> {
    for await (const event of this.store.readStream(signalStream(tenantId, signalId), { limit: 1 })) {
      const workflow = (event.data as Partial<SignalSubmittedData>).workflow;
      return workflow ? { name: workflow.name, version: workflow.version } : null;
    }
    return null;
  }

  async load(
    tenantId: string,
    signalId: string,
    upTo?: (event: RecordedEvent) => boolean,
  ): Promise<LoadedSignal> {
    const stream = signalStream(tenantId, signalId);
    const events: RecordedEvent[] = [];
    let state: SignalState = signalDecider.initialState;
    let revision: bigint | 'no-stream' = 'no-stream';
    for await (const event of this.store.readStream(stream)) {
      if (upTo && !upTo(event)) break;
      events.push(event);
      state = signalDecider.evolve(state, event);
      revision = event.revision;
    }
    return { stream, state, revision, events };
  }
}
