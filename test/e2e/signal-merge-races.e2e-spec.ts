import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ExecuteSignalCommandHandler } from '../../src/signals/execute-signal-command/execute-signal-command.handler.js';
import type { SignalRepository } from '../../src/signals/signal.repository.js';
import { registerGent, startTestApp, type TestApp } from '../support/test-app.js';

/**
 * A merge reads its target's stream and appends to its own: two signals merged into each other at
 * once each saw the other unmerged, and both ended up merged, each into the other.
 */
describe('merges sent at once', () => {
  let t: TestApp;
  let lead = '';

  const post = (path: string, body: object) =>
    t.http.post(path).set('Authorization', `Bearer ${lead}`).send(body);
  const submit = async (title: string) =>
    (
      await post('/signals', {
        title,
        description: 'Gezinnen vinden geen betaalbare huurwoning.',
        themes: ['wonen'],
      }).expect(201)
    ).body.signalId as string;

  beforeAll(async () => {
    t = await startTestApp();
    await registerGent(t);
    lead = await t.token({ sub: 'lead-1', tenant: 'gent', roles: ['lead-processor'] });
    // A slower read of a stream (a busy disk, a large stream) widens the moment between a merge's
    // reads and its append, so that two merges at once both read before either appends.
    const handler = t.app.get(ExecuteSignalCommandHandler) as unknown as { signals: SignalRepository };
    const load = handler.signals.load.bind(handler.signals);
    handler.signals.load = async (...args) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return load(...args);
    };
  });
  afterAll(() => t.close());

  it('two signals merged into each other at once, 10 times over: one merge goes through, the other is refused', async () => {
    for (let round = 0; round < 10; round++) {
      const a = await submit(`Geen betaalbare huurwoning ${round}`);
      const b = await submit(`Geen huurwoning te vinden ${round}`);
      const answers = await Promise.all([
        post(`/signals/${a}/merge-into`, { targetSignalId: b }),
        post(`/signals/${b}/merge-into`, { targetSignalId: a }),
      ]);
      expect(answers.map((answer) => answer.status).sort()).toEqual([200, 422]);
      expect(answers.find((answer) => answer.status === 422)!.body.code).toBe('MERGE_TARGET_INVALID');
      const states = await Promise.all(
        [a, b].map(
          async (id) =>
            (
              await t.http
                .get(`/signals/${id}`)
                .set('Authorization', `Bearer ${lead}`)
                .set('X-Min-Position', await t.head())
                .expect(200)
            ).body.state as string,
        ),
      );
      expect(states.sort()).toEqual(['merged', 'submitted']);
    }
  });
});
