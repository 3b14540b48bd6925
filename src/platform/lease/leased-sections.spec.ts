import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { LeasedSections } from './leased-sections.js';
import { SqliteLeaseStore } from './sqlite-lease-store.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 2));

describe('LeasedSections', () => {
  let dir = '';
  let file = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ls-sections-'));
    file = join(dir, 'leases.sqlite');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the tasks of one name one at a time across two instances on one lease file', async () => {
    const instances = [
      new LeasedSections({ kind: 'sqlite', file }),
      new LeasedSections({ kind: 'sqlite', file }),
    ];
    let running = 0;
    let maxRunning = 0;
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        instances[i % 2]!.run(
          'people:gent',
          async () => {
            running += 1;
            maxRunning = Math.max(maxRunning, running);
            await tick();
            running -= 1;
          },
          () => new Error('busy'),
        ),
      ),
    );
    expect(maxRunning).toBe(1);
    await Promise.all(instances.map((instance) => instance.close()));
  });

  it("gives up with the caller's error while another holder keeps the lease, and releases it after a failing task", async () => {
    const other = new SqliteLeaseStore({ file });
    expect(await other.acquire('signal-merge:gent', 'someone-else', 60_000)).toBe(true);
    const sections = new LeasedSections({ kind: 'sqlite', file });
    const started = Date.now();
    await expect(
      sections.run(
        'signal-merge:gent',
        async () => 'ran',
        () => new Error('busy'),
      ),
    ).rejects.toThrow('busy');
    expect(Date.now() - started).toBeGreaterThanOrEqual(7_000);
    await other.release('signal-merge:gent', 'someone-else');
    await expect(
      sections.run(
        'signal-merge:gent',
        async () => Promise.reject(new Error('task failed')),
        () => new Error('busy'),
      ),
    ).rejects.toThrow('task failed');
    expect(await other.holder('signal-merge:gent')).toBeNull();
    await sections.close();
    await other.close();
  }, 15_000);
});
