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

import type { Figures, Published, SuppressionRules } from '../supralocal-answers.js';

export type { Figures, Published, SuppressionRules };

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
  /** The same rows split by month over all columns: published beside the table, suppressed with it. */
  months?: RawMonths;
}

/**
 * The rows of a table split into periods (the months of a quarter) over all its columns. Each
 * row's months add up to the row's total, so they are one more set of equations on the table's
 * figures: suppression handles the two together (see the module comment).
 */
export interface RawMonths {
  months: readonly string[];
  /** `cells.get(row)?.get(month)`: the row's figures in that month; absent means zero signals. */
  cells: ReadonlyMap<string, ReadonlyMap<string, RawCell>>;
  /** A month's distinct givers and organisations over all rows (one may count in several rows). */
  monthDistinct: ReadonlyMap<string, { givers: number; organisations: number }>;
}

export interface SuppressedTable {
  rows: readonly string[];
  columns: readonly string[];
  /** Non-zero cells only. */
  cells: Map<string, Map<string, Published>>;
  rowTotals: Map<string, Published>;
  columnTotals: Map<string, Published>;
  grandTotal: Published | null;
  /** The month split, when the raw table had one; its row totals are the table's. */
  months: SuppressedMonths | null;
}

export interface SuppressedMonths {
  months: readonly string[];
  /** Non-zero entries only. */
  cells: Map<string, Map<string, Published>>;
  /** Each month over all rows; its total over the months is the table's grand total. */
  monthTotals: Map<string, Published>;
}

/** Where an entry is published. */
type Place =
  | { kind: 'cell'; row: string; column: string }
  | { kind: 'rowTotal'; row: string }
  | { kind: 'columnTotal'; column: string }
  | { kind: 'grandTotal' }
  | { kind: 'monthCell'; row: string; month: string }
  | { kind: 'monthTotal'; month: string };

/** One published-or-hidden figure: an edge between the two equations (graph nodes) it is part of. */
interface Entry extends Figures {
  a: number;
  b: number;
  place: Place;
  hidden: 'small' | 'secondary' | null;
}

/** Applies primary and secondary suppression; the input is left as it is. */
export function suppressTable(table: RawTable, rules: SuppressionRules): SuppressedTable {
  const { entries, nodes } = network(table);
  for (const entry of entries) {
    if (entry.signals < rules.minSignals || entry.givers < rules.minGivers) entry.hidden = 'small';
  }
  secondarySuppression(entries, nodes, rules);
  return publish(table, entries);
}

/**
 * The table as a graph whose nodes are its equations and whose edges are its entries, each entry
 * in exactly two equations with opposite signs (a flow network: a cell flows from its column to
 * its row, a row total from its row to the totals, and so on). Nodes: the column-totals node S,
 * one per column, one per row, the row-totals node T; with months also one node per row's month
 * split and one per month. Without months: S→column (column total), column→row (cell), row→T (row
 * total), T→S (grand total). With months a row's total flows on to its split node, from there per
 * month (the row's month entries) to the month's node, and from each month (its total) to T.
 */
