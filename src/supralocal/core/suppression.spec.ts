import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  suppressionRules,
  suppressTable,
  SuppressionRulesError,
  type Published,
  type RawCell,
  type RawTable,
  type SuppressedTable,
} from './suppression.js';

const RULES = suppressionRules();

function cell(signals: number, givers: number, escalations = 0): RawCell {
  return { signals, givers, organisations: 1, escalations, dossiers: 0 };
}

function tableOf(grid: Record<string, Record<string, RawCell>>): RawTable {
  const rows = Object.keys(grid);
  const columns = [...new Set(rows.flatMap((row) => Object.keys(grid[row]!)))];
  return {
    rows,
    columns,
    cells: new Map(rows.map((row) => [row, new Map(Object.entries(grid[row]!))])),
  };
}

function isHidden(published: Published | Published | undefined): boolean {
  return published?.suppressed === true;
}

type Entry = Published | Published | undefined;

/**
 * The attacker: every published figure and every known zero, and the equations a table with totals
 * gives (each row and each column sums to its total; with months, each row's months sum to its
 * total, each month's rows to the month's total, the months to the grand total). Returns the hidden
 * entries whose value the equations pin down, by Gaussian elimination over the unknowns.
 */
function derivableHiddenEntries(out: SuppressedTable): string[] {
  const { entries, equations } = equationsOf(out);
  return determined(entries, equations);
}

/**
 * The attacker who is one of the municipalities: it knows its own column (its cells and their
 * total) besides what is published. Returns the other municipalities' hidden cells it pins down.
 */
function derivableByAMunicipality(out: SuppressedTable): string[] {
  const { entries, equations } = equationsOf(out);
  const found: string[] = [];
  for (let c = 1; c <= out.columns.length; c++) {
    const own = (id: string) => new RegExp(`^\\d+,${c}$`).test(id);
    const known = new Map([...entries].map(([id, entry]) => [id, own(id) ? undefined : entry]));
    for (const id of determined(known, equations))
      if (/^\d+,\d+$/.test(id) && !id.startsWith('0,') && !id.endsWith(',0') && !own(id))
        found.push(`${id} (known: column ${c})`);
  }
  return found;
}

/**
 * The attacker with bounds as well: a hidden entry is listed, so it counts at least one signal
 * (zeros are not entries), and a total or month hidden as `secondary` passed the threshold. In a
 * line whose total is published, the hidden parts share what the published parts leave: when that
 * is exactly their least values, the line gives every one of them away (in a row, the givers too:
 * at least one per hidden cell). Returns those lines (by their total).
 */
function boundedHiddenEntries(out: SuppressedTable): string[] {
  const { entries, equations } = equationsOf(out);
  const found: string[] = [];
  for (const terms of equations) {
    const [totalId] = terms.find(([, sign]) => sign === -1)!;
    const total = entries.get(totalId);
    if (total === undefined || total.suppressed) continue;
    let room = total.signals;
    let hidden = 0;
    for (const [id, sign] of terms) {
      const part = entries.get(id);
      if (sign === -1 || part === undefined) continue;
      if (!part.suppressed) room -= part.signals;
      else {
        hidden++;
        // The views publish why a total or a month is hidden, not why a cell is.
        const cell = /^\d+,\d+$/.test(id) && !id.startsWith('0,') && !id.endsWith(',0');
        room -= part.reason === 'small' || cell ? 1 : RULES.minSignals;
      }
    }
    if (hidden > 0 && room < 1) found.push(totalId);
    // A row's givers add up as its signals do (a column's and a month's are distinct counts).
    const row = /^\d+,0$/.test(totalId) && totalId !== '0,0' && terms.every(([id]) => /^\d+,\d+$/.test(id));
    if (!row || hidden === 0) continue;
    let giversRoom = total.givers;
    for (const [id, sign] of terms) {
      const part = entries.get(id);
      if (sign === -1 || part === undefined) continue;
      giversRoom -= part.suppressed ? 1 : part.givers;
    }
    if (giversRoom < 1) found.push(`${totalId} (givers)`);
  }
  return found;
}

