/**
 * A writer process for fault tests: `appenders` concurrent loops append 1–4 events at a time to
 * streams of its own, with exact expected revisions, and print `ack` lines once an append is
 * acknowledged. Runs until `appends` appends are done (or forever with 0), then prints `done`.
 */
import { SqliteEventStore } from '../../../src/platform/event-store/sqlite/sqlite-event-store.js';
import { streamName } from '../../../src/platform/event-store/stream-name.js';
import { uuidv7 } from '../../../src/platform/ids.js';
import { aMetadata } from '../../support/events.js';

const [file, writerIdArg, appendersArg, appendsArg, streamsArg] = process.argv.slice(2);
if (!file || !writerIdArg)
  throw new Error('usage: writer.ts <file> <writerId> [appenders] [appends] [streams]');
const writerId: string = writerIdArg;
const appenders = Number(appendersArg ?? 8);
const maxAppends = Number(appendsArg ?? 0);
const streamCount = Number(streamsArg ?? 16);

const store = new SqliteEventStore({ file, pollIntervalMs: 10 });
const streams = Array.from({ length: streamCount }, (_, i) => streamName('fault', `${writerId}_${i}`));
const revisions = new Map<string, bigint | 'no-stream'>();
for (const stream of streams) {
  let last: bigint | 'no-stream' = 'no-stream';
  for await (const event of store.readStream(stream, { direction: 'backwards', limit: 1 }))
    last = event.revision;
  revisions.set(stream, last);
}
process.stdout.write('ready\n');

let started = 0;
async function appender(slot: number): Promise<void> {
  // Each appender owns its streams, so its expected revisions are exact.
  const own = streams.filter((_, i) => i % appenders === slot);
  while (maxAppends === 0 || started < maxAppends) {
    started += 1;
    const stream = own[started % own.length]!;
    const appendId = uuidv7();
    const count = 1 + (started % 4);
    const events = Array.from({ length: count }, (_, index) => ({
      type: 'FaultTested',
      data: { appendId, index, count, writerId, padding: 'x'.repeat(200) },
      metadata: aMetadata(),
    }));
    const result = await store.append(stream, events, { expectedRevision: revisions.get(stream)! });
    revisions.set(stream, result.nextRevision);
    process.stdout.write(`ack ${appendId} ${stream} ${result.nextRevision} ${result.position} ${count}\n`);
  }
}

await Promise.all(Array.from({ length: appenders }, (_, slot) => appender(slot)));
await store.close();
process.stdout.write('done\n');
