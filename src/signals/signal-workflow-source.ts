import type { WorkflowDefinition } from '../../workflows/definition.js';
import { getWorkflow } from '../../workflows/registry.js';
import { DEFAULT_SIGNAL_WORKFLOW_VERSION } from './signal.repository.js';

/**
 * Which `signal-lifecycle` version a tenant's new signals start under. Running signals keep
 * theirs. The default answers v1 for every tenant; the tenant settings bind their own source
 * (`{ provide: SignalWorkflowSource, useClass: ... }`) once a tenant can choose.
 */
export abstract class SignalWorkflowSource {
  abstract versionForNewSignals(tenantId: string): Promise<number>;

  async definitionForNewSignals(tenantId: string): Promise<WorkflowDefinition> {
    return getWorkflow('signal-lifecycle', await this.versionForNewSignals(tenantId));
  }
}

export class FixedSignalWorkflowSource extends SignalWorkflowSource {
  constructor(private readonly version: number = DEFAULT_SIGNAL_WORKFLOW_VERSION) {
    super();
    getWorkflow('signal-lifecycle', version); // refuses an unknown version at start
  }

  versionForNewSignals(): Promise<number> {
    return Promise.resolve(this.version);
  }
}
