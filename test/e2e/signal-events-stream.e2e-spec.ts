import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AddressInfo } from 'node:net';
import type { ActorClaims } from '../../src/auth/actor.js';
import { personStream } from '../../src/people/people.events.js';
import { SignalChangeFeed } from '../../src/signals/live/signal-change-feed.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const who: Record<string, Partial<ActorClaims>> = {
  giver1: { sub: 'giver-1', tenant: 'gent', roles: ['signal-giver'], org: 'caw' },
  giver2: { sub: 'giver-2', tenant: 'gent', roles: ['signal-giver'], org: 'ocmw' },
  lead: { sub: 'lead-1', tenant: 'gent', roles: ['lead-processor'] },
  processor: { sub: 'proc-1', tenant: 'gent', roles: ['processor'], domains: ['jeugd'] },
  otherLead: { sub: 'lead-9', tenant: 'eeklo', roles: ['lead-processor'] },
};

interface Change {
  signalId: string;
  type: string;
  position: string;
}

/** Reads `GET /events/stream` as the web app does (fetch with the bearer token), collecting changes. */
class StreamReader {
  readonly changes: Change[] = [];
  readonly raw: string[] = [];
  /** The server ended the stream. */
  ended = false;
  private readonly controller = new AbortController();
  ready!: Promise<void>;

  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  open(): Promise<Response> {
    return fetch(`${this.baseUrl}/events/stream`, {
      headers: { Accept: 'text/event-stream', Authorization: `Bearer ${this.token}` },
      signal: this.controller.signal,
    }).then((response) => {
      if (response.body)
        void this.read(response.body)
          .then(() => (this.ended = true))
          .catch(() => undefined);
      return response;
    });
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of body) {
      buffer += decoder.decode(chunk, { stream: true });
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        this.raw.push(block);
        const data = block
          .split('\n')
          .find((line) => line.startsWith('data: '))
          ?.slice(6);
        if (data) this.changes.push(JSON.parse(data) as Change);
        end = buffer.indexOf('\n\n');
      }
    }
  }

  close(): void {
    this.controller.abort();
  }
}

