import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Role } from '../../workflows/roles.js';
import type { AuthenticatedActor } from './actor.js';
import { IS_PUBLIC_KEY, ROLES_KEY } from './auth.constants.js';
import { actorOf } from './authenticated-request.js';

/** Opens a route to anonymous callers; everything else needs a valid token (deny by default). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC_KEY, true);

/** The caller needs at least one of these roles (403 otherwise); on a handler it overrides the class. */
export const Roles = (...roles: [Role, ...Role[]]): MethodDecorator & ClassDecorator =>
  SetMetadata(ROLES_KEY, roles);

/** The verified caller, set by the global guard. */
export const CurrentActor = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuthenticatedActor => {
    const actor = actorOf(context.switchToHttp().getRequest());
    // Only reachable on a @Public() route, where no token was checked: a programming error.
    if (!actor) throw new Error('@CurrentActor() used on a route without authentication');
    return actor;
  },
);
