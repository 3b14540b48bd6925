import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { SynchronousMode } from '../platform/event-store/sqlite/schema.js';
import type { LeaseStoreConfig } from '../platform/lease/create-lease-store.js';
import { loadReportingConfig } from '../reporting/reporting-config.js';
import {
  suppressionRules,
  SuppressionRulesError,
  type SuppressionRules,
} from '../supralocal/core/suppression.js';
import { hasErrorCode } from '../platform/system-errors.js';
import { decimalInteger } from './decimal-integer.js';

/** Every environment variable the app reads, parsed once at start; the README lists them. */
export interface AppConfig {
  port: number;
  host: string;
  /**
   * On SIGTERM/SIGINT, how long the requests in flight may take to finish before their connections
   * are cut (`SHUTDOWN_GRACE_MS`, 10 s by default); the shutdown hooks run after.
   */
  shutdownGraceMs: number;
  dataDir: string;
  eventStore:
    | { kind: 'sqlite'; file: string; synchronous: SynchronousMode }
    | { kind: 'eventstoredb'; connectionString: string };
  readStore: { kind: 'sqlite'; file: string } | { kind: 'mongodb'; uri: string };
  /** Where signals' data keys live: never in the event store (README, Privacy by design). */
  keyStore: { kind: 'sqlite'; file: string; synchronous: SynchronousMode } | { kind: 'mongodb'; uri: string };
  /** The daily retention sweep (`RETENTION_SWEEP`, on by default). */
  retentionSweep: boolean;
  /**
   * Whether the public `GET /health` names lease holders (host:pid) and the event store's own
   * detail (its host, raw error text) (`HEALTH_DETAILS`, off by default: the route needs no token).
   */
  healthDetails: boolean;
  /**
   * How the app writes its log (`LOG_FORMAT`): `json`, one object per line with the request's
   * correlation id, or `pretty`, Nest's console layout; by default `pretty` on a terminal, else `json`.
   */
  logFormat: 'json' | 'pretty';
  /**
   * The leases that let one instance at a time run the projection runner and the process
   * workflows: in Redis when REDIS_URL is set (under the deployment's key prefix,
   * BRIEF_QUEUE_PREFIX), else in DATA_DIR/leases.sqlite; `ttlMs` (LEASE_TTL_MS) is how long a
   * dead instance keeps a role from the others at most.
   */
  leases: { store: LeaseStoreConfig; ttlMs: number };
  /**
   * Where the projection runner runs (`PROJECTIONS`): a worker thread (default), the app's thread,
   * or `off` when another process keeps the read models and this one only reads them.
   */
  projections: 'thread' | 'inline' | 'off';
  /** Seed demo signals into an empty store at start (`DEMO_DATA`, on by default with embedded SQLite). */
  demoData: { signals: number } | null;
  /** Small-cell suppression of the supra-local views (`SUPRALOCAL_MIN_SIGNALS`, `SUPRALOCAL_MIN_GIVERS`; never below 5 and 3). */
  supralocal: SuppressionRules;
  auth: {
    issuer: string;
    audience: string;
    key: { kind: 'hs256'; secret: Uint8Array; development: boolean } | { kind: 'jwks'; url: string };
  };
}

export type AuthConfig = AppConfig['auth'];

export class ConfigError extends Error {
  readonly code = 'INVALID_CONFIGURATION';
}

const SYNCHRONOUS_MODES: readonly SynchronousMode[] = ['OFF', 'NORMAL', 'FULL', 'EXTRA'];

