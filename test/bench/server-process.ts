import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * The real app in its own Node process, for load benches: the load generator in the bench process
 * and the server then do not share an event loop. Started from the built `dist/` (what `npm start`
 * runs), stopped by its own pid only.
 */

export interface HealthBody {
  status: string;
  eventStore: { adapter: string; ok: boolean; lastPosition?: string; detail?: string };
}

export interface ServerProcess {
  readonly pid: number;
  readonly port: number;
  readonly baseUrl: string;
  /** Resident set size of the server process in MiB (Linux /proc), null where unavailable. */
  rssMiB(): number | null;
  /**
   * CPU time (user + system, ms) the server has used so far: its main thread (the event loop) and
   * the whole process (worker threads, thread pool); null where /proc is not there. CPU time per
   * command hardly depends on what else loads the machine, unlike commands per second.
   */
  cpuMs(): { main: number; process: number } | null;
  health(): Promise<HealthBody>;
  /** The last few KiB the server wrote to stdout and stderr. */
  output(): string;
  /** Stops the server (SIGTERM, Nest's shutdown hooks close the store); waits for its exit. */
  stop(): Promise<void>;
}

export interface StartServerOptions {
  cwd: string;
  /** The built entry point, e.g. dist/src/main.js. */
  entry: string;
  env: Record<string, string>;
  /** When set, the server runs under --cpu-prof and writes its profile here on stop. */
  cpuProfileDir?: string;
  readyTimeoutMs?: number;
}

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}

/** VmRSS of a Linux process in MiB, null when /proc is not there or the process is gone. */
export function rssMiBOf(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** User + system CPU time of a Linux process, or of one of its threads, in ms. */
export function cpuMsOf(pid: number, thread?: number): number | null {
  try {
    const path = thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`;
    const stat = readFileSync(path, 'utf8');
    // Fields after the command name (which may hold spaces) start at state, field 3.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime (14), stime (15)
    return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** USER_HZ: 100 on every Linux this runs on (getconf CLK_TCK). */
const CLOCK_TICKS_PER_SECOND = 100;

// --cpu-prof writes its profile only on a normal exit: under profiling the bench stops the server
// with SIGUSR2, which this preload turns into process.exit(0).
const EXIT_ON_SIGUSR2 = `data:text/javascript,${encodeURIComponent(
  "process.on('SIGUSR2', () => process.exit(0));",
)}`;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function startServer(options: StartServerOptions): Promise<ServerProcess> {
  const port = await freePort();
  const host = '127.0.0.1';
  const baseUrl = `http://${host}:${port}`;
  const profiling = options.cpuProfileDir !== undefined;
  const args = [
    ...(profiling
      ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`, '--import', EXIT_ON_SIGUSR2]
      : []),
    options.entry,
  ];
  // HEALTH_DETAILS: the benches read the event store's group-commit figures from /health's detail.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HEALTH_DETAILS: 'on',
    ...options.env,
    PORT: String(port),
    HOST: host,
  };
  // The bench's own store and identity provider settings must not leak into the server.
  delete env['EVENTSTORE_CONNECTION_STRING'];
  delete env['JWKS_URL'];
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: options.cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error('the server process did not start');
  const pid = child.pid;
  let tail = '';
  const keep = (chunk: string): void => {
    tail = (tail + chunk).slice(-8000);
  };
  child.stdout?.setEncoding('utf8').on('data', keep);
  child.stderr?.setEncoding('utf8').on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const running = (): boolean => child.exitCode === null && child.signalCode === null;

  const health = async (): Promise<HealthBody> => {
    const response = await fetch(`${baseUrl}/health`);
    if (!response.ok) throw new Error(`GET /health answered ${response.status}`);
    return (await response.json()) as HealthBody;
  };

  const stop = async (): Promise<void> => {
    if (!running()) return;
    child.kill(profiling ? 'SIGUSR2' : 'SIGTERM');
    const timer = setTimeout(() => {
      if (running()) child.kill('SIGKILL');
    }, 15_000);
    await exited;
    clearTimeout(timer);
  };

  // Never leave the server behind, also when the bench fails or is interrupted.
  const onExit = (): void => {
    if (running()) child.kill('SIGKILL');
  };
  process.on('exit', onExit);
  void exited.then(() => process.off('exit', onExit));

  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  for (;;) {
    if (!running()) throw new Error(`the server exited before it was ready:\n${tail}`);
    try {
      const body = await health();
      if (body.status === 'ok') break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the server was not ready within ${options.readyTimeoutMs ?? 30_000} ms:\n${tail}`);
    }
    await sleep(100);
  }

  const cpuMs = (): { main: number; process: number } | null => {
    const main = cpuMsOf(pid, pid);
    const whole = cpuMsOf(pid);
    return main === null || whole === null ? null : { main, process: whole };
  };
  return { pid, port, baseUrl, rssMiB: () => rssMiBOf(pid), cpuMs, health, output: () => tail, stop };
}
