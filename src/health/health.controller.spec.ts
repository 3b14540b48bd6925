import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { Response } from 'express';
import type { EventStore, EventStoreHealth } from '../platform/event-store/event-store.port.js';
import type { RolePlacement } from '../platform/lease/leased-role.js';
import type { ProcessWorkflowsLeader } from '../processes/process-workflows-leader.js';
import type { ProjectionHost } from '../read-models/projection-host.js';
import { HealthController } from './health.controller.js';

const UNREACHABLE: EventStoreHealth = {
  adapter: 'eventstoredb',
  ok: false,
  detail: 'esdb-1.intern:2113: connect ECONNREFUSED 10.0.3.4:2113',
};
const LEADING: RolePlacement = { state: 'leading', lease: 'redis', holder: 'app-7f9c:4711:a1b2' };

describe('HealthController', () => {
  let store: EventStoreHealth;
  let warnings: string[];
  let logs: string[];

  beforeEach(() => {
    store = UNREACHABLE;
    warnings = [];
    logs = [];
    jest
      .spyOn(Logger.prototype, 'warn')
      .mockImplementation((message: unknown) => void warnings.push(String(message)));
    jest
      .spyOn(Logger.prototype, 'log')
      .mockImplementation((message: unknown) => void logs.push(String(message)));
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });

  const controller = (healthDetails: boolean) =>
    new HealthController(
      { health: async () => store } as unknown as EventStore,
      { status: async () => [], runner: () => LEADING } as unknown as ProjectionHost,
      { status: () => LEADING } as unknown as ProcessWorkflowsLeader,
      { healthDetails },
    );
  const response = () => {
    const status = jest.fn<(code: number) => void>();
    return { status, res: { status } as unknown as Response };
  };

  it('given an unreachable store, answers 503 without its host, error text or the lease holders', async () => {
    const { status, res } = response();
    const body = await controller(false).health(res);
    expect(status).toHaveBeenCalledWith(503);
    expect(body).toEqual({
      status: 'unavailable',
      eventStore: { adapter: 'eventstoredb', ok: false },
      projections: [],
      projectionRunner: { state: 'leading', lease: 'redis' },
      processWorkflows: { state: 'leading', lease: 'redis' },
    });
    expect(JSON.stringify(body)).not.toMatch(/esdb-1|10\.0\.3\.4|app-7f9c/);
  });

  it('logs the hidden detail once per change, not at every poll, and the recovery once', async () => {
    const health = controller(false);
    await health.health(response().res);
    await health.health(response().res);
    expect(warnings).toEqual([`event store unreachable (eventstoredb): ${UNREACHABLE.detail}`]);
    store = { ...UNREACHABLE, detail: 'esdb-1.intern:2113: deadline exceeded' };
    await health.health(response().res);
    expect(warnings).toHaveLength(2);
    store = { adapter: 'eventstoredb', ok: true, detail: 'esdb-1.intern:2113' };
    await health.health(response().res);
    await health.health(response().res);
    expect(logs).toEqual(['event store reachable again']);
  });

  it('with HEALTH_DETAILS on, gives the detail and the holders as they are', async () => {
    const body = await controller(true).health(response().res);
    expect(body.eventStore).toEqual(UNREACHABLE);
    expect(body.processWorkflows).toEqual(LEADING);
    expect(body.projectionRunner).toEqual(LEADING);
  });
});
