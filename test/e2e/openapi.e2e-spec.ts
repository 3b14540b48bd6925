import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { WORKFLOWS } from '../../workflows/registry.js';
import { buildOpenApiDocument } from '../../src/platform/http/openapi.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('the OpenAPI document', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it("describes every command's path and body schema, from the definitions", () => {
    const document = buildOpenApiDocument(t.app);
    for (const definition of WORKFLOWS) {
      for (const [name, command] of Object.entries(definition.commands)) {
        const path = command.from.length === 0 ? '/signals' : `/signals/{id}/${name}`;
        const operation = document.paths[path]?.post;
        expect(operation?.summary).toContain(name);
        const schema = (
          operation?.requestBody as {
            content: Record<string, { schema: { properties: object; required: string[] } }>;
          }
        ).content['application/json']!.schema;
        expect(Object.keys(schema.properties).sort()).toEqual(
          [...command.required, ...command.optional].sort(),
        );
        expect(schema.required).toEqual(command.required);
      }
    }
    expect(document.paths['/signals/{id}/{command}']).toBeUndefined();
  });
});
