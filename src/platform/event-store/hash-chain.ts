import { hash as digest } from 'node:crypto';
import { canonicalJson, canonicalJsonWithout, type JsonObject } from '../json.js';

/**
 * The tamper-evident hash chain of a stream. Every stored event carries, in its metadata,
 * `previousHash` (the `hash` of the stream's previous event, or GENESIS_HASH for revision 0) and
 * `hash` = lowercase hex SHA-256 of the UTF-8 bytes of the canonical JSON (RFC 8785, see
 * canonicalJson) of
 *
 *   { stream, revision, type, data, metadata without hash and previousHash, previousHash }
 *
 * with `revision` as a JSON number. Editing, removing, inserting or reordering anything an event
 * says changes its hash, or breaks the link of the next event. Both store adapters seal events in
 * their append path with sealEvent; the verifier recomputes with recomputeHash.
 */

/** The `previousHash` of a stream's first event: 64 zeros (no event hashes to it). */
export const GENESIS_HASH = '0'.repeat(64);

export const HASH_KEY = 'hash';
export const PREVIOUS_HASH_KEY = 'previousHash';

/** Metadata keys the store sets; an event given to `append` may not carry them. */
export const CHAIN_KEYS: ReadonlySet<string> = new Set([HASH_KEY, PREVIOUS_HASH_KEY]);

const HEX_64 = /^[0-9a-f]{64}$/;

export interface ChainLink {
  hash: string;
  previousHash: string;
}

/** data and chain-less metadata of an event in canonical JSON: computed once, at append time. */
export interface CanonicalParts {
  data: string;
  metadata: string;
}

export function canonicalParts(data: JsonObject, metadata: JsonObject): CanonicalParts {
  return { data: canonicalJson(data), metadata: canonicalJsonWithout(metadata, CHAIN_KEYS) };
}

/**
 * The exact text that is hashed. The keys are written in canonical (sorted) order, so this equals
 * canonicalJson of the object it describes without building that object.
 */
export function chainInput(
  stream: string,
  revision: bigint | number,
  type: string,
  parts: CanonicalParts,
  previousHash: string,
): string {
  return (
    `{"data":${parts.data},"metadata":${parts.metadata},"previousHash":${JSON.stringify(previousHash)},` +
    `"revision":${String(revision)},"stream":${JSON.stringify(stream)},"type":${JSON.stringify(type)}}`
  );
}

export function chainHash(
  stream: string,
  revision: bigint | number,
  type: string,
  parts: CanonicalParts,
  previousHash: string,
): string {
  return digest('sha256', chainInput(stream, revision, type, parts, previousHash), 'hex');
}

/** The link an event's metadata records, or null when it has none (or a malformed one). */
export function recordedLink(metadata: JsonObject): ChainLink | null {
  const hash = metadata[HASH_KEY];
  const previousHash = metadata[PREVIOUS_HASH_KEY];
  if (typeof hash !== 'string' || typeof previousHash !== 'string') return null;
  if (!HEX_64.test(hash) || !HEX_64.test(previousHash)) return null;
  return { hash, previousHash };
}

/** What an event's hash must be, given the previous hash it records. */
export function recomputeHash(
  event: { stream: string; revision: bigint | number; type: string; data: JsonObject; metadata: JsonObject },
  previousHash: string,
): string {
  return chainHash(
    event.stream,
    event.revision,
    event.type,
    canonicalParts(event.data, event.metadata),
    previousHash,
  );
}

/**
 * The stored metadata JSON of a sealed event: the serialised metadata (a JSON object without the
 * link) with the link appended, so nothing is serialised twice.
 */
export function sealedMetadataJson(metadataJson: string, link: ChainLink): string {
  const separator = metadataJson === '{}' ? '' : ',';
  return `${metadataJson.slice(0, -1)}${separator}"${PREVIOUS_HASH_KEY}":"${link.previousHash}","${HASH_KEY}":"${link.hash}"}`;
}
