import { Controller, Get } from '@nestjs/common';
import type { AuthenticatedActor } from './actor.js';
import { CurrentActor } from './decorators.js';

/** Who am I: lets a client show the caller's tenant and roles without decoding the token itself. */
@Controller('me')
export class MeController {
  @Get()
  me(@CurrentActor() actor: AuthenticatedActor): AuthenticatedActor {
    return actor;
  }
}
