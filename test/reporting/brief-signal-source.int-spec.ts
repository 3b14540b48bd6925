import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectionOf, signalInboxProjection, type SignalInboxDocument } from '../../projections/index.js';
import { SqliteReadStore } from '../../src/platform/read-store/sqlite/sqlite-read-store.js';
import { ReadModelBriefSignalSource } from '../../src/reporting/brief-sources.js';
import { PLAIN_TEXT, type SealedText } from '../../src/privacy/sealed-text.js';
import { signalStream } from '../../src/signals/signal.events.js';

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

/** The documents as the signal-inbox read model, active. */
async function storeInbox(readStore: SqliteReadStore, docs: readonly SignalInboxDocument[]): Promise<void> {
  const spec = collectionOf(signalInboxProjection, signalInboxProjection.schemaVersion);
  await readStore.ensureCollection(spec);
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
    await storeInbox(readStore, docs);
    const signals = await new ReadModelBriefSignalSource(readStore, PLAIN_TEXT).signals('gent', SINCE);
    expect(signals).toHaveLength(1200 + 1300 + 700 + 50);
    // Only what a brief may show: no giver, no area, titles only of structural signals.
    expect(JSON.stringify(signals)).not.toMatch(/giver-1|Ledeberg|titel/);
  });

  it("quotes a structural signal's title opened, in its own stream and field, and opens no other", async () => {
    await storeInbox(readStore, [
      doc('structural', { structural: true, title: '$enc:v1:sealed-1' }),
      doc('ordinary', { structural: false, title: '$enc:v1:sealed-2' }),
      doc('erased', { structural: true, erased: true, title: '[gewist]' }),
    ]);
    const opened: string[] = [];
    const sealed: SealedText = {
      openText: (stream, field, value) => {
        opened.push(`${stream} ${field} ${value}`);
        return Promise.resolve(`geopend: ${value}`);
      },
    };
    const signals = await new ReadModelBriefSignalSource(readStore, sealed).signals('gent', SINCE);
    expect(signals.map((signal) => signal.title).sort()).toEqual(['geopend: $enc:v1:sealed-1', null, null]);
    expect(opened).toEqual([`${signalStream('gent', 'structural')} title $enc:v1:sealed-1`]);
  });
});
