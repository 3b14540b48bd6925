import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication, LoggerService } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import type { ActorClaims } from '../../src/auth/actor.js';
import { AppModule } from '../../src/app.module.js';
import { CLOCK, type Clock } from '../../src/platform/clock.js';
import { EventStore } from '../../src/platform/event-store/event-store.port.js';
import { configureApp } from '../../src/platform/http/configure-app.js';
import type { CorrelationOptions } from '../../src/platform/http/correlation.js';
import { TenantsService } from '../../src/tenants/tenants.service.js';
import { answersOf, describeViolations, recordAnswers, type OpenApiAnswers } from './openapi-answers.js';
import { TEST_JWT_SECRET, tokenFor } from './tokens.js';

export interface TestApp {
  app: INestApplication;
  http: ReturnType<typeof request>;
  store: EventStore;
  dataDir: string;
  token(claims: Partial<ActorClaims>): Promise<string>;
  /** The store's last position: as `X-Min-Position`, a query sees every write made so far. */
  head(): Promise<string>;
  /** Every answer of the app checked against its OpenAPI document (null when the test opted out). */
  answers: OpenApiAnswers | null;
  /** Closes the app; throws when an answer did not match the OpenAPI document. */
  close(): Promise<void>;
}

/** The real AppModule on a fresh embedded store, hardened as `main.ts` does it. */
export async function startTestApp(
  options: {
    dataDir?: string;
    clock?: Clock;
    env?: Record<string, string>;
    overrides?: ReadonlyArray<{ provide: unknown; useValue: unknown }>;
    /** Run the process workflows beside the requests (off unless a test is about them). */
    processes?: boolean;
    /**
     * Check every answer against the OpenAPI document (on unless a test sends what the document
     * cannot describe on purpose); `close` then fails on an answer that does not match.
     */
    checkAnswers?: boolean;
    /** The app's logger (Nest's, errors and warnings only, by default). */
    logger?: LoggerService;
    /** The request log and who a request is from (configureApp; none by default). */
    correlation?: CorrelationOptions;
  } = {},
): Promise<TestApp> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'ls-e2e-'));
  process.env['DATA_DIR'] = dataDir;
  process.env['JWT_SECRET'] = TEST_JWT_SECRET;
  delete process.env['JWKS_URL'];
  delete process.env['EVENTSTORE_CONNECTION_STRING'];
  // Process workflows write beside the requests; only the tests of them ask for them.
  process.env['PROCESS_WORKFLOWS'] = options.processes ? 'on' : 'off';
  const saved = Object.fromEntries(Object.keys(options.env ?? {}).map((name) => [name, process.env[name]]));
  Object.assign(process.env, options.env ?? {});
  const builder = Test.createTestingModule({ imports: [AppModule] });
  if (options.clock) builder.overrideProvider(CLOCK).useValue(options.clock);
  for (const { provide, useValue } of options.overrides ?? [])
    builder.overrideProvider(provide).useValue(useValue);
  const moduleRef = await builder.compile();
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  const app = moduleRef.createNestApplication({
    bodyParser: false,
    logger: options.logger ?? ['error', 'warn'],
  });
  const answers = options.checkAnswers === false ? null : answersOf(app);
  if (answers) app.use(answers.middleware());
  configureApp(app, options.correlation);
  app.enableShutdownHooks();
  await app.init();
  return {
    app,
    http: request(app.getHttpServer()),
    store: app.get(EventStore),
    dataDir,
    token: (claims) => tokenFor(claims),
    head: async () => (await app.get(EventStore).health()).lastPosition ?? '0',
    answers,
    async close() {
      await app.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
      if (answers) recordAnswers(answers);
      if (answers && answers.violations.length > 0)
        throw new Error(
          `${answers.violations.length} answer(s) do not match the OpenAPI document:\n${describeViolations(answers.violations)}`,
        );
    },
  };
}

export async function countEvents(store: EventStore): Promise<number> {
  let count = 0;
  for await (const _ of store.readAll()) count += 1;
  return count;
}

/** Registers the tenant gent (Gent, NIS code 44021) as the platform admin does: the tenant most e2e tests act in. */
export async function registerGent(t: TestApp): Promise<void> {
  await t.app
    .get(TenantsService)
    .createTenant(
      { id: 'platform-admin', role: 'platform-admin' },
      { tenantId: 'gent', name: 'Gent', nisCode: '44021', populationBand: 'gt-100000' },
    );
}

/** A POST with the caller's token and extra headers (If-Match, Idempotency-Key, X-Correlation-Id, …). */
export function postWith(
  t: TestApp,
  token: string,
  path: string,
  body: object,
  headers: Record<string, string> = {},
): request.Test {
  const call = t.http.post(path).set('Authorization', `Bearer ${token}`);
  for (const [name, value] of Object.entries(headers)) call.set(name, value);
  return call.send(body);
}
