import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { servedBytes, servedInts, StoredWords } from '../../src/platform/read-store/served-form.js';
import { dayNumberOf } from '../shared/time.js';
import { aSignalHistory } from '../testing/builders.js';
import { documentOf, given } from '../testing/given.js';
import { historySteps, playSteps } from '../testing/random-history.js';
import {
  emptyDashboard,
  tenantDashboardProjection,
  type TenantDashboardDocument,
} from './tenant-dashboard.projection.js';
import {
  backlogOf,
  dashboardMoment,
  dashboardView,
  serveDashboard,
  servedDashboardMembers,
} from './tenant-dashboard.view.js';

const NOW = new Date('2026-06-01T09:00:00.000Z');

describe('dashboardView', () => {
  const history = aSignalHistory('gent', '2025-04-01T09:00:00.000Z')
    .submit('old', { at: '2025-04-01T09:00:00.000Z', fields: { themes: ['wonen'] } }) // 426 days
    .submit('done', { at: '2026-05-01T09:00:00.000Z', fields: { themes: ['energie'] } })
    .fire('done', 'triage', { at: '2026-05-01T11:00:00.000Z' })
    .fire('done', 'close', { at: '2026-05-02T11:00:00.000Z' })
    .submit('month', { at: '2026-05-24T09:00:00.000Z' }) // 8 days
    .submit('week', { at: '2026-05-25T08:00:00.000Z' }) // 7 days and an hour
    .submit('fresh', { at: '2026-05-30T09:00:00.000Z' }); // due exactly now
  const view = dashboardView(documentOf(given(tenantDashboardProjection, history.events), 'gent'), NOW);

  it('counts open signals by calendar days since the day of submission, at query time', () => {
    expect(view.aging).toEqual({ '0-7d': 2, '8-30d': 1, '31-90d': 0, '91-365d': 0, '>365d': 1 });
    expect(view.open).toBe(4);
    expect(view.total).toBe(5);
  });

  it('counts as overdue the open signals due on a day before today, not those due today (exact to the day)', () => {
    expect(view.overdue).toBe(3);
    const later = aSignalHistory('gent', '2026-06-01T10:00:00.000Z').submit('s1');
    const document = documentOf(given(tenantDashboardProjection, later.events), 'gent');
    // Due 2026-06-03T10:00: not overdue late on the 3rd, overdue from the 4th.
    expect(dashboardView(document, new Date('2026-06-03T23:59:59.999Z')).overdue).toBe(0);
    expect(dashboardView(document, new Date('2026-06-04T00:00:00.000Z')).overdue).toBe(1);
  });

  it('gives lead times in hours: median and p90 per stage and in total', () => {
    expect(view.leadTimeHours.total.count).toBe(1);
    expect(view.leadTimeHours.total.median).toBeGreaterThanOrEqual(26 * 0.95);
    expect(view.leadTimeHours.total.median).toBeLessThanOrEqual(26 * 1.05);
    expect(view.leadTimeHours.byStage['submitted']).toMatchObject({ count: 1 });
    expect(view.leadTimeHours.byStage['submitted']!.p90).toBeGreaterThanOrEqual(2 * 0.95);
    expect(view.leadTimeHours.byStage['submitted']!.p90).toBeLessThanOrEqual(2 * 1.05);
    expect(Object.keys(view.leadTimeHours.byStage)).toEqual(['submitted', 'triaged']);
  });

  it('serves the stored counts', () => {
    expect(view).toMatchObject({
      tenantId: 'gent',
      asOf: '2026-06-01T09:00:00.000Z',
      byState: { closed: 1, submitted: 4 },
      byTheme: { energie: 1, 'mentaal-welzijn': 3, wonen: 1 },
    });
  });

  it('serves the months as aligned columns from the first month with a figure, months between as zeros', () => {
    const { perMonth } = view;
    expect(perMonth.from).toBe('2025-04');
    // April 2025 to May 2026: 14 months.
    expect(perMonth.submitted).toEqual([1, ...new Array<number>(12).fill(0), 4]);
    expect(perMonth.closed).toEqual([...new Array<number>(13).fill(0), 1]);
    expect(perMonth.rejected).toEqual(new Array<number>(14).fill(0));
    expect(perMonth.merged).toEqual(new Array<number>(14).fill(0));
  });

  it('serves an empty tenant', () => {
    expect(dashboardView(emptyDashboard('eeklo'), NOW)).toMatchObject({
      total: 0,
      open: 0,
      overdue: 0,
      perMonth: { from: null, submitted: [], closed: [], rejected: [], merged: [] },
      leadTimeHours: { total: { count: 0, median: null, p90: null }, byStage: {} },
      aging: { '0-7d': 0, '8-30d': 0, '31-90d': 0, '91-365d': 0, '>365d': 0 },
    });
  });
});

