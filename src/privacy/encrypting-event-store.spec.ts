import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../platform/event-store/sqlite/sqlite-event-store.js';
import type { NewEvent, RecordedEvent } from '../platform/event-store/event-store.port.js';
import { signalStream } from '../signals/signal.events.js';
import {
  EncryptingEventStore,
  erasePersonKeys,
  personScope,
  signalScope,
  storedEventsOf,
} from './encrypting-event-store.js';
import { FieldCipherError } from './field-cipher.js';
import { SqliteKeyStore } from './key-store/sqlite-key-store.js';
import { verifyStore } from '../audit/verify-store.js';

const signalId = '0190b6a4-0000-7000-8000-00000000000a';
const stream = signalStream('gent', signalId);
const metadata = {
  tenantId: 'gent',
  actor: { id: 'giver-1', role: 'signal-giver' },
  correlationId: 'c',
  causationId: 'c',
  occurredAt: '2026-03-01T10:00:00.000Z',
};

function note(text: string, id?: string): NewEvent {
  return {
    ...(id ? { id } : {}),
    type: 'NoteAdded',
    data: { signalId, note: text, policyDomain: 'wonen' },
    metadata,
  };
}

async function all<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

describe('EncryptingEventStore', () => {
  let dir: string;
  let keys: SqliteKeyStore;
  let store: EncryptingEventStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ls-enc-'));
    keys = new SqliteKeyStore({ file: join(dir, 'keys.sqlite') });
    store = new EncryptingEventStore(new SqliteEventStore({ file: join(dir, 'events.sqlite') }), keys);
  });

  afterEach(async () => {
    await store.close();
    await keys.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores erasable text as ciphertext, leaves codes alone and reads plaintext back on every path', async () => {
    await store.append(stream, [note('Eerste notitie.')], { expectedRevision: 'no-stream' });
    const [stored] = await all(storedEventsOf(store).readStream(stream));
    expect(stored!.data['note']).toMatch(/^\$enc:v1:/);
    expect(stored!.data['policyDomain']).toBe('wonen');
    const read = async (events: AsyncIterable<RecordedEvent>) =>
      (await all(events)).map((e) => e.data['note']);
    expect(await read(store.readStream(stream))).toEqual(['Eerste notitie.']);
    expect(await read(store.readAll())).toEqual(['Eerste notitie.']);
    const subscription = store.subscribeToAll({ fromPosition: 'start' });
    for await (const event of subscription) {
      expect(event.data['note']).toBe('Eerste notitie.');
      break;
    }
  });

  it('hands out what the subscription has read at once while the keys are known, the rest in order', async () => {
    // Three signals, three keys; a fresh store knows none of them.
    const ids = [
      '0190b6a4-0000-7000-8000-0000000000a1',
      '0190b6a4-0000-7000-8000-0000000000b2',
      '0190b6a4-0000-7000-8000-0000000000c3',
    ];
    const order: Array<[signal: number, text: string]> = [
      [0, 'A1'],
      [0, 'A2'],
      [1, 'B1'],
      [0, 'A3'],
      [2, 'C1'],
      [1, 'B2'],
    ];
    const revisions = [-1, -1, -1];
    for (const [signal, text] of order) {
      const id = ids[signal]!;
      const expected = revisions[signal]! < 0 ? 'no-stream' : BigInt(revisions[signal]!);
      await store.append(
        signalStream('gent', id),
        [{ type: 'NoteAdded', data: { signalId: id, note: text, policyDomain: 'wonen' }, metadata }],
        { expectedRevision: expected },
      );
      revisions[signal]! += 1;
    }
    const fresh = new EncryptingEventStore(storedEventsOf(store), keys);
    const subscription = fresh.subscribeToAll({ fromPosition: 'start' });
    const iterator = subscription[Symbol.asyncIterator]();
    const seen: string[] = [];
    const taken: string[][] = [];
    const take = () => {
      const ready = subscription.takeReady!(10).map((event) => event.data['note'] as string);
      taken.push(ready);
      seen.push(...ready);
    };
    while (seen.length < order.length) {
      const next = await iterator.next();
      seen.push((next.value as RecordedEvent).data['note'] as string);
      take();
      take();
    }
    await subscription.stop();
    expect(seen).toEqual(order.map(([, text]) => text));
    // A1 fetched A's key: A2 came at once; B1 needed B's key, so it and all after it waited for
    // the iterator, which fetched the keys of all of them: the rest then came at once.
    expect(taken.slice(0, 3)).toEqual([['A2'], [], ['A3', 'C1', 'B2']]);
    // Once every key is known, all that was read comes at once.
    const warm = fresh.subscribeToAll({ fromPosition: 'start' });
    const first = await warm[Symbol.asyncIterator]().next();
    expect((first.value as RecordedEvent).data['note']).toBe('A1');
    expect(warm.takeReady!(10).map((event) => event.data['note'])).toEqual(['A2', 'B1', 'A3', 'C1', 'B2']);
    await warm.stop();
  });

  it('reads destroyed text as [gewist], and the verifier still passes on the ciphertext', async () => {
    await store.append(stream, [note('Weg te wissen notitie.')], { expectedRevision: 'no-stream' });
    const keyId = (await keys.keysOf({ tenantId: 'gent', signalId }))[0]?.keyId;
    await store.append(
      stream,
      [
        {
          type: 'SignalTextErased',
          data: { signalId, reason: 'Op vraag van de signaalgever.', keyIds: [keyId!] },
          metadata,
        },
      ],
      { expectedRevision: 0n },
    );
    await keys.destroy([keyId!]);
    const fresh = new EncryptingEventStore(storedEventsOf(store), keys);
    const events = await all(fresh.readStream(stream));
    expect(events.map((e) => e.data['note'] ?? e.data['reason'])).toEqual([
      '[gewist]',
      'Op vraag van de signaalgever.',
    ]);
    // These bare notes are no lifecycle (illegal transitions); the chain itself must be whole.
    for (const storedText of [true, false]) {
      const report = await verifyStore(store, { storedText });
      expect(report.events).toBe(2);
      expect(report.counts).toMatchObject({ 'hash-missing': 0, 'hash-mismatch': 0, 'chain-broken': 0 });
    }
  });

  it('forgets a cached key once it reads the erasure that destroyed it', async () => {
    await store.append(stream, [note('Notitie in de cache.')], { expectedRevision: 'no-stream' });
    expect((await all(store.readStream(stream)))[0]!.data['note']).toBe('Notitie in de cache.');
    const keyId = (await keys.keysOf({ tenantId: 'gent', signalId }))[0]?.keyId;
    await storedEventsOf(store).append(
      stream,
      [
        {
          type: 'SignalTextErased',
          data: { signalId, reason: 'Bewaartermijn.', keyIds: [keyId!] },
          metadata,
        },
      ],
      { expectedRevision: 0n },
    );
    const notes = (await all(store.readStream(stream))).map((e) => e.data['note']);
    // The erasure comes after the note in the stream; a second read has learned of it.
    expect((await all(store.readStream(stream)))[0]!.data['note']).toBe('[gewist]');
    expect(notes).toHaveLength(2);
  });

  it('opens text as a read model keeps it (sealed as stored): with its key, [gewist] once it is destroyed', async () => {
    await store.append(stream, [note('Verzegelde notitie.')], { expectedRevision: 'no-stream' });
    const [sealed] = await all(storedEventsOf(store).readStream(stream));
    const value = sealed!.data['note'] as string;
    expect(value).toMatch(/^\$enc:v1:/);
    // A process that never read the event: the key comes from the key store.
    const reader = new EncryptingEventStore(storedEventsOf(store), keys);
    expect(await reader.openText(stream, 'note', value)).toBe('Verzegelde notitie.');
    expect(await reader.openText(stream, 'note', 'Gewone tekst')).toBe('Gewone tekst');
    // Bound to its stream and field: moved elsewhere, it does not open.
    await expect(reader.openText(stream, 'reason', value)).rejects.toThrow(FieldCipherError);
    await expect(reader.openText(signalStream('aalst', signalId), 'note', value)).rejects.toThrow(
      FieldCipherError,
    );
    const keyId = (await keys.keysOf({ tenantId: 'gent', signalId }))[0]!.keyId;
    await keys.destroy([keyId]);
    // Destroyed by this process: forgotten at once; by another: not in a fresh cache.
    reader.forget([keyId]);
    expect(await reader.openText(stream, 'note', value)).toBe('[gewist]');
    expect(await new EncryptingEventStore(storedEventsOf(store), keys).openText(stream, 'note', value)).toBe(
      '[gewist]',
    );
  });

  it('re-appends the same event ids idempotently although the ciphertext differs', async () => {
    const id = '0190b6a4-0000-7000-8000-0000000000ff';
    const first = await store.append(stream, [note('Zelfde notitie.', id)], {
      expectedRevision: 'no-stream',
    });
    const again = await store.append(stream, [note('Zelfde notitie.', id)], {
      expectedRevision: 'no-stream',
    });
    expect(again).toEqual(first);
    expect(await all(store.readStream(stream))).toHaveLength(1);
  });

  it('leaves events of other streams and legacy plaintext as they are', async () => {
    await storedEventsOf(store).append(stream, [note('Oude onversleutelde notitie.')], {
      expectedRevision: 'no-stream',
    });
    await store.append('audit-gent', [{ type: 'AuditRead', data: { note: 'geen signaaltekst' }, metadata }], {
      expectedRevision: 'no-stream',
    });
    expect((await all(store.readStream(stream)))[0]!.data['note']).toBe('Oude onversleutelde notitie.');
    expect((await all(storedEventsOf(store).readStream('audit-gent')))[0]!.data['note']).toBe(
      'geen signaaltekst',
    );
  });

  it("with a person scope, a person's name and e-mail are erased from all their events by one key", async () => {
    const people = new EncryptingEventStore(storedEventsOf(store), keys, {
      scopes: [signalScope, personScope('person', ['name', 'email'])],
    });
    const personStream = 'person-gent-p1';
    const invited: NewEvent = {
      type: 'PersonInvited',
      data: { personId: 'p1', name: 'An Peeters', email: 'an.peeters@example.org', roles: ['signal-giver'] },
      metadata,
    };
    await people.append(personStream, [invited, { ...invited, type: 'PersonRenamed' }], {
      expectedRevision: 'no-stream',
    });
    const raw = JSON.stringify(
      (await all(storedEventsOf(store).readStream(personStream))).map((e) => e.data),
    );
    expect(raw).not.toContain('Peeters');
    expect((await all(people.readStream(personStream))).map((e) => e.data['email'])).toEqual([
      'an.peeters@example.org',
      'an.peeters@example.org',
    ]);
    expect(await erasePersonKeys(keys, 'gent', 'p1')).toHaveLength(1);
    const after = await all(
      new EncryptingEventStore(storedEventsOf(store), keys, {
        scopes: [personScope('person', ['name', 'email'])],
      }).readStream(personStream),
    );
    expect(after.map((e) => [e.data['name'], e.data['email'], e.data['roles']])).toEqual([
      ['[gewist]', '[gewist]', ['signal-giver']],
      ['[gewist]', '[gewist]', ['signal-giver']],
    ]);
  });
});
