import { Inject, Injectable } from '@nestjs/common';
import { SignalWorkflowSource } from '../signals/signal-workflow-source.js';
import { TenantSettings } from './tenants.service.js';

/** New signals start under the lifecycle version the tenant's settings choose (v1 by default). */
@Injectable()
export class TenantWorkflowSource extends SignalWorkflowSource {
  constructor(@Inject(TenantSettings) private readonly settings: TenantSettings) {
    super();
  }

  async versionForNewSignals(tenantId: string): Promise<number> {
    return (await this.settings.settingsOf(tenantId)).workflowVersion;
  }
}
