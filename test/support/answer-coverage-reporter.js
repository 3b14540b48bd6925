// A Jest reporter that fails a whole run in which some answer the OpenAPI document describes was
// given by no suite: every documented status of every route is produced by at least one test that
// boots the app (test-app.ts checks each answer against the document and records which it gave).
// Runs only on a whole run (no path, name or project filter, no failed suite: a run with failures
// fails anyway, and a part of the suites produces a part of the answers).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Set for the workers before they start (they inherit the reporter's environment). */
const RECORD_DIR = 'ANSWER_RECORD_DIR';

/**
 * Documented answers that no suite gives, each with why. An entry that a suite does give is
 * reported too, so that the list only ever shrinks.
 */
export const NOT_PRODUCED = new Map();

/** What a run's records leave uncovered: documented answers given by no app, and stale exceptions. */
export function answerCoverage(records, exceptions = NOT_PRODUCED) {
  const documented = new Set();
  const produced = new Set();
  for (const record of records) {
    for (const key of record.documented) documented.add(key);
    for (const key of record.produced) produced.add(key);
  }
  const missing = [...documented].filter((key) => !produced.has(key) && !exceptions.has(key)).sort();
  const stale = [...exceptions.keys()].filter((key) => produced.has(key) || !documented.has(key)).sort();
  return { documented: documented.size, produced: produced.size, missing, stale };
}

export default class AnswerCoverageReporter {
  constructor(globalConfig) {
    this.globalConfig = globalConfig;
    this.error = undefined;
    this.dir = mkdtempSync(join(tmpdir(), 'ls-answers-'));
    process.env[RECORD_DIR] = this.dir;
    process.once('exit', () => rmSync(this.dir, { recursive: true, force: true }));
  }

  /** Each run (watch mode runs again) starts from no record. */
  onRunStart() {
    this.error = undefined;
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(this.dir, { recursive: true });
  }

  /** Whether this run is every suite of every project (a filtered run gives a part of the answers). */
  wholeRun() {
    const config = this.globalConfig;
    return (
      !config.testPathPatterns?.isSet?.() &&
      !config.testNamePattern &&
      !config.onlyChanged &&
      !config.onlyFailures &&
      !config.findRelatedTests &&
      !(config.selectProjects?.length > 0) &&
      !(config.ignoreProjects?.length > 0) &&
      !(config.shard?.shardCount > 1)
    );
  }

  onRunComplete(_contexts, results) {
    const failed = results.numFailedTestSuites > 0 || results.numRuntimeErrorTestSuites > 0;
    if (!this.wholeRun() || failed || results.numTotalTestSuites === 0) return;
    const records = readdirSync(this.dir).map((name) =>
      JSON.parse(readFileSync(join(this.dir, name), 'utf8')),
    );
    if (records.length === 0) return; // no suite booted the app: nothing to compare
    const { documented, produced, missing, stale } = answerCoverage(records);
    const lines = [];
    if (missing.length > 0)
      lines.push(
        `${missing.length} documented answer(s) given by no test (produce each in an e2e test, or say in ` +
          `test/support/answer-coverage-reporter.js why none can):`,
        ...missing.map((key) => `  ${key}`),
      );
    if (stale.length > 0)
      lines.push(
        `${stale.length} exception(s) in NOT_PRODUCED that a test now gives or the document no longer has:`,
        ...stale.map((key) => `  ${key}`),
      );
    if (lines.length > 0) {
      this.error = new Error(lines.join('\n'));
      process.stderr.write(`\nAnswer coverage: ${lines.join('\n')}\n`);
    } else {
      process.stderr.write(
        `\nAnswer coverage: ${produced} of ${documented} documented answers given by the suites ` +
          `(${NOT_PRODUCED.size} excepted in NOT_PRODUCED).\n`,
      );
    }
  }

  getLastError() {
    return this.error;
  }
}
