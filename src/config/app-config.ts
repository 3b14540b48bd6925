import { resolve } from 'node:path';
import type { SynchronousMode } from '../platform/event-store/sqlite/schema.js';

/** Every environment variable the app reads, parsed once at start; the README lists them. */
export interface AppConfig {
  port: number;
  host: string;
  dataDir: string;
  eventStore:
    | { kind: 'sqlite'; file: string; synchronous: SynchronousMode }
    | { kind: 'eventstoredb'; connectionString: string };
}

export class ConfigError extends Error {
  readonly code = 'INVALID_CONFIGURATION';
}

const SYNCHRONOUS_MODES: readonly SynchronousMode[] = ['OFF', 'NORMAL', 'FULL', 'EXTRA'];

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const dataDir = resolve(env['DATA_DIR'] || 'data');
  const port = Number(env['PORT'] || 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT must be a port number, got "${env['PORT']}"`);
  }
  const synchronous = (env['SQLITE_SYNCHRONOUS'] || 'FULL').toUpperCase() as SynchronousMode;
  if (!SYNCHRONOUS_MODES.includes(synchronous)) {
    throw new ConfigError(`SQLITE_SYNCHRONOUS must be one of ${SYNCHRONOUS_MODES.join(', ')}`);
  }
  const esdb = env['EVENTSTORE_CONNECTION_STRING'];
  return {
    port,
    host: env['HOST'] || '127.0.0.1',
    dataDir,
    eventStore: esdb
      ? { kind: 'eventstoredb', connectionString: esdb }
      : { kind: 'sqlite', file: resolve(dataDir, 'events.sqlite'), synchronous },
  };
}
