import { Body, Controller, Get, HttpCode, Inject, Ip, Param, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { AuthenticatedActor } from '../auth/actor.js';
import { CurrentActor, Public, Roles } from '../auth/decorators.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_TENANT } from '../demo/demo-accounts.js';
import { ApiError } from '../platform/http/api-error.js';
import { isUuid } from '../platform/ids.js';
import { answer } from '../tenants/domain-error.http.js';
import { IDENTITY_CONFIG, type IdentityConfig } from './identity-config.js';
import { PeopleService } from './people.service.js';
import type { Assignee, PersonListItem, SignInOptions } from './people-answers.js';

/** Invites: issued by the tenant-admin or a lead processor, accepted without a token. */
@Controller('invites')
export class InvitesController {
  constructor(@Inject(PeopleService) private readonly people: PeopleService) {}

  @Post()
  @HttpCode(201)
  @Roles('tenant-admin', 'lead-processor')
  async invite(
    @CurrentActor() actor: AuthenticatedActor,
    @Body() body: unknown,
    @Res({ passthrough: true }) response: Response,
  ) {
    const role = actor.roles.includes('tenant-admin') ? 'tenant-admin' : 'lead-processor';
    return answer(
      () => this.people.invite({ id: actor.id, role, roles: actor.roles, tenantId: actor.tenantId }, body),
      response,
    );
  }

  @Public()
  @Post('accept')
  @HttpCode(201)
  async accept(@Body() body: unknown, @Ip() ip: string, @Res({ passthrough: true }) response: Response) {
    return answer(() => this.people.accept(body, ip), response);
  }
}

/** Login with a password or an OIDC ID token; refresh tokens rotate; logout ends the login's family. */
@Controller('auth')
export class LoginController {
  constructor(
    @Inject(PeopleService) private readonly people: PeopleService,
    @Inject(APP_CONFIG) private readonly appConfig: AppConfig,
    @Inject(IDENTITY_CONFIG) private readonly identityConfig: IdentityConfig,
  ) {}

  /**
   * What the sign-in page offers: an OIDC provider when one is configured and, on the embedded
   * demo setup only, the demo accounts (their password is public by design; `DEMO_DATA=off` in
   * production leaves them out, and they are not created there).
   */
  @Public()
  @Get('options')
  options(): SignInOptions {
    const oidc = this.identityConfig.oidc;
    return {
      oidc: oidc
        ? {
            issuer: oidc.issuer,
            audience: oidc.audience,
            // What the browser needs to send the person to the provider; null: no sign-in button.
            authorizationUrl: oidc.browser?.authorizationUrl ?? null,
            clientId: oidc.browser?.clientId ?? null,
            // 'code': the authorization code flow with PKCE, the code traded by this server
            // (OIDC_TOKEN_URL); 'id_token': the implicit ID-token flow.
            flow: oidc.browser ? (oidc.codeExchange ? 'code' : 'id_token') : null,
          }
        : null,
      demoAccounts: this.appConfig.demoData
        ? DEMO_ACCOUNTS.map((account) => ({
            tenant: DEMO_TENANT,
            email: account.email,
            roles: account.roles,
            password: DEMO_PASSWORD,
          }))
        : null,
    };
  }

  @Public()
  @Post('login')
  @HttpCode(200)
  async login(@Body() body: unknown, @Ip() ip: string, @Res({ passthrough: true }) response: Response) {
    response.setHeader('Cache-Control', 'no-store');
    return answer(() => this.people.login(body, ip), response);
  }

  /** A single-use nonce to send to the OIDC provider; its ID token must carry it back. */
  @Public()
  @Post('oidc/nonce')
  @HttpCode(201)
  async oidcNonce(@Ip() ip: string, @Res({ passthrough: true }) response: Response) {
    response.setHeader('Cache-Control', 'no-store');
    return answer(() => this.people.oidcNonce(ip), response);
  }

  @Public()
  @Post('oidc/login')
  @HttpCode(200)
  async oidcLogin(@Body() body: unknown, @Ip() ip: string, @Res({ passthrough: true }) response: Response) {
    response.setHeader('Cache-Control', 'no-store');
    return answer(() => this.people.oidcLogin(body, ip), response);
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  async refresh(@Body() body: unknown, @Res({ passthrough: true }) response: Response) {
    response.setHeader('Cache-Control', 'no-store');
    return answer(() => this.people.refresh(body), response);
  }

  @Public()
  @Post('logout')
  @HttpCode(204)
  async logout(@Body() body: unknown): Promise<void> {
    await answer(() => this.people.logout(body));
  }
}

/** The people of the tenant and their role grants (tenant-admin). */
@Controller('people')
@Roles('tenant-admin')
export class PeopleController {
  constructor(@Inject(PeopleService) private readonly people: PeopleService) {}

  @Get()
  async list(@CurrentActor() actor: AuthenticatedActor): Promise<{ items: PersonListItem[] }> {
    return { items: await this.people.people(actor.tenantId) };
  }

  /** Who a signal can be assigned to, by name: for the lead processor's assign form. */
  @Get('assignees')
  @Roles('lead-processor', 'tenant-admin')
  async assignees(@CurrentActor() actor: AuthenticatedActor): Promise<{ items: Assignee[] }> {
    return { items: await this.people.assignees(actor.tenantId) };
  }

  @Post(':id/roles')
  @HttpCode(200)
  async roles(@CurrentActor() actor: AuthenticatedActor, @Param('id') id: string, @Body() body: unknown) {
    const personId = personIdOf(id);
    return answer(() => this.people.changeRoles(actor, personId, body));
  }

  /** Erases the person's name and e-mail and ends their login; the history keeps the opaque id. */
  @Post(':id/erase')
  @HttpCode(200)
  async erase(@CurrentActor() actor: AuthenticatedActor, @Param('id') id: string, @Body() body: unknown) {
    const personId = personIdOf(id);
    return answer(() => this.people.erasePerson(actor, personId, body));
  }
}

/**
 * The person of a `/people/{id}/…` route. A person's id is the UUID minted when they accepted their
 * invite (what GET /people lists); a token's subject that is no such id (`lead-1`, a provider's
 * subject) names no person here. What can never be one is refused as for signals and dossiers
 * (400 INVALID_ID); a well-formed id of no person of the tenant stays 404 PERSON_NOT_FOUND.
 */
function personIdOf(id: string): string {
  if (!isUuid(id))
    throw new ApiError(
      400,
      'INVALID_ID',
      'Dit is geen geldige id van een persoon: gebruik de personId die GET /people geeft.',
    );
  return id;
}
