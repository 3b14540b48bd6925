import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { planDemoData } from '../../src/demo/plan.js';
import { seedDemoData } from '../../src/demo/seed-demo-data.js';
import type { RecordedEvent } from '../../src/platform/event-store/event-store.port.js';
import { SqliteEventStore } from '../../src/platform/event-store/sqlite/sqlite-event-store.js';
import { collect } from '../support/events.js';
import { startTsChild } from '../support/processes.js';

const dir = mkdtempSync(join(tmpdir(), 'ls-seed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const OPTIONS = { tenants: 2, signals: 120, seed: 42 } as const;

/** What must be equal between runs: everything but the store's own recordedAt. */
function comparable(event: RecordedEvent) {
  return {
    id: event.id,
    stream: event.stream,
    revision: event.revision,
    type: event.type,
    data: event.data,
    metadata: event.metadata,
  };
}

async function seedFresh(name: string) {
  const store = new SqliteEventStore({ file: join(dir, name, 'events.sqlite') });
  const summary = await seedDemoData(store, OPTIONS);
  const events = await collect(store.readAll());
  return { store, summary, events };
}

describe('seedDemoData: demo data through the signal command handler', () => {
  it('writes the same events for the same options, in the same order', async () => {
    const first = await seedFresh('a');
    const second = await seedFresh('b');
    try {
      expect(first.summary.failures).toEqual([]);
      expect(first.summary.failureCount).toBe(0);
      expect(first.summary.stateMismatches).toBe(0);
      expect(first.summary.signals).toBe(120);
      expect(first.events.length).toBe(first.summary.eventsWritten);
      expect(first.events.length).toBeGreaterThan(120 * 4);
      expect(second.events.map(comparable)).toEqual(first.events.map(comparable));
    } finally {
      await first.store.close();
      await second.store.close();
    }
  });

  it('records each planned command with its simulated time, actor and idempotency key', async () => {
    const store = new SqliteEventStore({ file: ':memory:' });
    try {
      const summary = await seedDemoData(store, OPTIONS);
      const events = await collect(store.readAll());
      const planned = [...planDemoData(OPTIONS).signals()].flatMap((s) => s.commands);
      const byKey = new Map(events.map((event) => [event.metadata['idempotencyKey'], event]));
      expect(byKey.size).toBe(planned.length);
      for (const command of planned) {
        const event = byKey.get(command.idempotencyKey)!;
        expect(event.stream).toBe(`signal-${command.tenantId}-${command.signalId}`);
        expect(event.metadata.occurredAt).toBe(new Date(command.at).toISOString());
        expect(event.metadata.actor.id).toBe(command.actor.id);
        expect(event.metadata.tenantId).toBe(command.tenantId);
        expect((event.metadata['workflow'] as { to: string }).to).toBe(command.state);
      }
      const states = Object.keys(summary.byState);
      expect(states).toEqual(expect.arrayContaining(['closed', 'rejected', 'merged']));
    } finally {
      await store.close();
    }
  });

  it('replays to no new events when run again on the same store', async () => {
    const store = new SqliteEventStore({ file: ':memory:' });
    try {
      const first = await seedDemoData(store, { ...OPTIONS, signals: 40 });
      const again = await seedDemoData(store, { ...OPTIONS, signals: 40 });
      expect(again.failures).toEqual([]);
      expect(again.eventsWritten).toBe(0);
      expect(again.replayed).toBe(first.commands);
      expect(again.byState).toEqual(first.byState);
      expect((await collect(store.readAll())).length).toBe(first.eventsWritten);
    } finally {
      await store.close();
    }
  });
});

describe('npm run seed', () => {
  const run = async (args: string[]) => {
    const child = startTsChild('src/cli/seed.ts', args, { EVENTSTORE_CONNECTION_STRING: '' });
    const { code } = await child.exited;
    return { code, out: child.lines.join('\n') };
  };

  it('seeds an empty store, refuses a second run, accepts it with --force', async () => {
    const dataDir = join(dir, 'cli');
    const first = await run(['--tenants', '2', '--signals', '30', '--seed', '7', '--data-dir', dataDir]);
    expect(first.code).toBe(0);
    expect(first.out).toContain('Seeded 30 signals for 2 pilot municipalities');
    expect(first.out).toMatch(/bornem\s+\d+/);
    expect(first.out).toContain('0 failed');

    const refused = await run(['--tenants', '2', '--signals', '30', '--seed', '7', '--data-dir', dataDir]);
    expect(refused.code).toBe(1);

    const forced = await run([
      '--tenants',
      '2',
      '--signals',
      '30',
      '--seed',
      '7',
      '--data-dir',
      dataDir,
      '--force',
    ]);
    expect(forced.code).toBe(0);
    expect(forced.out).toMatch(/: 0 events written, [\d,]+ replayed/);
  }, 60_000);

  it('exits 2 on bad arguments', async () => {
    expect((await run(['--tenants', '11'])).code).toBe(2);
    expect((await run(['--signals', 'many'])).code).toBe(2);
    expect((await run(['--unknown'])).code).toBe(2);
  }, 60_000);
});
