import { describe, expect, it } from '@jest/globals';
import type { OpenAPIObject } from '@nestjs/swagger';
import express from 'express';
import request from 'supertest';
import { describeViolations, OpenApiAnswers } from './openapi-answers.js';

const error = {
  description: 'fout',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiError' } } },
};

const DOCUMENT = {
  openapi: '3.0.0',
  info: { title: 'test', version: '1' },
  paths: {
    '/briefs/{id}': {
      get: {
        responses: {
          '200': {
            description: 'nota',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Brief' } } },
          },
          '404': error,
        },
      },
    },
    '/briefs/schedule': {
      get: {
        responses: {
          '200': {
            description: 'planning',
            content: {
              'application/json': {
                schema: { type: 'object', required: ['cron'], properties: { cron: { type: 'string' } } },
              },
            },
          },
        },
      },
    },
    '/briefs/{id}/download': {
      get: {
        responses: {
          '200': { description: 'pdf', content: { 'application/pdf': {} } },
          '409': { description: 'x' },
        },
      },
    },
  },
  components: {
    schemas: {
      ApiError: {
        type: 'object',
        required: ['statusCode', 'code', 'message'],
        properties: {
          statusCode: { type: 'integer' },
          code: { type: 'string' },
          message: { type: 'string' },
        },
      },
      Brief: {
        type: 'object',
        required: ['id', 'period'],
        properties: {
          id: { type: 'string', format: 'uuid' },
          period: { $ref: '#/components/schemas/Period' },
          title: { type: 'string', nullable: true },
          byTheme: { type: 'object', additionalProperties: { type: 'integer' } },
        },
      },
      Period: { type: 'object', properties: { from: { type: 'string', format: 'date-time' } } },
    },
  },
} as unknown as OpenAPIObject;

const JSON_TYPE = 'application/json; charset=utf-8';
const ID = '0f8fad5b-d9cb-469f-a165-70867728950e';
const brief = { id: ID, period: { from: '2026-01-01T00:00:00.000Z' }, title: null, byTheme: { wonen: 3 } };

function answers() {
  return new OpenApiAnswers(() => DOCUMENT);
}

describe('OpenApiAnswers: real answers against the OpenAPI document', () => {
  it('passes an answer that matches its schema, references, nullable fields and maps included', () => {
    const checker = answers();
    const { outcome, violations } = checker.check(
      'GET',
      `/briefs/${ID}?x=1`,
      200,
      JSON_TYPE,
      JSON.stringify(brief),
    );
    expect({ outcome, violations }).toEqual({ outcome: 'checked', violations: [] });
    expect([...checker.checked]).toEqual(['GET /briefs/{id} 200']);
  });

  it('finds a field the document does not name, also in a referenced schema', () => {
    const checker = answers();
    const body = { ...brief, secret: 'x', period: { from: brief.period.from, to: 'later' } };
    const { violations } = checker.check('GET', `/briefs/${ID}`, 200, JSON_TYPE, JSON.stringify(body));
    expect(violations.map((v) => v.problem).sort()).toEqual([
      '/period has "to", which the document does not name',
      'the answer has "secret", which the document does not name',
    ]);
    expect(checker.violations).toHaveLength(2);
  });

  it('finds wrong types, formats, missing required fields and map values', () => {
    const body = { id: 'not-a-uuid', title: 5, byTheme: { wonen: 'drie' } };
    const { violations } = answers().check('GET', `/briefs/${ID}`, 200, JSON_TYPE, JSON.stringify(body));
    const problems = violations.map((v) => v.problem);
    expect(problems).toEqual(
      expect.arrayContaining([
        `the answer must have required property 'period'`,
        '/id must match format "uuid"',
        '/title must be string',
        '/byTheme/wonen must be integer',
      ]),
    );
  });

  it('finds a status the route does not document, and a JSON answer without a schema', () => {
    const checker = answers();
    const undocumented = checker.check('GET', `/briefs/${ID}`, 410, JSON_TYPE, '{}');
    expect(undocumented.violations[0]?.problem).toBe(
      'status 410 is not among the documented answers (200, 404)',
    );
    const noSchema = checker.check('GET', `/briefs/${ID}/download`, 409, JSON_TYPE, '{}');
    expect(noSchema).toMatchObject({ outcome: 'no-schema' });
    expect(noSchema.violations[0]?.problem).toBe('the document gives no JSON schema for this answer');
    // A download is not JSON: only its status is checked.
    expect(checker.check('GET', `/briefs/${ID}/download`, 200, 'application/pdf', '%PDF')).toEqual({
      outcome: 'not-json',
      violations: [],
    });
  });

  it('takes a literal segment before a parameter, and leaves routes the document does not have alone', () => {
    const checker = answers();
    // Checked against /briefs/schedule, whose schema needs `cron`, not against /briefs/{id}.
    expect(
      checker.check('GET', '/briefs/schedule', 200, JSON_TYPE, '{"cron":"0 6 * * 1"}').violations,
    ).toEqual([]);
    expect(checker.check('GET', '/briefs/schedule', 200, JSON_TYPE, '{}').violations[0]).toMatchObject({
      route: '/briefs/schedule',
    });
    expect(checker.check('GET', '/nowhere', 404, JSON_TYPE, '{}')).toEqual({
      outcome: 'not-documented',
      violations: [],
    });
    expect(checker.check('POST', `/briefs/${ID}`, 404, JSON_TYPE, '{}').outcome).toBe('not-documented');
  });

  it('checks what an Express app sends through res.json and res.send, once each', async () => {
    const checker = answers();
    const app = express();
    app.use(checker.middleware());
    app.get('/briefs/schedule', (_request, response) => {
      response.json({ cron: '0 6 * * 1', extra: true });
    });
    app.get('/briefs/:id', (_request, response) => {
      response.status(404).type('application/json').send('{"statusCode":404,"code":"BRIEF_NOT_FOUND"}');
    });
    await request(app).get('/briefs/schedule').expect(200);
    await request(app).get(`/briefs/${ID}`).expect(404);
    expect(describeViolations(checker.violations).split('\n')).toEqual([
      'GET /briefs/schedule → 200: the answer has "extra", which the document does not name (/briefs/schedule)',
      `GET /briefs/{id} → 404: the answer must have required property 'message' (/briefs/${ID})`,
    ]);
  });

  it('records every documented answer given, JSON or not, and lists what the document describes', () => {
    const checker = answers();
    expect(checker.documented()).toEqual([]); // the document is read at the first answer
    checker.check('GET', `/briefs/${ID}/download`, 200, 'application/pdf', '%PDF');
    checker.check('GET', `/briefs/${ID}`, 404, JSON_TYPE, '{"statusCode":404,"code":"X","message":"x"}');
    checker.check('GET', `/briefs/${ID}`, 410, JSON_TYPE, '{}'); // not documented: not recorded
    expect([...checker.produced].sort()).toEqual(['GET /briefs/{id} 404', 'GET /briefs/{id}/download 200']);
    expect(checker.documented().sort()).toEqual([
      'GET /briefs/schedule 200',
      'GET /briefs/{id} 200',
      'GET /briefs/{id} 404',
      'GET /briefs/{id}/download 200',
      'GET /briefs/{id}/download 409',
    ]);
  });

  it('groups repeated violations in its report', () => {
    const checker = answers();
    for (let i = 0; i < 3; i++) checker.check('GET', `/briefs/${ID}`, 500, JSON_TYPE, '{}');
    expect(describeViolations(checker.violations)).toBe(
      `GET /briefs/{id} → 500: status 500 is not among the documented answers (200, 404) (3×, e.g. /briefs/${ID})`,
    );
  });
});
