/**
 * A process-workflow runner in a process of its own, for the timer and fan-out fault tests:
 * `process-runner.ts <events file> <now ISO> [kill after N] [after-command | after-decision]`.
 * Its clock starts at <now>; it prints `idle` once every due timer and every input has been
 * carried out (the store has not grown for a while), and kills itself with SIGKILL after N signal
 * commands (or N recorded decisions) when asked.
 */
import { SqliteEventStore } from '../../../src/platform/event-store/sqlite/sqlite-event-store.js';
import type { ProcessFaultPoint } from '../../../src/platform/processes/process-runner.js';
import { buildProcesses, clockFrom, killAt } from '../../support/process-harness.js';

const [file, nowIso, killAfterArg, killPoint = 'after-command'] = process.argv.slice(2);
if (!file || !nowIso) throw new Error('usage: process-runner.ts <file> <now ISO> [kill after N commands]');
const now = clockFrom(nowIso);
const store = new SqliteEventStore({ file, pollIntervalMs: 5 });
const { runner } = buildProcesses(
  store,
  now,
  killAt(killPoint as ProcessFaultPoint, Number(killAfterArg ?? 0)),
);
await runner.start();
process.stdout.write('started\n');

let last = '';
let stableFor = 0;
for (;;) {
  await runner.fireDue();
  const head = (await store.health()).lastPosition ?? '0';
  stableFor = head === last ? stableFor + 1 : 0;
  last = head;
  if (stableFor === 10) process.stdout.write(`idle ${head} ${runner.pendingTimers().length}\n`);
  await new Promise((resolve) => setTimeout(resolve, 30));
}
