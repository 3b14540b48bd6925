/**
 * Small-cell suppression of a two-way table (rows × columns, e.g. themes × municipalities) with its
 * row totals, column totals and grand total.
 *
 * Primary suppression hides every entry (cell or total) counting fewer than `minSignals` signals
 * or fewer than `minGivers` distinct signal givers. Secondary suppression then hides more entries
 * until no hidden entry can be recomputed from what is published.
 *
 * Why the second step is exact: write the table with its totals as an (R+1) × (C+1) grid, totals in
 * row 0 and column 0. Every grid row and every grid column is one linear equation (its cells sum to
 * its total). Take a graph with one node per grid row and per grid column and one edge per hidden
 * entry. An assignment of values to the hidden entries that keeps every equation is changed by
 * +d / −d around any cycle of that graph (it is bipartite, so cycles are even and alternate), and
 * those cycle changes are all the freedom there is. So a hidden entry is determined by the
 * published ones exactly when its edge lies on no cycle: when it is a bridge. Secondary
 * suppression hides published entries until the graph of hidden entries has no bridge, each time
 * the entries of the cheapest path that closes a cycle through a bridge. Hiding every non-zero entry always
 * ends it (each non-zero cell then lies on the 4-cycle cell, its row total, the grand total, its
 * column total), so the loop terminates.
 *
 * Entries counting zero signals are not part of the table: a zero is public knowledge (nothing to
 * hide) and never published as a figure.
 */

export interface SuppressionRules {
  /** Fewest signals an entry must count to be published. */
  minSignals: number;
  /** Fewest distinct signal givers an entry must count to be published. */
  minGivers: number;
}

/** The floor below which no configuration may go. */
export const MINIMUM_RULES: SuppressionRules = { minSignals: 5, minGivers: 3 };

export class SuppressionRulesError extends Error {
  readonly code = 'SUPPRESSION_RULES_TOO_LOW';
}

/** Validated rules: a configuration may raise the thresholds, never lower them. */
export function suppressionRules(minSignals = 5, minGivers = 3): SuppressionRules {
  if (!Number.isSafeInteger(minSignals) || minSignals < MINIMUM_RULES.minSignals)
    throw new SuppressionRulesError(
      `minSignals must be a whole number of at least ${MINIMUM_RULES.minSignals}`,
    );
  if (!Number.isSafeInteger(minGivers) || minGivers < MINIMUM_RULES.minGivers)
    throw new SuppressionRulesError(
      `minGivers must be a whole number of at least ${MINIMUM_RULES.minGivers}`,
    );
  return { minSignals, minGivers };
}

/** One cell's raw figures: signals, distinct givers and organisations, escalations, dossiers. */
export interface RawCell {
  signals: number;
  givers: number;
  organisations: number;
  escalations: number;
  dossiers: number;
}

/**
 * A table whose columns are disjoint populations (municipalities: no giver counts in two), so
 * that a row's distinct givers are the sum of its cells'. A column's distinct givers over all its
 * rows are given (`columnDistinct`), since one giver may count in several rows; absent means the
 * sum of its cells (rows disjoint too).
 */
export interface RawTable {
  rows: readonly string[];
  columns: readonly string[];
  /** `cells.get(row)?.get(column)`; absent means zero signals. */
  cells: ReadonlyMap<string, ReadonlyMap<string, RawCell>>;
  columnDistinct?: ReadonlyMap<string, { givers: number; organisations: number }>;
}

export interface Figures {
  signals: number;
  givers: number;
  organisations: number;
  escalations: number;
  /** Dossiers escalated with the cell's signals (a total adds its cells': per theme, per municipality). */
  dossiers: number;
}

/** What the table publishes of an entry: its figures, or why not. */
export type Published =
  ({ suppressed: false } & Figures) | { suppressed: true; reason: 'small' | 'secondary' };

export interface SuppressedTable {
  rows: readonly string[];
  columns: readonly string[];
  /** Non-zero cells only. */
  cells: Map<string, Map<string, Published>>;
  rowTotals: Map<string, Published>;
  columnTotals: Map<string, Published>;
  grandTotal: Published | null;
}

interface Entry {
  row: number; // 0 = the column-totals row
  column: number; // 0 = the row-totals column
  signals: number;
  givers: number;
  organisations: number;
  escalations: number;
  dossiers: number;
  hidden: 'small' | 'secondary' | null;
}

