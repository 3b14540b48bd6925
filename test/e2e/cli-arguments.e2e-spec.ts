import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SqliteEventStore } from '../../src/platform/event-store/sqlite/sqlite-event-store.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'ls-cli-args-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** The operators' CLI from source, as the onboarding test runs it; its exit code, stdout and stderr. */
function cli(args: readonly string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/cli.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, DATA_DIR: dataDir, JWT_SECRET: 'x'.repeat(32), ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The types of every event in the data folder's event store, in order. */
async function eventTypes(): Promise<string[]> {
  const store = new SqliteEventStore({ file: join(dataDir, 'events.sqlite') });
  try {
    const types: string[] = [];
    for await (const event of store.readAll()) types.push(event.type);
    return types;
  } finally {
    await store.close();
  }
}

const TENANT = ['--slug', 'lier', '--name', 'Lier', '--nis', '12021', '--population', '25000-50000'];

describe('the operators’ CLI refuses options a command does not take', () => {
  beforeAll(() => {
    expect(cli(['tenant', 'create', ...TENANT]).code).toBe(0);
    const organisation = ['--tenant', 'lier', '--id', 'clb-lier', '--name', 'CLB Lier', '--mode', '1'];
    expect(cli(['organisation', 'register', ...organisation]).code).toBe(0);
  }, 60_000);

  it('refuses a mistyped --domian or --organisation instead of issuing a broader invite, and records nothing', async () => {
    const before = await eventTypes();
    for (const [typo, extra] of [
      ['--domian', ['--domian', 'jeugd', '--org', 'clb-lier']],
      ['--organisation', ['--domain', 'jeugd', '--organisation', 'clb-lier']],
    ] as const) {
      const invite = cli([
        'people',
        'invite',
        '--tenant',
        'lier',
        '--email',
        'typo@lier.demo',
        '--role',
        'processor',
        ...extra,
      ]);
      expect(invite.code).toBe(2);
      expect(invite.stderr).toContain(`unknown option ${typo} for people invite`);
      expect(invite.stdout).not.toContain('token:');
    }
    expect(await eventTypes()).toEqual(before);
  }, 60_000);

  it('refuses an unknown option of tenant create and organisation register, and records nothing', async () => {
    const before = await eventTypes();
    const tenant = cli([
      'tenant',
      'create',
      ...TENANT.map((arg) => arg.replace('lier', 'duffel')),
      '--bogus',
      'x',
    ]);
    expect(tenant).toMatchObject({ code: 2, stdout: '' });
    expect(tenant.stderr).toContain('unknown option --bogus');
    const organisation = cli([
      'organisation',
      'register',
      '--tenant',
      'lier',
      '--id',
      'caw-lier',
      '--name',
      'CAW Lier',
      '--mode',
      '1',
      '--descripton',
      'tikfout',
    ]);
    expect(organisation.code).toBe(2);
    expect(organisation.stderr).toContain('unknown option --descripton');
    expect(await eventTypes()).toEqual(before);
  }, 60_000);

  it('refuses a number that is not plain decimal digits (--mode 0x1, --days 1e1)', async () => {
    const before = await eventTypes();
    const mode = cli([
      'organisation',
      'register',
      '--tenant',
      'lier',
      '--id',
      'caw-lier',
      '--name',
      'CAW Lier',
      '--mode',
      '0x1',
    ]);
    expect(mode.code).toBe(2);
    expect(mode.stderr).toContain('--mode must be a whole number, got "0x1"');
    const days = cli([
      'people',
      'invite',
      '--tenant',
      'lier',
      '--email',
      'a@lier.demo',
      '--role',
      'processor',
      '--days',
      '1e1',
    ]);
    expect(days.code).toBe(2);
    expect(days.stderr).toContain('--days must be a whole number, got "1e1"');
    expect(await eventTypes()).toEqual(before);
  }, 60_000);

  it.each([
    [['projections', 'status', '--bogus'], '--bogus'],
    [['projections', 'rebuild', 'all', '--force'], '--force'],
    [['privacy', 'sweep', '--dry-run'], '--dry-run'],
  ])(
    'refuses %j with exit code 2, naming the argument',
    (args, named) => {
      const result = cli(args);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`unknown argument "${named}"`);
    },
    60_000,
  );

  it('refuses PROJECTION_LANES that is not plain decimal digits (0x2, 1e0) before the rebuild touches anything', () => {
    for (const lanes of ['0x2', '1e0']) {
      const result = cli(['projections', 'rebuild', 'all'], { PROJECTION_LANES: lanes });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('PROJECTION_LANES must be a whole number');
    }
  }, 60_000);
});
