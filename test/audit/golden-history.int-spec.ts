import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { recomputeHash, recordedLink } from '../../src/platform/event-store/hash-chain.js';
import { EXPECTED_FILE, loadGoldenStream, replayGolden } from '../fixtures/audit/golden.js';

/**
 * The replay test: a signal's stream as the store recorded it is committed, and so is what
 * replaying it gave. Any change of behaviour (folding, labels, motivation, CSV, as-of, the
 * verifier, canonical JSON or the hash) makes this fail. When a change is deliberate, regenerate
 * expected.json with `node --import tsx test/fixtures/audit/golden.ts` and review its diff; the
 * recorded stream itself is never regenerated.
 */
describe('golden replay of a recorded signal stream', () => {
  const events = loadGoldenStream();
  const expected = JSON.parse(readFileSync(EXPECTED_FILE, 'utf8')) as ReturnType<typeof replayGolden>;

  it('recomputes every recorded hash: canonical JSON and the chain hash are what they were', () => {
    for (const event of events) {
      const link = recordedLink(event.metadata)!;
      expect(recomputeHash(event, link.previousHash)).toBe(link.hash);
    }
    expect(replayGolden(events).verify).toEqual(expected.verify);
    expect(expected.verify.ok).toBe(true);
  });

  it('replays to the committed history, the giver’s view, the CSV and the signal as of each moment', () => {
    const replayed = JSON.parse(JSON.stringify(replayGolden(events))) as typeof expected;
    expect(replayed.history).toEqual(expected.history);
    expect(replayed.historyForSignalGiver).toEqual(expected.historyForSignalGiver);
    expect(replayed.csv).toBe(expected.csv);
    expect(replayed.asOf).toEqual(expected.asOf);
  });

  it('covers what a history must show: reopening, @previous, internal notes, every role', () => {
    const commands = expected.history.steps.map((step) => step.command);
    expect(commands).toEqual(
      expect.arrayContaining(['provide-info', 'add-note', 'reopen', 'reject', 'escalate']),
    );
    expect(new Set(expected.history.steps.map((step) => step.actor.role))).toEqual(
      new Set(['signal-giver', 'lead-processor', 'processor']),
    );
    expect(expected.historyForSignalGiver.steps).toHaveLength(expected.history.steps.length - 1);
  });
});
