import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AuthenticatedActor } from '../../auth/actor.js';
import { CurrentActor, Roles } from '../../auth/decorators.js';
import { claimedTimes } from '../../auth/claimed-times.js';
import { ApiError } from '../../platform/http/api-error.js';
import { HttpDrain, onDrain } from '../../platform/http/http-drain.js';
import { SignalChangeFeed } from './signal-change-feed.js';

/** A comment line now and then keeps proxies and browsers from closing an idle stream. */
export const HEARTBEAT_MS = 25_000;
/** The stream ends after this long; the client reconnects (with a fresh token if needed). */
export const MAX_STREAM_MS = 10 * 60_000;

/**
 * `GET /events/stream`: server-sent events telling the screens which signals of the caller's scope
 * changed (signal id, event type, global position; never text), so that an inbox or a detail page
 * refreshes without a reload. Authenticated with the usual bearer token (the web app reads the
 * stream with fetch(), as an EventSource cannot send the header).
 */
@ApiTags('signals')
@Controller('events')
@Roles('signal-giver', 'lead-processor', 'processor', 'partner-processor')
export class SignalEventsController {
  constructor(
    @Inject(SignalChangeFeed) private readonly feed: SignalChangeFeed,
    @Inject(HttpDrain) private readonly drain: HttpDrain,
  ) {}

  @Get('stream')
  @ApiOperation({
    summary: 'Wijzigingen aan signalen, live (server-sent events)',
    description:
      'Eén bericht per nieuwe gebeurtenis op een signaal binnen je bereik: { signalId, type, position }. ' +
      'Nooit tekst. Een signaalgever krijgt enkel zijn eigen signalen, zonder interne notities.',
  })
  @ApiProduces('text/event-stream')
  stream(
    @CurrentActor() actor: AuthenticatedActor,
    @Req() request: Request,
    @Res() response: Response,
  ): void {
    const claims = tokenTimes(request.headers.authorization);
    if (claims.iat !== undefined && this.feed.predatesRevocation(actor, claims.iat * 1000)) {
      throw new ApiError(
        401,
        'TOKEN_REVOKED',
        'Je rollen zijn gewijzigd. Meld je opnieuw aan om live wijzigingen te volgen.',
      );
    }
    response.status(200);
    response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    response.setHeader('Cache-Control', 'no-store');
    // During a shutdown the answer already says `Connection: close` (GracefulHttpServer).
    if (!response.hasHeader('Connection')) response.setHeader('Connection', 'keep-alive');
    response.setHeader('X-Accel-Buffering', 'no');
    response.flushHeaders();
    response.write('retry: 2000\n: verbonden\n\n');

    const stop = this.feed.listen(
      actor,
      (change) => {
        response.write(`id: ${change.position}\nevent: signal-changed\ndata: ${JSON.stringify(change)}\n\n`);
      },
      () => response.end(),
    );
    const heartbeat = setInterval(() => response.write(': ping\n\n'), HEARTBEAT_MS);
    // Never longer than the token is valid: the guard checked it at the start only.
    const limit = setTimeout(() => response.end(), streamLimitMs(claims.exp, Date.now()));
    heartbeat.unref();
    limit.unref();
    // The app shuts down: the stream ends now, and the client reconnects (to another instance).
    const forgetDrain = onDrain(this.drain, () => response.end());
    let closed = false;
    const close = (): void => {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      clearTimeout(limit);
      forgetDrain();
      stop();
    };
    request.on('close', close);
    response.on('close', close);
  }
}

/** `iat` and `exp` of the bearer token, read as is: the guard verified it before the handler ran. */
export function tokenTimes(authorization: string | undefined): { iat?: number; exp?: number } {
  return authorization?.startsWith('Bearer ') ? claimedTimes(authorization.slice(7)) : {};
}

/** How long a stream may stay open: MAX_STREAM_MS, or until the token's `exp` when that is sooner. */
export function streamLimitMs(exp: number | undefined, now: number): number {
  if (exp === undefined) return MAX_STREAM_MS;
  return Math.max(0, Math.min(MAX_STREAM_MS, exp * 1000 - now));
}
