import { InvalidPositionError } from './errors.js';

/**
 * Positions are stored as zero-padded decimal strings: BSON has no unsigned 128-bit integer,
 * Decimal128 keeps only 34 digits, and an ESDB position (commit << 64 | prepare) needs up to 39.
 * Fixed width makes the server's string order equal to numeric order, so `$lt` guards and sorts
 * work on the stored value.
 */
export const POSITION_DIGITS = 40;

const MAX_POSITION = 10n ** BigInt(POSITION_DIGITS) - 1n;
const ENCODED = new RegExp(`^[0-9]{${POSITION_DIGITS}}$`);

export function encodePosition(position: bigint): string {
  if (typeof position !== 'bigint') throw new InvalidPositionError('A position must be a bigint');
  if (position < 0n || position > MAX_POSITION) {
    throw new InvalidPositionError(`Position ${position} is outside 0..10^${POSITION_DIGITS}-1`);
  }
  return position.toString().padStart(POSITION_DIGITS, '0');
}

export function decodePosition(encoded: unknown): bigint {
  if (typeof encoded !== 'string' || !ENCODED.test(encoded)) {
    throw new InvalidPositionError('A stored position is not a zero-padded decimal string');
  }
  return BigInt(encoded);
}
