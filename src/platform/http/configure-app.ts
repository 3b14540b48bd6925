import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { ApiExceptionFilter } from './api-exception.filter.js';
import { correlate, type CorrelationOptions } from './correlation.js';
import { serveWebApp } from './web-app.js';

export const MAX_BODY_BYTES = 64 * 1024;

/**
 * HTTP hardening shared by `main.ts` and the e2e tests: a correlation id for every request (and,
 * with `options.log`, the request log), security headers, a body limit, JSON only, the web app's
 * pages and the one error shape. The app must be created with `{ bodyParser: false }`.
 */
export function configureApp(app: INestApplication, options: CorrelationOptions = {}): void {
  const express_ = app as NestExpressApplication;
  express_.disable('x-powered-by');
  express_.set('query parser', 'simple');
  app.use(correlate(options));
  app.use(helmet());
  app.use(requireJsonBody);
  app.use(express.json({ limit: MAX_BODY_BYTES, strict: true, type: () => true }));
  serveWebApp(app);
  app.useGlobalFilters(new ApiExceptionFilter());
}

function requireJsonBody(request: Request, response: Response, next: NextFunction): void {
  const hasBody =
    request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0;
  if (hasBody && !request.is('application/json')) {
    response.status(415).json({
      statusCode: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: 'Stuur de inhoud van het verzoek als JSON (Content-Type: application/json).',
    });
    return;
  }
  next();
}
