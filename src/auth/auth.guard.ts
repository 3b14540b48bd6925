import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  Logger,
  Optional,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import type { Role } from '../../workflows/roles.js';
import { ACCESS_REVOCATIONS, ACTOR_ENRICHER, type AccessRevocations, type ActorEnricher } from './actor.js';
import { IS_PUBLIC_KEY, ROLES_KEY } from './auth.constants.js';
import { attachActor } from './authenticated-request.js';
import { AuthenticationError, AuthProviderUnavailableError } from './errors.js';
import { TokenVerifier } from './token-verifier.js';

// Far above any real token; bounds the work spent on junk before verification.
const MAX_TOKEN_LENGTH = 8192;
const BEARER = /^Bearer +(\S+) *$/i;

/** Global guard: every route needs a verified bearer token unless marked @Public(). */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger('Auth');

  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(TokenVerifier) private readonly verifier: TokenVerifier,
    @Optional() @Inject(ACTOR_ENRICHER) private readonly enricher?: ActorEnricher,
    @Optional() @Inject(ACCESS_REVOCATIONS) private readonly revocations?: AccessRevocations,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets)) return true;

    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    try {
      const token = bearerToken(request);
      const actor = await this.verifier.verify(token);
      if (this.revocations) await this.revocations.check(actor, token);
      const required = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
      if (required && !required.some((role) => actor.roles.includes(role))) {
        throw new ForbiddenException({
          statusCode: 403,
          code: 'ROLE_NOT_ALLOWED',
          message: 'Je rol laat deze actie niet toe.',
        });
      }
      attachActor(request, this.enricher ? await this.enricher.enrich(actor) : actor);
      return true;
    } catch (error: unknown) {
      if (error instanceof AuthenticationError) {
        // RFC 6750: tell the client which scheme is expected and whether its token was the problem.
        response.setHeader(
          'WWW-Authenticate',
          error.code === 'UNAUTHENTICATED'
            ? 'Bearer realm="lokaal-signaal"'
            : 'Bearer realm="lokaal-signaal", error="invalid_token"',
        );
        throw new UnauthorizedException({ statusCode: 401, code: error.code, message: error.message });
      }
      if (error instanceof AuthProviderUnavailableError) {
        this.logger.warn(`identity provider unavailable: ${error.reason}`);
        throw new ServiceUnavailableException({ statusCode: 503, code: error.code, message: error.message });
      }
      throw error;
    }
  }
}

function bearerToken(request: Request): string {
  const header = request.headers.authorization;
  if (!header) throw new AuthenticationError('UNAUTHENTICATED', 'no Authorization header');
  const match = BEARER.exec(header);
  if (!match?.[1]) throw new AuthenticationError('UNAUTHENTICATED', 'Authorization is not a Bearer token');
  if (match[1].length > MAX_TOKEN_LENGTH) throw new AuthenticationError('TOKEN_INVALID', 'token too long');
  return match[1];
}
