import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { canonicalJson, canonicalJsonWithout, type JsonObject, type JsonValue } from '../json.js';
import {
  canonicalParts,
  chainHash,
  chainInput,
  GENESIS_HASH,
  recomputeHash,
  recordedLink,
  sealedMetadataJson,
} from './hash-chain.js';

describe('canonical JSON (RFC 8785)', () => {
  it('sorts keys at every level by UTF-16 code units, not by code points', () => {
    // U+1F600 is D83D DE00 in UTF-16: it sorts before U+FF61, though its code point is larger.
    expect(canonicalJson({ '\uff61': 1, '😀': 2, b: { z: 1, a: [{ y: 1, x: 2 }] }, a: null })).toBe(
      '{"a":null,"b":{"a":[{"x":2,"y":1}],"z":1},"😀":2,"｡":1}',
    );
    expect(canonicalJson({ b: 1, B: 2, _: 3, 10: 4, 9: 5 })).toBe('{"10":4,"9":5,"B":2,"_":3,"b":1}');
  });

  it('writes numbers in the shortest round-trip form', () => {
    // 333333333.33333329 as written in RFC 8785; the literal rounds to the double the RFC means.
    expect(
      canonicalJson([Number('333333333.33333329'), 1e30, 4.5, 2e-3, 1e-27, 1e21, 1e-7, 0.000001, -0, 100]),
    ).toBe('[333333333.3333333,1e+30,4.5,0.002,1e-27,1e+21,1e-7,0.000001,0,100]');
    expect(canonicalJson(Number.MAX_SAFE_INTEGER)).toBe('9007199254740991');
    expect(canonicalJson(-1.5e-300)).toBe('-1.5e-300');
  });

  it('escapes only quote, backslash and control characters; all other text stays as it is', () => {
    expect(canonicalJson('€$\u000f\nA\'B"\\\\"/')).toBe('"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"');
    expect(canonicalJson('\u0000\u0008\u0009\u000a\u000c\u000d\u001f\u007f')).toBe(
      '"\\u0000\\b\\t\\n\\f\\r\\u001f\u007f"',
    );
    expect(canonicalJson('é 𝔘 \u2028 <script>')).toBe('"é 𝔘 \u2028 <script>"');
  });

  it('matches the example of RFC 8785 section 3.2.2', () => {
    const input = JSON.parse(
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],' +
        '"string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",' +
        '"literals": [null, true, false]}',
    ) as JsonValue;
    expect(canonicalJson(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('keeps nested arrays in order, empty containers as they are', () => {
    expect(canonicalJson([[1, [2, { b: 1, a: [] }]], [], {}, [[[]]]])).toBe(
      '[[1,[2,{"a":[],"b":1}]],[],{},[[[]]]]',
    );
  });

  it('gives equal text for equal values whatever the key order, and parses back to the value', () => {
    const json = fc.jsonValue() as fc.Arbitrary<JsonValue>;
    fc.assert(
      fc.property(json, (value) => {
        const text = canonicalJson(value);
        const reparsed = JSON.parse(text) as JsonValue;
        return canonicalJson(reparsed) === text && canonicalJson(shuffleKeys(reparsed)) === text;
      }),
    );
  });

  it('refuses what JSON cannot hold', () => {
    expect(() => canonicalJson(Number.NaN)).toThrow(TypeError);
    expect(() => canonicalJson({ a: Infinity })).toThrow(TypeError);
    expect(() => canonicalJson({ a: undefined } as unknown as JsonValue)).toThrow(TypeError);
  });

  it('writes text already in canonical order at native speed with the same result, integer-like keys included', () => {
    const parsed = JSON.parse('{"10":1,"9":{"b":[1,{"d":2,"c":3}],"a":"x"},"a":-0.0}') as JsonValue;
    expect(canonicalJson(parsed)).toBe('{"10":1,"9":{"a":"x","b":[1,{"c":3,"d":2}]},"a":0}');
    const ordered = JSON.parse('{"a":[{"x":1,"y":[]}],"b":"é","c":null}') as JsonValue;
    expect(canonicalJson(ordered)).toBe(JSON.stringify(ordered));
    // A hole is no JSON value: JSON.stringify would write null, the canonical writer refuses.
    expect(() => canonicalJson(new Array(2) as JsonValue)).toThrow(TypeError);
  });

  it('leaves out trailing or interleaved omitted keys alike', () => {
    const omit = new Set(['hash', 'previousHash']);
    const trailing = { a: 1, z: { hash: 'kept' }, previousHash: 'p', hash: 'h' };
    const interleaved = { hash: 'h', a: 1, previousHash: 'p', z: { hash: 'kept' } };
    expect(canonicalJsonWithout(trailing, omit)).toBe('{"a":1,"z":{"hash":"kept"}}');
    expect(canonicalJsonWithout(interleaved, omit)).toBe('{"a":1,"z":{"hash":"kept"}}');
    expect(canonicalJsonWithout({ hash: 'h', previousHash: 'p' }, omit)).toBe('{}');
    expect(canonicalJsonWithout({ b: 1, a: 2, hash: 'h' }, omit)).toBe('{"a":2,"b":1}');
  });

  it('leaves out top-level keys only', () => {
    expect(canonicalJsonWithout({ hash: 'x', b: { hash: 'kept' }, a: 1 }, new Set(['hash']))).toBe(
      '{"a":1,"b":{"hash":"kept"}}',
    );
  });
});

describe('the hash chain', () => {
  const event = {
    stream: 'signal-gent-1',
    revision: 0n,
    type: 'SignalSubmitted',
    data: { title: 'Één €', signalId: 's-1' },
    metadata: { tenantId: 'gent', actor: { role: 'lead-processor', id: 'u1' } } as JsonObject,
  };

  it('hashes a fixed event to a fixed value (computed outside this code with sha256sum)', () => {
    const parts = canonicalParts(event.data, event.metadata);
    expect(chainInput(event.stream, event.revision, event.type, parts, GENESIS_HASH)).toBe(
      '{"data":{"signalId":"s-1","title":"Één €"},"metadata":{"actor":{"id":"u1","role":"lead-processor"},' +
        '"tenantId":"gent"},"previousHash":"0000000000000000000000000000000000000000000000000000000000000000",' +
        '"revision":0,"stream":"signal-gent-1","type":"SignalSubmitted"}',
    );
    expect(chainHash(event.stream, event.revision, event.type, parts, GENESIS_HASH)).toBe(
      '532774663f3bf1925ed7c72fe4261754e100c7c73a07a43552d90cd30fcda650',
    );
  });

  it('hashes the canonical JSON of {stream, revision, type, data, metadata without the link, previousHash}', () => {
    const arbitraryEvent = fc.record({
      stream: fc.string({ minLength: 1 }),
      revision: fc.bigInt({ min: 0n, max: BigInt(Number.MAX_SAFE_INTEGER) }),
      type: fc.string({ minLength: 1 }),
      data: fc.dictionary(fc.string(), fc.jsonValue() as fc.Arbitrary<JsonValue>),
      metadata: fc.dictionary(fc.string(), fc.jsonValue() as fc.Arbitrary<JsonValue>),
      previousHash: fc.stringMatching(/^[0-9a-f]{64}$/),
    });
    fc.assert(
      fc.property(arbitraryEvent, (e) => {
        const { hash: _hash, previousHash: _previous, ...metadataWithoutLink } = e.metadata;
        const expected = canonicalJson({
          stream: e.stream,
          revision: Number(e.revision),
          type: e.type,
          data: e.data,
          metadata: metadataWithoutLink,
          previousHash: e.previousHash,
        });
        return (
          chainInput(e.stream, e.revision, e.type, canonicalParts(e.data, e.metadata), e.previousHash) ===
          expected
        );
      }),
    );
  });

  it('recomputes the same hash from a stored event, whatever its key order and recorded link', () => {
    const parts = canonicalParts(event.data, event.metadata);
    const hash = chainHash(event.stream, event.revision, event.type, parts, GENESIS_HASH);
    const stored = JSON.parse(
      sealedMetadataJson(JSON.stringify(event.metadata), { hash, previousHash: GENESIS_HASH }),
    ) as JsonObject;
    expect(recordedLink(stored)).toEqual({ hash, previousHash: GENESIS_HASH });
    const reordered = { ...event, data: { signalId: 's-1', title: 'Één €' }, metadata: stored };
    expect(recomputeHash(reordered, GENESIS_HASH)).toBe(hash);
  });

  it('changes with anything the event says, and with its place in the chain', () => {
    const base = recomputeHash(event, GENESIS_HASH);
    const variants = [
      recomputeHash({ ...event, stream: 'signal-gent-2' }, GENESIS_HASH),
      recomputeHash({ ...event, revision: 1n }, GENESIS_HASH),
      recomputeHash({ ...event, type: 'SignalTriaged' }, GENESIS_HASH),
      recomputeHash({ ...event, data: { ...event.data, title: 'Één  €' } }, GENESIS_HASH),
      recomputeHash(
        { ...event, metadata: { ...event.metadata, actor: { id: 'u2', role: 'lead-processor' } } },
        GENESIS_HASH,
      ),
      recomputeHash(event, 'f'.repeat(64)),
    ];
    expect(new Set([base, ...variants]).size).toBe(variants.length + 1);
  });

  it('reads a link only when both hashes are 64 lowercase hex digits', () => {
    expect(recordedLink({})).toBeNull();
    expect(recordedLink({ hash: 'a'.repeat(64) })).toBeNull();
    expect(recordedLink({ hash: 'A'.repeat(64), previousHash: GENESIS_HASH })).toBeNull();
    expect(recordedLink({ hash: 'a'.repeat(63), previousHash: GENESIS_HASH })).toBeNull();
    expect(recordedLink({ hash: 'a'.repeat(64), previousHash: GENESIS_HASH })).toEqual({
      hash: 'a'.repeat(64),
      previousHash: GENESIS_HASH,
    });
  });
});

function shuffleKeys(value: JsonValue): JsonValue {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(shuffleKeys);
  const entries = Object.entries(value).reverse();
  return Object.fromEntries(entries.map(([key, v]) => [key, shuffleKeys(v)]));
}
