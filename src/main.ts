import 'reflect-metadata';
import { Logger, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { loadConfig } from './config/app-config.js';
import { appLogging } from './app-logging.js';
import { configureApp } from './platform/http/configure-app.js';
import { setupOpenApi } from './platform/http/openapi.js';
import { seedDemoData } from './demo/seed-demo-data.js';
import { seedDemoTenants } from './demo/seed-demo-tenants.js';
import { systemClock } from './platform/clock.js';
import { EventStore } from './platform/event-store/event-store.port.js';
import { DEMO_PASSWORD, DEMO_TENANT, seedDemoAccounts } from './demo/demo-accounts.js';
import { IdentityStore } from './people/identity-store.port.js';
import { PeopleService } from './people/people.service.js';
import { TenantsService } from './tenants/tenants.service.js';
import { webAppDir } from './platform/http/web-app.js';
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { GracefulHttpServer } from './platform/http/graceful-http-server.js';
import { HttpDrain } from './platform/http/http-drain.js';
import { join } from 'node:path';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  // The platform's own lines and the app's threads (they inherit the environment) follow it too.
  process.env['LOG_FORMAT'] = config.logFormat;
  const logging = appLogging(config.logFormat);
  const app = await NestFactory.create(AppModule, {
    bodyParser: false,
    ...(logging.logger ? { logger: logging.logger } : {}),
  });
  configureApp(app, logging.correlation);
  setupOpenApi(app);
  const server = new GracefulHttpServer(app.getHttpServer() as Server, app.get(HttpDrain));
  stopOnSignals(app, server, config.shutdownGraceMs);
  await app.listen(config.port, config.host);
  const adapter =
    config.eventStore.kind === 'sqlite' ? `SQLite at ${config.eventStore.file}` : 'EventStoreDB';
  if (config.demoData) {
    await seedIfEmpty(app.get(EventStore), config.demoData.signals);
    const created = await seedDemoAccounts(
      app.get(PeopleService),
      app.get(IdentityStore),
      app.get(TenantsService),
    );
    if (created > 0) {
      Logger.log(
        `created ${created} demo accounts for ${DEMO_TENANT} (password "${DEMO_PASSWORD}"; listed on the sign-in page)`,
        'DemoData',
      );
    }
  }
  const web = existsSync(join(webAppDir(), 'index.html'))
    ? `web app at http://${config.host}:${config.port}/`
    : 'no web app build (npm run build:web)';
  Logger.log(
    `Lokaal Signaal listening on http://${config.host}:${config.port} (event store: ${adapter}); API docs at /docs; ${web}`,
    'Bootstrap',
  );
}

/**
 * SIGTERM or SIGINT: the HTTP server drains (new connections refused, in-flight requests finish
 * within SHUTDOWN_GRACE_MS, see GracefulHttpServer), then Nest's shutdown hooks run (projection
 * runner, leases, stores) and the process exits 0 (1 when a hook failed). A second signal cuts
 * the requests still running instead of waiting for them.
 */
function stopOnSignals(app: INestApplication, server: GracefulHttpServer, graceMs: number): void {
  const logger = new Logger('Shutdown');
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      logger.warn(`${signal} again: cutting the requests still running`);
      server.cut();
      return;
    }
    stopping = true;
    logger.log(`${signal}: no new connections; waiting up to ${graceMs} ms for the requests in flight`);
    void (async () => {
      const { cut, elapsedMs } = await server.close(graceMs);
      if (cut > 0) logger.warn(`cut ${cut} connection(s) still open after ${elapsedMs} ms`);
      else logger.log(`requests finished in ${elapsedMs} ms; stopping`);
      await app.close();
    })().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error(
          `shutdown failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/** A newcomer's first start gets a populated system: demo signals through the real command path. */
async function seedIfEmpty(store: EventStore, signals: number): Promise<void> {
  for await (const _event of store.readAll({ limit: 1 })) return;
  const logger = new Logger('DemoData');
  logger.log(`empty event store: seeding ${signals} demo signals (DEMO_DATA=off to skip)`);
  const summary = await seedDemoData(store, { signals, seed: 42 });
  await seedDemoTenants(
    store,
    summary.tenants.map((t) => t.tenantId),
    systemClock,
  );
  logger.log(
    `seeded ${summary.signals} signals (${summary.eventsWritten} events) for ${summary.tenants.map((t) => t.tenantId).join(', ')} in ${(summary.elapsedMs / 1000).toFixed(1)} s`,
  );
}

bootstrap().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