export interface LoadConfigOptions {
  /**
   * For a command that works on an existing store (the CLI's, except `tenant create`): on the
   * embedded event store, a DATA_DIR without `events.sqlite` is refused before anything is created
   * there (not even the development secret), so that a mistyped DATA_DIR does not give a clean
   * audit report of an empty store. A remote store (EVENTSTORE_CONNECTION_STRING) is not checked.
   */
  existingStore?: boolean;
  /**
   * For `npm run token`: where the token would be signed with the development secret, a DATA_DIR
   * that does not exist is refused instead of created with a new secret in it, which no app reads
   * (a mistyped DATA_DIR gave a token every app refused with 401).
   */
  existingDataDir?: boolean;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, options: LoadConfigOptions = {}): AppConfig {
  const dataDir = resolve(env['DATA_DIR'] || 'data');
  // Checked here, not left to the first mkdir or SQLite open (a raw EEXIST or ENOTDIR stack trace).
  if (existsSync(dataDir) && !statSync(dataDir).isDirectory()) {
    throw new ConfigError(`DATA_DIR must be a folder, but ${dataDir} is a file`);
  }
  if (options.existingStore && !env['EVENTSTORE_CONNECTION_STRING']) {
    const file = resolve(dataDir, 'events.sqlite');
    if (!existsSync(file)) {
      throw new ConfigError(
        `DATA_DIR ${dataDir} holds no event store (${file} does not exist): is DATA_DIR right? ` +
          'This command works on an existing store and created nothing.',
      );
    }
  }
  const port = decimalInteger(env['PORT'] || '3000');
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT must be a port number (0–65535, decimal digits), got "${env['PORT']}"`);
  }
  const synchronous = (env['SQLITE_SYNCHRONOUS'] || 'FULL').toUpperCase() as SynchronousMode;
  if (!SYNCHRONOUS_MODES.includes(synchronous)) {
    throw new ConfigError(`SQLITE_SYNCHRONOUS must be one of ${SYNCHRONOUS_MODES.join(', ')}`);
  }
  const esdb = env['EVENTSTORE_CONNECTION_STRING'];
  const auth = loadAuthConfig(env, dataDir, options);
  return {
    port,
    host: env['HOST'] || '127.0.0.1',
    shutdownGraceMs: parseShutdownGrace(env['SHUTDOWN_GRACE_MS']),
    dataDir,
    eventStore: esdb
      ? { kind: 'eventstoredb', connectionString: esdb }
      : { kind: 'sqlite', file: resolve(dataDir, 'events.sqlite'), synchronous },
    readStore: env['MONGODB_URI']
      ? { kind: 'mongodb', uri: env['MONGODB_URI'] }
      : { kind: 'sqlite', file: resolve(dataDir, 'read-models.sqlite') },
    keyStore: env['MONGODB_URI']
      ? { kind: 'mongodb', uri: env['MONGODB_URI'] }
      : { kind: 'sqlite', file: resolve(dataDir, 'keys.sqlite'), synchronous },
    retentionSweep: parseSwitch('RETENTION_SWEEP', env['RETENTION_SWEEP'], true),
    healthDetails: parseSwitch('HEALTH_DETAILS', env['HEALTH_DETAILS'], false),
    logFormat: parseLogFormat(env['LOG_FORMAT'], process.stdout.isTTY === true),
    leases: parseLeases(env, dataDir),
    demoData: parseDemoData(env['DEMO_DATA'], !esdb),
    projections: parseProjections(env['PROJECTIONS']),
    supralocal: parseSuppression(env['SUPRALOCAL_MIN_SIGNALS'], env['SUPRALOCAL_MIN_GIVERS']),
    auth,
  };
}

function parseSuppression(minSignals: string | undefined, minGivers: string | undefined): SuppressionRules {
  try {
    return suppressionRules(
      minSignals === undefined || minSignals === '' ? undefined : decimalInteger(minSignals),
      minGivers === undefined || minGivers === '' ? undefined : decimalInteger(minGivers),
    );
  } catch (error) {
    if (error instanceof SuppressionRulesError)
      throw new ConfigError(`SUPRALOCAL_MIN_SIGNALS / SUPRALOCAL_MIN_GIVERS: ${error.message}`);
    throw error;
  }
}

function parseLeases(env: NodeJS.ProcessEnv, dataDir: string): AppConfig['leases'] {
  const ttlMs = decimalInteger(env['LEASE_TTL_MS'] || '15000');
  if (!Number.isInteger(ttlMs) || ttlMs < 300 || ttlMs > 600_000) {
    throw new ConfigError(
      `LEASE_TTL_MS must be a whole number of ms from 300 to 600000, got "${env['LEASE_TTL_MS']}"`,
    );
  }
  // REDIS_URL and the deployment's key prefix as the brief queue reads them (one check of both).
  const { redisUrl, queuePrefix } = loadReportingConfig(env);
  return {
    store:
      redisUrl === null
        ? { kind: 'sqlite', file: resolve(dataDir, 'leases.sqlite') }
        : { kind: 'redis', url: redisUrl, prefix: queuePrefix },
    ttlMs,
  };
}

function parseShutdownGrace(value: string | undefined): number {
  const graceMs = decimalInteger(value || '10000');
  if (!Number.isInteger(graceMs) || graceMs < 0 || graceMs > 600_000) {
    throw new ConfigError(`SHUTDOWN_GRACE_MS must be a whole number of ms from 0 to 600000, got "${value}"`);
  }
  return graceMs;
}

function parseSwitch(name: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  if (/^(1|true|on|yes)$/i.test(value)) return true;
  if (/^(0|false|off|no)$/i.test(value)) return false;
  throw new ConfigError(`${name} must be on or off, got "${value}"`);
}

function parseLogFormat(value: string | undefined, terminal: boolean): 'json' | 'pretty' {
  if (value === undefined || value === '') return terminal ? 'pretty' : 'json';
  if (value === 'json' || value === 'pretty') return value;
  throw new ConfigError(`LOG_FORMAT must be json or pretty, got "${value}"`);
}

function parseProjections(value: string | undefined): 'thread' | 'inline' | 'off' {
  if (value === undefined || value === '' || value === 'thread') return 'thread';
  if (value === 'inline' || value === 'off') return value;
  throw new ConfigError(`PROJECTIONS must be thread, inline or off, got "${value}"`);
}

function parseDemoData(value: string | undefined, embedded: boolean): { signals: number } | null {
  if (value === undefined || value === '') return embedded ? { signals: 2000 } : null;
  if (/^(0|false|off|no)$/i.test(value)) return null;
  const signals = decimalInteger(value);
  if (!Number.isInteger(signals) || signals < 1 || signals > 1_000_000) {
    throw new ConfigError(`DEMO_DATA must be off or a number of signals (1–1000000), got "${value}"`);
  }
  return { signals };
}

const MIN_SECRET_BYTES = 32;
const DEV_SECRET_BYTES = 48;

export function devSecretFile(dataDir: string): string {
  return resolve(dataDir, 'dev-jwt-secret');
}

function loadAuthConfig(env: NodeJS.ProcessEnv, dataDir: string, options: LoadConfigOptions): AuthConfig {
  const issuer = env['JWT_ISSUER'] || 'lokaal-signaal';
  const audience = env['JWT_AUDIENCE'] || 'lokaal-signaal-api';
  const secret = env['JWT_SECRET'];
  const jwksUrl = env['JWKS_URL'];
  if (secret && jwksUrl) {
    throw new ConfigError('Set either JWT_SECRET or JWKS_URL, not both');
  }
  if (jwksUrl) return { issuer, audience, key: { kind: 'jwks', url: parseJwksUrl(jwksUrl) } };
  if (secret) {
    const bytes = new TextEncoder().encode(secret);
    if (bytes.byteLength < MIN_SECRET_BYTES) {
      throw new ConfigError(`JWT_SECRET must be at least ${MIN_SECRET_BYTES} bytes long`);
    }
    return { issuer, audience, key: { kind: 'hs256', secret: bytes, development: false } };
  }
  if (env['NODE_ENV'] === 'production') {
    throw new ConfigError(
      'NODE_ENV=production needs JWT_SECRET (at least 32 bytes) or JWKS_URL; the development secret is refused',
    );
  }
  if (options.existingDataDir && !existsSync(dataDir)) {
    throw new ConfigError(
      `DATA_DIR ${dataDir} does not exist, so it holds no development secret: is DATA_DIR right? ` +
        'Start the app once with it, or set JWT_SECRET. Nothing was created.',
    );
  }
  return {
    issuer,
    audience,
    key: { kind: 'hs256', secret: readOrCreateDevSecret(dataDir), development: true },
  };
}

function parseJwksUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`JWKS_URL must be a URL, got "${value}"`);
  }
  // Keys fetched over plain HTTP could be swapped in transit; loopback is allowed for local providers.
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new ConfigError('JWKS_URL must use https (http only for localhost)');
  }
  return url.href;
}

/**
 * The newcomer's default: a random secret kept beside the embedded data, so tokens minted by
 * `npm run token` stay valid across restarts. Written to a temporary file and linked into place,
 * so concurrent starters (server and CLI) agree on one complete secret.
 */
function readOrCreateDevSecret(dataDir: string): Uint8Array {
  const file = devSecretFile(dataDir);
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    writeFileSync(temporary, `${randomBytes(DEV_SECRET_BYTES).toString('base64url')}\n`, { mode: 0o600 });
    try {
      linkSync(temporary, file);
    } catch (error: unknown) {
      if (!hasErrorCode(error, 'EEXIST')) throw error;
    } finally {
      rmSync(temporary, { force: true });
    }
  }
  const secret = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url');
  if (secret.byteLength < MIN_SECRET_BYTES) {
    throw new ConfigError(`${file} does not hold a usable development secret; delete it to create a new one`);
  }
  return new Uint8Array(secret);
}
