import type { NextFunction, Request, Response } from 'express';
import { uuidv7 } from '../ids.js';
import { runInRequestContext } from '../request-context.js';

const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** The caller's `X-Correlation-Id` when it is a plain id (1–100 of A-Z a-z 0-9 . _ : -), else a new one. */
export function correlationIdOf(header: string | undefined): string {
  return header !== undefined && CORRELATION_ID.test(header) ? header : uuidv7();
}

/** One handled request, as the request log writes it: never its query, body or headers. */
export interface RequestLogEntry {
  method: string;
  /** The route as declared (`/signals/:id`), or the path asked for when no route matched (at most 200 characters). */
  path: string;
  status: number;
  durationMs: number;
  correlationId: string;
  /** The client went away before the answer was sent. */
  aborted?: true;
  tenant?: string;
  actor?: string;
}

export interface CorrelationOptions {
  /** Called once per request when its connection is done; none: no request log. */
  log?: (entry: RequestLogEntry) => void;
  /** The tenant and actor of an authenticated request (the auth guard knows them). */
  who?: (request: Request) => { tenant: string; actor: string } | undefined;
}

/**
 * Gives every request one correlation id: the caller's `X-Correlation-Id` when it is a plain id,
 * else a new one. It is put back on the request's headers, so that every reader (the commands'
 * event metadata, the audit reads, the error filter) takes the same id; sent back in the answer's
 * `X-Correlation-Id`; and current while the request is handled, so that each log line written
 * meanwhile carries it (request-context.ts). With `log`, writes one entry per request once its
 * connection is done (not for a healthy `GET /health`, which load balancers ask every few seconds).
 */
export function correlate(options: CorrelationOptions = {}) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const correlationId = correlationIdOf(request.header('x-correlation-id'));
    request.headers['x-correlation-id'] = correlationId;
    response.setHeader('X-Correlation-Id', correlationId);
    const { log, who } = options;
    if (log) {
      const started = performance.now();
      response.once('close', () => {
        const path = routeOf(request);
        if (path === '/health' && response.statusCode === 200) return;
        const entry: RequestLogEntry = {
          method: request.method,
          path,
          status: response.statusCode,
          durationMs: Math.round((performance.now() - started) * 10) / 10,
          correlationId,
        };
        if (!response.writableFinished) entry.aborted = true;
        const by = who?.(request);
        if (by) {
          entry.tenant = by.tenant;
          entry.actor = by.actor;
        }
        log(entry);
      });
    }
    runInRequestContext({ correlationId }, next);
  };
}

/** The declared route of a request (ids stay out of it), else its path, cut to 200 characters. */
function routeOf(request: Request): string {
  const route = (request.route as { path?: unknown } | undefined)?.path;
  if (typeof route === 'string') return `${request.baseUrl}${route}`;
  return request.path.slice(0, 200);
}
