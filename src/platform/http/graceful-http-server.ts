import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Server as NetServer } from 'node:net';
import type { HttpDrain } from './http-drain.js';

/** What `close` did: how many connections were still open when the grace period ran out (and were cut). */
export interface DrainResult {
  cut: number;
  elapsedMs: number;
}

/**
 * How long an idle keep-alive connection stays open once the server stops accepting: a request
 * already on its way on it (a client reuses its connections at any moment) is still answered, with
 * `Connection: close`. Closing idle connections at once, as Node's `server.close()` does, cut every
 * such request (a keep-alive client under load saw a socket error on each of its connections).
 */
export const IDLE_LINGER_MS = 1000;

/**
 * Closes the app's HTTP server without dropping requests (a rolling deploy, `docker stop`):
 * - it stops accepting connections (a new one is refused: the client or load balancer goes
 *   elsewhere);
 * - every answer from then on carries `Connection: close` (also of the requests in flight), so
 *   that a keep-alive client sends its next request elsewhere;
 * - idle keep-alive connections are closed after `IDLE_LINGER_MS` (at most the grace period);
 * - long waits end at once (`HttpDrain`: live streams, reads waiting for `minPosition`);
 * - what is still open after `graceMs` is cut.
 * Construct it before the server listens: it sees each request from its start.
 */
export class GracefulHttpServer {
  private readonly inFlight = new Set<ServerResponse>();
  private cutRequested = false;
  private lingering = true;
  private cutNow: (() => void) | null = null;

  constructor(
    private readonly server: Server,
    private readonly drain: HttpDrain,
  ) {
    // First of the request listeners: a request read during the drain learns it before the app
    // answers (an answer sent at once would otherwise go out keeping the connection).
    server.prependListener('request', (_request: IncomingMessage, response: ServerResponse) => {
      if (this.drain.draining) response.setHeader('Connection', 'close');
      this.inFlight.add(response);
      response.once('close', () => {
        this.inFlight.delete(response);
        // An answer whose headers went out before the drain (a stream) kept its connection: close
        // it once idle (one with `Connection: close` closes itself).
        if (this.drain.draining && !this.lingering) setImmediate(() => this.server.closeIdleConnections());
      });
    });
  }

  /** Drains and closes the server; resolves once every connection is gone. */
  async close(graceMs: number): Promise<DrainResult> {
    const started = Date.now();
    this.drain.begin();
    for (const response of this.inFlight) {
      if (!response.headersSent) response.setHeader('Connection', 'close');
    }
    const closed = new Promise<void>((resolve) => {
      if (!this.server.listening) {
        resolve();
        return;
      }
      // net.Server's close: stops listening, and calls back once every connection has ended.
      // (http.Server's would also close the idle connections in this very tick.)
      NetServer.prototype.close.call(this.server, () => resolve());
    });
    let cut = 0;
    const cutting = new Promise<void>((resolve) => {
      this.cutNow = () => {
        this.cutNow = null;
        this.server.getConnections((_error, count) => {
          cut = count;
          this.server.closeAllConnections();
          resolve();
        });
      };
    });
    const timer = setTimeout(() => this.cutNow?.(), graceMs);
    if (this.cutRequested) this.cutNow?.();
    let lingered: NodeJS.Timeout | undefined;
    const linger = new Promise<void>(
      (resolve) => (lingered = setTimeout(resolve, Math.min(IDLE_LINGER_MS, graceMs))),
    );
    await Promise.race([closed, cutting, linger]);
    clearTimeout(lingered);
    this.lingering = false;
    this.server.closeIdleConnections();
    await Promise.race([closed, cutting]);
    clearTimeout(timer);
    await closed;
    return { cut, elapsedMs: Date.now() - started };
  }

  /** A second signal: stop waiting for the requests (what is open is cut). */
  cut(): void {
    this.cutRequested = true;
    this.cutNow?.();
  }
}
