import { Logger, type LoggerService } from '@nestjs/common';
import type { Request } from 'express';
import { actorOf } from './auth/authenticated-request.js';
import type { CorrelationOptions, RequestLogEntry } from './platform/http/correlation.js';
import { JsonLogger, type JsonLineWriter } from './platform/http/json-logger.js';

/**
 * How the app logs (LOG_FORMAT): with `json`, a JsonLogger (one object per line, the request's
 * correlation id in each) and the request log as fields of a line; with `pretty`, Nest's console
 * logger and the request log as a line of text. The request log names the tenant and the opaque
 * person id of an authenticated request; never its query, body or headers, so never the text of
 * a signal. `write` replaces stdout/stderr (tests).
 */
export function appLogging(
  format: 'json' | 'pretty',
  write?: JsonLineWriter,
): { logger: LoggerService | undefined; correlation: CorrelationOptions } {
  const json = format === 'json';
  const http = new Logger('HTTP');
  const log = (entry: RequestLogEntry): void => {
    if (json) http.log({ msg: 'request', ...entry });
    else
      http.log(
        `${entry.method} ${entry.path} ${entry.status} ${entry.durationMs} ms${entry.aborted ? ' (aborted)' : ''}${entry.tenant ? ` ${entry.tenant}` : ''} [${entry.correlationId}]`,
      );
  };
  return {
    logger: json ? new JsonLogger(write) : undefined,
    correlation: { log, who: whoOf },
  };
}

/** The tenant and (opaque) person id of an authenticated request, for its request log line. */
function whoOf(request: Request): { tenant: string; actor: string } | undefined {
  const actor = actorOf(request);
  return actor ? { tenant: actor.tenantId, actor: actor.id } : undefined;
}
