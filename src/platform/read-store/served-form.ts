import { ReadStoreQueryError } from './read-store.port.js';

/** A served form's integers as stores keep them: little-endian 32-bit words. */
export function servedBytes(ints: Int32Array): Buffer {
  if (!(ints instanceof Int32Array)) throw new ReadStoreQueryError('A served form needs an Int32Array');
  const bytes = Buffer.allocUnsafe(ints.length * 4);
  for (let i = 0; i < ints.length; i++) bytes.writeInt32LE(ints[i]!, i * 4);
  return bytes;
}

/** The integers of a stored served form: read in place where the machine and the alignment allow. */
export function servedInts(bytes: Uint8Array): Int32Array {
  if (bytes.byteLength % 4 !== 0)
    throw new ReadStoreQueryError('A stored served form is not whole 32-bit words');
  const count = bytes.byteLength / 4;
  if (LITTLE_ENDIAN && bytes.byteOffset % 4 === 0)
    return new Int32Array(bytes.buffer, bytes.byteOffset, count);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ints = new Int32Array(count);
  for (let i = 0; i < count; i++) ints[i] = view.getInt32(i * 4, true);
  return ints;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
