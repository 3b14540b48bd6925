/**
 * A process-workflow runner behind the process-workflows lease, as an app instance runs it, for
 * the lease fault test: `leased-process-runner.ts <events file> <lease file> <now ISO> <ttl ms>
 * [kill after N commands]`. Prints `standby` or `leading` whenever that changes, `idle <head>`
 * once it leads and the store has not grown for a while, and kills itself with SIGKILL after N
 * signal commands when asked. SIGTERM stops it cleanly (the lease is released).
 */
import { LeasedRole } from '../../../src/platform/lease/leased-role.js';
import { SqliteLeaseStore } from '../../../src/platform/lease/sqlite-lease-store.js';
import { SqliteEventStore } from '../../../src/platform/event-store/sqlite/sqlite-event-store.js';
import { PROCESS_WORKFLOWS_LEASE } from '../../../src/processes/process-workflows-leader.js';
import { buildProcesses, clockFrom, killAt } from '../../support/process-harness.js';

const [file, leaseFile, nowIso, ttlArg, killAfterArg] = process.argv.slice(2);
if (!file || !leaseFile || !nowIso || !ttlArg)
  throw new Error('usage: leased-process-runner.ts <events> <leases> <now ISO> <ttl ms> [kill after N]');
const store = new SqliteEventStore({ file, pollIntervalMs: 5 });
const leases = new SqliteLeaseStore({ file: leaseFile });
const { runner } = buildProcesses(
  store,
  clockFrom(nowIso),
  killAt('after-command', Number(killAfterArg ?? 0)),
);
const role = new LeasedRole(PROCESS_WORKFLOWS_LEASE, leases, runner, { ttlMs: Number(ttlArg) });

process.once('SIGTERM', () => {
  void role
    .stop()
    .then(() => store.close())
    .then(() => process.exit(0));
});

await role.start();
let said = '';
let last = '';
let stableFor = 0;
for (;;) {
  const state = role.leading ? 'leading' : 'standby';
  if (state !== said) process.stdout.write(`${state}\n`);
  said = state;
  if (role.leading) {
    await runner.fireDue();
    const head = (await store.health()).lastPosition ?? '0';
    stableFor = head === last ? stableFor + 1 : 0;
    last = head;
    if (stableFor === 10) process.stdout.write(`idle ${head}\n`);
  }
  await new Promise((resolve) => setTimeout(resolve, 30));
}
