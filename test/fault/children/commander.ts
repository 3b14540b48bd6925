/**
 * A command-issuing process for F5: the real command handler on a SQLite store shared with
 * another process. For each `round <signalId>` line on stdin it fires its share of conflicting
 * commands at once and prints one `result` line per command.
 */
import { createInterface } from 'node:readline';
import { ExecuteSignalCommand } from '../../../src/signals/execute-signal-command/execute-signal-command.command.js';
import { ExecuteSignalCommandHandler } from '../../../src/signals/execute-signal-command/execute-signal-command.handler.js';
import { SignalRepository } from '../../../src/signals/signal.repository.js';
import { SqliteEventStore } from '../../../src/platform/event-store/sqlite/sqlite-event-store.js';
import { systemClock } from '../../../src/platform/clock.js';

const [file, processId, notesArg, triagesArg] = process.argv.slice(2);
if (!file || !processId) throw new Error('usage: commander.ts <file> <processId> [notes] [triages]');
const notes = Number(notesArg ?? 20);
const triages = Number(triagesArg ?? 5);

const store = new SqliteEventStore({ file, pollIntervalMs: 10 });
const handler = new ExecuteSignalCommandHandler(store, new SignalRepository(store), systemClock);
const lead = {
  id: `lead-${processId}`,
  tenantId: 'gent',
  roles: ['lead-processor' as const],
  policyDomains: [],
};

async function fire(
  signalId: string,
  name: string,
  fields: Record<string, string>,
  tag: string,
): Promise<string> {
  try {
    const { result } = await handler.execute(
      new ExecuteSignalCommand({ actor: lead, name, signalId, fields, correlationId: tag }),
    );
    return `result ok ${name} ${tag} ${result.events[0]!.id} ${result.revision}`;
  } catch (error) {
    return `result refused ${name} ${tag} ${(error as { code?: string }).code ?? 'UNKNOWN'}`;
  }
}

const lines = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
for await (const line of lines) {
  const [verb, signalId] = line.split(' ');
  if (verb === 'stop') break;
  if (verb !== 'round' || !signalId) continue;
  const commands = [
    ...Array.from({ length: notes }, (_, i) =>
      fire(signalId, 'add-note', { note: `Notitie ${processId}-${i}` }, `${processId}-n${i}`),
    ),
    ...Array.from({ length: triages }, (_, i) => fire(signalId, 'triage', {}, `${processId}-t${i}`)),
  ];
  const settled = await Promise.all(commands);
  for (const result of settled) process.stdout.write(`${result}\n`);
  process.stdout.write(`round-done ${signalId}\n`);
}
lines.close();
process.stdin.destroy();
await store.close();
process.stdout.write('done\n');
