import { Controller, Get, Inject, Optional } from '@nestjs/common';
import { TenantsService } from '../tenants/tenants.service.js';
import type { AuthenticatedActor } from './actor.js';
import { CurrentActor } from './decorators.js';

/** GET /me: the caller as the token proves it, with the name of their municipality. */
export type MeAnswer = AuthenticatedActor & {
  /** The tenant's name ("Gent"), for every role; null for a tenant the platform never created. */
  tenantName: string | null;
};

/** Who am I: lets a client show the caller's tenant and roles without decoding the token itself. */
@Controller('me')
export class MeController {
  constructor(@Optional() @Inject(TenantsService) private readonly tenants?: TenantsService) {}

  @Get()
  async me(@CurrentActor() actor: AuthenticatedActor): Promise<MeAnswer> {
    const tenant = this.tenants ? await this.tenants.tenant(actor.tenantId) : null;
    return { ...actor, tenantName: tenant?.status === 'exists' ? tenant.name : null };
  }
}
