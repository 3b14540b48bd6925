import type { LoggerService } from '@nestjs/common';
import { jsonLogLine, type JsonLogLevel } from '../json-log.js';

/** Where a JsonLogger's lines go: stdout, errors and warnings on stderr (as Nest's own logger). */
export type JsonLineWriter = (line: string, level: JsonLogLevel) => void;

const stdio: JsonLineWriter = (line, level) =>
  (level === 'info' || level === 'debug' || level === 'trace' ? process.stdout : process.stderr).write(line);

/** A stack trace as Nest passes one to `error` (its own test: a line, then indented `at …:1:2`). */
const STACK = /^(.)+\n\s+at .+:\d+:\d+/;

/**
 * The app's logger with LOG_FORMAT=json: one JSON object per line (json-log.ts), with the
 * correlation id of the request being handled. Takes Nest's calls as its ConsoleLogger does:
 * `log(message, context?)`, `error(message, stack?, context?)`; a message may be an object
 * (`{ msg, …fields }`, as the request log writes it).
 */
export class JsonLogger implements LoggerService {
  constructor(private readonly write: JsonLineWriter = stdio) {}

  log(message: unknown, ...optional: unknown[]): void {
    this.line('info', message, optional);
  }

  warn(message: unknown, ...optional: unknown[]): void {
    this.line('warn', message, optional);
  }

  debug(message: unknown, ...optional: unknown[]): void {
    this.line('debug', message, optional);
  }

  verbose(message: unknown, ...optional: unknown[]): void {
    this.line('trace', message, optional);
  }

  fatal(message: unknown, ...optional: unknown[]): void {
    this.line('fatal', message, optional, true);
  }

  error(message: unknown, ...optional: unknown[]): void {
    this.line('error', message, optional, true);
  }

  private line(level: JsonLogLevel, message: unknown, optional: unknown[], mayHaveStack = false): void {
    let context: string | undefined;
    let stack: string | undefined;
    const last = optional[optional.length - 1];
    if (optional.length === 1 && mayHaveStack && typeof last === 'string' && STACK.test(last)) stack = last;
    else if (typeof last === 'string') context = last;
    if (mayHaveStack && optional.length >= 2) {
      const beforeLast = optional[optional.length - 2];
      if (typeof beforeLast === 'string') stack = beforeLast;
    }
    this.write(jsonLogLine(level, context, message, stack), level);
  }
}
