import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Deadlines as a processor meets them in the inbox: counted in working days of Brussels, so a
 * signal submitted just after midnight in Brussels (still the day before in UTC) is not due on a
 * public holiday.
 */
describe('deadlines on the calendar of Brussels', () => {
  let t: TestApp;
  let now = new Date('2026-12-22T23:30:00.000Z'); // 00:30 on Wednesday 23 December in Brussels
  let last = '0';
  let giver: string;
  let lead: string;

  beforeAll(async () => {
    t = await startTestApp({ clock: { now: () => now } });
    giver = await t.token({ sub: 'giver-1', tenant: 'gent', roles: ['signal-giver'] });
    lead = await t.token({ sub: 'lead-1', tenant: 'gent', roles: ['lead-processor'] });
  });
  afterAll(() => t.close());

  const read = async (path: string) =>
    (await t.http.get(path).set('Authorization', `Bearer ${lead}`).set('X-Min-Position', last).expect(200))
      .body as { dueAt: string; overdue: boolean; total: number };

  it('gives a signal submitted at 00:30 on 23 December two working days: due Monday 28 December, not on Christmas Day', async () => {
    const submitted = await t.http
      .post('/signals')
      .set('Authorization', `Bearer ${giver}`)
      .send({
        title: 'Wachtlijst voor budgetbegeleiding',
        description: 'Gezinnen wachten maanden op een eerste gesprek bij de budgetbegeleiding.',
        themes: ['armoede-en-inkomen'],
      })
      .expect(201);
    last = submitted.body.position as string;
    const signalId = submitted.body.signalId as string;
    // Monday 28 December, 00:30 in Brussels.
    expect((await read(`/signals/${signalId}`)).dueAt).toBe('2026-12-27T23:30:00.000Z');
    // Christmas Day, noon: not overdue.
    now = new Date('2026-12-25T12:00:00.000Z');
    expect((await read(`/signals/${signalId}`)).overdue).toBe(false);
    expect((await read('/signals?overdue=true&count=true')).total).toBe(0);
    // Monday 28 December, 09:00 in Brussels: overdue.
    now = new Date('2026-12-28T08:00:00.000Z');
    expect((await read(`/signals/${signalId}`)).overdue).toBe(true);
    expect((await read('/signals?overdue=true&count=true')).total).toBe(1);
  });
});
