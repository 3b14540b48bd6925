import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ActorClaims } from '../../src/auth/actor.js';
import { EventStore } from '../../src/platform/event-store/event-store.port.js';
import { ReadStore } from '../../src/platform/read-store/read-store.port.js';
import { EncryptingEventStore } from '../../src/privacy/encrypting-event-store.js';
import { SignalTextEraser } from '../../src/privacy/erase-text/signal-text-eraser.js';
import { KeyStore } from '../../src/privacy/key-store/key-store.port.js';
import {
  DefaultRetentionPolicy,
  RetentionPolicy,
  type RetentionPeriod,
} from '../../src/privacy/retention/retention-policy.js';
import { RetentionSweep } from '../../src/privacy/retention/retention-sweep.js';
import { ReadModels } from '../../src/read-models/read-models.js';
import { signalStream } from '../../src/signals/signal.events.js';
import { startTsChild } from '../support/processes.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const YEAR_MS = 365.25 * 24 * 60 * 60 * 1000;
const who: Record<string, Partial<ActorClaims>> = {
  giver: { sub: 'giver-1', tenant: 'gent', roles: ['signal-giver'] },
  lead: { sub: 'lead-1', tenant: 'gent', roles: ['lead-processor'] },
};

describe('retention: the sweep erases text of signals closed longer ago than the retention period', () => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};

  const as = (role: string) => ({ Authorization: `Bearer ${tokens[role]}` });
  const caughtUp = async () => {
    const head = await t.head();
    expect(await t.app.get(ReadModels).reach(BigInt(head))).toBe(true);
  };
  const sweepAt = (yearsLater: number, policy: RetentionPolicy = new DefaultRetentionPolicy()) =>
    new RetentionSweep(t.app.get(ReadStore), t.app.get(EventStore), t.app.get(SignalTextEraser), policy, {
      now: () => new Date(Date.now() + yearsLater * YEAR_MS),
    }).run();
  const detail = async (name: string) =>
    (
      await t.http
        .get(`/signals/${ids[name]}`)
        .set(as('lead'))
        .set('X-Min-Position', await t.head())
        .expect(200)
    ).body as { title: string; description: string; erased: boolean };
  const liveKeys = async (name: string) =>
    (await t.app.get(KeyStore).keysOf({ tenantId: 'gent', signalId: ids[name]! })).filter(
      (key) => key.destroyedAt === null,
    ).length;

  async function signal(name: string, close: boolean) {
    const submitted = await t.http
      .post('/signals')
      .set(as('giver'))
      .send({
        title: `Signaal ${name} over huisvesting`,
        description: `Beschrijving ${name} zonder persoonsgegevens.`,
        themes: ['wonen'],
      })
      .expect(201);
    ids[name] = submitted.body.signalId as string;
    await t.http.post(`/signals/${ids[name]}/triage`).set(as('lead')).send({}).expect(200);
    if (close) {
      await t.http
        .post(`/signals/${ids[name]}/close`)
        .set(as('lead'))
        .send({ outcome: 'Opgenomen in het woonbeleid.', feedback: 'Dank u voor het signaal.' })
        .expect(200);
    }
  }

  beforeAll(async () => {
    process.env['RETENTION_SWEEP'] = 'off';
    t = await startTestApp();
    for (const [name, claims] of Object.entries(who)) tokens[name] = await t.token(claims);
    await signal('closedA', true);
    await signal('open', false);
    await signal('closedB', true);
    await caughtUp();
  }, 60_000);

  afterAll(async () => {
    await t.close();
    delete process.env['RETENTION_SWEEP'];
  });

  it('erases nothing before the period is over (4 years after closing)', async () => {
    expect(await sweepAt(4)).toMatchObject({ candidates: 0, erased: 0, failed: 0 });
    expect((await detail('closedA')).title).toBe('Signaal closedA over huisvesting');
  });

  it('a tenant with a longer period keeps its text although the shortest period is over', async () => {
    const longer: RetentionPolicy = {
      periodFor: (): Promise<RetentionPeriod> => Promise.resolve({ years: 10 }),
      shortestPeriod: (): Promise<RetentionPeriod> => Promise.resolve({ years: 5 }),
    };
    expect(await sweepAt(6, longer)).toMatchObject({ candidates: 2, notYetDue: 2, erased: 0 });
  });

  it('erases closed signals after 5 years, not open ones, and destroys their keys', async () => {
    expect(await sweepAt(6)).toMatchObject({ candidates: 2, erased: 2, failed: 0 });
    await caughtUp();
    for (const name of ['closedA', 'closedB']) {
      expect(await detail(name)).toMatchObject({ title: '[gewist]', description: '[gewist]', erased: true });
      expect(await liveKeys(name)).toBe(0);
    }
    expect(await detail('open')).toMatchObject({ title: 'Signaal open over huisvesting', erased: false });
    expect(await liveKeys('open')).toBe(1);
  });

  it('is idempotent and holds nothing in memory: a new sweep (a restart) finds nothing to do', async () => {
    expect(await sweepAt(6)).toMatchObject({ candidates: 0, erased: 0, alreadyErased: 0, failed: 0 });
  });

  it('with a read model behind, a second erasure is skipped as already erased, not recorded twice', async () => {
    const eraser = t.app.get(SignalTextEraser);
    await expect(
      eraser.erase(ids['closedA']!, 'Bewaartermijn verstreken.', { kind: 'retention', tenantId: 'gent' }),
    ).rejects.toMatchObject({ code: 'TEXT_ALREADY_ERASED' });
  });

  it('finishes an erasure whose key destruction a crash interrupted', async () => {
    await signal('crashed', true);
    const keyIds = (await t.app.get(KeyStore).keysOf({ tenantId: 'gent', signalId: ids['crashed']! })).map(
      (key) => key.keyId,
    );
    const stored = (t.app.get(EventStore) as EncryptingEventStore).stored;
    const stream = signalStream('gent', ids['crashed']!);
    let revision = -1n;
    for await (const event of stored.readStream(stream)) revision = event.revision;
    // The event is recorded, the process dies before it destroys the key.
    await stored.append(
      stream,
      [
        {
          type: 'SignalTextErased',
          data: { signalId: ids['crashed']!, reason: 'Op vraag van de signaalgever.', keyIds },
          metadata: {
            tenantId: 'gent',
            actor: { id: 'lead-1', role: 'lead-processor' },
            correlationId: 'crash',
            causationId: 'crash',
            occurredAt: new Date().toISOString(),
          },
        },
      ],
      { expectedRevision: revision },
    );
    expect(await liveKeys('crashed')).toBe(1);
    expect(await sweepAt(0)).toMatchObject({ keysRepaired: 1, erased: 0 });
    expect(await liveKeys('crashed')).toBe(0);
    expect(await sweepAt(0)).toMatchObject({ keysRepaired: 0 });
  });

  it('npm run cli -- privacy sweep runs it by hand and prints the report', async () => {
    const child = startTsChild('src/cli/cli.ts', ['privacy', 'sweep'], {
      DATA_DIR: t.dataDir,
      JWT_SECRET: 'x'.repeat(32),
    });
    const { code } = await child.exited;
    expect(code).toBe(0);
    const report = child.lines.slice(child.lines.lastIndexOf('{')).join('\n');
    expect(JSON.parse(report)).toMatchObject({
      candidates: 0,
      erased: 0,
      failed: 0,
    });
  }, 60_000);
});
