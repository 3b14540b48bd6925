import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { collectionOf, PROJECTIONS, type SignalDetailDocument } from '../../projections/index.js';
import { aSignalHistory } from '../../projections/testing/builders.js';
import { aDossierHistory, aFanOutEvent } from '../../projections/testing/dossier-builders.js';
import type { RecordedEvent } from '../../src/platform/event-store/event-store.port.js';
import { SqliteEventStore } from '../../src/platform/event-store/sqlite/sqlite-event-store.js';
import { ProjectionRunner } from '../../src/platform/projections/projection-runner.js';
import { SqliteReadStore } from '../../src/platform/read-store/sqlite/sqlite-read-store.js';
import { readModelHash } from '../support/read-model-hash.js';

const dir = mkdtempSync(join(tmpdir(), 'ls-dossier-rm-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Signals, dossiers with membership changes and fan-out events, in the order a store would hold them. */
function history(): RecordedEvent[] {
  const signals = aSignalHistory('gent');
  for (let i = 1; i <= 6; i++) signals.submit(`s${i}`).path(`s${i}`, 'triage');
  const d1 = aDossierHistory('d1').created(['s1', 's2', 's3']);
  d1.record('DossierSignalAdded', { signalId: 's4' });
  d1.record('DossierSignalRemoved', { signalId: 's1', reason: 'Ander probleem.' });
  d1.record(
    'DossierAnalysisRecorded',
    { conclusion: 'Structureel.', structural: true, themes: ['wonen'] },
    { to: 'analysed' },
  );
  d1.record(
    'DossierEscalated',
    {
      level: 'supralocal',
      body: 'VVSG',
      motivation: 'Overstijgt de gemeente.',
      memberSignalIds: ['s2', 's3', 's4'],
    },
    { to: 'escalated' },
  );
  const d2 = aDossierHistory('d2', 'gent', 'Energie').created(['s1', 's5']);
  const fanOut = ['s2', 's3', 's4'].map((id) =>
    aFanOutEvent(
      'SignalDossierEscalated',
      {
        signalId: id,
        dossierId: 'd1',
        level: 'supralocal',
        body: 'VVSG',
        motivation: 'Overstijgt de gemeente.',
      },
      { revision: 2 },
    ),
  );
  return [...signals.events, ...d1.events, ...d2.events, ...fanOut];
}

async function append(store: SqliteEventStore, events: readonly RecordedEvent[]): Promise<void> {
  for (const event of events) {
    await store.append(event.stream, [{ type: event.type, data: event.data, metadata: event.metadata }], {
      expectedRevision: event.revision === 0n ? 'no-stream' : event.revision - 1n,
    });
  }
}

async function build(eventsFile: string, readsFile: string, options: { batchSize: number }): Promise<void> {
  const store = new SqliteEventStore({ file: eventsFile, pollIntervalMs: 10 });
  const reads = new SqliteReadStore({ file: readsFile });
  const runner = new ProjectionRunner(store, reads, PROJECTIONS, {
    ...options,
    flushEvents: options.batchSize,
  });
  await runner.start();
  const head = BigInt((await store.health()).lastPosition ?? '0');
  expect(await runner.waitForPosition(head, 20_000)).toBe(true);
  await runner.stop();
  await reads.close();
  await store.close();
}

describe('dossier read models through the projection runner', () => {
  it('an event that changes several documents: built live in small batches = rebuilt at once = run again', async () => {
    const events = history();
    const eventsFile = join(dir, 'events.sqlite');
    const store = new SqliteEventStore({ file: eventsFile, pollIntervalMs: 10 });
    const live = join(dir, 'live.sqlite');
    const liveReads = new SqliteReadStore({ file: live });
    const runner = new ProjectionRunner(store, liveReads, PROJECTIONS, {
      batchSize: 2,
      flushEvents: 2,
      liveWindowMs: 1,
    });
    await runner.start();
    for (let i = 0; i < events.length; i += 5) await append(store, events.slice(i, i + 5));
    const head = BigInt((await store.health()).lastPosition ?? '0');
    expect(await runner.waitForPosition(head, 20_000)).toBe(true);
    await runner.stop();

    const spec = collectionOf(PROJECTIONS.find((p) => p.name === 'signal-detail')!);
    const dossierOf = async (id: string) =>
      (await liveReads.get<SignalDetailDocument>(spec, `gent:${id}`))?.doc.dossier;
    expect(await dossierOf('s1')).toMatchObject({ dossierId: 'd2', title: 'Energie' });
    expect(await dossierOf('s2')).toMatchObject({
      dossierId: 'd1',
      escalations: [{ level: 'supralocal', body: 'VVSG' }],
    });
    expect(await dossierOf('s4')).toMatchObject({ dossierId: 'd1' });
    expect(await dossierOf('s5')).toMatchObject({ dossierId: 'd2', escalations: [] });
    expect(await dossierOf('s6')).toBeNull();
    for (const projection of PROJECTIONS) {
      const parked = await liveReads.parked(collectionOf(projection));
      expect({ name: projection.name, parked: parked.map((p) => `${p.eventType}: ${p.reason}`) }).toEqual({
        name: projection.name,
        parked: [],
      });
    }
    await liveReads.close();
    await store.close();

    const rebuilt = join(dir, 'rebuilt.sqlite');
    await build(eventsFile, rebuilt, { batchSize: 5000 });
    expect(readModelHash(rebuilt)).toBe(readModelHash(live));
    // Started again over its own documents: every event is already applied, nothing changes.
    await build(eventsFile, live, { batchSize: 3 });
    expect(readModelHash(live)).toBe(readModelHash(rebuilt));
  }, 60_000);
});
