import { ReadStoreQueryError, type ServedInts } from './read-store.port.js';

/** A served form's integers as stores keep them: little-endian 32-bit words. */
export function servedBytes(ints: Int32Array): Buffer {
  if (!(ints instanceof Int32Array)) throw new ReadStoreQueryError('A served form needs an Int32Array');
  const bytes = Buffer.allocUnsafe(ints.length * 4);
  for (let i = 0; i < ints.length; i++) bytes.writeInt32LE(ints[i]!, i * 4);
  return bytes;
}

/** The integers of a stored served form: read in place where the machine and the alignment allow. */
export function servedInts(bytes: Uint8Array): Int32Array {
  if (bytes.byteLength % 4 !== 0) throw notWords();
  const count = bytes.byteLength / 4;
  if (LITTLE_ENDIAN && bytes.byteOffset % 4 === 0)
    return new Int32Array(bytes.buffer, bytes.byteOffset, count);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ints = new Int32Array(count);
  for (let i = 0; i < count; i++) ints[i] = view.getInt32(i * 4, true);
  return ints;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * A served form's integers read from their stored words in hexadecimal (SQL `hex(ints)`: two
 * digits per byte, each word little-endian), one at a time. A query reads a few of them; reading
 * the stored bytes instead gave every call a Buffer of its own outside the JS heap, and where the
 * allocator had no free chunk of that size the call touched fresh memory: GET /dashboard of a big
 * tenant took 26 instead of 14 µs in about half of the bench's processes (test/bench/PROJECTIONS.md,
 * twenty-fourth session). The text lives on the JS heap.
 */
export class StoredWords implements ServedInts {
  readonly length: number;

  constructor(private readonly hex: string) {
    // The digits are checked as they are read: a query reads a few words of many.
    if (hex.length % 8 !== 0) throw notWords();
    this.length = hex.length / 8;
  }

  /** As Int32Array's `at`: a negative index counts from the end; undefined outside the words. */
  at(index: number): number | undefined {
    const whole = Math.trunc(index) || 0;
    const word = whole < 0 ? whole + this.length : whole;
    if (word < 0 || word >= this.length) return undefined;
    const at = word * 8;
    return this.byte(at) | (this.byte(at + 2) << 8) | (this.byte(at + 4) << 16) | (this.byte(at + 6) << 24);
  }

  *[Symbol.iterator](): IterableIterator<number> {
    for (let i = 0; i < this.length; i++) yield this.at(i)!;
  }

  private byte(at: number): number {
    return (digit(this.hex.charCodeAt(at)) << 4) | digit(this.hex.charCodeAt(at + 1));
  }
}

/** Values of the hexadecimal digits by character code; -1 for any other character below 128. */
const DIGITS = Int8Array.from({ length: 128 }, (_, code) => {
  const char = String.fromCharCode(code);
  return /[0-9A-Fa-f]/.test(char) ? parseInt(char, 16) : -1;
});

/** The value of a hexadecimal digit's character code. */
function digit(code: number): number {
  const value = code < 128 ? DIGITS[code]! : -1;
  if (value < 0) throw notWords();
  return value;
}

const notWords = () => new ReadStoreQueryError('A stored served form is not whole 32-bit words');
