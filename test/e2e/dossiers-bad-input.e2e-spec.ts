import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Random } from '../bench/prng.js';
import { countEvents, startTestApp, type TestApp } from '../support/test-app.js';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 600);
const SEED = Number(process.env['FUZZ_SEED'] ?? Date.now() % 1_000_000_000);

const FIELDS = [
  'title',
  'summary',
  'themes',
  'signalIds',
  'signalId',
  'reason',
  'conclusion',
  'structural',
  'level',
  'body',
  'motivation',
  'decision',
  'actions',
  'feedback',
  'outcome',
];
const JUNK = ['tenantId', 'status', 'actor', '__proto__', '$gt', 'dossierId', 'constructor'];
const COMMANDS = [
  'add-signal',
  'remove-signal',
  'record-analysis',
  'escalate',
  'record-policy-decision',
  'close',
];

/** Dossier endpoints under generated bodies and queries: never a 5xx, never an event for a refusal. */
describe('dossiers: bad input and a fuzz run', () => {
  let t: TestApp;
  let lead = '';
  let signalId = '';
  let dossierId = '';

  beforeAll(async () => {
    t = await startTestApp();
    lead = await t.token({ sub: 'lead-1', tenant: 'gent', roles: ['lead-processor'] });
    const submitted = await t.http
      .post('/signals')
      .set('Authorization', `Bearer ${lead}`)
      .send({ title: 'Geen betaalbare huurwoning', description: 'Gezinnen vinden niets.', themes: ['wonen'] })
      .expect(201);
    signalId = submitted.body.signalId as string;
    await t.http
      .post(`/signals/${signalId}/triage`)
      .set('Authorization', `Bearer ${lead}`)
      .send({})
      .expect(200);
    const created = await t.http
      .post('/dossiers')
      .set('Authorization', `Bearer ${lead}`)
      .send({ title: 'Wonen', summary: 'Samenvatting.', themes: ['wonen'], signalIds: [signalId] })
      .expect(201);
    dossierId = created.body.dossierId as string;
  });
  afterAll(() => t.close());

  it('refuses the known kinds of bad input with a clear code', async () => {
    const post = (path: string) => t.http.post(path).set('Authorization', `Bearer ${lead}`);
    const cases: Array<[Promise<{ status: number; body: { code: string } }>, number, string]> = [
      [post('/dossiers').set('Content-Type', 'application/json').send('{"title": '), 400, 'MALFORMED_JSON'],
      [post('/dossiers').set('Content-Type', 'text/plain').send('hallo'), 415, 'UNSUPPORTED_MEDIA_TYPE'],
      [post('/dossiers').send({ title: 'x'.repeat(70_000) }), 413, 'PAYLOAD_TOO_LARGE'],
      [post('/dossiers').send([1, 2]), 400, 'INVALID_BODY'],
      [
        post('/dossiers').set('Content-Type', 'application/json').send('{"__proto__":{"x":1},"title":"abc"}'),
        400,
        'INVALID_BODY',
      ],
      [post(`/dossiers/${dossierId}/close`).send({ outcome: { $gt: '' } }), 400, 'VALIDATION_FAILED'],
      [post('/dossiers/..%2F/close').send({ outcome: 'x' }), 400, 'INVALID_ID'],
      [
        post(`/dossiers/${dossierId}/close`).set('If-Match', 'abc').send({ outcome: 'x' }),
        400,
        'INVALID_IF_MATCH',
      ],
      [post(`/dossiers/${dossierId}/add-signal`).send({ signalId: '$all' }), 400, 'VALIDATION_FAILED'],
    ];
    for (const [request, status, code] of cases) {
      const response = await request;
      expect([response.status, response.body.code]).toEqual([status, code]);
    }
    expect(({} as Record<string, unknown>)['x']).toBeUndefined();
    const proto = await post('/dossiers')
      .set('Content-Type', 'application/json')
      .send('{"title":"abc","themes":[{"__proto__":{"x":1}}]}');
    expect(proto.body).toEqual({
      statusCode: 400,
      code: 'INVALID_BODY',
      message: "De inhoud van het verzoek bevat de sleutel '__proto__', die niet toegelaten is.",
      details: { fault: 'forbidden-key', key: '__proto__', path: 'body.themes[0]' },
    });
    const list = await t.http.get('/dossiers?theme[$ne]=wonen').set('Authorization', `Bearer ${lead}`);
    expect([list.status, list.body.code]).toEqual([400, 'INVALID_QUERY']);
    // A misspelt minPosition must not read the dossier without waiting (nor without the stale header).
    for (const query of ['minPositon=1', 'state[$ne]=closed']) {
      const detail = await t.http
        .get(`/dossiers/${dossierId}?${query}`)
        .set('Authorization', `Bearer ${lead}`);
      expect([query, detail.status, detail.body.code]).toEqual([query, 400, 'INVALID_QUERY']);
      expect(detail.body.message).toMatch(/minPosition/);
    }
  });

  it(`survives ${RUNS} generated requests: 0 × 5xx, events only for accepted commands`, async () => {
    const random = new Random(SEED);
    const value = (depth = 0): unknown => {
      switch (random.int(0, depth > 1 ? 5 : 8)) {
        case 0:
          return random.pick([
            '',
            'x',
            'Een tekst',
            'local',
            'supralocal',
            'wonen',
            signalId,
            '<script>alert(1)</script>',
            'bel 0470 12 34 56',
          ]);
        case 1:
          return 'é'.repeat(random.int(0, 5000));
        case 2:
          return random.pick([0, -1, 1.5, 1e21, Number.MAX_SAFE_INTEGER]);
        case 3:
          return random.float() < 0.5;
        case 4:
          return null;
        case 5:
          return random.pick([signalId, dossierId, '00000000-0000-7000-8000-000000000000']);
        case 6:
          return Array.from({ length: random.int(0, 4) }, () => value(depth + 1));
        case 7:
          return { $gt: '' };
        default:
          return Object.fromEntries(
            Array.from({ length: random.int(0, 3) }, () => [
              random.pick([...FIELDS, ...JUNK]),
              value(depth + 1),
            ]),
          );
      }
    };
    const body = () =>
      Object.fromEntries(
        Array.from({ length: random.int(0, 6) }, () => [
          random.pick(random.float() < 0.85 ? FIELDS : JUNK),
          value(),
        ]),
      );
    const valid: Record<string, () => Record<string, unknown>> = {
      create: () => ({
        title: 'Wonen bis',
        summary: 'Samenvatting.',
        themes: ['wonen'],
        signalIds: [signalId],
      }),
      'add-signal': () => ({ signalId }),
      'remove-signal': () => ({ signalId, reason: 'Ander probleem.' }),
      'record-analysis': () => ({ conclusion: 'Structureel.', structural: true, themes: ['wonen'] }),
      escalate: () => ({ level: 'local', body: 'college', motivation: 'Beleid nodig.' }),
      'record-policy-decision': () => ({ decision: 'Besluit.', actions: [], feedback: 'Dank u.' }),
      close: () => ({ outcome: 'Klaar.' }),
    };
    // Most bodies start valid and get one field changed, so that requests reach the decider too.
    const bodyFor = (command: string) => {
      if (random.float() < 0.3) return body();
      const start = valid[command]!();
      if (random.float() < 0.8) start[random.pick([...Object.keys(start), ...JUNK])] = value();
      return start;
    };
    const before = await countEvents(t.store);
    const statuses: Record<number, number> = {};
    let accepted = 0;
    for (let i = 0; i < RUNS; i++) {
      const command = random.float() < 0.2 ? 'create' : random.pick(COMMANDS);
      const path = command === 'create' ? '/dossiers' : `/dossiers/${dossierId}/${command}`;
      const response = await t.http.post(path).set('Authorization', `Bearer ${lead}`).send(bodyFor(command));
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      expect(response.status).toBeLessThan(500);
      if (response.status < 300) accepted += (response.body.events as unknown[]).length;
      else expect(response.body.code).toMatch(/^[A-Z_]+$/);
    }
    expect(await countEvents(t.store)).toBe(before + accepted);
    console.info(
      `dossier fuzz: ${RUNS} requests, 0 5xx, statuses ${JSON.stringify(statuses)}, ${accepted} events for accepted ones; seed ${SEED}`,
    );
  }, 120_000);
});
