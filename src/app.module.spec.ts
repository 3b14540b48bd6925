import { afterEach, describe, expect, it } from '@jest/globals';
import { ConsoleLogger, Logger, type LoggerService } from '@nestjs/common';
import { AppModule } from './app.module.js';
import { PlatformLogger, setLogSink } from './platform/logger.js';

describe('AppModule', () => {
  afterEach(() => {
    setLogSink(null);
    Logger.overrideLogger(new ConsoleLogger());
  });

  it("routes the platform's lines to Nest's Logger, so the app's logger settings apply to them", () => {
    const seen: string[] = [];
    const record =
      (level: string) =>
      (message: unknown, ...rest: unknown[]) =>
        seen.push(`${level} ${String(rest.at(-1))} ${String(message)}`);
    const logger: LoggerService = { log: record('log'), warn: record('warn'), error: record('error') };
    Logger.overrideLogger(logger);
    new AppModule();
    new PlatformLogger('Projections').log('signal-inbox v3 caught up');
    new PlatformLogger('ReadStore').warn('read models dropped');
    expect(seen).toEqual(['log Projections signal-inbox v3 caught up', 'warn ReadStore read models dropped']);
  });
});
