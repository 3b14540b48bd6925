import { describe, expect, it } from '@jest/globals';
import { groupedBarSpec, lineSpec, seriesRows } from './chart-specs.js';

describe('chart specs shared by briefs and the web app', () => {
  const themes = [
    { key: 'wonen', received: 7, closed: 3 },
    { key: 'armoede', received: 5, closed: 0 },
  ];

  it('turns items into one row per category and series, in input order', () => {
    const rows = seriesRows(themes, (t) => t.key, {
      ontvangen: (t) => t.received,
      afgesloten: (t) => t.closed,
    });
    expect(rows).toEqual([
      { category: 'wonen', series: 'ontvangen', value: 7 },
      { category: 'wonen', series: 'afgesloten', value: 3 },
      { category: 'armoede', series: 'ontvangen', value: 5 },
      { category: 'armoede', series: 'afgesloten', value: 0 },
    ]);
  });

  it('keeps at most `max` categories', () => {
    expect(seriesRows(themes, (t) => t.key, { n: (t) => t.received }, 1)).toHaveLength(1);
  });

  it('builds a grouped bar spec whose data and colours follow the series', () => {
    const spec = groupedBarSpec([{ category: 'wonen', series: 'ontvangen', value: 7 }], {
      title: 'Signalen per thema',
      valueTitle: 'aantal signalen',
      series: ['ontvangen', 'afgesloten'],
    }) as unknown as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(spec.title).toBe('Signalen per thema');
    expect(spec.data.values).toEqual([{ categorie: 'wonen', reeks: 'ontvangen', aantal: 7 }]);
    expect(spec.encoding.color.scale.domain).toEqual(['ontvangen', 'afgesloten']);
    expect(spec.encoding.color.scale.range).toHaveLength(2);
    expect(spec.mark.type).toBe('bar');
  });

  it('builds a line spec over ordered categories', () => {
    const spec = lineSpec([], {
      title: 'Verloop per maand',
      valueTitle: 'aantal signalen',
      series: ['ontvangen'],
      width: 300,
    }) as unknown as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(spec.width).toBe(300);
    expect(spec.encoding.x.type).toBe('ordinal');
  });
});
