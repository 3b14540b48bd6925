import { describe, expect, it } from '@jest/globals';
import { SIGNAL_TEXT_ERASED } from '../../../projections/index.js';
import { getWorkflow } from '../../../workflows/registry.js';
import type { EventMetadata, RecordedEvent } from '../../platform/event-store/event-store.port.js';
import type { JsonObject } from '../../platform/json.js';
import { csvCell } from '../../platform/csv.js';
import { decisionHistory, historyCsv, HISTORY_CSV_COLUMNS } from './decision-history.js';
import { parseAsOf, signalAsOf } from './signal-as-of.js';
import { lookupWorkflow, sealAndInterleave, SignalStory, signalId } from './testing/builders.js';

const story = SignalStory.full(signalId(1));

function recorded(events: SignalStory['events'], stream = story.stream): RecordedEvent[] {
  return sealAndInterleave([{ stream, events }]).map((event, i) => ({
    ...event,
    id: `event-${i}`,
    metadata: event.metadata as EventMetadata,
    recordedAt: new Date(Date.UTC(2026, 2, 2, 9, i)),
  }));
}

const history = (events: RecordedEvent[], internalNotes = true) =>
  decisionHistory(signalId(1), 'gent', events, { lookup: lookupWorkflow, internalNotes });

describe('decisionHistory', () => {
  it('gives every decision with who, when, from → to, command, motivation, fields and workflow version', () => {
    const result = history(recorded(story.events));
    expect(result).toMatchObject({ signalId: signalId(1), tenantId: 'gent', revision: 8, erased: false });
    expect(result.workflow).toEqual({ name: 'signal-lifecycle', version: 1 });
    expect(result.steps.map((s) => [s.command, s.from, s.to, s.actor.role])).toEqual([
      ['submit', null, 'submitted', 'signal-giver'],
      ['triage', 'submitted', 'triaged', 'lead-processor'],
      ['assign', 'triaged', 'assigned', 'lead-processor'],
      ['start-analysis', 'assigned', 'in-analysis', 'processor'],
      ['request-info', 'in-analysis', 'awaiting-info', 'processor'],
      ['provide-info', 'awaiting-info', 'in-analysis', 'signal-giver'],
      ['add-note', 'in-analysis', 'in-analysis', 'processor'],
      ['record-analysis', 'in-analysis', 'analysed', 'processor'],
      ['close', 'analysed', 'closed', 'lead-processor'],
    ]);
    const triage = result.steps[1]!;
    expect(triage).toMatchObject({
      revision: 1,
      event: 'SignalTriaged',
      fromLabel: 'Ingediend',
      toLabel: 'Aanvaard als signaal',
      actor: { id: 'lead-processor-1', role: 'lead-processor', organisationId: null },
      workflow: { name: 'signal-lifecycle', version: 1 },
      motivation: 'Komt vaker voor in de wijk.',
      fields: { motivation: 'Komt vaker voor in de wijk.' },
      at: '2026-03-02T10:00:00.000Z',
    });
    expect(triage.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(result.steps[0]!.fields).toEqual({
      title: 'Gezinnen vinden geen huurwoning',
      description: 'Sinds de zomer vinden gezinnen met kinderen geen betaalbare huurwoning in de wijk.',
      themes: ['wonen'],
    });
  });

  it('takes a reason as the motivation where the command calls it that', () => {
    const rejected = new SignalStory(signalId(2))
      .then('submit', 'signal-giver')
      .then('reject', 'lead-processor');
    expect(history(recorded(rejected.events, rejected.stream)).steps[1]!.motivation).toBe(
      'Individuele vraag.',
    );
  });

  it('leaves internal notes out for a signal giver, keeping the revisions of the rest', () => {
    const steps = history(recorded(story.events), false).steps;
    expect(steps.map((s) => s.event)).not.toContain('NoteAdded');
    expect(steps.map((s) => s.revision)).toEqual([0, 1, 2, 3, 4, 5, 7, 8]);
  });

  it('blanks free text of every step before the erasure to [gewist], and shows the erasure and its reason as a step', () => {
    const erased = [
      ...story.events,
      {
        type: SIGNAL_TEXT_ERASED,
        data: { signalId: signalId(1), reason: 'Op vraag van de signaalgever.', keyIds: [] },
        metadata: {
          tenantId: 'gent',
          actor: { id: 'lead-1', role: 'lead-processor' },
          occurredAt: '2026-04-01T00:00:00.000Z',
        },
      },
    ];
    const result = history(recorded(erased));
    expect(result.erased).toBe(true);
    expect(result.steps[0]!.fields).toEqual({
      title: '[gewist]',
      description: '[gewist]',
      themes: ['wonen'],
    });
    expect(result.steps[1]!.motivation).toBe('[gewist]');
    expect(result.steps.at(-1)).toMatchObject({
      event: SIGNAL_TEXT_ERASED,
      command: null,
      from: 'closed',
      to: 'closed',
      motivation: 'Op vraag van de signaalgever.',
      fields: { reason: 'Op vraag van de signaalgever.' },
    });
    expect(JSON.stringify(result)).not.toContain('huurwoning');
  });
});

describe('historyCsv', () => {
  it('writes a header and one row per step, parseable back to the same cells', () => {
    const result = history(recorded(story.events));
    const csv = historyCsv(result);
    expect(csv.startsWith('\ufeffrevision,at,recordedAt,event,')).toBe(true);
    const rows = parseCsv(csv.slice(1));
    expect(rows[0]).toEqual([...HISTORY_CSV_COLUMNS]);
    expect(rows).toHaveLength(result.steps.length + 1);
    expect(rows[2]).toEqual([
      '1',
      '2026-03-02T10:00:00.000Z',
      '2026-03-02T09:01:00.000Z',
      'SignalTriaged',
      'triage',
      'submitted',
      'triaged',
      'lead-processor-1',
      'lead-processor',
      '',
      'signal-lifecycle',
      '1',
      'Komt vaker voor in de wijk.',
      '{"motivation":"Komt vaker voor in de wijk."}',
      result.steps[1]!.hash!,
    ]);
  });

  it('quotes commas, quotes and line breaks, and defuses formulas', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('zei "nee"')).toBe('"zei ""nee"""');
    expect(csvCell('regel 1\nregel 2')).toBe('"regel 1\nregel 2"');
    expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('gewoon')).toBe('gewoon');
    const tricky = new SignalStory(signalId(3)).then('submit', 'signal-giver', {
      title: '=1+1, "quoted"\r\nnew line',
      description: 'Een beschrijving van minstens tien tekens.',
      themes: ['wonen'],
    });
    const rows = parseCsv(historyCsv(history(recorded(tricky.events, tricky.stream))).slice(1));
    expect(JSON.parse(rows[1]![13]!)).toMatchObject({ title: '=1+1, "quoted"\r\nnew line' });
  });
});

