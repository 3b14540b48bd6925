import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import DatabaseConstructor from 'better-sqlite3';
import { fileURLToPath } from 'node:url';
import { planDemoData } from '../../src/demo/plan.js';
import type { EventStore, NewEvent } from '../../src/platform/event-store/event-store.port.js';
import { SqliteEventStore } from '../../src/platform/event-store/sqlite/sqlite-event-store.js';
import { canonicalJson } from '../../src/platform/json.js';
import { EncryptingEventStore } from '../../src/privacy/encrypting-event-store.js';
import { keyFileOf } from './event-files.js';
import { SqliteKeyStore } from '../../src/privacy/key-store/sqlite-key-store.js';
import type { SignalState } from '../../src/signals/signal.decider.js';
import { signalStream } from '../../src/signals/signal.events.js';
import { currentSignalWorkflow, signalDecider } from '../../src/signals/signal.repository.js';

/**
 * Event files for the projection bench from the deterministic demo generator: the plan's commands,
 * in time order, go through the pure signal decider (no HTTP, no command handler) and the decided
 * events, with the metadata the handler adds, are appended as the app appends them: their text
 * encrypted under a key per signal (EncryptingEventStore, keys in `keyFileOf(file)`) into
 * SqliteEventStore at synchronous=OFF, many appends in flight at once so that the store's group
 * commit writes them in large transactions. Run as a child process (`buildEventFile`) so that the
 * build's heap does not count in the bench process's RSS.
 */

const SEED = 42;
const TENANTS = 10;
/** Appends in flight per group (one per command, many streams). */
const IN_FLIGHT = 5_000;

export interface BuiltFile {
  events: number;
  signals: number;
  commands: number;
  rejected: number;
  seconds: number;
  eventsPerSignal: number;
}

function eventsPerSignal(): number {
  const plan = planDemoData({ seed: SEED, tenants: TENANTS, signals: 2_000 });
  let commands = 0;
  for (const _ of plan.commands()) commands += 1;
  return commands / plan.signalCount;
}

async function build(file: string, targetEvents: number): Promise<BuiltFile> {
  const started = performance.now();
  const perSignal = eventsPerSignal();
  const signals = Math.max(1, Math.round(targetEvents / perSignal));
  const plan = planDemoData({ seed: SEED, tenants: TENANTS, signals });
  const workflow = currentSignalWorkflow();
  rmSync(keyFileOf(file), { force: true });
  const keys = new SqliteKeyStore({ file: keyFileOf(file), synchronous: 'OFF' });
  const store: EventStore = new EncryptingEventStore(
    new SqliteEventStore({ file, synchronous: 'OFF' }),
    keys,
  );
  // A stream's appends one after the other: the encrypting store awaits its key before it appends,
  // and an append that overtook the one before it in its stream would find the wrong revision.
  const lastAppend = new Map<string, Promise<unknown>>();
  const states = new Map<string, { state: SignalState; revision: bigint | 'no-stream' }>();
  let events = 0;
  let commands = 0;
  let rejected = 0;
  let inFlight: Array<Promise<unknown>> = [];
  try {
    for (const command of plan.commands()) {
      commands += 1;
      const known = states.get(command.signalId) ?? {
        state: signalDecider.initialState,
        revision: 'no-stream' as const,
      };
      const targetId = command.fields['targetSignalId'];
      const target = typeof targetId === 'string' ? states.get(targetId)?.state : undefined;
      let decided;
      try {
        decided = signalDecider.decide(
          { name: command.name, signalId: command.signalId, fields: command.fields },
          known.state,
          {
            actor: command.actor,
            now: new Date(command.at),
            definitionForNewSignals: workflow,
            ...(target ? { target } : {}),
          },
        );
      } catch {
        rejected += 1;
        continue;
      }
      const requestHash = createHash('sha256')
        .update(canonicalJson({ command: command.name, signalId: command.signalId, fields: command.fields }))
        .digest('base64url');
      const newEvents: NewEvent[] = decided.map((event) => ({
        type: event.type,
        data: event.data,
        metadata: {
          ...event.metadata,
          correlationId: command.correlationId,
          causationId: command.correlationId,
          idempotencyKey: command.idempotencyKey,
          requestHash,
        },
      }));
      let state = known.state;
      for (const event of decided) state = signalDecider.evolve(state, event);
      const expectedRevision = known.revision;
      const nextRevision =
        (expectedRevision === 'no-stream' ? -1n : expectedRevision) + BigInt(decided.length);
      states.set(command.signalId, { state, revision: nextRevision });
      // Appends are queued in call order and committed together: a stream's next append in the
      // same group sees the revision its previous one wrote.
      const stream = signalStream(command.tenantId, command.signalId);
      const before = lastAppend.get(stream);
      const append = (before ?? Promise.resolve()).then(() =>
        store.append(stream, newEvents, { expectedRevision }),
      );
      lastAppend.set(stream, append);
      inFlight.push(append);
      events += newEvents.length;
      if (inFlight.length >= IN_FLIGHT) {
        await Promise.all(inFlight);
        inFlight = [];
        lastAppend.clear();
      }
    }
    await Promise.all(inFlight);
  } finally {
    await store.close();
    await keys.close();
  }
  const seconds = (performance.now() - started) / 1000;
  return { events, signals: plan.signalCount, commands, rejected, seconds, eventsPerSignal: perSignal };
}