/** Applies primary and secondary suppression; the input is left as it is. */
export function suppressTable(table: RawTable, rules: SuppressionRules): SuppressedTable {
  const entries = gridEntries(table);
  for (const entry of entries) {
    if (entry.signals < rules.minSignals || entry.givers < rules.minGivers) entry.hidden = 'small';
  }
  secondarySuppression(entries, table.rows.length + 1, table.columns.length + 1);
  return publish(table, entries);
}

function gridEntries(table: RawTable): Entry[] {
  const entries: Entry[] = [];
  const rowTotals = table.rows.map(() => zero());
  const columnTotals = table.columns.map(() => zero());
  table.rows.forEach((row, r) => {
    const cells = table.cells.get(row);
    table.columns.forEach((column, c) => {
      const cell = cells?.get(column);
      if (cell === undefined || cell.signals <= 0) return;
      entries.push(entryOf(r + 1, c + 1, cell));
      add(rowTotals[r]!, cell);
      add(columnTotals[c]!, cell);
    });
  });
  const grand = zero();
  rowTotals.forEach((total, r) => {
    if (total.signals > 0) entries.push(entryOf(r + 1, 0, total));
  });
  columnTotals.forEach((total, c) => {
    if (total.signals === 0) return;
    const distinct = table.columnDistinct?.get(table.columns[c]!);
    if (distinct !== undefined) {
      total.givers = distinct.givers;
      total.organisations = distinct.organisations;
    }
    entries.push(entryOf(0, c + 1, total));
    add(grand, total);
  });
  if (grand.signals > 0) entries.push(entryOf(0, 0, grand));
  return entries;
}

function zero(): RawCell {
  return { signals: 0, givers: 0, organisations: 0, escalations: 0, dossiers: 0 };
}

function add(total: RawCell, cell: RawCell): void {
  total.signals += cell.signals;
  total.givers += cell.givers;
  total.organisations += cell.organisations;
  total.escalations += cell.escalations;
  total.dossiers += cell.dossiers;
}

function entryOf(row: number, column: number, figures: RawCell): Entry {
  // Written out: an object spread plus properties is slow on V8.
  return {
    row,
    column,
    signals: figures.signals,
    givers: figures.givers,
    organisations: figures.organisations,
    escalations: figures.escalations,
    dossiers: figures.dossiers,
    hidden: null,
  };
}

/**
 * Hides entries until no hidden entry is a bridge of the hidden-entry graph. For each bridge it
 * hides the published entries of the cheapest path (fewest signals hidden) that joins the bridge's
 * two ends without the bridge: hidden entries cost nothing, so the path prefers what is already
 * hidden, and the bridge then lies on a cycle.
 */
function secondarySuppression(entries: Entry[], rowNodes: number, columnNodes: number): void {
  const nodeOf = { row: (r: number) => r, column: (c: number) => rowNodes + c };
  const nodes = rowNodes + columnNodes;
  const all = adjacency(nodes, entries, nodeOf);
  for (;;) {
    const hidden = entries.filter((entry) => entry.hidden !== null);
    const bridge = firstBridge(nodes, hidden, nodeOf);
    if (bridge === null) return;
    const path = cheapestPath(all, entries, nodeOf, bridge);
    if (path === null) {
      // No other way between its ends (cannot happen with the totals present): hide everything.
      for (const entry of entries) entry.hidden ??= 'secondary';
      return;
    }
    for (const entry of path) entry.hidden ??= 'secondary';
  }
}