function network(table: RawTable): { entries: Entry[]; nodes: number } {
  const R = table.rows.length;
  const C = table.columns.length;
  const S = 0;
  const column = (c: number) => 1 + c;
  const row = (r: number) => 1 + C + r;
  const T = 1 + C + R;
  let nodes = T + 1;
  const entries: Entry[] = [];
  const rowTotals = table.rows.map(() => zero());
  const columnTotals = table.columns.map(() => zero());
  table.rows.forEach((rowName, r) => {
    const cells = table.cells.get(rowName);
    table.columns.forEach((columnName, c) => {
      const cell = cells?.get(columnName);
      if (cell === undefined || cell.signals <= 0) return;
      entries.push(entryOf(column(c), row(r), cell, { kind: 'cell', row: rowName, column: columnName }));
      add(rowTotals[r]!, cell);
      add(columnTotals[c]!, cell);
    });
  });
  const months = table.months;
  const monthNode = new Map<string, number>();
  if (months !== undefined) for (const month of months.months) monthNode.set(month, nodes++);
  const monthTotals = new Map<string, RawCell>();
  table.rows.forEach((rowName, r) => {
    const total = rowTotals[r]!;
    if (total.signals === 0) return;
    const split = months?.cells.get(rowName);
    if (months === undefined || split === undefined) {
      entries.push(entryOf(row(r), T, total, { kind: 'rowTotal', row: rowName }));
      return;
    }
    const splitNode = nodes++;
    entries.push(entryOf(row(r), splitNode, total, { kind: 'rowTotal', row: rowName }));
    for (const month of months.months) {
      const cell = split.get(month);
      if (cell === undefined || cell.signals <= 0) continue;
      entries.push(
        entryOf(splitNode, monthNode.get(month)!, cell, { kind: 'monthCell', row: rowName, month }),
      );
      let monthTotal = monthTotals.get(month);
      if (monthTotal === undefined) monthTotals.set(month, (monthTotal = zero()));
      add(monthTotal, cell);
    }
  });
  for (const [month, total] of monthTotals) {
    const distinct = months!.monthDistinct.get(month);
    total.givers = distinct?.givers ?? 0;
    total.organisations = distinct?.organisations ?? 0;
    entries.push(entryOf(monthNode.get(month)!, T, total, { kind: 'monthTotal', month }));
  }
  const grand = zero();
  columnTotals.forEach((total, c) => {
    if (total.signals === 0) return;
    const distinct = table.columnDistinct?.get(table.columns[c]!);
    if (distinct !== undefined) {
      total.givers = distinct.givers;
      total.organisations = distinct.organisations;
    }
    entries.push(entryOf(S, column(c), total, { kind: 'columnTotal', column: table.columns[c]! }));
    add(grand, total);
  });
  if (grand.signals > 0) entries.push(entryOf(T, S, grand, { kind: 'grandTotal' }));
  return { entries, nodes };
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

function entryOf(a: number, b: number, figures: RawCell, place: Place): Entry {
  // Written out: an object spread plus properties is slow on V8.
  return {
    a,
    b,
    place,
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
 * hidden, and the bridge then lies on a cycle. Then no equation may leave its hidden entries no
 * room above their least values (see `narrowEquation`): there it hides the equation's total, and
 * looks for bridges again.
 */
function secondarySuppression(entries: Entry[], nodes: number, rules: SuppressionRules): void {
  const all = adjacency(nodes, entries);
  const unprotectable = new Set<Entry>();
  for (;;) {
    const hidden = entries.filter((entry) => entry.hidden !== null);
    const bridge = firstBridge(nodes, hidden);
    if (bridge === null) {
      const narrow = narrowEquation(all, entries, rules);
      if (narrow !== null) {
        narrow.hidden = 'secondary';
        continue;
      }
      if (!protectFromAMunicipality(all, entries, nodes, unprotectable)) return;
      continue;
    }
    const path = cheapestPath(all, entries, bridge);
    if (path === null) {
      // No other way between its ends (cannot happen with the totals present): hide everything.
      for (const entry of entries) entry.hidden ??= 'secondary';
      return;
    }
    for (const entry of path) entry.hidden ??= 'secondary';
  }
}

/**
 * Each municipality knows its own column (its cells, so their total): for it those entries are
 * published. A hidden cell of another municipality is then determined when it is a bridge of the
 * hidden entries without that column; so, per column, this hides the cheapest path that closes a
 * cycle through such a bridge without the column's entries (hiding those does not help against
 * the one who knows them). A bridge no such path can close is left (`unprotectable`). Returns
 * whether it hid something.
 */
function protectFromAMunicipality(
  adjacent: Array<Array<[number, number]>>,
  entries: readonly Entry[],
  nodes: number,
  unprotectable: Set<Entry>,
): boolean {
  const columns = new Set<string>();
  for (const entry of entries) if (entry.place.kind === 'cell') columns.add(entry.place.column);
  if (columns.size < 2) return false;
  for (const column of columns) {
    const own = (entry: Entry) =>
      (entry.place.kind === 'cell' || entry.place.kind === 'columnTotal') && entry.place.column === column;
    const hidden = entries.filter((entry) => entry.hidden !== null && !own(entry));
    for (;;) {
      const bridge = firstBridge(
        nodes,
        hidden,
        (entry) => entry.place.kind === 'cell' && !unprotectable.has(entry),
      );
      if (bridge === null) break;
      const path = cheapestPath(adjacent, entries, bridge, own);
      if (path === null) {
        unprotectable.add(bridge);
        continue;
      }
      for (const entry of path) entry.hidden ??= 'secondary';
      return true;
    }
  }
  return false;
}

/**
 * Bounds as well as equations: a hidden entry is listed, so it counts at least one signal and one
 * giver (zeros are not entries), and a total or month hidden to protect another (its reason is
 * published) passed the threshold. When all of an equation's hidden entries are on one side (a
 * published total with hidden parts), they share what the published ones leave; when that is
 * exactly their least values, every one is given away: five hidden cells under a published total
 * of 5 are each 1 signal (and, in a row, hidden cells whose givers leave no room are each 1 giver).
 * Returns the cheapest published entry on the other side of the first such equation (where its
 * total is), or null.
 */
function narrowEquation(
  adjacent: ReadonlyArray<ReadonlyArray<[number, number]>>,
  entries: readonly Entry[],
  rules: SuppressionRules,
): Entry | null {
  for (let node = 0; node < adjacent.length; node++) {
    // Flow in = flow out: the hidden in minus the hidden out is what the published out minus in leave.
    let left = 0;
    // A row's givers add up too (municipalities share no giver): the same bounds, at least one each.
    let leftGivers = 0;
    let row = false;
    let hiddenIn = 0;
    let hiddenOut = 0;
    let least = 0;
    let cheapestIn: Entry | null = null;
    let cheapestOut: Entry | null = null;
    for (const [, index] of adjacent[node]!) {
      const entry = entries[index]!;
      const into = entry.b === node;
      row ||= into && entry.place.kind === 'cell';
      if (entry.hidden === null) {
        left += into ? -entry.signals : entry.signals;
        leftGivers += into ? -entry.givers : entry.givers;
        if (into && (cheapestIn === null || entry.signals < cheapestIn.signals)) cheapestIn = entry;
        if (!into && (cheapestOut === null || entry.signals < cheapestOut.signals)) cheapestOut = entry;
        continue;
      }
      if (into) hiddenIn++;
      else hiddenOut++;
      // Why an entry is hidden is published with totals and months, not with a cell.
      least += entry.hidden === 'small' || entry.place.kind === 'cell' ? 1 : rules.minSignals;
    }
    if ((hiddenIn > 0 && hiddenOut > 0) || hiddenIn + hiddenOut === 0) continue;
    const room = (hiddenIn > 0 ? left : -left) - least;
    // Hide on the other side: there is the equation's total (a row's, a column's, a month's, the
    // grand total), and with it hidden the bounds no longer meet.
    if (room < 1) return hiddenIn > 0 ? cheapestOut : cheapestIn;
    if (row && hiddenIn > 0 && leftGivers - hiddenIn < 1) return cheapestOut;
  }
  return null;
}

/** Dijkstra from one end of `without` to the other over every other entry; a published entry costs its signals. */
function cheapestPath(
  adjacent: Array<Array<[number, number]>>,
  entries: readonly Entry[],
  without: Entry,
  excluded: (entry: Entry) => boolean = () => false,
): Entry[] | null {
  const from = without.a;
  const to = without.b;
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
      if (entry === without || done[other] || excluded(entry)) continue;
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
    node = node === entry.a ? entry.b : entry.a;
  }
  return path;
}

function adjacency(nodes: number, edges: readonly Entry[]): Array<Array<[number, number]>> {
  const adjacent: Array<Array<[number, number]>> = Array.from({ length: nodes }, () => []);
  edges.forEach((edge, index) => {
    adjacent[edge.a]!.push([edge.b, index]);
    adjacent[edge.b]!.push([edge.a, index]);
  });
  return adjacent;
}

/** The first bridge (Tarjan's low-link, iteratively) that is `wanted`, or null. */
function firstBridge(
  nodes: number,
  edges: readonly Entry[],
  wanted: (edge: Entry) => boolean = () => true,
): Entry | null {
  const adjacent = adjacency(nodes, edges);
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
      if (low[frame.node]! > order[parent.node]! && wanted(edges[frame.viaEdge]!))
        return edges[frame.viaEdge]!;
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
    months:
      table.months === undefined
        ? null
        : { months: table.months.months, cells: new Map(), monthTotals: new Map() },
  };
  for (const entry of entries) {
    const { place } = entry;
    const hidden = entry.hidden === null ? null : ({ suppressed: true, reason: entry.hidden } as const);
    const published: Published = hidden ?? {
      suppressed: false,
      signals: entry.signals,
      givers: entry.givers,
      organisations: entry.organisations,
      escalations: entry.escalations,
      dossiers: entry.dossiers,
    };
    switch (place.kind) {
      case 'grandTotal':
        out.grandTotal = published;
        break;
      case 'columnTotal':
        out.columnTotals.set(place.column, published);
        break;
      case 'rowTotal':
        out.rowTotals.set(place.row, published);
        break;
      case 'cell':
        rowOf(out.cells, place.row).set(place.column, published);
        break;
      case 'monthCell':
        rowOf(out.months!.cells, place.row).set(place.month, published);
        break;
      case 'monthTotal':
        out.months!.monthTotals.set(place.month, published);
        break;
    }
  }
  return out;
}

function rowOf<T>(cells: Map<string, Map<string, T>>, row: string): Map<string, T> {
  let found = cells.get(row);
  if (found === undefined) cells.set(row, (found = new Map()));
  return found;
}

/** Primary suppression alone, for lists without totals (theme pairs, target groups). */
export function isPublishable(cell: { signals: number; givers: number }, rules: SuppressionRules): boolean {
  return cell.signals >= rules.minSignals && cell.givers >= rules.minGivers;
}
