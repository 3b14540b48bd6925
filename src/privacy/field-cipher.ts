import { createCipheriv, createDecipheriv, randomFillSync } from 'node:crypto';

/**
 * The stored form of an encrypted free-text field: one string, so that every reader that checks
 * "this field is text" (projections, the audit verifier's rules) still finds text:
 *
 *   $enc:v1:<keyId>:<iv>:<tag>:<ciphertext>      (iv, tag, ciphertext in base64url)
 *
 * AES-256-GCM with a random 96-bit IV and a 128-bit tag. The additional authenticated data binds
 * the ciphertext to its key, its stream and its field (`v1|<keyId>|<stream>|<field>`), so it
 * cannot be moved to another signal or field and still decrypt. The event's hash covers this
 * string, not the plaintext: destroying the key leaves the chain intact.
 */
export const ENCRYPTED_PREFIX = '$enc:v1:';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = /^[0-9A-Za-z-]{1,64}$/;

export interface EncryptedField {
  keyId: string;
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
}

export class FieldCipherError extends Error {
  readonly code = 'ENCRYPTED_FIELD_INVALID';
}

export function isEncrypted(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(ENCRYPTED_PREFIX);
}

function aad(keyId: string, stream: string, field: string): Buffer {
  return Buffer.from(`v1|${keyId}|${stream}|${field}`, 'utf8');
}

// One call to the CSPRNG fills the IVs of many fields (as node:crypto's randomUUID does for its
// ids): a call per field cost more than the encryption of a short text. Each IV is copied out and
// its bytes are never handed out again.
const ivPool = Buffer.alloc(IV_BYTES * 256);
let ivOffset = ivPool.length;

function freshIv(): Buffer {
  if (ivOffset === ivPool.length) {
    randomFillSync(ivPool);
    ivOffset = 0;
  }
  const iv = Buffer.from(ivPool.subarray(ivOffset, ivOffset + IV_BYTES));
  ivOffset += IV_BYTES;
  return iv;
}

export function encryptField(
  plaintext: string,
  key: { keyId: string; key: Buffer },
  stream: string,
  field: string,
): string {
  const iv = freshIv();
  const cipher = createCipheriv('aes-256-gcm', key.key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad(key.keyId, stream, field));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return `${ENCRYPTED_PREFIX}${key.keyId}:${iv.toString('base64url')}:${tag.toString('base64url')}:${ciphertext.toString('base64url')}`;
}

/** The parts of a stored value; throws FieldCipherError when it is not one this version wrote. */
export function parseEncrypted(value: string): EncryptedField {
  const parts = value.slice(ENCRYPTED_PREFIX.length).split(':');
  const [keyId, iv, tag, ciphertext] = parts;
  if (parts.length !== 4 || !keyId || !KEY_ID.test(keyId) || iv === undefined || tag === undefined) {
    throw new FieldCipherError('not an encrypted field of version 1');
  }
  const parsed = {
    keyId,
    iv: Buffer.from(iv, 'base64url'),
    tag: Buffer.from(tag, 'base64url'),
    ciphertext: Buffer.from(ciphertext ?? '', 'base64url'),
  };
  if (parsed.iv.length !== IV_BYTES || parsed.tag.length !== TAG_BYTES) {
    throw new FieldCipherError('the IV or tag of an encrypted field has the wrong length');
  }
  return parsed;
}

/** The plaintext; throws FieldCipherError when the key, stream or field do not match or the text was changed. */
export function decryptField(encrypted: EncryptedField, key: Buffer, stream: string, field: string): string {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, encrypted.iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad(encrypted.keyId, stream, field));
    decipher.setAuthTag(encrypted.tag);
    return Buffer.concat([decipher.update(encrypted.ciphertext), decipher.final()]).toString('utf8');
  } catch {
    throw new FieldCipherError(
      `field ${field} of ${stream} does not decrypt (changed, moved or another key)`,
    );
  }
}
