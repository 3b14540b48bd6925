import { ApiError } from './api-error.js';

/**
 * A route's query string (`@Query()`) as the parameters it takes, one string each at most. A
 * parameter it does not take, or one given twice (`?a=1&a=2` arrives as a list), is refused with
 * 400 INVALID_QUERY naming it: a typo (`?periode=`) never silently gives other figures. Nothing of
 * the request passes on but these strings.
 */
export function queryParams<Name extends string>(
  params: Record<string, unknown>,
  allowed: readonly Name[],
): Partial<Record<Name, string>> {
  const known: readonly string[] = allowed;
  for (const name of Object.keys(params)) {
    if (!known.includes(name)) {
      throw invalidQuery(
        `Onbekende parameter '${name.slice(0, 40)}'. Deze vraag kent enkel: ${allowed.join(', ')}.`,
      );
    }
  }
  const query: Partial<Record<Name, string>> = {};
  for (const name of allowed) {
    const value = params[name];
    if (value === undefined) continue;
    if (typeof value !== 'string') throw invalidQuery(`De parameter '${name}' mag maar één keer voorkomen.`);
    query[name] = value;
  }
  return query;
}

function invalidQuery(message: string): ApiError {
  return new ApiError(400, 'INVALID_QUERY', message);
}
