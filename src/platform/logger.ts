import { jsonLogLine, logsAsJson } from './json-log.js';

/**
 * The log of the platform's own modules (stores, projection runners, rebuild lanes). Their lines go
 * to a sink: Nest's Logger once the app has started (AppModule sets it, so the app's logger
 * settings apply), lines in Nest's layout on the console everywhere else (CLI, worker threads).
 * These modules never load `@nestjs/common` themselves: it brings rxjs's ~230 modules, about a
 * quarter of a second on every thread that starts (a rebuild lane's thread was ready to work after
 * 360–430 ms with it, 120–210 ms without).
 */
export type LogLevel = 'log' | 'warn' | 'error';

export type LogSink = (level: LogLevel, context: string, message: string) => void;

const LEVEL_LABELS: Record<LogLevel, string> = { log: '    LOG', warn: '   WARN', error: '  ERROR' };

/**
 * Made at the first line, not when the module loads: building it took 16–26 ms, which every thread
 * that imports this module paid at its start whether it logged or not (a rebuild lane's thread
 * seldom does).
 */
let timestamp: Intl.DateTimeFormat | null = null;

function timestampFormat(): Intl.DateTimeFormat {
  return (timestamp ??= new Intl.DateTimeFormat(undefined, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }));
}

/**
 * One line as Nest's console logger lays it out (without colours), or as JSON with LOG_FORMAT=json
 * (json-log.ts; the app sets it for its threads too, main.ts): errors and warnings on stderr.
 */
export const consoleLogSink: LogSink = (level, context, message) => {
  const line = logsAsJson()
    ? jsonLogLine(level === 'log' ? 'info' : level, context, message)
    : `[Nest] ${process.pid}  - ${timestampFormat().format(new Date())} ${LEVEL_LABELS[level]} [${context}] ${message}\n`;
  (level === 'log' ? process.stdout : process.stderr).write(line);
};

let sink: LogSink = consoleLogSink;

/** Where the platform's lines go from now on in this thread; null: back to the console. */
export function setLogSink(next: LogSink | null): void {
  sink = next ?? consoleLogSink;
}

/** A named source of lines (the `[context]` of each), written to the current sink. */
export class PlatformLogger {
  constructor(readonly context: string) {}

  log(message: string): void {
    sink('log', this.context, message);
  }

  warn(message: string): void {
    sink('warn', this.context, message);
  }

  error(message: string): void {
    sink('error', this.context, message);
  }
}