/** Every entry of the table by its place, and the equations between them (the total's sign is −1). */
function equationsOf(out: SuppressedTable): {
  entries: Map<string, Entry>;
  equations: Array<Array<[string, number]>>;
} {
  const R = out.rows.length;
  const C = out.columns.length;
  const entries = new Map<string, Entry>();
  for (let r = 0; r <= R; r++) {
    for (let c = 0; c <= C; c++) {
      entries.set(
        `${r},${c}`,
        r === 0 && c === 0
          ? (out.grandTotal ?? undefined)
          : r === 0
            ? out.columnTotals.get(out.columns[c - 1]!)
            : c === 0
              ? out.rowTotals.get(out.rows[r - 1]!)
              : out.cells.get(out.rows[r - 1]!)?.get(out.columns[c - 1]!),
      );
    }
  }
  const equations: Array<Array<[string, number]>> = [];
  for (let r = 0; r <= R; r++) {
    const terms: Array<[string, number]> = [[`${r},0`, -1]];
    for (let c = 1; c <= C; c++) terms.push([`${r},${c}`, 1]);
    equations.push(terms);
  }
  for (let c = 0; c <= C; c++) {
    const terms: Array<[string, number]> = [[`0,${c}`, -1]];
    for (let r = 1; r <= R; r++) terms.push([`${r},${c}`, 1]);
    equations.push(terms);
  }
  const months = out.months;
  if (months !== null) {
    months.months.forEach((month, m) => {
      entries.set(`month ${m}`, months.monthTotals.get(month));
      out.rows.forEach((row, r) => entries.set(`${r + 1} month ${m}`, months.cells.get(row)?.get(month)));
    });
    out.rows.forEach((row, r) => {
      if (!months.cells.has(row)) return;
      equations.push([
        [`${r + 1},0`, -1],
        ...months.months.map((_, m): [string, number] => [`${r + 1} month ${m}`, 1]),
      ]);
    });
    months.months.forEach((_, m) => {
      equations.push([
        [`month ${m}`, -1],
        ...out.rows.map((_, r): [string, number] => [`${r + 1} month ${m}`, 1]),
      ]);
    });
    equations.push([['0,0', -1], ...months.months.map((_, m): [string, number] => [`month ${m}`, 1])]);
  }
  return { entries, equations };
}

/** The hidden entries that the equations (over all entries; published and zero ones known) pin down. */
function determined(
  entries: ReadonlyMap<string, Entry>,
  equations: Array<Array<[string, number]>>,
): string[] {
  const unknowns = [...entries].filter(([, entry]) => isHidden(entry)).map(([id]) => id);
  const index = new Map(unknowns.map((id, i) => [id, i]));
  const m = equations.map((terms) => {
    const coefficients = new Array<number>(unknowns.length).fill(0);
    for (const [id, sign] of terms) {
      const i = index.get(id);
      if (i !== undefined) coefficients[i]! += sign;
    }
    return coefficients;
  });
  // Reduced row echelon form; an unknown is determined when some row is its unit vector.
  let pivotRow = 0;
  const pivots: number[] = [];
  for (let col = 0; col < unknowns.length && pivotRow < m.length; col++) {
    let best = pivotRow;
    for (let i = pivotRow; i < m.length; i++) if (Math.abs(m[i]![col]!) > Math.abs(m[best]![col]!)) best = i;
    if (Math.abs(m[best]![col]!) < 1e-9) continue;
    [m[pivotRow], m[best]] = [m[best]!, m[pivotRow]!];
    const p = m[pivotRow]![col]!;
    m[pivotRow] = m[pivotRow]!.map((value) => value / p);
    for (let i = 0; i < m.length; i++) {
      if (i === pivotRow) continue;
      const factor = m[i]![col]!;
      if (Math.abs(factor) < 1e-12) continue;
      m[i] = m[i]!.map((value, k) => value - factor * m[pivotRow]![k]!);
    }
    pivots.push(col);
    pivotRow++;
  }
  const found: string[] = [];
  for (let i = 0; i < pivots.length; i++) {
    const nonZero = m[i]!.filter((value) => Math.abs(value) > 1e-9).length;
    if (nonZero === 1) found.push(unknowns[pivots[i]!]!);
  }
  return found;
}

