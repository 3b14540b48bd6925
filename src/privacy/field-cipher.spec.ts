import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { decryptField, encryptField, isEncrypted, parseEncrypted } from './field-cipher.js';

const key = { keyId: '0190b6a4-0000-7000-8000-000000000001', key: randomBytes(32) };
const stream = 'signal-gent-0190b6a4-0000-7000-8000-00000000000a';

describe('field cipher (AES-256-GCM, $enc:v1)', () => {
  it('round-trips text, including emoji and an empty string, with a fresh IV each time', () => {
    for (const text of ['Gezinnen vinden geen huurwoning 🏠', '', 'x'.repeat(8000)]) {
      const stored = encryptField(text, key, stream, 'description');
      expect(isEncrypted(stored)).toBe(true);
      expect(stored).not.toContain(text || '\u0000');
      expect(decryptField(parseEncrypted(stored), key.key, stream, 'description')).toBe(text);
    }
    expect(encryptField('zelfde', key, stream, 'title')).not.toBe(
      encryptField('zelfde', key, stream, 'title'),
    );
  });

  it('never repeats an IV, also across refills of the pool it takes them from', () => {
    const ivs = new Set<string>();
    for (let i = 0; i < 2000; i++)
      ivs.add(parseEncrypted(encryptField('zelfde', key, stream, 'title')).iv.toString('hex'));
    expect(ivs.size).toBe(2000);
  });

  it('names its key and is bound to its stream and field: moved elsewhere it does not decrypt', () => {
    const stored = encryptField('Tekst van dit signaal.', key, stream, 'title');
    expect(parseEncrypted(stored).keyId).toBe(key.keyId);
    const parts = parseEncrypted(stored);
    expect(() => decryptField(parts, key.key, 'signal-gent-other', 'title')).toThrow(/does not decrypt/);
    expect(() => decryptField(parts, key.key, stream, 'description')).toThrow(/does not decrypt/);
    expect(() => decryptField(parts, randomBytes(32), stream, 'title')).toThrow(/does not decrypt/);
  });

  it('refuses a changed ciphertext or a malformed value', () => {
    const stored = encryptField('Tekst van dit signaal.', key, stream, 'title');
    const parts = parseEncrypted(stored);
    parts.ciphertext[0] = parts.ciphertext[0]! ^ 1;
    expect(() => decryptField(parts, key.key, stream, 'title')).toThrow(/does not decrypt/);
    for (const bad of [
      '$enc:v1:',
      '$enc:v1:id:AA:BB',
      '$enc:v1:../x:AAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAA:AA',
    ]) {
      expect(() => parseEncrypted(bad)).toThrow(/encrypted field/);
    }
    expect(isEncrypted('gewone tekst')).toBe(false);
    expect(isEncrypted(42)).toBe(false);
  });
});
