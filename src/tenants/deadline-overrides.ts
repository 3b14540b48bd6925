import {
  definitionDeadlines,
  type DeadlinePolicy,
} from '../../workflows/signal-deadlines/signal-deadlines.js';
import type { WorkflowRef } from '../signals/signal.events.js';

/**
 * A tenant's override for a state (working days), else the definition's deadline. In a module of
 * its own, without Nest: the process workflows' thread (process-worker-main.ts) imported it from
 * the tenant policy, and with that policy's decorators `@nestjs/common` and rxjs's 226 modules.
 */
export function deadlineFromOverrides(
  overrides: ReadonlyMap<string, Readonly<Record<string, number>>>,
  tenantId: string,
  workflow: WorkflowRef,
  state: string,
): ReturnType<DeadlinePolicy> {
  const days = overrides.get(tenantId)?.[state];
  if (days !== undefined) return `P${days}D`;
  return definitionDeadlines(tenantId, workflow, state);
}
