import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { appLogging } from '../../src/app-logging.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { collect } from '../support/events.js';

/**
 * The app's log as `npm start` writes it with LOG_FORMAT=json (QUALITY.md, Security): JSON lines,
 * one request line per request with its correlation id (the caller's, or one made for it, the same
 * as in the answer's X-Correlation-Id and in the events the request appended), and never the free
 * text of a signal.
 */
const MARKER = 'Zeldzame-markeertekst-Q7';

describe('the request log and correlation ids (LOG_FORMAT=json)', () => {
  const lines: string[] = [];
  let t: TestApp;
  let giver: string;

  beforeAll(async () => {
    const logging = appLogging('json', (line) => void lines.push(line));
    t = await startTestApp({
      ...(logging.logger ? { logger: logging.logger } : {}),
      correlation: logging.correlation,
    });
    giver = `Bearer ${await t.token({ sub: 'giver-1', roles: ['signal-giver'] })}`;
  }, 30_000);
  afterAll(() => t.close());

  const parsed = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  /** The request lines, once `count` are written (a line is written when the connection is done). */
  async function requestLines(count: number): Promise<Array<Record<string, unknown>>> {
    for (let i = 0; i < 100; i++) {
      const found = parsed().filter((line) => line['msg'] === 'request');
      if (found.length >= count) return found;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`fewer than ${count} request lines: ${lines.join('')}`);
  }

  it('writes a request line with the caller’s correlation id, which the events and the answer carry too', async () => {
    const submitted = await t.http
      .post('/signals')
      .set('Authorization', giver)
      .set('X-Correlation-Id', 'intake-2026-12-03.1')
      .send({
        title: `Huurwoningen ontbreken ${MARKER}`,
        description: `Gezinnen vinden geen betaalbare huurwoning; ${MARKER} in de beschrijving.`,
        themes: ['wonen'],
      })
      .expect(201);
    expect(submitted.headers['x-correlation-id']).toBe('intake-2026-12-03.1');
    const events = await collect(t.store.readAll());
    expect(events.at(-1)!.metadata.correlationId).toBe('intake-2026-12-03.1');
    const [line] = await requestLines(1);
    expect(line).toMatchObject({
      level: 'info',
      context: 'HTTP',
      correlationId: 'intake-2026-12-03.1',
      method: 'POST',
      path: '/signals',
      status: 201,
      tenant: 'gent',
      actor: 'giver-1',
      durationMs: expect.any(Number),
    });
  });

  it('makes an id for a request without one (or with one that is not a plain id), and logs refusals with the route, not the ids', async () => {
    const read = await t.http.get('/signals/not-a-uuid').set('Authorization', giver).expect(400);
    const made = read.headers['x-correlation-id'] as string;
    expect(made).toMatch(/^[0-9a-f-]{36}$/);
    const odd = await t.http
      .get('/signals')
      .query({ q: MARKER })
      .set('Authorization', giver)
      .set('X-Correlation-Id', 'not allowed: spaces and {braces}');
    expect(odd.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
    await t.http.get('/me').expect(401);
    const [, refused, listed, anonymous] = await requestLines(4);
    expect(refused).toMatchObject({ correlationId: made, method: 'GET', path: '/signals/:id', status: 400 });
    expect(listed).toMatchObject({ path: '/signals', correlationId: odd.headers['x-correlation-id'] });
    expect(anonymous).toMatchObject({ path: '/me', status: 401 });
    expect(anonymous).not.toHaveProperty('tenant');
  });

  it('writes only JSON lines, and never the text of a signal', async () => {
    await t.http.get('/health').expect(200);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of parsed()) {
      expect(line).toEqual(
        expect.objectContaining({
          time: expect.any(String),
          level: expect.any(String),
          msg: expect.any(String),
        }),
      );
    }
    expect(lines.join('')).not.toContain(MARKER);
    // A healthy GET /health is not logged (load balancers ask every few seconds).
    expect(parsed().filter((line) => line['path'] === '/health')).toEqual([]);
  });
});
