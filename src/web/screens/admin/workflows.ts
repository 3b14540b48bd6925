import v1 from '../../../../workflows/signal-lifecycle/signal-lifecycle.v1.json';
import v2 from '../../../../workflows/signal-lifecycle/signal-lifecycle.v2.json';

interface Definition {
  version: number;
  states: Record<string, { label?: string; terminal?: boolean; deadline?: string }>;
}

/** The signal-lifecycle versions a tenant can choose, with the states that have a deadline. */
export const WORKFLOW_VERSIONS: readonly Definition[] = [v1 as Definition, v2 as Definition];

export function deadlineStates(version: number): { state: string; label: string; days: number | null }[] {
  const definition = WORKFLOW_VERSIONS.find((d) => d.version === version);
  if (!definition) return [];
  return Object.entries(definition.states)
    .filter(([, s]) => !s.terminal)
    .map(([state, s]) => ({
      state,
      label: s.label ?? state,
      days: s.deadline ? Number(/^P(\d+)D$/.exec(s.deadline)?.[1] ?? NaN) || null : null,
    }));
}
