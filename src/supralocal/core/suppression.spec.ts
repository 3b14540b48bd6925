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

function isHidden(published: Published | undefined): boolean {
  return published?.suppressed === true;
}

/**
 * The attacker: every published figure and every known zero, and the equations a table with totals
 * gives (each row and each column sums to its total). Returns the hidden entries whose value the
 * equations pin down, by Gaussian elimination over the unknowns.
 */
function derivableHiddenEntries(out: SuppressedTable): string[] {
  const R = out.rows.length;
  const C = out.columns.length;
  const entry = (r: number, c: number): Published | undefined => {
    if (r === 0 && c === 0) return out.grandTotal ?? undefined;
    if (r === 0) return out.columnTotals.get(out.columns[c - 1]!);
    if (c === 0) return out.rowTotals.get(out.rows[r - 1]!);
    return out.cells.get(out.rows[r - 1]!)?.get(out.columns[c - 1]!);
  };
  const unknowns: Array<[number, number]> = [];
  for (let r = 0; r <= R; r++) for (let c = 0; c <= C; c++) if (isHidden(entry(r, c))) unknowns.push([r, c]);
  const index = new Map(unknowns.map(([r, c], i) => [`${r},${c}`, i]));
  const equations: number[][] = [];
  const addEquation = (terms: Array<[number, number, number]>) => {
    const coefficients = new Array<number>(unknowns.length).fill(0);
    for (const [r, c, sign] of terms) {
      const i = index.get(`${r},${c}`);
      if (i !== undefined) coefficients[i]! += sign;
    }
    equations.push(coefficients);
  };
  for (let r = 0; r <= R; r++) {
    const terms: Array<[number, number, number]> = [[r, 0, -1]];
    for (let c = 1; c <= C; c++) terms.push([r, c, 1]);
    addEquation(terms);
  }
  for (let c = 0; c <= C; c++) {
    const terms: Array<[number, number, number]> = [[0, c, -1]];
    for (let r = 1; r <= R; r++) terms.push([r, c, 1]);
    addEquation(terms);
  }
  // Reduced row echelon form; an unknown is determined when some row is its unit vector.
  const m = equations;
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
  const determined: string[] = [];
  for (let i = 0; i < pivots.length; i++) {
    const nonZero = m[i]!.filter((value) => Math.abs(value) > 1e-9).length;
    if (nonZero === 1) determined.push(unknowns[pivots[i]!]!.join(','));
  }
  return determined;
}

function publishedBelowThreshold(out: SuppressedTable): number {
  const all: Published[] = [
    ...[...out.cells.values()].flatMap((row) => [...row.values()]),
    ...out.rowTotals.values(),
    ...out.columnTotals.values(),
    ...(out.grandTotal ? [out.grandTotal] : []),
  ];
  return all.filter((p) => !p.suppressed && (p.signals < RULES.minSignals || p.givers < RULES.minGivers))
    .length;
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
      }),
      { numRuns: 1500, seed: 20261128 },
    );
    console.log(
      `${datasets} random datasets, ${derivable} hidden cells derivable, ${below} published cells below threshold (${hidden} cells hidden in all)`,
    );
  });
});
