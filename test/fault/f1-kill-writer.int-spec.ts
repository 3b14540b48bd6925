import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import DatabaseConstructor from 'better-sqlite3';
import { afterAll, describe, expect, it } from '@jest/globals';
import { startTsChild } from '../support/processes.js';

const KILLS = Number(process.env['F1_KILLS'] ?? 50);
const dir = mkdtempSync(join(tmpdir(), 'ls-f1-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Ack {
  appendId: string;
  stream: string;
  nextRevision: number;
  position: number;
  count: number;
}

describe('F1: SIGKILL a writer mid-append', () => {
  it(`loses no acknowledged event and leaves no half-written append over ${KILLS} kills`, async () => {
    const file = join(dir, 'events.sqlite');
    const acks: Ack[] = [];
    let killedWhileWriting = 0;
    for (let kill = 0; kill < KILLS; kill++) {
      const writer = startTsChild('test/fault/children/writer.ts', [file, 'w', '8', '0', '16']);
      await writer.waitForLine((line) => line === 'ready');
      // Kill at a varying moment after the first acknowledgements, while appends are in flight.
      const acksBefore = writer.lines.length;
      await writer.waitForLine((line) => line.startsWith('ack '), 20_000);
      await new Promise((resolve) => setTimeout(resolve, 5 + ((kill * 37) % 120)));
      writer.child.kill('SIGKILL');
      const { signal } = await writer.exited;
      expect(signal).toBe('SIGKILL');
      const lines = writer.lines.slice(acksBefore).filter((line) => line.startsWith('ack '));
      if (lines.length > 0) killedWhileWriting += 1;
      for (const line of lines) {
        const [, appendId, stream, nextRevision, position, count] = line.split(' ');
        acks.push({
          appendId: appendId!,
          stream: stream!,
          nextRevision: Number(nextRevision),
          position: Number(position),
          count: Number(count),
        });
      }
    }

    const db = new DatabaseConstructor(file, { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const rows = db
        .prepare<[], { position: number; stream: string; revision: number; data: string }>(
          'SELECT position, stream, revision, data FROM events ORDER BY position',
        )
        .all();
      const appends = new Map<
        string,
        { count: number; seen: number; last: { position: number; revision: number } }
      >();
      const lastRevision = new Map<string, number>();
      let previousPosition = 0;
      for (const row of rows) {
        expect(row.position).toBeGreaterThan(previousPosition);
        previousPosition = row.position;
        const expectedRevision = (lastRevision.get(row.stream) ?? -1) + 1;
        expect(row.revision).toBe(expectedRevision);
        lastRevision.set(row.stream, row.revision);
        const data = JSON.parse(row.data) as { appendId: string; index: number; count: number };
        const entry = appends.get(data.appendId) ?? { count: data.count, seen: 0, last: row };
        expect(data.index).toBe(entry.seen);
        entry.seen += 1;
        entry.last = row;
        appends.set(data.appendId, entry);
      }
      const halfWritten = [...appends.values()].filter((a) => a.seen !== a.count);
      const lost = acks.filter((ack) => {
        const stored = appends.get(ack.appendId);
        return (
          !stored ||
          stored.seen !== ack.count ||
          stored.last.position !== ack.position ||
          stored.last.revision !== ack.nextRevision
        );
      });
      console.info(
        `F1: ${KILLS} kills (${killedWhileWriting} with appends acknowledged in that run), ` +
          `${acks.length} acknowledged appends, ${rows.length} events stored, ` +
          `${lost.length} acknowledged lost, ${halfWritten.length} half-written appends, integrity ok`,
      );
      expect(lost).toEqual([]);
      expect(halfWritten).toEqual([]);
      expect(acks.length).toBeGreaterThan(KILLS);
    } finally {
      db.close();
    }
  }, 600_000);
});