/** Aging and overdue as a walk over every day of both series: the reference for the prefix sums. */
function walkedMoment(document: TenantDashboardDocument, now: Date) {
  const today = dayNumberOf(now.toISOString());
  const buckets: [number, number, number, number, number] = [0, 0, 0, 0, 0];
  const { from, counts } = document.openBySubmittedDay;
  counts.forEach((count, i) => {
    const age = today - (from + i);
    buckets[age <= 7 ? 0 : age <= 30 ? 1 : age <= 90 ? 2 : age <= 365 ? 3 : 4] += count;
  });
  buckets[4] += document.openFolded['submitted'] ?? 0;
  const due = document.openByDueDay;
  let overdue = document.openFolded['due'] ?? 0;
  due.counts.forEach((count, i) => {
    if (due.from + i < today) overdue += count;
  });
  const [a, b, c, d, e] = buckets;
  return { overdue, aging: { '0-7d': a, '8-30d': b, '31-90d': c, '91-365d': d, '>365d': e } };
}

describe('the served dashboard', () => {
  it('answers as the view does, at any moment, over random lives (folded years included)', () => {
    let folded = 0;
    fc.assert(
      fc.property(historySteps, fc.integer({ min: -40, max: 900 }), (steps, daysAfter) => {
        const history = playSteps(steps);
        const document = given(tenantDashboardProjection, history.events).get('gent');
        if (!document) return;
        if (Object.keys(document.openFolded).length > 0) folded += 1;
        const latest = Date.parse(document.updatedAt);
        const now = new Date(latest + daysAfter * 86_400_000 + (steps.length % 24) * 3_600_000);
        const view = dashboardView(document, now);
        expect({ overdue: view.overdue, aging: view.aging }).toEqual(walkedMoment(document, now));
        const { tenantId: _tenant, ...members } = view;
        expect(JSON.parse(`{${servedDashboardMembers(serveDashboard(document), now)}}`)).toEqual(members);
      }),
      { numRuns: 300 },
    );
    // The random lives reach the folds (a year of submissions, past deadlines) often enough to count.
    expect(folded).toBeGreaterThan(10);
  });

  it('reads its integers back from the bytes a store keeps', () => {
    const history = aSignalHistory('gent', '2026-05-01T09:00:00.000Z')
      .submit('a', { at: '2026-05-01T09:00:00.000Z' })
      .submit('b', { at: '2026-05-20T09:00:00.000Z' });
    const form = serveDashboard(documentOf(given(tenantDashboardProjection, history.events), 'gent'));
    const bytes = servedBytes(form.ints);
    // As a store hands them back: at an offset that is no multiple of four, too.
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    for (const stored of [bytes, shifted.subarray(1)]) {
      const read = { json: form.json, ints: servedInts(stored) };
      expect(servedDashboardMembers(read, NOW)).toBe(servedDashboardMembers(form, NOW));
    }
    // As the SQLite store reads them: the words as hexadecimal text.
    const words = { json: form.json, ints: new StoredWords(bytes.toString('hex').toUpperCase()) };
    expect(servedDashboardMembers(words, NOW)).toBe(servedDashboardMembers(form, NOW));
    expect(() => servedInts(bytes.subarray(1))).toThrow(/32-bit words/);
  });

  it('refuses integers that are not a backlog', () => {
    const backlog = backlogOf(emptyDashboard('eeklo'));
    expect(dashboardMoment(backlog, NOW).aging['0-7d']).toBe(0);
    expect(() => dashboardMoment(backlog.subarray(1), NOW)).toThrow(
      /not the integers of a dashboard backlog/,
    );
    expect(() => dashboardMoment(new Int32Array([0, 5, 0, 0, 0, 0, 0, 1]), NOW)).toThrow(/backlog/);
  });
});
