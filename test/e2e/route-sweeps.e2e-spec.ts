import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { MAX_BODY_BYTES } from '../../src/platform/http/configure-app.js';
import { buildOpenApiDocument } from '../../src/platform/http/openapi.js';
import { closedPort, startLocalIdp } from '../support/local-idp.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The answers a route gives before its handler runs, asked of every route the OpenAPI document
 * lists, so that a new route is covered the day it is documented: 401 without a token (the
 * guard), 413 and 415 for a body too large or not JSON (the body parser), and 503 when the identity
 * provider's keys cannot be fetched (the guard, where tokens come from JWKS_URL). Each answer is
 * checked against the document by the test app, as every other.
 */

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

interface Operation {
  method: Method;
  /** The document's path template, `/signals/{id}`. */
  route: string;
  /** The template with its parameters filled in. */
  path: string;
  statuses: Set<string>;
  takesBody: boolean;
  /** Whether the route takes a bearer token (a `@Public()` one has `security: []`). */
  guarded: boolean;
}

const METHODS: readonly Method[] = ['get', 'post', 'put', 'patch', 'delete'];

/** Every operation of the app's OpenAPI document. */
function operationsOf(t: TestApp): Operation[] {
  const document = buildOpenApiDocument(t.app);
  return Object.entries(document.paths).flatMap(([route, item]) =>
    METHODS.filter((method) => item[method] !== undefined).map((method) => {
      const operation = item[method]!;
      return {
        method,
        route,
        path: route.replace(/\{[^}]+\}/g, '0f8fad5b-d9cb-469f-a165-70867728950e'),
        statuses: new Set(Object.keys(operation.responses ?? {})),
        takesBody: operation.requestBody !== undefined,
        guarded: operation.security?.length !== 0,
      };
    }),
  );
}

/** `METHOD route → status code` of each answer, for one comparison that names every route that differs. */
async function answers(
  operations: readonly Operation[],
  send: (operation: Operation) => PromiseLike<{ status: number; body: { code?: unknown } }>,
): Promise<string[]> {
  const found: string[] = [];
  for (const operation of operations) {
    const response = await send(operation);
    found.push(
      `${operation.method.toUpperCase()} ${operation.route} → ${response.status} ${String(response.body.code)}`,
    );
  }
  return found;
}

const expected = (operations: readonly Operation[], answer: string) =>
  operations.map((operation) => `${operation.method.toUpperCase()} ${operation.route} → ${answer}`);

describe('what every documented route answers before its handler', () => {
  let t: TestApp;
  let operations: Operation[];

  beforeAll(async () => {
    t = await startTestApp();
    operations = operationsOf(t);
  }, 30_000);
  afterAll(() => t.close());

  it('lists the routes it sweeps: every route, with its guard and body answers documented', () => {
    expect(operations.length).toBeGreaterThan(60);
    for (const operation of operations) {
      if (operation.guarded)
        expect([operation.route, operation.statuses.has('401')]).toEqual([operation.route, true]);
      if (operation.takesBody)
        expect([operation.route, operation.statuses.has('413') && operation.statuses.has('415')]).toEqual([
          operation.route,
          true,
        ]);
    }
  });

  it('401 UNAUTHENTICATED without a token, on every route that takes one', async () => {
    const guarded = operations.filter((operation) => operation.guarded);
    const found = await answers(guarded, ({ method, path }) => t.http[method](path));
    expect(found).toEqual(expected(guarded, '401 UNAUTHENTICATED'));
  });

  it('413 PAYLOAD_TOO_LARGE for a body over 64 KiB, on every route that takes a body', async () => {
    const withBody = operations.filter((operation) => operation.takesBody);
    const large = JSON.stringify({ text: 'x'.repeat(MAX_BODY_BYTES) });
    const found = await answers(withBody, ({ method, path }) =>
      t.http[method](path).set('Content-Type', 'application/json').send(large),
    );
    expect(found).toEqual(expected(withBody, '413 PAYLOAD_TOO_LARGE'));
  });

  it('415 UNSUPPORTED_MEDIA_TYPE for a body that is not JSON, on every route that takes a body', async () => {
    const withBody = operations.filter((operation) => operation.takesBody);
    const found = await answers(withBody, ({ method, path }) =>
      t.http[method](path).set('Content-Type', 'text/plain').send('Een signaal in platte tekst.'),
    );
    expect(found).toEqual(expected(withBody, '415 UNSUPPORTED_MEDIA_TYPE'));
  });

  it('GET /health: 503 with status unavailable when the event store cannot be reached', async () => {
    const health = jest
      .spyOn(t.store, 'health')
      .mockResolvedValueOnce({ adapter: 'sqlite', ok: false, detail: 'database is locked' });
    try {
      const response = await t.http.get('/health').expect(503);
      expect(response.body).toMatchObject({ status: 'unavailable', eventStore: { ok: false } });
      expect(JSON.stringify(response.body)).not.toContain('database is locked');
    } finally {
      health.mockRestore();
    }
    await t.http.get('/health').expect(200);
  });
});

describe('every route that takes a token, when the identity provider cannot be reached (JWKS_URL)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      env: { JWKS_URL: `http://127.0.0.1:${await closedPort()}/jwks`, JWT_SECRET: '' },
    });
  }, 30_000);
  afterAll(() => t.close());

  it('503 AUTH_PROVIDER_UNAVAILABLE: a token is neither accepted nor refused without the keys', async () => {
    const idp = await startLocalIdp();
    try {
      // A well-formed token of another provider's key: checking it needs the app's key set.
      const token = await idp.idToken(
        { sub: 'admin-1', tenant: 'gent', roles: ['tenant-admin'] },
        { issuer: 'lokaal-signaal', audience: 'lokaal-signaal-api' },
      );
      const guarded = operationsOf(t).filter((operation) => operation.guarded);
      const found = await answers(guarded, ({ method, path }) =>
        t.http[method](path).set('Authorization', `Bearer ${token}`),
      );
      expect(found).toEqual(expected(guarded, '503 AUTH_PROVIDER_UNAVAILABLE'));
    } finally {
      await idp.close();
    }
  });
});
