export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

const MAX_DEPTH = 64;

/**
 * Why a value is not plain JSON, or null when it is. Plain JSON means: objects whose prototype is
 * Object.prototype or null, arrays, strings, finite numbers, booleans and null; no `__proto__`
 * own keys, no cycles, no deeper nesting than 64 levels.
 */
export function plainJsonViolation(value: unknown, path = '$', depth = 0): string | null {
  if (depth > MAX_DEPTH) return `${path} is nested deeper than ${MAX_DEPTH} levels`;
  if (value === null) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return null;
    case 'number':
      return Number.isFinite(value) ? null : `${path} is not a finite number`;
    case 'object': {
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const fault = plainJsonViolation(value[i], `${path}[${i}]`, depth + 1);
          if (fault) return fault;
        }
        return null;
      }
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return `${path} is not a plain object`;
      for (const key of Object.keys(value)) {
        if (key === '__proto__') return `${path} has a forbidden key "__proto__"`;
        const fault = plainJsonViolation(
          (value as Record<string, unknown>)[key],
          `${path}.${key}`,
          depth + 1,
        );
        if (fault) return fault;
      }
      if (Object.getOwnPropertySymbols(value).length > 0) return `${path} has symbol keys`;
      return null;
    }
    default:
      return `${path} is of type ${typeof value}, which JSON cannot hold`;
  }
}

export function isPlainJsonObject(value: unknown): value is JsonObject {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && plainJsonViolation(value) === null
  );
}

/**
 * JSON with object keys sorted by UTF-16 code units at every level, no whitespace; numbers and
 * strings as JSON.stringify writes them. Equal values give equal text, so the text can be hashed.
 */
export function canonicalJson(value: JsonValue): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key]!)}`).join(',')}}`;
}
