import { describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { runInNewContext } from 'node:vm';
import { hasErrorCode } from './system-errors.js';

describe('hasErrorCode', () => {
  it("reads the code of a system error, of this realm's or another's", async () => {
    const missing = await readFile('/no/such/file/here').catch((error: unknown) => error);
    expect(hasErrorCode(missing, 'ENOENT')).toBe(true);
    expect(hasErrorCode(missing, 'EEXIST')).toBe(false);
    const foreign = runInNewContext("Object.assign(new Error('x'), { code: 'ENOENT' })") as unknown;
    expect(foreign instanceof Error).toBe(false);
    expect(hasErrorCode(foreign, 'ENOENT')).toBe(true);
  });

  it('says no for what carries no code', () => {
    for (const value of [null, undefined, 'ENOENT', 42, new Error('ENOENT'), { code: 1 }])
      expect(hasErrorCode(value, 'ENOENT')).toBe(false);
  });
});
