import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { systemClock } from '../../src/platform/clock.js';
import { SqliteEventStore } from '../../src/platform/event-store/sqlite/sqlite-event-store.js';
import { ExecuteSignalCommand } from '../../src/signals/execute-signal-command/execute-signal-command.command.js';
import { ExecuteSignalCommandHandler } from '../../src/signals/execute-signal-command/execute-signal-command.handler.js';
import { SignalRepository } from '../../src/signals/signal.repository.js';
import { signalStream } from '../../src/signals/signal.events.js';
import { collect } from '../support/events.js';
import { startTsChild } from '../support/processes.js';

const ROUNDS = Number(process.env['F5_ROUNDS'] ?? 20);
const NOTES = 20;
const TRIAGES = 5;
const dir = mkdtempSync(join(tmpdir(), 'ls-f5-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('F5: conflicting commands on one signal from two processes sharing one store', () => {
  it(`loses no update over ${ROUNDS} rounds of ${2 * (NOTES + TRIAGES)} commands`, async () => {
    const file = join(dir, 'events.sqlite');
    const store = new SqliteEventStore({ file });
    const handler = new ExecuteSignalCommandHandler(store, new SignalRepository(store), systemClock);
    const giver = { id: 'giver-1', tenantId: 'gent', roles: ['signal-giver' as const], policyDomains: [] };
    const children = ['p1', 'p2'].map((id) =>
      startTsChild('test/fault/children/commander.ts', [file, id, String(NOTES), String(TRIAGES)]),
    );
    for (const child of children) await child.waitForLine((line) => line === 'ready');

    let acknowledged = 0;
    let refused = 0;
    const refusals = new Map<string, number>();
    let gaps = 0;
    let lost = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const { result } = await handler.execute(
        new ExecuteSignalCommand({
          actor: giver,
          name: 'submit',
          fields: {
            title: `Signaal ronde ${round}`,
            description: 'Een beschrijving van de situatie in de wijk.',
            themes: ['wonen'],
          },
          correlationId: `round-${round}`,
        }),
      );
      const signalId = result.signalId;
      const offsets = children.map((child) => child.lines.length);
      for (const child of children) child.child.stdin!.write(`round ${signalId}\n`);
      for (const child of children)
        await child.waitForLine((line) => line === `round-done ${signalId}`, 60_000);
      const results = children.flatMap((child, i) =>
        child.lines.slice(offsets[i]).filter((line) => line.startsWith('result ')),
      );
      expect(results).toHaveLength(2 * (NOTES + TRIAGES));

      const events = await collect(store.readStream(signalStream('gent', signalId)));
      const revisions = events.map((event) => Number(event.revision));
      if (revisions.some((revision, i) => revision !== i)) gaps += 1;
      const stored = new Set(events.map((event) => event.id));
      const ok = results.filter((line) => line.startsWith('result ok '));
      for (const line of ok) if (!stored.has(line.split(' ')[4]!)) lost += 1;
      acknowledged += ok.length;
      for (const line of results.filter((l) => l.startsWith('result refused '))) {
        refused += 1;
        const code = line.split(' ')[4]!;
        refusals.set(code, (refusals.get(code) ?? 0) + 1);
      }
      // Exactly one triage wins; every event stored was acknowledged to someone (or is the submission).
      expect(ok.filter((line) => line.split(' ')[2] === 'triage')).toHaveLength(1);
      expect(events).toHaveLength(1 + ok.length);
    }
    for (const child of children) child.child.stdin!.end('stop\n');
    for (const child of children) await child.exited;
    await store.close();
    console.info(
      `F5: ${ROUNDS} rounds × ${2 * (NOTES + TRIAGES)} conflicting commands from 2 processes: ` +
        `${acknowledged} acknowledged, ${refused} refused (${[...refusals].map(([c, n]) => `${c} ${n}`).join(', ')}), ` +
        `${lost} lost updates, ${gaps} streams with revision gaps or duplicates`,
    );
    expect(lost).toBe(0);
    expect(gaps).toBe(0);
    expect(refusals.get('TRANSITION_NOT_ALLOWED') ?? 0).toBeGreaterThan(0);
  }, 300_000);
});
