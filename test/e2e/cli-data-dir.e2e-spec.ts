import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from '@jest/globals';

const root = fileURLToPath(new URL('../..', import.meta.url));
const parent = mkdtempSync(join(tmpdir(), 'ls-cli-data-dir-'));
afterAll(() => rmSync(parent, { recursive: true, force: true }));

/** The operators' CLI from source on `dataDir`, without JWT_SECRET (the development secret would be made there). */
function cli(dataDir: string, args: readonly string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir };
  delete env['JWT_SECRET'];
  delete env['JWKS_URL'];
  delete env['EVENTSTORE_CONNECTION_STRING'];
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/cli.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
    env,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the operators’ CLI on a DATA_DIR without an event store (a typo)', () => {
  it.each([
    [['audit', 'verify']],
    [['projections', 'status']],
    [['projections', 'rebuild', 'all']],
    [['privacy', 'sweep']],
    [['people', 'invite', '--tenant', 'gent', '--email', 'a@gent.demo', '--role', 'processor']],
  ])(
    '%j refuses, naming DATA_DIR, and creates nothing',
    (args) => {
      const missing = join(parent, 'no-such-folder');
      const result = cli(missing, args);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`DATA_DIR ${missing} holds no event store`);
      expect(result.stdout).not.toContain('no violations');
      expect(existsSync(missing)).toBe(false);

      // An existing folder without the store (DATA_DIR one level off): left as it was.
      const empty = mkdtempSync(join(parent, 'empty-'));
      const again = cli(empty, args);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain(`DATA_DIR ${empty} holds no event store`);
      expect(readdirSync(empty)).toEqual([]);
    },
    60_000,
  );

  it('lets tenant create start a store in a fresh folder, after which the reads work', () => {
    const fresh = join(parent, 'fresh');
    const created = cli(fresh, [
      'tenant',
      'create',
      '--slug',
      'mortsel',
      '--name',
      'Mortsel',
      '--nis',
      '11029',
      '--population',
      '25000-50000',
    ]);
    expect(created.code).toBe(0);
    expect(existsSync(join(fresh, 'events.sqlite'))).toBe(true);
    const verify = cli(fresh, ['audit', 'verify']);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toContain('verified 1 events in 1 streams');
  }, 60_000);
});
