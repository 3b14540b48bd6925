import { currentCorrelationId } from './request-context.js';

/**
 * Whether this process (or thread) logs JSON lines: LOG_FORMAT=json, which the app's entry points
 * put in the environment from their configuration (main.ts, the brief worker) and the app's
 * threads inherit. The one place that reads it.
 */
export function logsAsJson(): boolean {
  return process.env['LOG_FORMAT'] === 'json';
}

/** The levels of a JSON log line (pino's names: `info` where Nest says `log`). */
export type JsonLogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/** Keys every line sets itself: a structured message cannot overwrite them. */
const OWN_KEYS = new Set(['time', 'level', 'pid', 'context', 'correlationId', 'msg', 'stack']);

/**
 * One log line as JSON (LOG_FORMAT=json), newline-terminated: `time`, `level`, `pid`, `context`,
 * the `correlationId` of the request being handled (request-context.ts), then `msg`. A message that
 * is a plain object (`{ msg, …fields }`) gives its fields to the line; an Error gives its message,
 * and its stack unless `stack` is given.
 */
export function jsonLogLine(
  level: JsonLogLevel,
  context: string | undefined,
  message: unknown,
  stack?: string,
): string {
  const line: Record<string, unknown> = { time: new Date().toISOString(), level, pid: process.pid };
  if (context !== undefined) line['context'] = context;
  const correlationId = currentCorrelationId();
  if (correlationId !== undefined) line['correlationId'] = correlationId;
  if (isPlainObject(message)) {
    line['msg'] = typeof message['msg'] === 'string' ? message['msg'] : '';
    for (const [key, value] of Object.entries(message)) if (!OWN_KEYS.has(key)) line[key] = value;
  } else if (message instanceof Error) {
    line['msg'] = message.message;
    stack ??= message.stack;
  } else {
    line['msg'] = typeof message === 'string' ? message : String(message);
  }
  if (stack !== undefined) line['stack'] = stack;
  return `${safeStringify(line)}\n`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** JSON.stringify that never throws: a bigint as text, a cycle as "[cycle]". */
function safeStringify(line: Record<string, unknown>): string {
  const seen = new WeakSet<object>();
  return JSON.stringify(line, (_key, value: unknown) => {
    if (typeof value === 'bigint') return value.toString();
    if (typeof value === 'object' && value !== null) {
      if (seen.has(value)) return '[cycle]';
      seen.add(value);
    }
    return value;
  });
}
