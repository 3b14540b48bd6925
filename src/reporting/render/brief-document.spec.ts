import { describe, expect, it } from '@jest/globals';
import { NO_DOMAIN, type BriefContent, type Trend } from '../brief-content.js';
import { buildBriefDocument, count } from './brief-document.js';
import { briefChartSpecs } from './charts.js';
import { renderMarkdown } from './markdown.js';

function trend(current: number): Trend {
  return { current, previous: current, delta: 0, percent: 0 };
}

/** A brief whose every count is `n`: one signal, one dossier, one escalation, … */
function contentOf(n: number): BriefContent {
  const dossier = 'Kelderwoningen';
  return {
    tenantId: 'bornem',
    period: {
      label: '2026-Q3',
      kind: 'quarter',
      from: '2026-07-01T00:00:00.000Z',
      to: '2026-10-01T00:00:00.000Z',
      description: '3de kwartaal 2026',
    },
    previousPeriod: { label: '2026-Q2', description: '2de kwartaal 2026' },
    generatedAt: '2026-10-02T08:00:00.000Z',
    totals: { received: trend(n), closed: trend(n), rejected: trend(n) },
    byTheme: [],
    byPolicyDomain: [],
    monthly: [],
    backlog: { open: n, asOf: '2026-09-30T00:00:00.000Z', overdue: n, byPolicyDomain: [] },
    leadTimes: { closed: n, medianDays: 3, p90Days: 3, averageDays: 3, byPolicyDomain: [] },
    structuralSignals: { count: n, byTheme: [], titles: [] },
    dossiers: {
      count: n,
      main: [
        { title: dossier, themes: ['wonen'], signalCount: n, structural: true, analyses: [], closed: false },
      ],
      escalations: Array.from({ length: n }, () => ({
        dossier,
        at: '2026-08-01T00:00:00.000Z',
        level: 'local' as const,
        body: 'college',
        signalCount: n,
      })),
      decisions: Array.from({ length: n }, () => ({
        dossier,
        at: '2026-09-01T00:00:00.000Z',
        decision: 'Premie',
        actions: [],
        signalCount: n,
      })),
    },
  };
}

function textOf(n: number): string {
  const document = buildBriefDocument(contentOf(n), 'Bornem');
  return document.sections
    .flatMap((section) => section.blocks)
    .flatMap((block) =>
      block.kind === 'paragraph' ? [block.text] : block.kind === 'bullets' ? block.items : [],
    )
    .join('\n');
}

describe('the brief document in Dutch', () => {
  it('writes a count of one in the singular, noun and verb', () => {
    expect(count(1, 'signaal', 'signalen')).toBe('1 signaal');
    expect(count(0, 'signaal', 'signalen')).toBe('0 signalen');
    expect(count(1234, 'signaal', 'signalen')).toBe('1.234 signalen');
    const text = textOf(1);
    expect(text).not.toMatch(/\b1 (signalen|dossiers|agenderingen|beleidsbeslissingen)\b/);
    expect(text).toContain('Kelderwoningen — 1 signaal; ');
    expect(text).toContain('ontving Bornem 1 signaal (');
    expect(text).toContain('1 signaal werd afgesloten');
    expect(text).toContain('stond 1 signaal open, waarvan 1 over zijn termijn');
    expect(text).toContain('1 dossier was actief; 1 agendering bij beleid en 1 beleidsbeslissing vielen');
    expect(text).toContain('voor 1 afgesloten signaal:');
    expect(text).toContain('1 signaal van deze periode werd als structureel beoordeeld');
  });

  it('writes every other count in the plural', () => {
    const text = textOf(2);
    expect(text).toContain('Kelderwoningen — 2 signalen; ');
    expect(text).toContain('ontving Bornem 2 signalen (');
    expect(text).toContain('2 signalen werden afgesloten');
    expect(text).toContain('stonden 2 signalen open, waarvan 2 over hun termijn');
    expect(text).toContain(
      '2 dossiers waren actief; 2 agenderingen bij beleid en 2 beleidsbeslissingen vielen',
    );
    expect(text).toContain('voor 2 afgesloten signalen:');
    expect(text).toContain('2 signalen van deze periode werden als structureel beoordeeld');
    expect(textOf(0)).toContain('Kelderwoningen — 0 signalen; ');
  });

  it('writes "geen" for none in the summary, not "0 dossiers"', () => {
    const text = textOf(0);
    expect(text).toContain(
      'Geen dossiers waren actief; geen agenderingen bij beleid en geen beleidsbeslissingen vielen in deze periode.',
    );
    expect(text).not.toMatch(/\b0 (dossiers|agenderingen|beleidsbeslissingen)\b/);
  });

  it('names themes, policy domains and months in Dutch, not by their codes', () => {
    const row = (key: string) => ({ key, received: trend(3), closed: trend(2) });
    const content: BriefContent = {
      ...contentOf(2),
      byTheme: [row('armoede-en-inkomen'), row('wonen')],
      byPolicyDomain: [row('werk-en-economie'), row(NO_DOMAIN)],
      monthly: [{ month: '2026-07', received: 3, closed: 2 }],
      backlog: { ...contentOf(2).backlog, byPolicyDomain: [{ key: 'vrije-tijd', open: 2, overdue: 1 }] },
      structuralSignals: {
        count: 2,
        byTheme: [{ key: 'mentaal-welzijn', count: 2 }],
        titles: [{ title: 'Wachtlijst', themes: ['digitale-inclusie'] }],
      },
    };
    const document = buildBriefDocument(content, 'Bornem');
    const cells = document.sections
      .flatMap((section) => section.blocks)
      .flatMap((block) => (block.kind === 'table' ? block.rows.map((cells) => cells[0]) : []));
    expect(cells).toEqual(
      expect.arrayContaining([
        'Armoede en inkomen',
        'Wonen',
        'Werk en economie',
        NO_DOMAIN,
        'juli 2026',
        'Vrije tijd',
      ]),
    );
    const text = renderMarkdown(document);
    expect(text).toContain('als structureel beoordeeld: Mentaal welzijn 2.');
    expect(text).toContain('Wachtlijst (Digitale inclusie)');
    expect(text).toContain("thema's: Wonen");
    for (const code of ['armoede-en-inkomen', 'werk-en-economie', 'vrije-tijd', 'mentaal-welzijn', '2026-07'])
      expect(text).not.toContain(code);
    const specs = JSON.stringify(briefChartSpecs(content));
    expect(specs).toContain('Armoede en inkomen');
    expect(specs).toContain('Vrije tijd');
    expect(specs).not.toContain('armoede-en-inkomen');
  });
});
