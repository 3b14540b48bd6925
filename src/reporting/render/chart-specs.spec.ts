import { describe, expect, it } from '@jest/globals';
import { groupedBarSpec, lineSpec, pivotRows, seriesRows } from './chart-specs.js';

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

  it('leaves out a value that is not published (null): no bar, a gap in a line, never a zero', () => {
    const rows = seriesRows([{ key: 'wonen', now: 12, before: null }], (t) => t.key, {
      nu: (t) => t.now,
      voor: (t) => t.before,
    });
    expect(rows).toEqual([{ category: 'wonen', series: 'nu', value: 12 }]);
  });

  it('pivots items into series over ordered categories, skipping nulls', () => {
    const rows = pivotRows(
      [
        { label: 'Wonen', values: [3, null, 9] },
        { label: 'Jeugd', values: [null, 4, 5] },
      ],
      (item) => item.label,
      ['K1', 'K2', 'K3'],
      (item, index) => item.values[index] ?? null,
    );
    expect(rows).toEqual([
      { category: 'K1', series: 'Wonen', value: 3 },
      { category: 'K3', series: 'Wonen', value: 9 },
      { category: 'K2', series: 'Jeugd', value: 4 },
      { category: 'K3', series: 'Jeugd', value: 5 },
    ]);
    const spec = lineSpec(rows, {
      title: 'Verloop',
      valueTitle: 'aantal signalen',
      series: ['Wonen', 'Jeugd'],
      categories: ['K1', 'K2', 'K3'],
    }) as unknown as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(spec.encoding.x.sort).toEqual(['K1', 'K2', 'K3']);
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

  it('slants the labels of more than six categories (a year of months), keeps a few upright', () => {
    const months = ['jan', 'feb', 'mrt', 'apr', 'mei', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov', 'dec'];
    type Axis = { encoding: { x: { axis: { labelAngle: number } } } };
    const angle = (categories: string[]) => {
      const rows = categories.map((category) => ({
        category: `${category} 2026`,
        series: 'ontvangen',
        value: 1,
      }));
      const options = { title: 'Verloop per maand', valueTitle: 'aantal signalen', series: ['ontvangen'] };
      return (lineSpec(rows, options) as unknown as Axis).encoding.x.axis.labelAngle;
    };
    expect(angle(months)).toBe(-40);
    expect(angle(months.slice(0, 3))).toBe(0);
  });
});
