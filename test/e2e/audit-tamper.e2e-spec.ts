import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import DatabaseConstructor from 'better-sqlite3';
import type { Violation } from '../../src/audit/core/violations.js';
import type { StoreVerifyReport } from '../../src/audit/verify-store.js';
import { signalStream } from '../../src/signals/signal.events.js';
import { startTsChild } from '../support/processes.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * QUALITY.md's proof for the hash chain: rows of the SQLite file are edited behind the app's back,
 * the four ways someone with file access would rewrite history, and a transition the decider would
 * refuse is appended straight to the store with a valid seal. GET /audit/verify and the CLI must
 * name each one with the right kind at the right revision, and nothing else.
 */

const LIFE: Array<[role: string, command: string, body: object]> = [
  ['lead', 'triage', {}],
  ['lead', 'assign', { assigneeId: 'proc-1', policyDomain: 'wonen' }],
  ['processor', 'start-analysis', {}],
  ['processor', 'record-analysis', { conclusion: 'Tekort aan grote huurwoningen.', structural: true }],
  ['lead', 'close', { outcome: 'Gebundeld.', feedback: 'Dank u voor uw signaal.' }],
];

interface Tamper {
  name: string;
  signal: number;
  expected: Array<{ revision: number; kind: Violation['kind'] }>;
}

const TAMPERS: Tamper[] = [
  { name: 'data edited', signal: 0, expected: [{ revision: 0, kind: 'hash-mismatch' }] },
  { name: 'an event deleted', signal: 1, expected: [{ revision: 2, kind: 'missing-event' }] },
  {
    name: 'two events swapped',
    signal: 2,
    expected: [
      { revision: 2, kind: 'out-of-order' },
      { revision: 3, kind: 'out-of-order' },
    ],
  },
  { name: 'the actor changed in metadata', signal: 3, expected: [{ revision: 1, kind: 'hash-mismatch' }] },
  {
    name: 'a forged transition appended around the decider',
    signal: 4,
    expected: [{ revision: 1, kind: 'illegal-transition' }],
  },
];

