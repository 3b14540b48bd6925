import { describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '../../platform/event-store/event-store.port.js';
import type { JsonObject } from '../../platform/json.js';
import { terms } from './dutch-text.js';
import { FIXTURE_SIGNALS, PLANTED_PAIRS } from './similar-signals.fixture.js';
import { SimilarityIndex, TERM_STRIDE } from './similarity-index.js';

let position = 0n;
function event(type: string, stream: string, data: JsonObject, metadata: JsonObject = {}): RecordedEvent {
  position += 3n;
  return {
    id: `e-${position}`,
    type,
    data,
    metadata: {
      tenantId: 'gent',
      actor: { id: 'giver-1', role: 'signal-giver' },
      correlationId: 'c',
      causationId: 'c',
      occurredAt: '2026-03-02T09:00:00.000Z',
      ...metadata,
    },
    stream,
    revision: 0n,
    position,
    recordedAt: new Date(),
  };
}

const submitted = (signalId: string, fields: JsonObject, tenantId = 'gent', by = 'giver-1') =>
  event(
    'SignalSubmitted',
    `signal-${tenantId}-${signalId}`,
    { signalId, ...fields, organisationId: null, workflow: { name: 'signal-lifecycle', version: 1 } },
    { tenantId, actor: { id: by, role: 'signal-giver' }, workflow: { to: 'submitted' } },
  );

function fixtureIndex(): SimilarityIndex {
  const index = new SimilarityIndex();
  for (const signal of FIXTURE_SIGNALS) {
    const { key, ...fields } = signal;
    index.apply(submitted(key, fields));
  }
  return index;
}

describe('Dutch terms', () => {
  it('drops stopwords, numbers and one-letter words, and stems word forms to one term', () => {
    expect(terms('De gezinnen zoeken 3 huurwoningen en een woning')).toEqual([
      'gezinn',
      'zoek',
      'huurwon',
      'woning',
    ]);
    expect(terms('Woningen, de woning')).toEqual(['woning', 'woning']);
    expect(terms('geïsoleerde woningen')).toEqual(terms('Geïsoleerde WONINGEN'));
  });
});

describe('similar signals on the labelled fixture', () => {
  it('ranks each planted near-duplicate first, both ways', () => {
    const index = fixtureIndex();
    for (const [a, b] of PLANTED_PAIRS) {
      expect(index.similar('gent', a, { limit: 3 })[0]?.signal.signalId).toBe(b);
      expect(index.similar('gent', b, { limit: 3 })[0]?.signal.signalId).toBe(a);
    }
  });

  it('explains a score: text cosine, theme overlap, shared stems; scores in [0, 1], sorted', () => {
    const [first, ...rest] = fixtureIndex().similar('gent', 'huur-a', { limit: 5 });
    expect(first).toMatchObject({ themes: 0.5 });
    expect(first!.text).toBeGreaterThan(0.3);
    expect(first!.score).toBeCloseTo(0.8 * first!.text + 0.2 * first!.themes, 10);
    expect(first!.sharedTerms).toEqual(expect.arrayContaining(['betal', 'huurwon', 'gezinn']));
    for (const entry of [first!, ...rest]) expect(entry.score).toBeLessThanOrEqual(1);
    const scores = [first!, ...rest].map((entry) => entry.score);
    expect(scores).toEqual([...scores].sort((x, y) => y - x));
  });

  it('scores a tenant of a few signals, and keeps the scores in [0, 1] while it grows', () => {
    const index = new SimilarityIndex();
    const all = FIXTURE_SIGNALS.filter(
      (signal) => signal.key.startsWith('huur') || signal.key.startsWith('energie'),
    );
    for (const [n, signal] of all.entries()) {
      const { key, ...fields } = signal;
      index.apply(submitted(key, fields, 'kortrijk'));
      if (n === 0) continue;
      const found = index.similar('kortrijk', key, { limit: 20 });
      expect(found.length).toBeGreaterThan(0);
      for (const entry of found) {
        expect(Number.isFinite(entry.score) && Number.isFinite(entry.text)).toBe(true);
        expect(entry.score).toBeGreaterThanOrEqual(0);
        expect(entry.score).toBeLessThanOrEqual(1);
      }
    }
    expect(index.similar('kortrijk', 'huur-a', { limit: 1 })[0]?.signal.signalId).toBe('huur-b');
  });

  it('leaves out rejected and merged signals, the signal itself, what the caller may not see, and other tenants', () => {
    const index = fixtureIndex();
    index.apply(
      event(
        'SignalRejected',
        'signal-gent-huur-b',
        { signalId: 'huur-b', reason: 'x' },
        { workflow: { to: 'rejected' } },
      ),
    );
    const ids = index.similar('gent', 'huur-a', { limit: 20 }).map((entry) => entry.signal.signalId);
    expect(ids).not.toContain('huur-b');
    expect(ids).not.toContain('huur-a');
    const visible = index.similar('gent', 'energie-a', {
      limit: 20,
      visible: (s) => s.signalId !== 'energie-b',
    });
    expect(visible.map((entry) => entry.signal.signalId)).not.toContain('energie-b');
    const { key: _key, ...copy } = FIXTURE_SIGNALS.find((s) => s.key === 'jeugd-b')!;
    index.apply(submitted('jeugd-b', copy, 'eeklo'));
    expect(index.similar('eeklo', 'jeugd-b', { limit: 5 })).toEqual([]);
    expect(index.similar('gent', 'jeugd-a', { limit: 1 })[0]?.signal.signalId).toBe('jeugd-b');
  });

  it('a title or a description changed on its own gives the terms a fresh index finds in the new text', () => {
    const named = (index: SimilarityIndex, signalId: string) => {
      const { terms } = index.get('gent', signalId)!;
      const counts: Record<string, number> = {};
      for (let i = 0; i < terms.length; i += TERM_STRIDE) counts[index.termName(terms[i]!)] = terms[i + 1]!;
      return counts;
    };
    const index = new SimilarityIndex();
    index.apply(
      submitted('s1', {
        title: 'Geen betaalbare woning',
        description: 'Gezinnen vinden geen woning; de wachtlijst voor een sociale woning is lang.',
        themes: ['wonen'],
      }),
    );
    const changed = (data: JsonObject) =>
      event('SignalTriaged', 'signal-gent-s1', { signalId: 's1', ...data });
    index.apply(changed({ title: 'Wachtlijst sociale woning te lang' }));
    index.apply(changed({ description: 'Jongeren wachten jaren op een sociale huurwoning in de wijk.' }));
    index.apply(changed({ title: 'Jongeren wachten op een woning' }));
    const fresh = new SimilarityIndex();
    fresh.apply(
      submitted('s1', {
        title: 'Jongeren wachten op een woning',
        description: 'Jongeren wachten jaren op een sociale huurwoning in de wijk.',
        themes: ['wonen'],
      }),
    );
    expect(named(index, 's1')).toEqual(named(fresh, 's1'));
    expect(named(index, 's1')).toMatchObject({ jonger: 3, wacht: 3, woning: 2, huurwon: 1 });
    // Only the title is kept as text (suggestions name it); the description lives on as terms.
    expect(index.get('gent', 's1')).toMatchObject({ title: 'Jongeren wachten op een woning' });
    expect(Object.keys(index.get('gent', 's1')!)).not.toContain('description');
    index.apply(event('SignalTextErased', 'signal-gent-s1', { signalId: 's1', reason: 'r', keyIds: [] }));
    expect(index.get('gent', 's1')).toMatchObject({ title: null });
    expect(named(index, 's1')).toEqual({});
  });

  it('after hundreds of text changes and erasures over shared words, answers as an index built from the final texts', () => {
    // A small vocabulary, so that every posting holds many signals and signals leave them often.
    const words = ['woning', 'wachtlijst', 'jongeren', 'huur', 'buurt', 'gezin', 'school', 'zorg', 'armoede'];
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % n;
    };
    const sentence = () => Array.from({ length: 2 + random(5) }, () => words[random(words.length)]).join(' ');
    const final = new Map<string, { title: string; description: string; erased: boolean }>();
    const churned = new SimilarityIndex();
    for (let i = 0; i < 60; i++) {
      const signal = { title: sentence(), description: sentence(), erased: false };
      final.set(`s${i}`, signal);
      churned.apply(
        submitted(`s${i}`, { title: signal.title, description: signal.description, themes: ['wonen'] }),
      );
    }
    for (let step = 0; step < 600; step++) {
      const signalId = `s${random(60)}`;
      const signal = final.get(signalId)!;
      if (signal.erased) continue;
      const stream = `signal-gent-${signalId}`;
      const kind = random(10);
      if (kind === 0) {
        signal.erased = true;
        churned.apply(event('SignalTextErased', stream, { signalId }));
      } else if (kind < 5) {
        signal.title = sentence();
        churned.apply(event('SignalTriaged', stream, { signalId, title: signal.title }));
      } else {
        signal.description = sentence();
        churned.apply(event('SignalTriaged', stream, { signalId, description: signal.description }));
      }
    }
    const fresh = new SimilarityIndex();
    for (const [signalId, { title, description, erased }] of final) {
      fresh.apply(submitted(signalId, { title, description, themes: ['wonen'] }));
      if (erased) fresh.apply(event('SignalTextErased', `signal-gent-${signalId}`, { signalId }));
    }
    const answer = (index: SimilarityIndex, signalId: string) =>
      index
        .similar('gent', signalId, { limit: 100 })
        .map(({ signal, score }) => `${signal.signalId} ${score.toFixed(9)}`)
        .sort();
    for (const signalId of final.keys()) expect(answer(churned, signalId)).toEqual(answer(fresh, signalId));
    expect([...final.values()].filter((signal) => signal.erased).length).toBeGreaterThan(5);
  });

  it('follows text changes and erasure, assignment and dossier membership event by event', () => {
    const index = fixtureIndex();
    index.apply(event('SignalTextErased', 'signal-gent-digi-b', { signalId: 'digi-b' }));
    expect(index.similar('gent', 'digi-a', { limit: 5 }).map((e) => e.signal.signalId)).not.toContain(
      'digi-b',
    );
    index.apply(
      event(
        'SignalAssigned',
        'signal-gent-jeugd-b',
        { signalId: 'jeugd-b', assigneeId: 'proc-1', policyDomain: 'jeugd' },
        { workflow: { to: 'assigned' } },
      ),
    );
    expect(index.get('gent', 'jeugd-b')).toMatchObject({
      state: 'assigned',
      assigneeId: 'proc-1',
      policyDomain: 'jeugd',
    });
    index.apply(
      event('DossierCreated', 'dossier-gent-d1', {
        dossierId: 'd1',
        title: 't',
        summary: 's',
        themes: [],
        signalIds: ['jeugd-b'],
      }),
    );
    expect(index.get('gent', 'jeugd-b')?.dossierId).toBe('d1');
    index.apply(event('DossierClosed', 'dossier-gent-d1', { dossierId: 'd1', outcome: 'o' }));
    expect(index.get('gent', 'jeugd-b')?.dossierId).toBeNull();
    const before = index.position;
    index.apply({
      ...event('SignalTextErased', 'signal-gent-jeugd-a', { signalId: 'jeugd-a' }),
      position: 1n,
    });
    expect(index.position).toBe(before);
    expect(index.similar('gent', 'jeugd-a', { limit: 1 })[0]?.signal.signalId).toBe('jeugd-b');
  });
});
