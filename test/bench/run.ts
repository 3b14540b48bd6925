/**
 * Benchmark runner: `npm run bench` runs every registered bench but those run only by name
 * (ONLY_BY_NAME), `npm run bench -- <name> …` the named ones. Prints a table per bench and writes
 * bench-results/<name>-<timestamp>.json with the machine context. Exits with 1 when a row misses
 * its target, 2 on a usage error.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import DatabaseConstructor from 'better-sqlite3';
import {
  envSynchronous,
  formatRate,
  formatRatio,
  formatTable,
  Scratch,
  type Bench,
  type BenchCheck,
  type BenchReport,
  type BenchRow,
  type BenchTable,
} from './harness.js';

const registry: Record<string, () => Promise<Bench>> = {
  'event-store': async () => (await import('./event-store.bench.js')).eventStoreBench,
  commands: async () => (await import('./commands.bench.js')).commandsBench,
  projections: async () => (await import('./projections.bench.js')).projectionsBench,
  audit: async () => (await import('./audit.bench.js')).auditBench,
  supralocal: async () => (await import('./supralocal.bench.js')).supralocalBench,
  similar: async () => (await import('./similar.bench.js')).similarBench,
  briefs: async () => (await import('./briefs.bench.js')).briefsBench,
  instructions: async () => (await import('./instructions.bench.js')).instructionsBench,
};

/** Benches run only when named: the instructions bench needs valgrind and takes 4–7 minutes. */
const ONLY_BY_NAME: ReadonlySet<string> = new Set(['instructions']);

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const resultsDir = join(root, 'bench-results');

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

function quiet<T>(read: () => T): T | null {
  try {
    return read();
  } catch {
    return null;
  }
}

function machineContext(synchronous: string) {
  const cpus = os.cpus();
  const db = new DatabaseConstructor(':memory:');
  const sqliteVersion = db.prepare<[], string>('SELECT sqlite_version()').pluck(true).get() ?? null;
  db.close();
  const betterSqlite3 = quiet(
    () =>
      (
        JSON.parse(readFileSync(join(root, 'node_modules', 'better-sqlite3', 'package.json'), 'utf8')) as {
          version: string;
        }
      ).version,
  );
  const commit = quiet(() =>
    execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim(),
  );
  return {
    date: new Date().toISOString(),
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    totalMemoryMiB: Math.round(os.totalmem() / 1024 / 1024),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    sqlite: sqliteVersion,
    betterSqlite3,
    synchronous,
    journalMode: 'WAL',
    tempDir: os.tmpdir(),
    gitCommit: commit,
  };
}

function printTable(rows: readonly BenchRow[]): void {
  const cells = rows.map((r) => [
    r.case,
    formatRate(r.ours),
    r.reference,
    formatRate(r.referenceRate),
    formatRatio(r.ratio, r.target),
    `${formatRatio(Math.min(...r.ratios))}–${formatRatio(Math.max(...r.ratios))}`,
    r.target === undefined ? '—' : `≥ ${r.target}`,
    r.pass === null ? 'info' : r.pass ? 'pass' : 'FAIL',
  ]);
  console.log(
    formatTable(
      [
        'case',
        'ours (events/s)',
        'reference',
        'ref (events/s)',
        'ratio',
        'rounds min–max',
        'target',
        'result',
      ],
      cells,
    ),
  );
}

function printExtraTable(table: BenchTable): void {
  console.log(`\n${table.title}`);
  console.log(formatTable(table.headers, table.rows));
}

function printChecks(checks: readonly BenchCheck[]): void {
  console.log('\nchecks');
  console.log(
    formatTable(
      ['check', 'measured', 'target', 'result'],
      checks.map((c) => [c.name, c.measured, c.target, c.pass ? 'pass' : 'FAIL']),
    ),
  );
}

async function main(): Promise<number> {
  const requested = process.argv.slice(2).filter((arg) => arg !== '--');
  const unknown = requested.filter((name) => !(name in registry));
  if (unknown.length > 0) {
    log(`Unknown bench: ${unknown.join(', ')}. Known: ${Object.keys(registry).join(', ')}`);
    return 2;
  }
  const names =
    requested.length > 0 ? requested : Object.keys(registry).filter((name) => !ONLY_BY_NAME.has(name));
  const synchronous = envSynchronous();
  const machine = machineContext(synchronous);
  console.log(
    `machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.totalMemoryMiB} MiB, ${machine.platform}, ` +
      `node ${machine.node}, SQLite ${machine.sqlite ?? '?'} (better-sqlite3 ${machine.betterSqlite3 ?? '?'}), ` +
      `WAL, synchronous=${synchronous}, ${machine.date}`,
  );

  let failed = false;
  for (const name of names) {
    const load = registry[name];
    if (!load) continue;
    const bench = await load();
    const scratch = new Scratch(`lse-bench-${name}-`);
    const started = Date.now();
    let report: BenchReport;
    try {
      log(`▶ ${name}: ${bench.description} (temp files in ${scratch.dir})`);
      report = await bench.run({ synchronous, scratch, log });
    } finally {
      scratch.dispose();
    }
    const durationSeconds = (Date.now() - started) / 1000;
    console.log(
      `\n${name} (${durationSeconds.toFixed(0)} s; ratio = median over rounds of ours/reference, same round)`,
    );
    for (const table of report.tables ?? []) printExtraTable(table);
    if (report.rows.length > 0) {
      if ((report.tables ?? []).length > 0) console.log('\nratios');
      printTable(report.rows);
    }
    if (report.checks && report.checks.length > 0) printChecks(report.checks);
    failed ||= report.rows.some((r) => r.pass === false);
    failed ||= (report.checks ?? []).some((c) => !c.pass);

    mkdirSync(resultsDir, { recursive: true });
    const file = join(resultsDir, `${name}-${machine.date.replace(/:/g, '-')}.json`);
    const json = {
      bench: name,
      machine,
      durationSeconds,
      parameters: report.parameters,
      rows: report.rows,
      ...(report.tables ? { tables: report.tables } : {}),
      ...(report.checks ? { checks: report.checks } : {}),
      samples: report.samples,
      ...(report.details !== undefined ? { details: report.details } : {}),
    };
    writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
    console.log(`results: ${relative(process.cwd(), file)}`);
  }
  return failed ? 1 : 0;
}

process.exitCode = await main();
