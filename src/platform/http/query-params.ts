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
  refuseUnknownParams(params, allowed);
  const query: Partial<Record<Name, string>> = {};
  for (const name of allowed) {
    const value = params[name];
    if (value === undefined) continue;
    if (typeof value !== 'string') throw invalidQuery(`De parameter '${name}' mag maar één keer voorkomen.`);
    query[name] = value;
  }
  return query;
}

/**
 * Refuses a parameter the route does not take (400 INVALID_QUERY naming those it takes), for a
 * route that checks the values itself: a misspelt `minPosition` must not read without waiting.
 */
export function refuseUnknownParams(params: Record<string, unknown>, allowed: readonly string[]): void {
  for (const name of Object.keys(params)) {
    if (!allowed.includes(name)) {
      throw invalidQuery(
        `Onbekende parameter '${name.slice(0, 40)}'. Deze vraag kent enkel: ${allowed.join(', ')}.`,
      );
    }
  }
}

function invalidQuery(message: string): ApiError {
  return new ApiError(400, 'INVALID_QUERY', message);
}
