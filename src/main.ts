import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { loadConfig } from './config/app-config.js';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const app = await NestFactory.create(AppModule, { bufferLogs: false });
  app.enableShutdownHooks();
  await app.listen(config.port, config.host);
  const adapter =
    config.eventStore.kind === 'sqlite' ? `SQLite at ${config.eventStore.file}` : 'EventStoreDB';
  Logger.log(
    `Lokaal Signaal listening on http://${config.host}:${config.port} (event store: ${adapter})`,
    'Bootstrap',
  );
}

bootstrap().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
