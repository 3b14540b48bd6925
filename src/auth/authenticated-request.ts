import type { Request } from 'express';
import type { AuthenticatedActor } from './actor.js';

// A WeakMap rather than a property on the request: nothing else can set or spoof it.
const actors = new WeakMap<Request, AuthenticatedActor>();

export function attachActor(request: Request, actor: AuthenticatedActor): void {
  actors.set(request, actor);
}

export function actorOf(request: Request): AuthenticatedActor | undefined {
  return actors.get(request);
}
