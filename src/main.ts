import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { loadConfig } from './config/app-config.js';
import { configureApp } from './platform/http/configure-app.js';
import { setupOpenApi } from './platform/http/openapi.js';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const app = await NestFactory.create(AppModule, { bodyParser: false });
  configureApp(app);
  setupOpenApi(app);
  app.enableShutdownHooks();
  await app.listen(config.port, config.host);
  const adapter =
    config.eventStore.kind === 'sqlite' ? `SQLite at ${config.eventStore.file}` : 'EventStoreDB';
  Logger.log(
    `Lokaal Signaal listening on http://${config.host}:${config.port} (event store: ${adapter}); API docs at /docs`,
    'Bootstrap',
  );
}

bootstrap().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