describe('audit verification of a tampered SQLite store', () => {
  let t: TestApp;
  const ids: string[] = [];
  const tokens: Record<string, string> = {};
  const as = (role: string) => ({ Authorization: `Bearer ${tokens[role]}` });

  async function cli(...args: string[]) {
    const child = startTsChild('src/cli/cli.ts', args, { DATA_DIR: t.dataDir, JWT_SECRET: 'x'.repeat(32) });
    const { code } = await child.exited;
    return { code, output: child.lines.join('\n') };
  }

  beforeAll(async () => {
    t = await startTestApp();
    tokens['giver'] = await t.token({ sub: 'giver-1', roles: ['signal-giver'] });
    tokens['lead'] = await t.token({ sub: 'lead-1', roles: ['lead-processor'] });
    tokens['processor'] = await t.token({ sub: 'proc-1', roles: ['processor'], domains: ['wonen'] });
    tokens['auditor'] = await t.token({ sub: 'auditor-1', roles: ['auditor'] });
    // Five signals to tamper with (the fifth only submitted), a sixth left alone.
    for (let n = 0; n < 6; n++) {
      const submitted = await t.http
        .post('/signals')
        .set(as('giver'))
        .send({
          title: `Signaal ${n}: huurwoningen ontbreken`,
          description: 'Gezinnen met kinderen vinden geen betaalbare huurwoning in de wijk.',
          themes: ['wonen'],
        })
        .expect(201);
      ids.push(submitted.body.signalId as string);
      if (n === 4) continue;
      for (const [role, command, body] of LIFE) {
        await t.http.post(`/signals/${ids[n]}/${command}`).set(as(role)).send(body).expect(200);
      }
    }
  }, 60_000);
  afterAll(() => t.close());

  it('finds an untouched store intact, over HTTP and with the CLI (exit code 0)', async () => {
    const response = await t.http.get('/audit/verify').set(as('auditor')).expect(200);
    expect(response.body).toMatchObject({ ok: true, violations: [] });
    const run = await cli('audit', 'verify', '--tenant', 'gent');
    expect(run.code).toBe(0);
    expect(run.output).toMatch(
      /^verified \d+ events in 7 streams of tenant gent in [\d.]+ s \([\d,]+ events\/s read\)$/m,
    );
    expect(run.output).toContain('no violations');
  }, 60_000);

  it('names every tampering with its kind and revision, and nothing else: 5 of 5 detected', async () => {
    const stream = (tamper: Tamper) => signalStream('gent', ids[tamper.signal]!);
    const db = new DatabaseConstructor(join(t.dataDir, 'events.sqlite'));
    try {
      const [edited, deleted, swapped, actor] = TAMPERS.map(stream);
      db.prepare(
        "UPDATE events SET data = json_set(data, '$.title', 'Vervalste titel') WHERE stream = ? AND revision = 0",
      ).run(edited);
      db.prepare('DELETE FROM events WHERE stream = ? AND revision = 2').run(deleted);
      db.transaction(() => {
        const move = db.prepare('UPDATE events SET revision = ? WHERE stream = ? AND revision = ?');
        move.run(-1, swapped, 2);
        move.run(2, swapped, 3);
        move.run(3, swapped, -1);
      })();
      db.prepare(
        "UPDATE events SET metadata = json_set(metadata, '$.actor.id', 'iemand-anders') WHERE stream = ? AND revision = 1",
      ).run(actor);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
    // Closing a signal that was only submitted, by a processor: the decider refuses both; the store does not.
    const forged = stream(TAMPERS[4]!);
    const [submission] = await collectStream(t, forged);
    await t.store.append(
      forged,
      [
        {
          type: 'SignalClosed',
          data: { signalId: ids[4]!, outcome: 'Afgesloten zonder behandeling.', feedback: 'Niets te doen.' },
          metadata: {
            tenantId: 'gent',
            actor: { id: 'proc-1', role: 'processor' },
            correlationId: 'forged-1',
            causationId: 'forged-1',
            occurredAt: new Date().toISOString(),
            workflow: {
              ...(submission!.metadata['workflow'] as object),
              command: 'close',
              from: 'submitted',
              to: 'closed',
            },
          },
        },
      ],
      { expectedRevision: 0n },
    );

    const response = await t.http.get('/audit/verify').set(as('auditor')).expect(200);
    const report = response.body as StoreVerifyReport;
    const expected = TAMPERS.flatMap((tamper) =>
      tamper.expected.map((e) => ({ stream: stream(tamper), ...e })),
    );
    const found = report.violations.map(({ stream: s, revision, kind }) => ({ stream: s, revision, kind }));
    const detected = TAMPERS.filter((tamper) =>
      tamper.expected.every((e) =>
        found.some((f) => f.stream === stream(tamper) && f.revision === e.revision && f.kind === e.kind),
      ),
    );
    console.info(
      `tamper detection: ${detected.length} of ${TAMPERS.length} detected (` +
        TAMPERS.map((tamper) => `${tamper.name} → ${tamper.expected.map((e) => e.kind).join(' + ')}`).join(
          '; ',
        ) +
        ')',
    );
    expect(detected.map((tamper) => tamper.name)).toEqual(TAMPERS.map((tamper) => tamper.name));
    expect(found).toEqual(
      expected.sort((a, b) => (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : a.revision - b.revision)),
    );
    expect(report).toMatchObject({
      ok: false,
      counts: {
        'hash-mismatch': 2,
        'missing-event': 1,
        'out-of-order': 2,
        'illegal-transition': 1,
        'chain-broken': 0,
      },
    });
    expect(report.violations.find((v) => v.kind === 'illegal-transition')!.detail).toBe(
      "role processor may not fire 'close' (allowed: lead-processor); 'close' cannot be fired in submitted (only in triaged, analysed, escalated)",
    );

    // The CLI finds the same, exits with 1, and reports it as JSON with --json.
    const asJson = await cli('audit', 'verify', '--tenant', 'gent', '--json');
    expect(asJson.code).toBe(1);
    const cliReport = JSON.parse(asJson.output) as StoreVerifyReport;
    expect(cliReport.violations).toEqual(report.violations);
    const readable = await cli('audit', 'verify');
    expect(readable.code).toBe(1);
    expect(readable.output).toContain('6 violations:');
    expect(readable.output).toMatch(/^ {2}out-of-order {9}2$/m);
    expect(readable.output).toContain(
      `${stream(TAMPERS[1]!)}  revision 2  missing-event: revision 2 is missing`,
    );
  }, 90_000);

  it('answers a wrong verify command with the usage and exit code 2', async () => {
    expect((await cli('audit', 'verify', '--tenant')).code).toBe(2);
    expect((await cli('audit', 'verify', '--tenant', 'Gent/../x')).code).toBe(2);
    expect((await cli('audit', 'check')).code).toBe(2);
  }, 60_000);
});

async function collectStream(t: TestApp, stream: string) {
  const events = [];
  for await (const event of t.store.readStream(stream)) events.push(event);
  return events;
}
