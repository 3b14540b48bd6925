import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The packages of the production stores and of Redis that a fresh process has loaded once it has
 * imported the application's root module. They are CommonJS, so Node's CommonJS cache shows them
 * (an ES module importing one still goes through it). Run in a child process: Jest's own module
 * registry would not show what Node loaded.
 */
function clientsLoadedByTheApp(): Record<string, boolean> {
  const script = `
    import { createRequire } from 'node:module';
    await import(${JSON.stringify(new URL('../../src/app.module.ts', import.meta.url).href)});
    const cache = Object.keys(createRequire(import.meta.url).cache);
    const loaded = (name) => cache.some((file) => file.includes('/node_modules/' + name + '/'));
    console.log(JSON.stringify({ mongodb: loaded('mongodb'), bson: loaded('bson'), eventstore: loaded('@eventstore/db-client'), bullmq: loaded('bullmq'), ioredis: loaded('ioredis') }));
  `;
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (result.status !== 0) throw new Error(`the probe failed (${result.status}): ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').pop() ?? '{}') as Record<string, boolean>;
}

describe('an application on the embedded stores', () => {
  it('loads neither the MongoDB, the EventStoreDB nor the Redis clients: each is imported only when configured', () => {
    // The identity store's MongoDB adapter was imported by the tenants module up front, and with it
    // the driver and bson (about 20 MB per process); the brief queue's BullMQ and the lease
    // store's Redis client were imported by the reporting runtime and createLeaseStore.
    expect(clientsLoadedByTheApp()).toEqual({
      mongodb: false,
      bson: false,
      eventstore: false,
      bullmq: false,
      ioredis: false,
    });
  });
});
