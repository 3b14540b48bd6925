import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { StoreVerifyReport } from '../../src/audit/verify-store.js';
import { dossierStream } from '../../src/dossiers/dossier.events.js';
import type { EventMetadata, RecordedEvent } from '../../src/platform/event-store/event-store.port.js';
import type { JsonObject } from '../../src/platform/json.js';
import { signalStream } from '../../src/signals/signal.events.js';
import { startTsChild } from '../support/processes.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The rules that span streams, in a store the app wrote: merges and dossiers as the commands make
 * them verify clean (a merge, a dossier closed and its member bundled again); then what the races
 * the command path now prevents left in stores written before — a signal merged into the signal
 * merged into it, and a signal bundled into a second open dossier — appended straight to the store
 * with valid seals: GET /audit/verify and the CLI name each at its event, and nothing else.
 */
describe('audit verification across streams', () => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  const as = (role: string) => ({ Authorization: `Bearer ${tokens[role]}` });
  const post = (path: string, body: object) => t.http.post(path).set(as('lead')).send(body);
  const ids: string[] = [];
  let openDossier = '';

  async function cli(...args: string[]) {
    const child = startTsChild('src/cli/cli.ts', args, { DATA_DIR: t.dataDir, JWT_SECRET: 'x'.repeat(32) });
    const { code } = await child.exited;
    return { code, output: child.lines.join('\n') };
  }

  async function last(stream: string): Promise<RecordedEvent<string, JsonObject>> {
    const events = [];
    for await (const event of t.store.readStream(stream)) events.push(event);
    return events[events.length - 1]!;
  }

  beforeAll(async () => {
    t = await startTestApp();
    tokens['lead'] = await t.token({ sub: 'lead-1', roles: ['lead-processor'] });
    tokens['auditor'] = await t.token({ sub: 'auditor-1', roles: ['auditor'] });
    for (let n = 0; n < 4; n++) {
      const submitted = await post('/signals', {
        title: `Signaal ${n}: huurwoningen ontbreken`,
        description: 'Gezinnen met kinderen vinden geen betaalbare huurwoning in de wijk.',
        themes: ['wonen'],
      }).expect(201);
      ids.push(submitted.body.signalId as string);
      if (n > 0) await post(`/signals/${ids[n]}/triage`, {}).expect(200);
    }
    const [a, b, c, d] = ids as [string, string, string, string];
    await post(`/signals/${a}/merge-into`, { targetSignalId: b }).expect(200);
    const bundle = (signalIds: string[], title: string) =>
      post('/dossiers', {
        title,
        summary: 'Te weinig betaalbare huurwoningen.',
        themes: ['wonen'],
        signalIds,
      });
    const first = (await bundle([c], 'Wonen, eerste bundel').expect(201)).body.dossierId as string;
    await post(`/dossiers/${first}/close`, { outcome: 'Opgesplitst.' }).expect(200);
    openDossier = (await bundle([c, d], 'Wonen, tweede bundel').expect(201)).body.dossierId as string;
  }, 60_000);
  afterAll(() => t.close());

  it('finds the merges and dossiers the commands made intact', async () => {
    const response = await t.http.get('/audit/verify').set(as('auditor')).expect(200);
    expect(response.body).toMatchObject({ ok: true, violations: [] });
    const run = await cli('audit', 'verify', '--tenant', 'gent');
    expect(run.code).toBe(0);
    expect(run.output).toContain('no violations');
  }, 60_000);

  it('names a merge cycle and a signal in two open dossiers, at the events that made them', async () => {
    const [a, b, , d] = ids as [string, string, string, string];
    // b merged into a, which was merged into b: what two merges at once used to leave.
    const merge = await last(signalStream('gent', a));
    const bStream = signalStream('gent', b);
    const bHead = await last(bStream);
    const mergeClaim = merge.metadata['workflow'] as JsonObject;
    await t.store.append(
      bStream,
      [
        {
          type: 'SignalMerged',
          data: { signalId: b, targetSignalId: a },
          metadata: withoutLink({
            ...merge.metadata,
            correlationId: 'forged-merge',
            causationId: 'forged-merge',
            workflow: { ...mergeClaim, from: 'triaged' },
          }),
        },
      ],
      { expectedRevision: bHead.revision },
    );
    // d bundled into a second open dossier: what two instances on one data folder used to leave.
    const created = await first(dossierStream('gent', openDossier));
    const second = randomUUID();
    await t.store.append(
      dossierStream('gent', second),
      [
        {
          type: 'DossierCreated',
          data: { ...created.data, dossierId: second, signalIds: [d] },
          metadata: withoutLink({
            ...created.metadata,
            correlationId: 'forged-dossier',
            causationId: 'forged-dossier',
          }),
        },
      ],
      { expectedRevision: 'no-stream' },
    );

    const response = await t.http.get('/audit/verify').set(as('auditor')).expect(200);
    const report = response.body as StoreVerifyReport;
    expect(report.violations.map(({ stream, revision, kind }) => ({ stream, revision, kind }))).toEqual([
      { stream: dossierStream('gent', second), revision: 0, kind: 'dossier-member-in-other-dossier' },
      { stream: bStream, revision: Number(bHead.revision) + 1, kind: 'merge-cycle' },
    ]);
    expect(report.violations.map((v) => v.detail)).toEqual([
      `signal ${d} joins while it is a member of open dossier ${openDossier}`,
      `closes a cycle of merges: ${b} → ${a} → ${b}`,
    ]);
    expect(report).toMatchObject({
      ok: false,
      counts: { 'merge-cycle': 1, 'dossier-member-in-other-dossier': 1 },
    });

    const readable = await cli('audit', 'verify', '--tenant', 'gent');
    expect(readable.code).toBe(1);
    expect(readable.output).toContain('2 violations:');
    expect(readable.output).toMatch(/^ {2}merge-cycle {21}1$/m);
    expect(readable.output).toContain(
      `${bStream}  revision ${Number(bHead.revision) + 1}  merge-cycle: closes a cycle of merges: ${b} → ${a} → ${b}`,
    );
  }, 90_000);

  async function first(stream: string): Promise<RecordedEvent<string, JsonObject>> {
    for await (const event of t.store.readStream(stream)) return event;
    throw new Error(`${stream} is empty`);
  }
});

/** The metadata a writer hands the store: the store adds the chain link itself. */
function withoutLink(metadata: JsonObject): EventMetadata {
  const { hash: _hash, previousHash: _previousHash, ...rest } = metadata;
  return rest as EventMetadata;
}