const until = async (check: () => boolean, timeoutMs = 5000): Promise<void> => {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe('GET /events/stream (live signal changes, server-sent events)', () => {
  let t: TestApp;
  let baseUrl: string;
  const tokens: Record<string, string> = {};
  const readers: Record<string, StreamReader> = {};

  const post = async (role: string, path: string, body: object) => {
    const response = await t.http.post(path).set('Authorization', `Bearer ${tokens[role]}`).send(body);
    expect(response.status).toBeLessThan(300);
    return response.body as { signalId: string; position: string };
  };

  beforeAll(async () => {
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    for (const [role, claims] of Object.entries(who)) tokens[role] = await t.token(claims);
    for (const role of Object.keys(who)) {
      readers[role] = new StreamReader(baseUrl, tokens[role]!);
      const response = await readers[role].open();
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/event-stream');
    }
    await until(() => t.app.get(SignalChangeFeed).size === Object.keys(who).length);
  });

  afterAll(async () => {
    for (const reader of Object.values(readers)) reader.close();
    await t.close();
  });

  it('refuses a caller without a token, and a role that reads no signals', async () => {
    expect(
      (await fetch(`${baseUrl}/events/stream`, { headers: { Accept: 'text/event-stream' } })).status,
    ).toBe(401);
    const official = await t.token({ sub: 'schepen-1', tenant: 'gent', roles: ['official'] });
    const answer = await fetch(`${baseUrl}/events/stream`, {
      headers: { Accept: 'text/event-stream', Authorization: `Bearer ${official}` },
    });
    expect(answer.status).toBe(403);
  });

  it("tells each listener only about signals in its scope, never another tenant's, and never any text", async () => {
    const submitted = await post('giver1', '/signals', {
      title: 'Wachtlijst jeugdhulp loopt op',
      description: 'Frontlijnwerkers zien gezinnen maanden wachten op jeugdhulp.',
      themes: ['jeugd'],
    });
    const id = submitted.signalId;
    await until(() => readers['lead']!.changes.some((c) => c.signalId === id));
    await until(() => readers['giver1']!.changes.some((c) => c.signalId === id));
    expect(readers['lead']!.changes.find((c) => c.signalId === id)).toEqual({
      signalId: id,
      type: 'SignalSubmitted',
      position: submitted.position,
    });

    await post('lead', `/signals/${id}/triage`, {});
    await post('lead', `/signals/${id}/assign`, { policyDomain: 'jeugd' });
    // Assigned to the domain jeugd: now in the processor's scope, from the assignment on.
    await until(() => readers['processor']!.changes.some((c) => c.type === 'SignalAssigned'));
    const note = await post('lead', `/signals/${id}/add-note`, {
      note: 'Intern: bellen met de dienst jeugd.',
    });
    await until(() => readers['processor']!.changes.some((c) => c.position === note.position));
    // Reassigned to another domain: the processor hears of that step, and of nothing after it.
    await post('lead', `/signals/${id}/reassign`, { policyDomain: 'wonen' });
    await until(() => readers['processor']!.changes.some((c) => c.type === 'SignalReassigned'));
    const later = await post('lead', `/signals/${id}/add-note`, { note: 'Intern: dossier wonen bekijken.' });
    await until(() => readers['lead']!.changes.some((c) => c.position === later.position));
    const processorTypes = readers['processor']!.changes.map((c) => c.type);
    // Not in scope when submitted (no domain yet); whether it hears of the triage depends on
    // whether the assignment was applied before that event was dispatched (scope is read then).
    expect(processorTypes).not.toContain('SignalSubmitted');
    expect(processorTypes.filter((type) => type !== 'SignalTriaged')).toEqual([
      'SignalAssigned',
      'NoteAdded',
      'SignalReassigned',
    ]);
    expect(readers['lead']!.changes.map((c) => c.type)).toEqual([
      'SignalSubmitted',
      'SignalTriaged',
      'SignalAssigned',
      'NoteAdded',
      'SignalReassigned',
      'NoteAdded',
    ]);

    // Let every stream settle, then check what the others did not get.
    await new Promise((resolve) => setTimeout(resolve, 300));
    // The giver sees their own signal's steps, but not the internal note.
    expect(readers['giver1']!.changes.map((c) => c.type)).toEqual([
      'SignalSubmitted',
      'SignalTriaged',
      'SignalAssigned',
      'SignalReassigned',
    ]);
    expect(readers['giver2']!.changes).toEqual([]);
    expect(readers['otherLead']!.changes).toEqual([]);
    for (const reader of Object.values(readers)) {
      for (const block of reader.raw) {
        expect(block).not.toContain('Wachtlijst');
        expect(block).not.toContain('bellen');
        expect(block).not.toContain('dossier wonen');
      }
    }
  });

  it("gives the other tenant's lead processor its own tenant's changes", async () => {
    const submitted = await post('otherLead', '/signals', {
      title: 'Energiearmoede in Eeklo',
      description: 'Meer huishoudens vragen hulp bij hun energiefactuur.',
      themes: ['energie'],
    });
    await until(() => readers['otherLead']!.changes.some((c) => c.signalId === submitted.signalId));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(readers['lead']!.changes.some((c) => c.signalId === submitted.signalId)).toBe(false);
  });

  it("ends a listener's stream as soon as their roles are revoked, whatever their token still says", async () => {
    const feed = t.app.get(SignalChangeFeed);
    const before = feed.size;
    // What the people service records when a tenant admin revokes proc-1's role.
    await t.store.append(
      personStream('gent', 'proc-1'),
      [
        {
          type: 'RolesRevoked',
          data: { personId: 'proc-1', roles: ['processor'] },
          metadata: {
            tenantId: 'gent',
            actor: { id: 'admin-1', role: 'tenant-admin' },
            occurredAt: new Date().toISOString(),
            correlationId: 'revoke-proc-1',
            causationId: 'revoke-proc-1',
          },
        },
      ],
      { expectedRevision: 'any' },
    );
    await until(() => readers['processor']!.ended);
    await until(() => feed.size === before - 1);
    // Only that person's stream ends.
    expect(readers['lead']!.ended).toBe(false);
    // Reconnecting with the token of before the revocation is refused; a token issued after it opens.
    const again = await fetch(`${baseUrl}/events/stream`, {
      headers: { Accept: 'text/event-stream', Authorization: `Bearer ${tokens['processor']}` },
    });
    expect(again.status).toBe(401);
    expect(((await again.json()) as { code: string }).code).toBe('TOKEN_REVOKED');
    await new Promise((resolve) => setTimeout(resolve, 1100)); // iat has whole seconds
    const fresh = new StreamReader(baseUrl, await t.token(who['processor']!));
    expect((await fresh.open()).status).toBe(200);
    await until(() => feed.size === before);
    fresh.close();
    await until(() => feed.size === before - 1);
  });

  it('forgets a listener once its connection closes', async () => {
    const feed = t.app.get(SignalChangeFeed);
    const before = feed.size;
    readers['giver2']!.close();
    await until(() => feed.size === before - 1);
  });
});
