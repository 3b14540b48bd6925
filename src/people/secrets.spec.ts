import { describe, expect, it } from '@jest/globals';
import { hashPassword, hashSecret, newSecret, verifyPassword } from './secrets.js';

describe('secrets', () => {
  it('hashes a password with scrypt and a random salt; only the same password verifies', async () => {
    const a = await hashPassword('lang genoeg wachtwoord');
    const b = await hashPassword('lang genoeg wachtwoord');
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(a).not.toBe(b);
    await expect(verifyPassword('lang genoeg wachtwoord', a)).resolves.toBe(true);
    await expect(verifyPassword('lang genoeg wachtwoorD', a)).resolves.toBe(false);
    await expect(verifyPassword('lang genoeg wachtwoord', null)).resolves.toBe(false);
    await expect(verifyPassword('x', 'plain')).resolves.toBe(false);
  });

  it('stores bearer secrets as SHA-256 only', () => {
    const secret = newSecret();
    expect(secret).toMatch(/^[\w-]{43}$/);
    expect(hashSecret(secret)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashSecret(secret)).not.toContain(secret);
  });
});
