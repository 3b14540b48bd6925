import { AsyncLocalStorage } from 'node:async_hooks';

/** What every log line written while a request is handled carries: its correlation id. */
export interface RequestContext {
  correlationId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Runs `work` (a request's handling) with `context` as the current one, through every await. */
export function runInRequestContext<T>(context: RequestContext, work: () => T): T {
  return storage.run(context, work);
}

/** The correlation id of the request being handled, if any (none in threads and timers of their own). */
export function currentCorrelationId(): string | undefined {
  return storage.getStore()?.correlationId;
}
