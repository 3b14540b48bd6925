import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectionOf, signalInboxProjection, type SignalInboxDocument } from '../../projections/index.js';
import { SqliteReadStore } from '../../src/platform/read-store/sqlite/sqlite-read-store.js';
import { ReadModelBriefSignalSource } from '../../src/reporting/brief-sources.js';

const SINCE = '2026-01-01T00:00:00.000Z';

function doc(id: string, overrides: Partial<SignalInboxDocument>): SignalInboxDocument {
  return {
    tenantId: 'gent',
    signalId: id,
    title: `titel ${id}`,
    state: 'assigned',
    open: true,
    themes: ['wonen'],
    targetGroups: [],
    policyDomain: 'wonen',
    assigneeId: null,
    givenBy: 'giver-1',
    organisationId: null,
    area: 'Ledeberg',
    areaType: 'deelgemeente',
    urgency: null,
    structural: null,
    submittedAt: '2026-02-01T00:00:00.000Z',
    updatedAt: '2026-02-01T00:00:00.000Z',
    stateEnteredAt: '2026-02-01T00:00:00.000Z',
    dueAt: null,
    workflow: { name: 'signal-lifecycle', version: 1 },
    revision: 1,
    erased: false,
    overdue: null,
    scopeKeys: [],
    ...overrides,
  };
}

describe('the brief signal source over the signal-inbox read model', () => {
  let dir: string;
  let readStore: SqliteReadStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ls-brief-source-'));
    readStore = new SqliteReadStore({ file: join(dir, 'read-models.sqlite') });
  });
  afterEach(async () => {
    await readStore.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads every signal of the window once (ties across pages included) and leaves finished history out', async () => {
    const spec = collectionOf(signalInboxProjection, signalInboxProjection.schemaVersion);
    await readStore.ensureCollection(spec);
    const closed = { state: 'closed', open: false };
    const docs = [
      // 1,200 at one instant (a bulk import) and 1,300 spread: pages of 1,000 cut through both.
      ...Array.from({ length: 1200 }, (_, i) =>
        doc(`same-${i}`, { submittedAt: '2026-03-01T00:00:00.000Z' }),
      ),
      ...Array.from({ length: 1300 }, (_, i) =>
        doc(`new-${i}`, {
          submittedAt: new Date(
            Date.parse('2026-01-01T00:00:00.000Z') + Math.floor(i / 3) * 60_000,
          ).toISOString(),
        }),
      ),
      ...Array.from({ length: 700 }, (_, i) =>
        doc(`old-open-${i}`, { submittedAt: '2025-06-01T00:00:00.000Z' }),
      ),
      ...Array.from({ length: 50 }, (_, i) =>
        doc(`old-closed-since-${i}`, {
          ...closed,
          submittedAt: '2025-06-01T00:00:00.000Z',
          updatedAt: '2026-01-05T00:00:00.000Z',
        }),
      ),
      ...Array.from({ length: 900 }, (_, i) =>
        doc(`old-done-${i}`, {
          ...closed,
          submittedAt: '2025-06-01T00:00:00.000Z',
          updatedAt: '2025-07-01T00:00:00.000Z',
        }),
      ),
      doc('other-tenant', { tenantId: 'kortrijk' }),
    ];
    await readStore.commit([
      {
        collection: spec,
        puts: docs.map((d, i) => ({ id: `${d.tenantId}:${d.signalId}`, doc: d, position: BigInt(i + 1) })),
        deletes: [],
        parked: [],
        checkpoint: BigInt(docs.length),
        caughtUp: true,
      },
    ]);
    await readStore.activate(spec);
    const signals = await new ReadModelBriefSignalSource(readStore).signals('gent', SINCE);
    expect(signals).toHaveLength(1200 + 1300 + 700 + 50);
    // Only what a brief may show: no giver, no area, titles only of structural signals.
    expect(JSON.stringify(signals)).not.toMatch(/giver-1|Ledeberg|titel/);
  });
});
