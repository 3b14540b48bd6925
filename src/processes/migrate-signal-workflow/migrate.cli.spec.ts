import { describe, expect, it } from '@jest/globals';
import { parseMigrateArgs } from './migrate.cli.js';
import { MigrateUsageError } from './migrate-usage.js';

const SIGNAL = '01a23c7e-17e5-7000-8000-000000000001';
const args = (from: string, to: string, ...more: string[]) => [
  '--tenant',
  'gent',
  '--from',
  from,
  '--to',
  to,
  '--map',
  'analysed=in-consultation',
  '--signals',
  SIGNAL,
  ...more,
];

describe('signals migrate: its options', () => {
  it('reads versions written as plain digits', () => {
    expect(parseMigrateArgs(args('1', '2'))).toMatchObject({
      tenantId: 'gent',
      fromVersion: 1,
      toVersion: 2,
    });
  });

  it.each([['0x1'], ['1e0'], [''], [' 1'], ['1.0']])('refuses a version written as %j', (version) => {
    expect(() => parseMigrateArgs(args(version, '2'))).toThrow(MigrateUsageError);
    expect(() => parseMigrateArgs(args('1', version))).toThrow(MigrateUsageError);
  });

  it('refuses an option given twice rather than taking the last one', () => {
    expect(() => parseMigrateArgs(args('1', '2', '--to', '3'))).toThrow('--to is given twice');
  });
});
