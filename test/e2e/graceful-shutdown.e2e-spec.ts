import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../bench/server-process.js';
import { startTsChild, type RunningChild } from '../support/processes.js';
import { TEST_JWT_SECRET, tokenFor } from '../support/tokens.js';

/**
 * SIGTERM to the app (`src/main.ts` in its own process, as a rolling deploy or `docker stop` sends
 * it): no request that reached it is dropped. Projections and process workflows in the app's
 * thread: the worker threads' entry points are compiled JavaScript, which a run from source lacks.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'ls-shutdown-'));
const children: RunningChild[] = [];
afterAll(() => {
  for (const { child } of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

const GRACE_MS = 8000;

async function startApp(name: string): Promise<{ app: RunningChild; port: number }> {
  const port = await freePort();
  const app = startTsChild('src/main.ts', [], {
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: join(dataDir, name),
    DEMO_DATA: 'off',
    PROJECTIONS: 'inline',
    PROCESS_WORKFLOWS: 'off',
    JWT_SECRET: TEST_JWT_SECRET,
    JWKS_URL: '',
    EVENTSTORE_CONNECTION_STRING: '',
    MONGODB_URI: '',
    REDIS_URL: '',
    LOG_FORMAT: 'json',
    SHUTDOWN_GRACE_MS: String(GRACE_MS),
  });
  children.push(app);
  await app.waitForLine((line) => line.includes('Lokaal Signaal listening'), 60_000);
  return { app, port };
}

/** One HTTP/1.1 connection of its own, written by hand: what was sent and answered stays visible. */
class RawConnection {
  answer = '';
  closedAt: number | null = null;
  readonly closed: Promise<void>;
  error: string | null = null;

  private constructor(readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (this.answer += chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => (this.error = error.code ?? error.message));
    this.closed = new Promise((resolve) =>
      socket.once('close', () => {
        this.closedAt = Date.now();
        resolve();
      }),
    );
  }

  static open(port: number): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  send(text: string): void {
    this.socket.write(text);
  }

  /** Resolves once the answer holds `text`. */
  async until(text: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.answer.includes(text)) {
      if (Date.now() > deadline) throw new Error(`no "${text}" within ${timeoutMs} ms; got: ${this.answer}`);
      if (this.closedAt !== null) throw new Error(`closed before "${text}"; got: ${this.answer}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

function statusOf(answer: string): number {
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1]);
}

function headerOf(answer: string, name: string): string | undefined {
  const head = answer.split('\r\n\r\n')[0] ?? '';
  const line = head.split('\r\n').find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(name.length + 1).trim();
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('SIGTERM: the app drains its HTTP connections before it stops', () => {
  it('finishes the requests in flight, refuses new connections, ends streams and waits, and exits 0', async () => {
    const { app, port } = await startApp('drain');
    const token = await tokenFor({ sub: 'lead-1', tenant: 'gent', roles: ['lead-processor'] });

    // A login whose body is still on its way: in flight when the signal comes.
    const login = await RawConnection.open(port);
    const body = JSON.stringify({ tenant: 'gent', email: 'niemand@gent.demo', password: 'geen-wachtwoord' });
    login.send(
      `POST /auth/login HTTP/1.1\r\nHost: app\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 10)}`,
    );
    // A keep-alive connection that answered once and is idle now.
    const idle = await RawConnection.open(port);
    idle.send('GET /health HTTP/1.1\r\nHost: app\r\n\r\n');
    await idle.until('"status":"ok"');
    // A live stream.
    const stream = await RawConnection.open(port);
    stream.send(`GET /events/stream HTTP/1.1\r\nHost: app\r\nAuthorization: Bearer ${token}\r\n\r\n`);
    await stream.until(': verbonden');
    // A read waiting for a position the read models will not reach (it would wait 2 s).
    const waiting = await RawConnection.open(port);
    waiting.send(
      `GET /signals?minPosition=999999999 HTTP/1.1\r\nHost: app\r\nAuthorization: Bearer ${token}\r\n\r\n`,
    );
    await sleep(200);
    expect(waiting.answer).toBe('');

    const signalledAt = Date.now();
    app.child.kill('SIGTERM');

    // The stream and the waiting read end at once; the read answers with what is there, marked stale.
    await stream.closed;
    await waiting.until('"items"');
    expect(Date.now() - signalledAt).toBeLessThan(1500);
    expect(statusOf(waiting.answer)).toBe(200);
    expect(headerOf(waiting.answer, 'X-Read-Model-Stale')).toBe('true');
    expect(headerOf(waiting.answer, 'Connection')).toBe('close');

    // A new connection is refused.
    const refused = await RawConnection.open(port).then(
      (connection) => {
        connection.socket.destroy();
        return 'accepted';
      },
      (error: NodeJS.ErrnoException) => error.code,
    );
    expect(refused).toBe('ECONNREFUSED');

    // The login in flight gets its normal answer, telling the client to close the connection.
    await sleep(300);
    expect(login.closedAt).toBeNull();
    login.send(body.slice(10));
    await login.until('LOGIN_FAILED');
    expect(statusOf(login.answer)).toBe(401);
    expect(headerOf(login.answer, 'Connection')).toBe('close');
    await login.closed;
    expect(login.error).toBeNull();

    // The idle keep-alive connection was closed, and the process exits 0 well within the grace period.
    await idle.closed;
    const exit = await app.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalledAt).toBeLessThan(GRACE_MS);
  }, 90_000);

  it('answers every request keep-alive clients under load had sent: none fails on its connection', async () => {
    const { app, port } = await startApp('load');
    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    const failures: string[] = [];
    let answered = 0;
    let closeHeaders = 0;
    let refused = false;
    const client = async (): Promise<void> => {
      while (!refused) {
        await new Promise<void>((resolve) => {
          const request = http.get({ host: '127.0.0.1', port, path: '/health', agent }, (response) => {
            if (response.headers.connection === 'close') closeHeaders += 1;
            response.resume();
            response.on('end', () => {
              if (response.statusCode === 200) answered += 1;
              else failures.push(`status ${response.statusCode}`);
              resolve();
            });
          });
          request.on('error', (error: NodeJS.ErrnoException) => {
            // A new connection refused: nothing was sent, the client goes elsewhere.
            if (error.code === 'ECONNREFUSED') refused = true;
            else failures.push(error.code ?? error.message);
            resolve();
          });
        });
      }
    };
    const clients = Array.from({ length: 8 }, client);
    await sleep(1000);
    const before = answered;
    app.child.kill('SIGTERM');
    const exit = await app.exited;
    await Promise.all(clients);
    agent.destroy();
    expect(before).toBeGreaterThan(0);
    expect(failures).toEqual([]);
    expect(refused).toBe(true);
    expect(closeHeaders).toBeGreaterThan(0);
    expect(exit).toEqual({ code: 0, signal: null });
  }, 90_000);
});
