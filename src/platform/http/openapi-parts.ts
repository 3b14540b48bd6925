import type { OpenAPIObject } from '@nestjs/swagger';

/** The paths of an OpenAPI document, as the route descriptions (`*.openapi.ts`) add them. */
export type Paths = OpenAPIObject['paths'];
/** One operation of a path (a method's description). */
export type Operation = NonNullable<Paths[string]['get']>;
/** The document's component schemas. */
export type Schemas = NonNullable<NonNullable<OpenAPIObject['components']>['schemas']>;

/** A text field that may be null (OpenAPI 3.0). */
export const nullableString = { type: 'string', nullable: true };

/** The read-your-writes position as a header, beside the `minPosition` parameter of a read. */
export const MIN_POSITION_HEADER = {
  name: 'X-Min-Position',
  in: 'header',
  required: false,
  schema: { type: 'string', pattern: '^\\d{1,45}$' },
  description: 'Als de parameter minPosition: de positie uit een antwoord op een opdracht',
};

/** The answer header of a read that did not reach the asked position within 2 s. */
export const STALE_HEADER = {
  'X-Read-Model-Stale': {
    description: 'true: de leesmodellen haalden minPosition niet binnen 2 s; het antwoord kan achterlopen',
    schema: { type: 'string', enum: ['true'] },
  },
};

/** A JSON body of the named component schema. */
export const jsonOf = (schema: string) => ({
  'application/json': { schema: { $ref: `#/components/schemas/${schema}` } },
});

/** An error answer: every error is `{ statusCode, code, message }` (ApiError). */
export const errorResponse = (description: string) => ({ description, content: jsonOf('ApiError') });

const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace']);

/**
 * Route descriptions laid over what Nest derived from the controllers: a path keeps the methods
 * it does not describe, and a described method keeps what Nest found (its operationId, the
 * guard's `x-public` / `x-roles`) beneath what the description says.
 */
export function described(existing: Paths, routes: Record<string, Record<string, unknown>>): Paths {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [path, item] of Object.entries(routes)) {
    const before = (existing[path] ?? {}) as Record<string, unknown>;
    const merged: Record<string, unknown> = { ...before };
    for (const [key, value] of Object.entries(item))
      merged[key] = METHODS.has(key)
        ? { ...(before[key] as object | undefined), ...(value as object) }
        : value;
    paths[path] = merged;
  }
  return paths as Paths;
}
