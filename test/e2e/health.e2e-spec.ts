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

describe('GET /health (embedded default)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ls-e2e-'));
  let app: INestApplication;

  beforeAll(async () => {
    process.env['DATA_DIR'] = dataDir;
    delete process.env['EVENTSTORE_CONNECTION_STRING'];
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = moduleRef.createNestApplication();
    app.enableShutdownHooks();
    await app.init();
  });

  afterAll(async () => {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('reports the SQLite event store and its last position', async () => {
    const store = app.get(EventStore);
    const { position } = await store.append(streamName('health', 'probe'), [anEvent()], {
      expectedRevision: 'any',
    });
    // The process workflows start in the background once this instance has their lease.
    let response = await request(app.getHttpServer()).get('/health').expect(200);
    for (let i = 0; i < 100 && response.body.processWorkflows?.state !== 'leading'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      response = await request(app.getHttpServer()).get('/health').expect(200);
    }
    expect(response.body).toEqual({
      status: 'ok',
      eventStore: {
        adapter: 'sqlite',
        ok: true,
        lastPosition: String(position),
        detail: expect.stringContaining('synchronous=FULL'),
      },
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
      projectionRunner: { state: 'inline', lease: null, holder: null },
      // The only instance on this data folder: it holds the lease and runs the workflows.
      processWorkflows: {
        state: 'leading',
        lease: 'sqlite',
        holder: expect.stringContaining(`:${process.pid}:`),
      },
    });
  });
});
