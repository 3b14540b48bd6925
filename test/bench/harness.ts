import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { SynchronousMode } from '../../src/platform/event-store/sqlite/schema.js';
import type { JsonValue } from '../../src/platform/json.js';

/** What one timed run did: `count` items (events) in `seconds`. */
export interface Measurement {
  count: number;
  seconds: number;
}

export function rate(m: Measurement): number {
  return m.count / m.seconds;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] as number) + upper) / 2;
}

/** Seconds since `start` (a `now()` value). */
export function secondsSince(start: number): number {
  return (performance.now() - start) / 1000;
}

let gc: (() => void) | null = null;

/** A full garbage collection, for memory figures: V8's gc(), exposed to this process on first use. */
export function collectGarbage(): void {
  if (gc === null) {
    v8.setFlagsFromString('--expose-gc');
    gc = vm.runInNewContext('gc') as () => void;
  }
  gc();
}

export function now(): number {
  return performance.now();
}

/**
 * Runs every contestant once per round, rotating who goes first each round so that drift of a
 * shared, noisy machine (page cache, thermal, neighbours) does not favour one side. Returns the
 * measurements per contestant, indexed by round, so that ratios can be paired round by round.
 */
export async function alternate<K extends string>(
  rounds: number,
  contestants: Record<K, (round: number) => Promise<Measurement>>,
  onMeasured?: (name: NoInfer<K>, round: number, m: Measurement) => void,
): Promise<Record<K, Measurement[]>> {
  const names = Object.keys(contestants) as K[];
  const results = Object.fromEntries(names.map((name) => [name, [] as Measurement[]])) as Record<
    K,
    Measurement[]
  >;
  for (let round = 0; round < rounds; round++) {
    const order = names.map((_, i) => names[(i + round) % names.length] as K);
    for (const name of order) {
      const m = await contestants[name](round);
      results[name][round] = m;
      onMeasured?.(name, round, m);
    }
  }
  return results;
}

export function medianRate(ms: readonly Measurement[]): number {
  return median(ms.map(rate));
}

/** A row of the printed table and of the JSON file. */
export interface BenchRow {
  case: string;
  ours: number;
  reference: string;
  referenceRate: number;
  /** Median over rounds of ours/reference measured in the same round. */
  ratio: number;
  /** The per-round ratios the median is taken of, in round order. */
  ratios: number[];
  /** Minimum ratio to pass; absent for rows given as information. */
  target?: number;
  pass: boolean | null;
}

export function row(
  name: string,
  ours: readonly Measurement[],
  reference: string,
  ref: readonly Measurement[],
  target?: number,
): BenchRow {
  const ratios = ours.map((m, i) => rate(m) / rate(ref[i] as Measurement));
  const ratio = median(ratios);
  return {
    case: name,
    ours: medianRate(ours),
    reference,
    referenceRate: medianRate(ref),
    ratio,
    ratios,
    ...(target === undefined ? {} : { target }),
    pass: target === undefined ? null : ratio >= target,
  };
}

/** A free-form table a bench prints before its ratio rows (absolute figures, latencies). */
export interface BenchTable {
  title: string;
  headers: string[];
  rows: string[][];
}

/** An absolute check (a throughput or latency target, a consistency check); a failed one fails the run. */
export interface BenchCheck {
  name: string;
  measured: string;
  target: string;
  pass: boolean;
}

export interface BenchReport {
  rows: BenchRow[];
  /** Printed before the ratio rows, in order. */
  tables?: BenchTable[];
  checks?: BenchCheck[];
  parameters: Record<string, JsonValue>;
  /** Every measurement, for later reading: contestant → per-round {count, seconds}. */
  samples: Record<string, Measurement[]>;
  /** Further per-run detail for the JSON file (latency summaries, server figures). */
  details?: JsonValue;
}

export interface BenchContext {
  synchronous: SynchronousMode;
  scratch: Scratch;
  log(message: string): void;
}

export interface Bench {
  name: string;
  description: string;
  run(context: BenchContext): Promise<BenchReport>;
}

/** A temp directory for database files, removed on dispose and on exit (also Ctrl-C). */
export class Scratch {
  readonly dir: string;
  private disposed = false;
  private readonly onExit = (): void => this.dispose();
  private readonly onSignal = (): void => {
    this.dispose();
    process.exit(130);
  };

  constructor(prefix = 'lse-bench-') {
    this.dir = mkdtempSync(join(tmpdir(), prefix));
    process.on('exit', this.onExit);
    process.on('SIGINT', this.onSignal);
    process.on('SIGTERM', this.onSignal);
  }

  file(name: string): string {
    return join(this.dir, name);
  }

  /** Removes a database file with its WAL and shared-memory files. */
  remove(file: string): void {
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${file}${suffix}`, { force: true });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    rmSync(this.dir, { recursive: true, force: true });
    process.off('exit', this.onExit);
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
  }
}

export function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

const SYNCHRONOUS_MODES: readonly SynchronousMode[] = ['OFF', 'NORMAL', 'FULL', 'EXTRA'];

export function envSynchronous(): SynchronousMode {
  const raw = (process.env['BENCH_SYNCHRONOUS'] ?? 'FULL').toUpperCase();
  const mode = SYNCHRONOUS_MODES.find((m) => m === raw);
  if (!mode)
    throw new Error(`BENCH_SYNCHRONOUS must be one of ${SYNCHRONOUS_MODES.join(', ')}, got "${raw}"`);
  return mode;
}

/** Latency figures in milliseconds, from every completed request of a run. */
export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

/** Nearest-rank percentiles of `values` (milliseconds); the array is sorted in place. */
export function summarizeLatencies(values: Float64Array): LatencySummary {
  const n = values.length;
  if (n === 0) return { count: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };
  values.sort();
  const at = (q: number): number => values[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))] as number;
  let sum = 0;
  for (const v of values) sum += v;
  return {
    count: n,
    mean: sum / n,
    p50: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
    p999: at(0.999),
    max: values[n - 1] as number,
  };
}

/** A growable list of float samples (latencies) without boxing. */
export class Samples {
  private buffer = new Float64Array(1024);
  private length = 0;

  push(value: number): void {
    if (this.length === this.buffer.length) {
      const bigger = new Float64Array(this.buffer.length * 2);
      bigger.set(this.buffer);
      this.buffer = bigger;
    }
    this.buffer[this.length++] = value;
  }

  get count(): number {
    return this.length;
  }

  values(): Float64Array {
    return this.buffer.slice(0, this.length);
  }
}

/** Milliseconds with three significant digits or so: a query of tens of microseconds keeps its figures. */
export function formatMs(value: number): string {
  return value >= 100
    ? value.toFixed(0)
    : value >= 10
      ? value.toFixed(1)
      : value >= 0.1
        ? value.toFixed(2)
        : value.toFixed(3);
}

export function formatRate(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

export function formatTable(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' | ')} |`;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

/**
 * A ratio to two decimals (one from 10 on), or to four where two would round it onto its target:
 * 0.2996 against ≥ 0.3 reads 0.2996, not a failing 0.30.
 */
export function formatRatio(value: number, target?: number): string {
  if (value >= 10) return value.toFixed(1);
  return target !== undefined && value.toFixed(2) === target.toFixed(2) ? value.toFixed(4) : value.toFixed(2);
}
