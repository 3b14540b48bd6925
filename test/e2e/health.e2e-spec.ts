import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { signalInboxProjection } from '../../projections/index.js';
import { AppModule } from '../../src/app.module.js';
import { EventStore } from '../../src/platform/event-store/event-store.port.js';
import { streamName } from '../../src/platform/event-store/stream-name.js';
import { anEvent } from '../support/events.js';

/** An app on the embedded default in a data folder of its own, HEALTH_DETAILS as given (unset: off). */
async function startApp(dataDir: string, healthDetails?: string): Promise<INestApplication> {
  process.env['DATA_DIR'] = dataDir;
  delete process.env['EVENTSTORE_CONNECTION_STRING'];
  if (healthDetails === undefined) delete process.env['HEALTH_DETAILS'];
  else process.env['HEALTH_DETAILS'] = healthDetails;
  try {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    const app = moduleRef.createNestApplication();
    app.enableShutdownHooks();
    await app.init();
    return app;
  } finally {
    delete process.env['HEALTH_DETAILS'];
  }
}

/** GET /health once the process workflows lead (they start in the background once this instance has their lease). */
async function healthOnceLeading(app: INestApplication): Promise<request.Response> {
  let response = await request(app.getHttpServer()).get('/health').expect(200);
  for (let i = 0; i < 100 && response.body.processWorkflows?.state !== 'leading'; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    response = await request(app.getHttpServer()).get('/health').expect(200);
  }
  return response;
}

describe('GET /health (embedded default)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ls-e2e-'));
  let app: INestApplication;

  beforeAll(async () => {
    app = await startApp(dataDir);
  });

  afterAll(async () => {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('reports the SQLite event store, its last position and each read model, naming no host or process', async () => {
    const store = app.get(EventStore);
    const { position } = await store.append(streamName('health', 'probe'), [anEvent()], {
      expectedRevision: 'any',
    });
    const response = await healthOnceLeading(app);
    expect(response.body).toEqual({
      status: 'ok',
      // No detail: the route needs no token (HEALTH_DETAILS is off).
      eventStore: { adapter: 'sqlite', ok: true, lastPosition: String(position) },
      projections: expect.arrayContaining([
        expect.objectContaining({
          name: 'signal-inbox',
          version: signalInboxProjection.schemaVersion,
          parked: 0,
          lagMs: expect.any(Number),
        }),
        expect.objectContaining({ name: 'tenant-dashboard' }),
      ]),
      // The tests run the projections in the app's thread (PROJECTIONS=inline): no lease for them.
      projectionRunner: { state: 'inline', lease: null },
      // The only instance on this data folder: it holds the lease and runs the workflows; who
      // holds it (host:pid) is not said.
      processWorkflows: { state: 'leading', lease: 'sqlite' },
    });
    expect(JSON.stringify(response.body)).not.toContain(String(process.pid));
  });
});

describe('GET /health with HEALTH_DETAILS=on', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ls-e2e-'));
  let app: INestApplication;

  beforeAll(async () => {
    app = await startApp(dataDir, 'on');
  });

  afterAll(async () => {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("also names the lease holders and gives the store's own detail", async () => {
    const response = await healthOnceLeading(app);
    expect(response.body).toMatchObject({
      status: 'ok',
      eventStore: { adapter: 'sqlite', ok: true, detail: expect.stringContaining('synchronous=FULL') },
      projectionRunner: { state: 'inline', lease: null, holder: null },
      processWorkflows: {
        state: 'leading',
        lease: 'sqlite',
        holder: expect.stringContaining(`:${process.pid}:`),
      },
    });
  });
});
