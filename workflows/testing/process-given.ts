import type { JsonObject } from '../../src/platform/json.js';
import type { DueTimer, ProcessFact, ProcessInput, ProcessIntent, ProcessWorkflow } from '../process.js';

let sequence = 0;

/** An input event as the store would deliver it. */
export function anInput(
  type: string,
  options: {
    stream: string;
    data: JsonObject;
    tenantId?: string;
    at?: string;
    id?: string;
    workflow?: JsonObject;
  },
): ProcessInput {
  sequence += 1;
  return {
    id: options.id ?? `00000000-0000-7000-8000-${String(sequence).padStart(12, '0')}`,
    type,
    stream: options.stream,
    position: String(sequence),
    data: options.data,
    metadata: {
      tenantId: options.tenantId ?? 'gent',
      occurredAt: options.at ?? '2026-03-02T09:00:00.000Z',
      actor: { id: 'lead-1', role: 'lead-processor' },
      ...(options.workflow ? { workflow: options.workflow } : {}),
    },
  };
}

/**
 * given(inputs handled before).when(input | timer).then(intents): the earlier inputs are decided
 * and folded as the runner records them, and timers that fired are folded too.
 */
export function givenProcess<State>(
  workflow: ProcessWorkflow<State>,
  history: ReadonlyArray<ProcessInput | DueTimer>,
) {
  const facts: ProcessFact[] = [];
  let state = workflow.initialState;
  for (const item of history) {
    const fact: ProcessFact =
      'timerId' in item
        ? { kind: 'timer-fired', timer: item, at: item.at }
        : { kind: 'input', type: item.type, at: item.metadata.occurredAt, data: workflow.record(item) };
    if (!('timerId' in item) && workflow.instanceOf(item) === null) continue;
    facts.push(fact);
    state = workflow.evolve(state, fact);
  }
  return {
    state,
    when(next: ProcessInput | DueTimer): ProcessIntent[] {
      return 'timerId' in next ? workflow.onTimer(next, state) : workflow.decide(next, state);
    },
  };
}
