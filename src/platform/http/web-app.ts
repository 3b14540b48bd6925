import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response } from 'express';

/** Paths the single-page app never takes over, even for a browser asking for HTML. */
const SERVER_PAGES = ['/docs', '/health'];

/** Where `npm run build` puts the web app; `WEB_DIR` points elsewhere (or at nothing). */
export function webAppDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env['WEB_DIR'] || join('dist', 'web'));
}

/**
 * Serves the built web app on the API's origin: hashed assets with a year's cache, and
 * `index.html` for a browser navigating to any other page (its `Accept` asks for HTML, not
 * JSON), so the app's own routes (`/inbox`, `/signalen/…`) survive a reload while API clients
 * asking for JSON at the same paths reach the API. Without a build, nothing is served.
 */
export function serveWebApp(app: INestApplication, dir: string = webAppDir()): boolean {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) return false;
  app.use(
    '/assets',
    express.static(join(dir, 'assets'), {
      immutable: true,
      maxAge: '365d',
      index: false,
      fallthrough: false,
    }),
  );
  // No directory redirects: `/signals/..%2F` must reach the API (and its 400), not a 301 to `/`.
  app.use(express.static(dir, { index: false, redirect: false, maxAge: '1h' }));
  app.use((request: Request, response: Response, next: NextFunction) => {
    if (!wantsAppPage(request)) return next();
    response.setHeader('Cache-Control', 'no-cache');
    response.sendFile(index);
  });
  return true;
}

function wantsAppPage(request: Request): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  if (SERVER_PAGES.some((page) => request.path === page || request.path.startsWith(`${page}/`))) return false;
  if (request.path.includes('.')) return false;
  const accept = request.headers.accept ?? '';
  return accept.includes('text/html') && request.query['format'] === undefined;
}