/** Dijkstra from `from` to `to` over every entry but `without`; a published entry costs its signals. */
function cheapestPath(
  adjacent: Array<Array<[number, number]>>,
  entries: readonly Entry[],
  nodeOf: NodeOf,
  without: Entry,
): Entry[] | null {
  const from = nodeOf.row(without.row);
  const to = nodeOf.column(without.column);
  const cost = (entry: Entry) => (entry.hidden === null ? entry.signals + 1 : 0);
  const distance = new Array<number>(adjacent.length).fill(Infinity);
  const via = new Array<number>(adjacent.length).fill(-1);
  const done = new Array<boolean>(adjacent.length).fill(false);
  distance[from] = 0;
  for (;;) {
    let node = -1;
    for (let i = 0; i < adjacent.length; i++) {
      if (!done[i] && distance[i]! < Infinity && (node === -1 || distance[i]! < distance[node]!)) node = i;
    }
    if (node === -1) return null;
    if (node === to) break;
    done[node] = true;
    for (const [other, index] of adjacent[node]!) {
      const entry = entries[index]!;
      if (entry === without || done[other]) continue;
      const next = distance[node]! + cost(entry);
      if (next < distance[other]!) {
        distance[other] = next;
        via[other] = index;
      }
    }
  }
  const path: Entry[] = [];
  for (let node = to; node !== from;) {
    const entry = entries[via[node]!]!;
    path.push(entry);
    const rowNode = nodeOf.row(entry.row);
    node = node === rowNode ? nodeOf.column(entry.column) : rowNode;
  }
  return path;
}

interface NodeOf {
  row(r: number): number;
  column(c: number): number;
}

function adjacency(nodes: number, edges: readonly Entry[], nodeOf: NodeOf): Array<Array<[number, number]>> {
  const adjacent: Array<Array<[number, number]>> = Array.from({ length: nodes }, () => []);
  edges.forEach((edge, index) => {
    const a = nodeOf.row(edge.row);
    const b = nodeOf.column(edge.column);
    adjacent[a]!.push([b, index]);
    adjacent[b]!.push([a, index]);
  });
  return adjacent;
}

/** The first bridge (Tarjan's low-link, iteratively), or null. */
function firstBridge(nodes: number, edges: readonly Entry[], nodeOf: NodeOf): Entry | null {
  const adjacent = adjacency(nodes, edges, nodeOf);
  const order = new Array<number>(nodes).fill(-1);
  const low = new Array<number>(nodes).fill(0);
  let counter = 0;
  for (let root = 0; root < nodes; root++) {
    if (order[root] !== -1) continue;
    const stack: Array<{ node: number; viaEdge: number; next: number }> = [
      { node: root, viaEdge: -1, next: 0 },
    ];
    order[root] = low[root] = counter++;
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      const neighbours = adjacent[frame.node]!;
      if (frame.next < neighbours.length) {
        const [other, edge] = neighbours[frame.next++]!;
        if (edge === frame.viaEdge) continue;
        if (order[other] === -1) {
          order[other] = low[other] = counter++;
          stack.push({ node: other, viaEdge: edge, next: 0 });
        } else {
          low[frame.node] = Math.min(low[frame.node]!, order[other]!);
        }
        continue;
      }
      stack.pop();
      const parent = stack[stack.length - 1];
      if (parent === undefined) continue;
      low[parent.node] = Math.min(low[parent.node]!, low[frame.node]!);
      if (low[frame.node]! > order[parent.node]!) return edges[frame.viaEdge]!;
    }
  }
  return null;
}

function publish(table: RawTable, entries: readonly Entry[]): SuppressedTable {
  const out: SuppressedTable = {
    rows: table.rows,
    columns: table.columns,
    cells: new Map(),
    rowTotals: new Map(),
    columnTotals: new Map(),
    grandTotal: null,
  };
  for (const entry of entries) {
    const published: Published =
      entry.hidden === null
        ? {
            suppressed: false,
            signals: entry.signals,
            givers: entry.givers,
            organisations: entry.organisations,
            escalations: entry.escalations,
            dossiers: entry.dossiers,
          }
        : { suppressed: true, reason: entry.hidden };
    if (entry.row === 0 && entry.column === 0) out.grandTotal = published;
    else if (entry.row === 0) out.columnTotals.set(table.columns[entry.column - 1]!, published);
    else if (entry.column === 0) out.rowTotals.set(table.rows[entry.row - 1]!, published);
    else {
      const row = table.rows[entry.row - 1]!;
      let cells = out.cells.get(row);
      if (cells === undefined) out.cells.set(row, (cells = new Map()));
      cells.set(table.columns[entry.column - 1]!, published);
    }
  }
  return out;
}

/** Primary suppression alone, for lists without totals (theme pairs, target groups). */
export function isPublishable(cell: { signals: number; givers: number }, rules: SuppressionRules): boolean {
  return cell.signals >= rules.minSignals && cell.givers >= rules.minGivers;
}
