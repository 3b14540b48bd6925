import { Global, Injectable, Module } from '@nestjs/common';

/**
 * Whether the app is shutting down (SIGTERM/SIGINT, `main.ts`): from then on, what holds a request
 * open on purpose ends at once (a live stream `GET /events/stream` closes; a read waiting for
 * `minPosition` answers with what the read models have, marked stale when they have not reached
 * it), so that the in-flight requests finish within the grace period.
 */
@Injectable()
export class HttpDrain {
  private readonly controller = new AbortController();

  /** Aborted when the shutdown begins. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get draining(): boolean {
    return this.controller.signal.aborted;
  }

  begin(): void {
    this.controller.abort();
  }
}

/** Calls `end` once the drain begins (at once when it has); returns the function that forgets it. */
export function onDrain(drain: HttpDrain, end: () => void): () => void {
  if (drain.draining) {
    end();
    return () => undefined;
  }
  drain.signal.addEventListener('abort', end, { once: true });
  return () => drain.signal.removeEventListener('abort', end);
}

@Global()
@Module({ providers: [HttpDrain], exports: [HttpDrain] })
export class HttpDrainModule {}