function publishedBelowThreshold(out: SuppressedTable): number {
  const all: Published[] = [
    ...[...out.cells.values()].flatMap((row) => [...row.values()]),
    ...out.rowTotals.values(),
    ...out.columnTotals.values(),
    ...(out.grandTotal ? [out.grandTotal] : []),
  ];
  const counts: Published[] = out.months
    ? [
        ...[...out.months.cells.values()].flatMap((row) => [...row.values()]),
        ...out.months.monthTotals.values(),
      ]
    : [];
  return [...all, ...counts].filter(
    (p) => !p.suppressed && (p.signals < RULES.minSignals || p.givers < RULES.minGivers),
  ).length;
}

describe('small-cell suppression', () => {
  it('never goes below 5 signals from 3 givers', () => {
    expect(suppressionRules()).toEqual({ minSignals: 5, minGivers: 3 });
    expect(suppressionRules(10, 4)).toEqual({ minSignals: 10, minGivers: 4 });
    expect(() => suppressionRules(4, 3)).toThrow(SuppressionRulesError);
    expect(() => suppressionRules(5, 2)).toThrow(/minGivers must be a whole number of at least 3/);
    expect(() => suppressionRules(5.5, 3)).toThrow(SuppressionRulesError);
  });

  it('publishes a table of large cells as it is, totals included', () => {
    const out = suppressTable(
      tableOf({ wonen: { gent: cell(10, 4, 2), aalst: cell(7, 3) }, energie: { gent: cell(6, 5) } }),
      RULES,
    );
    expect(out.cells.get('wonen')?.get('gent')).toEqual({
      suppressed: false,
      signals: 10,
      givers: 4,
      organisations: 1,
      escalations: 2,
      dossiers: 0,
    });
    expect(out.rowTotals.get('wonen')).toMatchObject({ suppressed: false, signals: 17, escalations: 2 });
    expect(out.columnTotals.get('gent')).toMatchObject({ suppressed: false, signals: 16 });
    expect(out.grandTotal).toMatchObject({ suppressed: false, signals: 23 });
  });

  it('hides a cell with too few signals, or too few givers', () => {
    const out = suppressTable(
      tableOf({
        wonen: { gent: cell(4, 4), aalst: cell(50, 9), ieper: cell(40, 9) },
        energie: { gent: cell(9, 2), aalst: cell(30, 9), ieper: cell(20, 9) },
      }),
      RULES,
    );
    expect(out.cells.get('wonen')?.get('gent')).toEqual({ suppressed: true, reason: 'small' });
    expect(out.cells.get('energie')?.get('gent')).toEqual({ suppressed: true, reason: 'small' });
    expect(derivableHiddenEntries(out)).toEqual([]);
  });

  it('hides a second cell when a row total would give the hidden one away', () => {
    const out = suppressTable(
      tableOf({
        wonen: { gent: cell(3, 3), aalst: cell(50, 9), ieper: cell(12, 9) },
        energie: { gent: cell(30, 9), aalst: cell(30, 9), ieper: cell(20, 9) },
      }),
      RULES,
    );
    expect(out.cells.get('wonen')?.get('gent')).toEqual({ suppressed: true, reason: 'small' });
    const hiddenInRow = [...out.cells.get('wonen')!.values()].filter((p) => p.suppressed).length;
    expect(hiddenInRow + (isHidden(out.rowTotals.get('wonen')) ? 1 : 0)).toBeGreaterThanOrEqual(2);
    expect(derivableHiddenEntries(out)).toEqual([]);
  });

  it('does not publish a total that leaves its hidden cells no room: five hidden cells of one signal under a total of 5', () => {
    // Every hidden cell is listed, so it counts at least one: 5 − 0 published over 5 hidden cells
    // gives each away as exactly 1 (seen on the demo data: migratie-en-integratie, 2026-Q3).
    const one = () => cell(1, 1);
    const out = suppressTable(
      tableOf({
        migratie: { a: one(), b: one(), c: one(), d: one(), e: one() },
        wonen: { a: cell(30, 9), b: cell(40, 9), c: cell(25, 9), d: cell(20, 9), e: cell(50, 9) },
      }),
      RULES,
    );
    expect(derivableHiddenEntries(out)).toEqual([]);
    expect(out.rowTotals.get('migratie')).toMatchObject({ suppressed: true });
    expect(boundedHiddenEntries(out)).toEqual([]);
  });

  it('does not publish a row total whose givers leave the hidden cells no room: four hidden cells of one giver each', () => {
    const out = suppressTable(
      tableOf({
        jeugd: { a: cell(4, 1), b: cell(4, 1), c: cell(4, 1), d: cell(4, 1), e: cell(30, 9) },
        wonen: { a: cell(30, 9), b: cell(40, 9), c: cell(25, 9), d: cell(20, 9), e: cell(50, 9) },
      }),
      RULES,
    );
    expect(derivableHiddenEntries(out)).toEqual([]);
    expect(boundedHiddenEntries(out)).toEqual([]);
  });

  it('with a month split: does not publish a row total whose hidden months are left too little room', () => {
    // digitale-inclusie, 2025-Q4 on the demo data: 9 signals, months 1, 1 and 7; 9 − 7 over the two
    // hidden months gave each away as 1.
    const months = ['2025-10', '2025-11', '2025-12'];
    const table: RawTable = {
      ...tableOf({
        digitaal: { a: cell(5, 5), b: cell(4, 4) },
        wonen: { a: cell(60, 9), b: cell(70, 9) },
      }),
      months: {
        months,
        cells: new Map([
          [
            'digitaal',
            new Map<string, RawCell>([
              ['2025-10', cell(1, 1)],
              ['2025-11', cell(1, 1)],
              ['2025-12', cell(7, 7)],
            ]),
          ],
          [
            'wonen',
            new Map<string, RawCell>([
              ['2025-10', cell(40, 9)],
              ['2025-11', cell(50, 9)],
              ['2025-12', cell(40, 9)],
            ]),
          ],
        ]),
        monthDistinct: new Map(months.map((month) => [month, { givers: 18, organisations: 4 }])),
      },
    };
    const out = suppressTable(table, RULES);
    expect(derivableHiddenEntries(out)).toEqual([]);
    expect(boundedHiddenEntries(out)).toEqual([]);
  });

  it('closes the cycle where "at least two hidden per line" would not: two hidden blocks joined by one cell', () => {
    // Rows a,b hide a 2×2 block; rows c,d another; the cell (b, x3) joins them. Each line has two
    // hidden cells, yet without more suppression the joining cell would be a bridge.
    const big = () => cell(40, 9);
    const small = () => cell(2, 2);
    const out = suppressTable(
      tableOf({
        a: { x1: small(), x2: small(), x3: big(), x4: big() },
        b: { x1: small(), x2: small(), x3: small(), x4: big() },
        c: { x1: big(), x2: big(), x3: small(), x4: small() },
        d: { x1: big(), x2: big(), x3: small(), x4: small() },
      }),
      RULES,
    );
    expect(derivableHiddenEntries(out)).toEqual([]);
  });

  it('on random tables: no hidden entry can be recomputed, no published entry is below the threshold', () => {
    const cellArbitrary = fc.oneof(
      { weight: 2, arbitrary: fc.constant(null) },
      {
        weight: 5,
        arbitrary: fc
          .record({ signals: fc.integer({ min: 1, max: 14 }), givers: fc.integer({ min: 1, max: 6 }) })
          .map(({ signals, givers }) => cell(signals, Math.min(signals, givers))),
      },
      {
        weight: 3,
        arbitrary: fc.integer({ min: 15, max: 200 }).map((signals) => cell(signals, 9, signals % 4)),
      },
    );
    const tables = fc
      .record({ rows: fc.integer({ min: 1, max: 7 }), columns: fc.integer({ min: 1, max: 7 }) })
      .chain(({ rows, columns }) =>
        fc.array(fc.array(cellArbitrary, { minLength: columns, maxLength: columns }), {
          minLength: rows,
          maxLength: rows,
        }),
      );
    let datasets = 0;
    let derivable = 0;
    let below = 0;
    let hidden = 0;
    fc.assert(
      fc.property(tables, (grid) => {
        const rows = grid.map((_, r) => `t${r}`);
        const columns = grid[0]!.map((_, c) => `m${c}`);
        const cells = new Map<string, Map<string, RawCell>>();
        grid.forEach((line, r) => {
          const row = new Map<string, RawCell>();
          line.forEach((value, c) => value && row.set(columns[c]!, value));
          cells.set(rows[r]!, row);
        });
        const out = suppressTable({ rows, columns, cells }, RULES);
        datasets++;
        const found = derivableHiddenEntries(out);
        derivable += found.length;
        below += publishedBelowThreshold(out);
        hidden += [...out.cells.values()]
          .flatMap((row) => [...row.values()])
          .filter((p) => p.suppressed).length;
        expect(found).toEqual([]);
        expect(publishedBelowThreshold(out)).toBe(0);
        expect(boundedHiddenEntries(out)).toEqual([]);
        expect(derivableByAMunicipality(out)).toEqual([]);
      }),
      { numRuns: 1500, seed: 20261128 },
    );
    console.log(
      `${datasets} random datasets, ${derivable} hidden cells derivable, ${below} published cells below threshold (${hidden} cells hidden in all)`,
    );
  });

  it('with a month split: hides a second month when the row total would give a small month away', () => {
    const months = ['2026-07', '2026-08', '2026-09'];
    const table: RawTable = {
      ...tableOf({
        wonen: { gent: cell(20, 9), aalst: cell(10, 6) },
        energie: { gent: cell(30, 9), aalst: cell(30, 9) },
      }),
      months: {
        months,
        cells: new Map([
          [
            'wonen',
            new Map<string, RawCell>([
              ['2026-07', cell(20, 9)],
              ['2026-08', cell(9, 5)],
              ['2026-09', cell(1, 1)],
            ]),
          ],
          [
            'energie',
            new Map<string, RawCell>([
              ['2026-07', cell(20, 9)],
              ['2026-08', cell(20, 9)],
              ['2026-09', cell(20, 9)],
            ]),
          ],
        ]),
        monthDistinct: new Map([
          ['2026-07', { givers: 15, organisations: 2 }],
          ['2026-08', { givers: 12, organisations: 2 }],
          ['2026-09', { givers: 9, organisations: 2 }],
        ]),
      },
    };
    const out = suppressTable(table, RULES);
    expect(out.rowTotals.get('wonen')).toMatchObject({ suppressed: false, signals: 30 });
    expect(out.months!.cells.get('wonen')!.get('2026-09')).toEqual({ suppressed: true, reason: 'small' });
    // And one more in its month, where the month's total would give it away otherwise.
    const september = [
      out.months!.monthTotals.get('2026-09'),
      out.months!.cells.get('energie')!.get('2026-09'),
    ];
    expect(september.filter((p) => p!.suppressed)).toHaveLength(1);
    expect(out.months!.cells.get('energie')!.get('2026-07')).toMatchObject({
      suppressed: false,
      signals: 20,
      givers: 9,
    });
    const hidden = [...out.months!.cells.get('wonen')!.values()].filter((p) => p.suppressed).length;
    expect(hidden).toBeGreaterThanOrEqual(2);
    expect(derivableHiddenEntries(out)).toEqual([]);
    expect(publishedBelowThreshold(out)).toBe(0);
  });

  it('on random tables with a month split: no hidden entry can be recomputed, none published below the threshold', () => {
    const figures = fc.oneof(
      { weight: 2, arbitrary: fc.constant(0) },
      { weight: 5, arbitrary: fc.integer({ min: 1, max: 8 }) },
      { weight: 3, arbitrary: fc.integer({ min: 9, max: 120 }) },
    );
    const datasets = fc
      .record({ rows: fc.integer({ min: 1, max: 6 }), columns: fc.integer({ min: 1, max: 6 }) })
      .chain(({ rows, columns }) =>
        fc.array(fc.array(fc.tuple(figures, figures, figures), { minLength: columns, maxLength: columns }), {
          minLength: rows,
          maxLength: rows,
        }),
      );
    const months = ['2026-04', '2026-05', '2026-06'];
    let runs = 0;
    let derivable = 0;
    let below = 0;
    let hiddenMonths = 0;
    fc.assert(
      fc.property(datasets, fc.integer({ min: 0, max: 2 ** 31 }), (grid, salt) => {
        // Each (row, column) cell is the sum of its three months; givers at most the signals.
        const giversOf = (signals: number, k: number) =>
          Math.max(1, Math.min(signals, ((salt >> k) & 7) + 1));
        const rows = grid.map((_, r) => `t${r}`);
        const columns = grid[0]!.map((_, c) => `m${c}`);
        const cells = new Map<string, Map<string, RawCell>>();
        const split = new Map<string, Map<string, RawCell>>();
        const monthDistinct = new Map<string, { givers: number; organisations: number }>();
        grid.forEach((line, r) => {
          const row = new Map<string, RawCell>();
          const byMonth = new Map<string, RawCell>();
          line.forEach((perMonth, c) => {
            const signals = perMonth[0] + perMonth[1] + perMonth[2];
            if (signals === 0) return;
            row.set(columns[c]!, cell(signals, giversOf(signals, r + c)));
            perMonth.forEach((count, m) => {
              if (count === 0) return;
              const month = months[m]!;
              const before = byMonth.get(month) ?? cell(0, 0);
              byMonth.set(month, {
                signals: before.signals + count,
                givers: before.givers + giversOf(count, r + c + m),
                organisations: before.organisations + 1,
                escalations: before.escalations + (count % 3),
                dossiers: before.dossiers + (count % 2),
              });
              const distinct = monthDistinct.get(month) ?? { givers: 0, organisations: 0 };
              distinct.givers += giversOf(count, c + m);
              distinct.organisations += 1;
              monthDistinct.set(month, distinct);
            });
          });
          cells.set(rows[r]!, row);
          if (byMonth.size > 0) split.set(rows[r]!, byMonth);
        });
        const out = suppressTable(
          { rows, columns, cells, months: { months, cells: split, monthDistinct } },
          RULES,
        );
        runs++;
        const found = derivableHiddenEntries(out);
        derivable += found.length;
        below += publishedBelowThreshold(out);
        hiddenMonths += [...out.months!.cells.values()]
          .flatMap((row) => [...row.values()])
          .filter((p) => p.suppressed).length;
        expect(found).toEqual([]);
        expect(publishedBelowThreshold(out)).toBe(0);
        expect(boundedHiddenEntries(out)).toEqual([]);
        expect(derivableByAMunicipality(out)).toEqual([]);
      }),
      { numRuns: 1000, seed: 20261129 },
    );
    console.log(
      `${runs} random datasets with a month split, ${derivable} hidden cells derivable, ${below} published cells below threshold (${hiddenMonths} month cells hidden in all)`,
    );
  });
});