/**
 * The first `events` events of an event file, as a file of their own: the same deployment earlier
 * in its history (the plan runs in time order, so these are its first days). The hash chain holds,
 * as every stream's events are a prefix of the stream.
 */
export function prefixEventFile(source: string, file: string, events: number): BuiltFile {
  const started = performance.now();
  rmSync(file, { force: true });
  new SqliteEventStore({ file, synchronous: 'OFF' }).close();
  // Every key of the source: those of signals after the prefix are never asked for.
  if (existsSync(keyFileOf(source))) copyFileSync(keyFileOf(source), keyFileOf(file));
  const db = new DatabaseConstructor(file);
  try {
    db.prepare('ATTACH DATABASE ? AS source').run(source);
    db.prepare('INSERT INTO events SELECT * FROM source.events WHERE position <= ? ORDER BY position').run(
      events,
    );
    db.exec('DETACH DATABASE source');
    const count = db.prepare<[], number>('SELECT count(*) FROM events').pluck(true).get()!;
    const signals = db
      .prepare<[], number>("SELECT count(DISTINCT stream) FROM events WHERE category = 'signal'")
      .pluck(true)
      .get()!;
    return {
      events: count,
      signals,
      commands: count,
      rejected: 0,
      seconds: (performance.now() - started) / 1000,
      eventsPerSignal: count / Math.max(1, signals),
    };
  } finally {
    db.close();
  }
}

/** Builds `file` with about `targetEvents` events in a child process; returns what it wrote. */
export function buildEventFile(file: string, targetEvents: number): BuiltFile {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), file, String(targetEvents)],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 },
  );
  if (result.status !== 0) throw new Error(`building ${file} failed with status ${result.status}`);
  return JSON.parse(result.stdout.trim().split('\n').pop() ?? '') as BuiltFile;
}

/** An event file of about `target` events: built now, or taken from BENCH_EVENT_CACHE when built there before. */
export function cachedEventFile(
  scratchFile: string,
  target: number,
): { file: string; built: BuiltFile; cached: boolean } {
  const cacheDir = process.env['BENCH_EVENT_CACHE'];
  if (!cacheDir) return { file: scratchFile, built: buildEventFile(scratchFile, target), cached: false };
  // "encrypted": the events' text as the app stores it, with the key store beside (keyFileOf).
  const file = join(cacheDir, `projections-seed42-encrypted-${target}.sqlite`);
  const meta = `${file}.json`;
  if (existsSync(meta) && existsSync(file))
    return { file, built: JSON.parse(readFileSync(meta, 'utf8')) as BuiltFile, cached: true };
  const built = buildEventFile(file, target);
  writeFileSync(meta, JSON.stringify(built));
  return { file, built, cached: false };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [file, target] = process.argv.slice(2);
  if (file === undefined || target === undefined)
    throw new Error('usage: projection-data.ts <file> <events>');
  const built = await build(file, Number(target));
  process.stdout.write(`${JSON.stringify(built)}\n`);
}