describe('parseAsOf', () => {
  it.each([
    ['0', { kind: 'revision', revision: 0 }],
    ['42', { kind: 'revision', revision: 42 }],
    ['2026-03-02T10:00:00Z', { kind: 'instant', at: '2026-03-02T10:00:00.000Z' }],
    ['2026-03-02T11:30+01:00', { kind: 'instant', at: '2026-03-02T10:30:00.000Z' }],
    ['2026-03-02T10:00:00.123456Z', { kind: 'instant', at: '2026-03-02T10:00:00.123Z' }],
    ['2028-02-29T00:00:00Z', { kind: 'instant', at: '2028-02-29T00:00:00.000Z' }],
  ])('reads %s', (raw, expected) => {
    expect(parseAsOf(raw)).toMatchObject(expected);
  });

  it.each([
    '',
    '-1',
    '1.5',
    '1e3',
    '9999999999999999',
    '2026-03-02',
    '2026-03-02T10:00:00',
    '2026-02-30T10:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-03-02T24:00:00Z',
    '2026-03-02T10:60:00Z',
    '2026-03-02T10:00:00+24:00',
    'gisteren',
    '2026-03-02T10:00:00Z ',
    '0x10',
  ])('refuses %j', (raw) => {
    expect(parseAsOf(raw)).toBeNull();
  });
});

describe('signalAsOf', () => {
  const events = recorded(story.events);
  const lookup = (name: string, version: number) => getWorkflow(name, version);

  it('replays the stream up to a revision with the decider', () => {
    const outcome = signalAsOf(events, { kind: 'revision', revision: 2 }, '2', lookup);
    expect(outcome).toMatchObject({
      found: true,
      view: {
        signalId: signalId(1),
        revision: 2,
        state: 'assigned',
        stateLabel: 'Toegewezen',
        previousState: 'triaged',
        assigneeId: 'processor-1',
        policyDomain: 'wonen',
        asOf: { requested: '2', revision: 2, at: '2026-03-02T11:00:00.000Z' },
      },
    });
  });

  it('replays up to an instant: the last event that happened at or before it', () => {
    const at = (raw: string) => signalAsOf(events, parseAsOf(raw)!, raw, lookup);
    expect(at('2026-03-02T11:00:00Z')).toMatchObject({ view: { revision: 2, state: 'assigned' } });
    expect(at('2026-03-02T11:59:59Z')).toMatchObject({ view: { revision: 2 } });
    expect(at('2030-01-01T00:00:00Z')).toMatchObject({ view: { revision: 8, state: 'closed' } });
    expect(at('2026-03-02T08:59:59Z')).toEqual({ found: false, reason: 'before-submission' });
  });

  it('answers a revision past the end, or a stream without events, as no-such-revision', () => {
    expect(signalAsOf(events, { kind: 'revision', revision: 9 }, '9', lookup)).toEqual({
      found: false,
      reason: 'no-such-revision',
    });
    expect(signalAsOf([], { kind: 'revision', revision: 0 }, '0', lookup)).toMatchObject({ found: false });
  });

  it('keeps erased text erased, also as of a moment before the erasure', () => {
    const erased = recorded([
      ...story.events,
      {
        type: SIGNAL_TEXT_ERASED,
        data: { signalId: signalId(1) },
        metadata: {
          tenantId: 'gent',
          actor: { id: 'lead-1', role: 'lead-processor' },
          occurredAt: '2026-04-01T00:00:00.000Z',
        } as JsonObject,
      },
    ]);
    const outcome = signalAsOf(erased, { kind: 'revision', revision: 0 }, '0', lookup);
    expect(outcome).toMatchObject({
      found: true,
      view: { title: '[gewist]', description: '[gewist]', area: null, erased: true, themes: ['wonen'] },
    });
  });
});

/** A strict RFC 4180 reader, to check the writer against. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 2;
        continue;
      }
      if (c === '"') {
        quoted = false;
        i += 1;
        continue;
      }
      cell += c;
      i += 1;
      continue;
    }
    if (c === '"' && cell === '') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i += 1;
    } else cell += c;
    i += 1;
  }
  if (cell !== '' || row.length > 0) throw new Error('the CSV does not end with CRLF');
  return rows;
}
