import type { WorkflowDefinition } from './definition.js';
import { validateDefinition } from './load-definition.js';
import signalLifecycleV1 from './signal-lifecycle/signal-lifecycle.v1.json' with { type: 'json' };
import signalLifecycleV2 from './signal-lifecycle/signal-lifecycle.v2.json' with { type: 'json' };

/**
 * Every shipped definition file, `workflows/<name>/<name>.v<version>.json`. Imported, not read
 * from disk, so that `nest build` copies them into dist/; a spec checks that none is missing.
 */
const SHIPPED: readonly unknown[] = [signalLifecycleV1, signalLifecycleV2];

export class UnknownWorkflowError extends Error {
  readonly code = 'UNKNOWN_WORKFLOW';
}

/** Validates definitions and orders them by name, then version; refuses a name@version twice. */
export function registerWorkflows(definitions: readonly unknown[]): readonly WorkflowDefinition[] {
  const validated = definitions.map((raw) => validateDefinition(raw));
  const seen = new Set<string>();
  for (const { name, version } of validated) {
    const id = `${name}@${version}`;
    if (seen.has(id)) throw new Error(`Workflow definition ${id} is shipped twice`);
    seen.add(id);
  }
  return Object.freeze([...validated].sort((a, b) => a.name.localeCompare(b.name) || a.version - b.version));
}

/** All shipped definitions, validated when this module loads: a broken one stops the start. */
export const WORKFLOWS: readonly WorkflowDefinition[] = registerWorkflows(SHIPPED);

export function getWorkflow(name: string, version: number): WorkflowDefinition {
  const found = WORKFLOWS.find((definition) => definition.name === name && definition.version === version);
  if (found) return found;
  const versions = WORKFLOWS.filter((definition) => definition.name === name).map((d) => d.version);
  throw new UnknownWorkflowError(
    versions.length === 0
      ? `Unknown workflow "${name}" (known: ${knownNames()})`
      : `Unknown version ${version} of workflow "${name}" (known versions: ${versions.join(', ')})`,
  );
}

/** The newest version of a workflow: the one a new signal starts under. */
export function latestWorkflow(name: string): WorkflowDefinition {
  const versions = WORKFLOWS.filter((definition) => definition.name === name);
  const latest = versions.at(-1);
  if (!latest) throw new UnknownWorkflowError(`Unknown workflow "${name}" (known: ${knownNames()})`);
  return latest;
}

function knownNames(): string {
  return [...new Set(WORKFLOWS.map((definition) => definition.name))].join(', ') || 'none';
}
