import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { logsAsJson } from '../json-log.js';
import { INTERNAL_ERROR, toApiError } from './error-mapping.js';

/** Every error leaves as `{ statusCode, code, message }`; never a stack trace, never request text. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');

  catch(error: unknown, host: ArgumentsHost): void {
    const context = host.switchToHttp();
    const response = context.getResponse<Response>();
    const request = context.getRequest<Request>();
    const body = toApiError(error, { contentEncoding: request.header('content-encoding') });
    if (!body) {
      const entry = {
        msg: 'unhandled error',
        method: request.method,
        path: request.route?.path ?? 'unknown',
        correlationId: request.header('x-correlation-id') ?? null,
        error:
          error instanceof Error
            ? { name: error.name, message: error.message, stack: error.stack }
            : String(error),
      };
      // As fields of the line in JSON logs (LOG_FORMAT=json, json-logger.ts), else as one line of JSON.
      this.logger.error(logsAsJson() ? entry : JSON.stringify(entry));
    }
    if (response.headersSent) return;
    const payload = body ?? INTERNAL_ERROR;
    response.status(payload.statusCode).json(payload);
  }
}
