export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

const MAX_DEPTH = 64;
/**
 * No surrogate code unit outside a pair: UTF-8 cannot hold one, so a store would replace it.
 * (String.prototype.isWellFormed, ES2024, in Node 20; a native scan, eight times a regex's speed.)
 */
function isWellFormed(text: string): boolean {
  return (text as unknown as { isWellFormed(): boolean }).isWellFormed();
}

/** What makes a value not plain JSON: a stable machine value (API details, tests). */
export type PlainJsonFaultKind =
  | 'too-deep'
  | 'lone-surrogate'
  | 'not-finite'
  | 'not-plain-object'
  | 'forbidden-key'
  | 'key-lone-surrogate'
  | 'symbol-key'
  | 'not-json-type';

/**
 * Where a value is not plain JSON (`$.a[0]`), what is wrong there, the key when a key is, and the
 * type (`typeof`) of a value JSON cannot hold.
 */
export interface PlainJsonFault {
  kind: PlainJsonFaultKind;
  path: string;
  key?: string;
  type?: string;
}

/**
 * Why a value is not plain JSON, or null when it is. Plain JSON means: objects whose prototype is
 * Object.prototype or null, arrays, strings, finite numbers, booleans and null; no `__proto__`
 * own keys, no cycles, no deeper nesting than 64 levels, no lone surrogates in strings or keys
 * (text that does not survive UTF-8 storage unchanged could never match its hash).
 */
export function plainJsonFault(value: unknown, path = '$', depth = 0): PlainJsonFault | null {
  if (depth > MAX_DEPTH) return { kind: 'too-deep', path };
  if (value === null) return null;
  switch (typeof value) {
    case 'string':
      return isWellFormed(value) ? null : { kind: 'lone-surrogate', path };
    case 'boolean':
      return null;
    case 'number':
      return Number.isFinite(value) ? null : { kind: 'not-finite', path };
    case 'object': {
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const fault = plainJsonFault(value[i], `${path}[${i}]`, depth + 1);
          if (fault) return fault;
        }
        return null;
      }
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return { kind: 'not-plain-object', path };
      for (const key of Object.keys(value)) {
        if (key === '__proto__') return { kind: 'forbidden-key', path, key };
        if (!isWellFormed(key)) return { kind: 'key-lone-surrogate', path };
        const fault = plainJsonFault((value as Record<string, unknown>)[key], `${path}.${key}`, depth + 1);
        if (fault) return fault;
      }
      if (Object.getOwnPropertySymbols(value).length > 0) return { kind: 'symbol-key', path };
      return null;
    }
    default:
      return { kind: 'not-json-type', path, type: typeof value };
  }
}

/** plainJsonFault in words, for logs and the event store's own errors (not for people). */
export function plainJsonViolation(value: unknown, path = '$'): string | null {
  const fault = plainJsonFault(value, path);
  if (fault === null) return null;
  const where = fault.path;
  switch (fault.kind) {
    case 'too-deep':
      return `${where} is nested deeper than ${MAX_DEPTH} levels`;
    case 'lone-surrogate':
      return `${where} holds a lone surrogate, which is no Unicode text`;
    case 'not-finite':
      return `${where} is not a finite number`;
    case 'not-plain-object':
      return `${where} is not a plain object`;
    case 'forbidden-key':
      return `${where} has a forbidden key "${fault.key}"`;
    case 'key-lone-surrogate':
      return `${where} has a key with a lone surrogate`;
    case 'symbol-key':
      return `${where} has symbol keys`;
    case 'not-json-type':
      return `${where} is of type ${fault.type}, which JSON cannot hold`;
  }
}

export function isPlainJsonObject(value: unknown): value is JsonObject {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && plainJsonViolation(value) === null
  );
}

/**
 * Canonical JSON (RFC 8785, JCS, for the values plain JSON can hold): object keys sorted by UTF-16
 * code units at every level, no whitespace, strings escaped as JSON.stringify does (only `"`, `\\`
 * and control characters; everything else stays as is, UTF-8 when hashed), numbers in
 * ECMAScript's shortest round-trip form (`1e21`, `1.5e-7`, `-0` as `0`). Equal values give equal
 * text, so the text can be hashed. Refuses what JSON cannot hold (NaN, undefined, …).
 */
export function canonicalJson(value: JsonValue): string {
  // Text stored in canonical order parses to objects in that order: then the native writer,
  // which orders members as Object.keys does and formats numbers and strings the same, is exact.
  return inCanonicalOrder(value) ? JSON.stringify(value) : canonical(value);
}

/** canonicalJson of an object without some of its top-level keys, without copying it. */
export function canonicalJsonWithout(value: JsonObject, omit: ReadonlySet<string>): string {
  const keys = Object.keys(value);
  // Fast path: the omitted keys trail (as the store appends them) and the rest is in order.
  let kept = keys.length;
  while (kept > 0 && omit.has(keys[kept - 1]!)) kept -= 1;
  let fast = kept > 0 && isPlainObject(value);
  for (let i = 0; fast && i < keys.length; i++) {
    const key = keys[i]!;
    if (i < kept && (omit.has(key) || (i > 0 && keys[i - 1]! >= key))) fast = false;
    else if (!inCanonicalOrder(value[key]!)) fast = false;
  }
  if (fast) {
    const text = JSON.stringify(value);
    if (kept === keys.length) return text;
    let tail = '';
    for (let i = kept; i < keys.length; i++)
      tail += `,${JSON.stringify(keys[i])}:${JSON.stringify(value[keys[i]!])}`;
    tail += '}';
    if (text.endsWith(tail)) return `${text.slice(0, -tail.length)}}`;
  }
  return canonicalObject(value, omit);
}

/** Whether JSON.stringify writes this value canonically: keys ordered at every level, JSON values only. */
function inCanonicalOrder(value: JsonValue): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object': {
      if (value === null) return true;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          if (!(i in value) || !inCanonicalOrder(value[i]!)) return false;
        }
        return true;
      }
      if (!isPlainObject(value)) return false;
      let previous: string | undefined;
      for (const key in value) {
        if (previous !== undefined && previous >= key) return false;
        if (!inCanonicalOrder(value[key]!)) return false;
        previous = key;
      }
      return true;
    }
    default:
      return false;
  }
}

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function canonical(value: JsonValue): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`${value} has no JSON form`);
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out += ',';
          out += canonical(value[i]!);
        }
        return `${out}]`;
      }
      return canonicalObject(value, undefined);
    }
    default:
      throw new TypeError(`a value of type ${typeof value} has no JSON form`);
  }
}

function canonicalObject(value: JsonObject, omit: ReadonlySet<string> | undefined): string {
  const keys = Object.keys(value);
  // The default sort compares strings by UTF-16 code units, which is what RFC 8785 asks.
  if (keys.length > 1) keys.sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    if (omit?.has(key)) continue;
    if (!first) out += ',';
    first = false;
    out += JSON.stringify(key);
    out += ':';
    out += canonical(value[key]!);
  }
  return `${out}}`;
}
