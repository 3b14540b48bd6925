import { Body, Controller, Get, HttpCode, Inject, Param, Patch, Post } from '@nestjs/common';
import type { AuthenticatedActor } from '../auth/actor.js';
import { CurrentActor, Roles } from '../auth/decorators.js';
import { ApiError } from '../platform/http/api-error.js';
import { answer } from './domain-error.http.js';
import type {
  OrganisationAnswer,
  OrganisationPage,
  TenantAnswer,
  TenantSettingsChanged,
} from './tenant-answers.js';
import { PeopleService } from '../people/people.service.js';
import { TenantsService } from './tenants.service.js';

/** The caller's own tenant (from the token): its profile and settings. */
@Controller('tenant')
export class TenantController {
  constructor(@Inject(TenantsService) private readonly tenants: TenantsService) {}

  @Get()
  @Roles('tenant-admin', 'lead-processor', 'official', 'auditor')
  async tenant(@CurrentActor() actor: AuthenticatedActor): Promise<TenantAnswer> {
    const state = await this.tenants.tenant(actor.tenantId);
    if (state.status !== 'exists') {
      throw new ApiError(
        404,
        'TENANT_NOT_FOUND',
        'Dit bestuur is nog niet aangemaakt door de platformbeheerder.',
      );
    }
    const { status: _status, ...tenant } = state;
    return tenant;
  }

  @Patch('settings')
  @Roles('tenant-admin')
  async changeSettings(
    @CurrentActor() actor: AuthenticatedActor,
    @Body() body: unknown,
  ): Promise<TenantSettingsChanged> {
    return answer(async () => {
      const { tenant, position } = await this.tenants.changeSettings(
        { id: actor.id, role: 'tenant-admin' },
        actor.tenantId,
        body,
      );
      return { settings: tenant.settings, position: position === null ? null : String(position) };
    });
  }
}

/** Partner organisations of the tenant with their engagement mode (DOMAIN.md). */
@Controller('organisations')
export class OrganisationsController {
  constructor(
    @Inject(TenantsService) private readonly tenants: TenantsService,
    @Inject(PeopleService) private readonly people: PeopleService,
  ) {}

  @Get()
  @Roles('tenant-admin', 'lead-processor', 'processor', 'partner-processor', 'official', 'auditor')
  async list(@CurrentActor() actor: AuthenticatedActor): Promise<OrganisationPage> {
    const items = await this.tenants.organisations(actor.tenantId);
    return { items: items.map(({ status: _status, ...organisation }) => organisation) };
  }

  @Post()
  @HttpCode(201)
  @Roles('tenant-admin')
  async register(
    @CurrentActor() actor: AuthenticatedActor,
    @Body() body: unknown,
  ): Promise<OrganisationAnswer> {
    return answer(async () => {
      const { status: _status, ...organisation } = await this.tenants.registerOrganisation(
        { id: actor.id, role: 'tenant-admin' },
        actor.tenantId,
        body,
      );
      return organisation;
    });
  }

  @Patch(':id')
  @Roles('tenant-admin')
  async change(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id') id: string,
    @Body() body: unknown,
  ): Promise<OrganisationAnswer> {
    return answer(async () => {
      // Who works there now: a new engagement mode must leave them the roles they hold.
      const staff = (await this.people.people(actor.tenantId)).filter(
        (person) => person.organisationId === id && !person.erased,
      );
      const { status: _status, ...organisation } = await this.tenants.changeOrganisation(
        { id: actor.id, role: 'tenant-admin' },
        actor.tenantId,
        id,
        body,
        staff,
      );
      return organisation;
    });
  }
}
