import { applyDecorators, createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import type { Role } from '../../workflows/roles.js';
import type { AuthenticatedActor } from './actor.js';
import { IS_PUBLIC_KEY, PUBLIC_EXTENSION, ROLES_EXTENSION, ROLES_KEY } from './auth.constants.js';
import { actorOf } from './authenticated-request.js';

/**
 * Opens a route to anonymous callers; everything else needs a valid token (deny by default). The
 * OpenAPI document reads it too (`x-public`): such a route gets no token requirement and no 401.
 */
export const Public = (): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(IS_PUBLIC_KEY, true), ApiExtension(PUBLIC_EXTENSION, true));

/**
 * The caller needs at least one of these roles (403 otherwise); on a handler it overrides the
 * class. The OpenAPI document lists them (`x-roles`) and gives the route its 403.
 */
export const Roles = (...roles: [Role, ...Role[]]): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(ROLES_KEY, roles), ApiExtension(ROLES_EXTENSION, roles));

/** The verified caller, set by the global guard. */
export const CurrentActor = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuthenticatedActor => {
    const actor = actorOf(context.switchToHttp().getRequest());
    // Only reachable on a @Public() route, where no token was checked: a programming error.
    if (!actor) throw new Error('@CurrentActor() used on a route without authentication');
    return actor;
  },
);
