import type { OpenAPIObject } from '@nestjs/swagger';

/** The paths of an OpenAPI document, as the route descriptions (`*.openapi.ts`) add them. */
export type Paths = OpenAPIObject['paths'];
/** One operation of a path (a method's description). */
export type Operation = NonNullable<Paths[string]['get']>;
/** The document's component schemas. */
export type Schemas = NonNullable<NonNullable<OpenAPIObject['components']>['schemas']>;

/** A JSON body of the named component schema. */
export const jsonOf = (schema: string) => ({
  'application/json': { schema: { $ref: `#/components/schemas/${schema}` } },
});

/** An error answer: every error is `{ statusCode, code, message }` (ApiError). */
export const errorResponse = (description: string) => ({ description, content: jsonOf('ApiError') });
