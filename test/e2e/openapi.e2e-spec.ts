import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { WORKFLOWS } from '../../workflows/registry.js';
import { SYSTEM_ROLE } from '../../workflows/roles.js';
import { buildOpenApiDocument } from '../../src/platform/http/openapi.js';
import { INBOX_PARAMETERS } from '../../src/signals/list-signals/inbox-query.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('the OpenAPI document', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it("describes every command's path and body schema, from the definitions", () => {
    const document = buildOpenApiDocument(t.app);
    type Body = { properties: object; required: string[] };
    for (const definition of WORKFLOWS) {
      for (const [name, command] of Object.entries(definition.commands)) {
        const path = command.from.length === 0 ? '/signals' : `/signals/{id}/${name}`;
        const operation = document.paths[path]?.post;
        // Only the engine gives these: no token carries the system role.
        if (command.roles.every((role) => role === SYSTEM_ROLE)) {
          expect(operation).toBeUndefined();
          continue;
        }
        expect(operation?.summary).toContain(name);
        expect(operation?.description).toContain(`${definition.name} v${definition.version}: `);
        const schema = (
          operation?.requestBody as { content: Record<string, { schema: Body | { oneOf: Body[] } }> }
        ).content['application/json']!.schema;
        // One body for every version of the command, or one of them per version that differs.
        const bodies = 'oneOf' in schema ? schema.oneOf : [schema];
        expect(bodies).toContainEqual(
          expect.objectContaining({
            properties: expect.objectContaining(
              Object.fromEntries(
                [...command.required, ...command.optional].map((field) => [field, expect.anything()]),
              ),
            ),
            required: command.required,
          }),
        );
        expect(
          bodies.some(
            (body) =>
              Object.keys(body.properties).sort().join() ===
              [...command.required, ...command.optional].sort().join(),
          ),
        ).toBe(true);
      }
    }
    expect(document.paths['/signals/{id}/{command}']).toBeUndefined();
    // A command of one version only answers UNKNOWN_COMMAND on a signal of another.
    const notFound = (command: string) =>
      JSON.stringify(document.paths[`/signals/{id}/${command}`]?.post?.responses['404']);
    expect(notFound('start-consultation')).toContain('UNKNOWN_COMMAND');
    expect(notFound('triage')).not.toContain('UNKNOWN_COMMAND');
  });

  it('describes the inbox and the dashboard: every parameter GET /signals takes, the answers and the error codes', () => {
    const document = buildOpenApiDocument(t.app);
    type Parameter = {
      name: string;
      in: string;
      style?: string;
      explode?: boolean;
      schema: Record<string, unknown>;
    };
    // The correlation id's parameter is declared once, under components (a $ref in every operation).
    const resolved = (list: unknown[] | undefined) =>
      (list ?? []).map((p) =>
        typeof p === 'object' && p !== null && '$ref' in p
          ? document.components?.parameters?.[String(p.$ref).split('/').pop()!]
          : p,
      ) as Parameter[];
    const inbox = document.paths['/signals']?.get;
    const parameters = resolved(inbox?.parameters);
    // The list the server checks a query against, and nothing else.
    expect(parameters.filter((p) => p.in === 'query').map((p) => p.name)).toEqual(
      INBOX_PARAMETERS.map((p) => p.name),
    );
    expect(parameters.filter((p) => p.in === 'header').map((p) => p.name)).toEqual([
      'X-Min-Position',
      'X-Correlation-Id',
    ]);
    const state = parameters.find((p) => p.name === 'state')!;
    expect(state).toMatchObject({ style: 'form', explode: false, schema: { type: 'array' } });
    const states = new Set(WORKFLOWS.flatMap((definition) => Object.keys(definition.states)));
    expect(new Set((state.schema['items'] as { enum: string[] }).enum)).toEqual(states);
    expect(parameters.find((p) => p.name === 'sort')!.schema['enum']).toEqual([
      'submittedAt',
      '-submittedAt',
      'updatedAt',
      '-updatedAt',
      'dueAt',
      '-dueAt',
    ]);
    expect(Object.keys(inbox?.responses ?? {})).toEqual(['200', '400', '401', '403', '503']);
    expect(JSON.stringify(inbox?.responses['400'])).toContain('INVALID_QUERY');
    expect(JSON.stringify(inbox?.responses['200'])).toContain('X-Read-Model-Stale');
    // The submission stays on the same path.
    expect(document.paths['/signals']?.post?.summary).toBeDefined();

    const dashboard = document.paths['/dashboard']?.get;
    expect(resolved(dashboard?.parameters).map((p) => `${p.in} ${p.name}`)).toEqual([
      'query minPosition',
      'header X-Min-Position',
      'header X-Correlation-Id',
    ]);
    expect(Object.keys(dashboard?.responses ?? {})).toEqual(['200', '400', '401', '403', '503']);
    for (const schema of ['SignalPage', 'SignalListItem', 'Dashboard'])
      expect(document.components?.schemas?.[schema]).toBeDefined();
    const refs = [...JSON.stringify(document).matchAll(/"#\/components\/schemas\/([A-Za-z]+)"/g)].map(
      (m) => m[1]!,
    );
    expect(refs.filter((ref) => document.components?.schemas?.[ref] === undefined)).toEqual([]);
  });

  it('takes an X-Correlation-Id on every route and answers with one in every answer', () => {
    const document = buildOpenApiDocument(t.app);
    expect(document.components?.parameters?.['CorrelationId']).toMatchObject({
      name: 'X-Correlation-Id',
      in: 'header',
      required: false,
    });
    const missing: string[] = [];
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        if (typeof operation !== 'object' || operation === null || !('responses' in operation)) continue;
        const { parameters = [], responses } = operation as {
          parameters?: Array<Record<string, unknown>>;
          responses: Record<string, { headers?: Record<string, unknown> }>;
        };
        if (!parameters.some((p) => p['$ref'] === '#/components/parameters/CorrelationId'))
          missing.push(`${method} ${path}: parameter`);
        for (const [status, answer] of Object.entries(responses))
          if (answer.headers?.['X-Correlation-Id'] === undefined)
            missing.push(`${method} ${path} ${status}: header`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('describes the audit routes: history as JSON and CSV, asOf, verify and the reads, with their error codes', () => {
    const document = buildOpenApiDocument(t.app);
    const history = document.paths['/signals/{id}/history']?.get;
    expect(Object.keys((history?.responses['200'] as { content: object }).content)).toEqual([
      'application/json',
      'text/csv',
    ]);
    expect(JSON.stringify(history?.responses)).toContain('NOT_ACCEPTABLE');
    const detail = document.paths['/signals/{id}']?.get;
    expect(detail?.parameters?.map((p) => ('name' in p ? p.name : p.$ref))).toEqual([
      'id',
      'asOf',
      'minPosition',
      'X-Min-Position',
      '#/components/parameters/CorrelationId',
    ]);
    expect(JSON.stringify(detail?.responses)).toContain('INVALID_AS_OF');
    expect(document.paths['/audit/verify']?.get?.responses['200']).toBeDefined();
    expect(document.paths['/audit/reads']?.get?.parameters).toHaveLength(3);
    for (const schema of [
      'DecisionHistory',
      'HistoryStep',
      'SignalAsOf',
      'VerifyReport',
      'Violation',
      'AuditReadPage',
    ]) {
      expect(document.components?.schemas?.[schema]).toBeDefined();
    }
    // Every $ref points at a schema that exists.
    const refs = [...JSON.stringify(document).matchAll(/"#\/components\/schemas\/([A-Za-z]+)"/g)].map(
      (m) => m[1]!,
    );
    expect(refs.filter((ref) => document.components?.schemas?.[ref] === undefined)).toEqual([]);
  });
});
