import { Inject, Injectable } from '@nestjs/common';
import { getWorkflow } from '../../workflows/registry.js';
import { EventStore, type RecordedEvent } from '../platform/event-store/event-store.port.js';
import { storedEventsOf } from '../privacy/encrypting-event-store.js';
import { createSignalDecider, type SignalState } from './signal.decider.js';
import {
  SIGNAL_WORKFLOW_MIGRATED,
  signalStream,
  type SignalSubmittedData,
  type SignalWorkflowMigratedData,
  type WorkflowRef,
} from './signal.events.js';

export const signalDecider = createSignalDecider((ref) => getWorkflow(ref.name, ref.version));

/** The version new signals start under unless a `SignalWorkflowSource` says otherwise (v1). */
export const DEFAULT_SIGNAL_WORKFLOW_VERSION = 1;

/** The default definition for new signals; per tenant, ask the injected `SignalWorkflowSource`. */
export function currentSignalWorkflow() {
  return getWorkflow('signal-lifecycle', DEFAULT_SIGNAL_WORKFLOW_VERSION);
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

  /**
   * The workflow a signal runs under: the one it was submitted under, or the last it was
   * migrated to; null when it does not exist.
   */
  async workflowOf(tenantId: string, signalId: string): Promise<WorkflowRef | null> {
    let workflow: WorkflowRef | null = null;
    // Workflow refs are never encrypted: read the events as stored, no text is decrypted.
    for await (const event of storedEventsOf(this.store).readStream(signalStream(tenantId, signalId))) {
      if (workflow === null) {
        const submitted = (event.data as Partial<SignalSubmittedData>).workflow;
        if (!submitted) return null;
        workflow = { name: submitted.name, version: submitted.version };
      } else if (event.type === SIGNAL_WORKFLOW_MIGRATED) {
        const to = (event.data as SignalWorkflowMigratedData).to;
        workflow = { name: to.name, version: to.version };
      }
    }
    return workflow;
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
