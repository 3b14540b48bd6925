import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import AjvModule, { type ErrorObject, type ValidateFunction } from 'ajv';
import formatsModule from 'ajv-formats';
import type { NextFunction, Request, Response } from 'express';
import { buildOpenApiDocument } from '../../src/platform/http/openapi.js';

const Ajv = AjvModule.default;
const addFormats = formatsModule.default;

/** One answer the server gave that its OpenAPI document does not describe. */
export interface AnswerViolation {
  method: string;
  path: string;
  status: number;
  /** Which route of the document it was taken for, when one matched. */
  route: string | null;
  problem: string;
}

/** What an answer was checked against. */
export type AnswerOutcome = 'checked' | 'no-schema' | 'not-documented' | 'not-json';

interface Route {
  template: string;
  pattern: RegExp;
  /** Literal segments: a route with more of them wins over one with parameters there. */
  literals: number;
  operations: Record<string, { responses?: Record<string, unknown> }>;
}

interface Content {
  schema?: unknown;
}

/**
 * Checks real answers against the OpenAPI document the app serves at /docs: the route and its
 * status must be documented, and a JSON answer whose status has a schema must match it. Stricter
 * than the document on one point: an object schema that lists its properties allows no others
 * (unless it says what `additionalProperties` may be), so a field the server sends but the
 * document does not name is found too. The answers' schemas are written by hand beside the
 * TypeScript types of the answers; this is what keeps the two from drifting apart.
 */
export class OpenApiAnswers {
  private routes: Route[] | null = null;
  private readonly ajv = new Ajv({ allErrors: true, strict: false });
  private readonly validators = new Map<string, ValidateFunction | null>();
  /** `METHOD template status` of every answer checked against a schema. */
  readonly checked = new Set<string>();
  /** `METHOD template status` of every documented answer the app gave, JSON or not. */
  readonly produced = new Set<string>();
  /** Open `unrecorded` calls: answers are still checked, but not recorded as given. */
  private unrecordedDepth = 0;
  readonly violations: AnswerViolation[] = [];

  /** `documentOf` is asked once, at the first answer (the app's routes are known by then). */
  constructor(private readonly documentOf: () => OpenAPIObject) {
    addFormats(this.ajv);
  }

  private routesOf(): Route[] {
    if (this.routes === null) {
      const document = this.documentOf();
      this.ajv.addSchema({ components: strictObjects(document.components ?? {}) }, 'openapi');
      this.routes = Object.entries(document.paths)
        .map(([template, operations]) => routeOf(template, operations as Route['operations']))
        .sort((a, b) => b.literals - a.literals);
    }
    return this.routes;
  }

  /**
   * `METHOD template status` of every answer the document describes (its `default` aside); empty
   * when the app has answered nothing yet (the document is built at the first answer).
   */
  documented(): string[] {
    if (this.routes === null) return [];
    return this.routes.flatMap((route) =>
      Object.entries(route.operations).flatMap(([method, operation]) =>
        Object.keys(operation.responses ?? {})
          .filter((status) => status !== 'default')
          .map((status) => answerKey(method, route.template, status)),
      ),
    );
  }

  /**
   * Runs `work` with its answers checked but not recorded in `produced`: for generated requests
   * (a fuzz run's seed changes with every run), so that which answers a whole run gives does not
   * depend on chance (answer-coverage-reporter.js).
   */
  async unrecorded<T>(work: () => Promise<T>): Promise<T> {
    this.unrecordedDepth += 1;
    try {
      return await work();
    } finally {
      this.unrecordedDepth -= 1;
    }
  }

  /** Checks one answer; its violations are kept in `violations` (and returned). */
  check(method: string, url: string, status: number, contentType: string | undefined, body: string) {
    const path = url.split('?')[0]!;
    const found: AnswerViolation[] = [];
    const outcome = this.outcomeOf(method.toLowerCase(), path, status, contentType, body, found);
    this.violations.push(...found);
    return { outcome, violations: found };
  }

  /** Express middleware that checks every answer of the app as it is sent. */
  middleware() {
    return (request: Request, response: Response, next: NextFunction): void => {
      const send = response.send.bind(response);
      response.send = (body?: unknown) => {
        // `res.json` sends its text through `send` again: check the text once.
        if (typeof body === 'string' || Buffer.isBuffer(body))
          this.check(
            request.method,
            request.originalUrl,
            response.statusCode,
            response.get('Content-Type'),
            body.toString(),
          );
        return send(body);
      };
      // An answer with no body (204) or a stream (server-sent events) never passes through `send`:
      // its status is recorded once the response ends.
      response.once('close', () => {
        if (!response.headersSent) return; // the client left before an answer
        try {
          this.recordProduced(request.method, request.originalUrl, response.statusCode);
        } catch {
          // The document could not be built any more (the app closed first): nothing to record.
        }
      });
      next();
    };
  }

  /** The document's route of a request (`method` in lower case), if it has one. */
  private routeFor(method: string, path: string): Route | undefined {
    return this.routesOf().find(
      (candidate) => candidate.pattern.test(path) && method in candidate.operations,
    );
  }

  /** Records a documented answer the app gave, whatever its body (`produced`). */
  private recordProduced(method: string, url: string, status: number): void {
    const path = url.split('?')[0]!;
    const lower = method.toLowerCase();
    const route = this.routeFor(lower, path);
    if (route?.operations[lower]!.responses?.[String(status)] !== undefined && this.unrecordedDepth === 0)
      this.produced.add(answerKey(method, route.template, status));
  }

  private outcomeOf(
    method: string,
    path: string,
    status: number,
    contentType: string | undefined,
    body: string,
    found: AnswerViolation[],
  ): AnswerOutcome {
    const route = this.routeFor(method, path);
    const violation = (problem: string) =>
      found.push({ method: method.toUpperCase(), path, status, route: route?.template ?? null, problem });
    if (route === undefined) return 'not-documented';
    const responses = route.operations[method]!.responses ?? {};
    const response = (responses[String(status)] ?? responses['default']) as
      { content?: Record<string, Content> } | undefined;
    if (response === undefined) {
      violation(
        `status ${status} is not among the documented answers (${Object.keys(responses).join(', ')})`,
      );
      return 'not-documented';
    }
    if (responses[String(status)] !== undefined && this.unrecordedDepth === 0)
      this.produced.add(answerKey(method, route.template, status));
    if (!contentType?.startsWith('application/json')) return 'not-json';
    const schema = response.content?.['application/json']?.schema;
    if (schema === undefined) {
      violation('the document gives no JSON schema for this answer');
      return 'no-schema';
    }
    const key = answerKey(method, route.template, status);
    const validate = this.validatorOf(key, schema);
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch {
      violation('the answer is not JSON');
      return 'checked';
    }
    this.checked.add(key);
    if (!validate(value)) for (const error of validate.errors ?? []) violation(describe(error));
    return 'checked';
  }

  private validatorOf(key: string, schema: unknown): ValidateFunction {
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(withRefsInto(strictObjects(schema), 'openapi') as object);
      this.validators.set(key, validate);
    }
    return validate;
  }
}

/**
 * Where the suites' apps write which documented answers they gave (the answer coverage reporter,
 * test/support/answer-coverage-reporter.js, sets it for the whole run and reads it at the end).
 */
export const ANSWER_RECORD_DIR = 'ANSWER_RECORD_DIR';

/** Writes the documented answers an app gave, and the document's answers, for the coverage reporter. */
export function recordAnswers(answers: OpenApiAnswers): void {
  const dir = process.env[ANSWER_RECORD_DIR];
  if (!dir || answers.produced.size === 0) return;
  const record = { documented: answers.documented(), produced: [...answers.produced] };
  writeFileSync(join(dir, `${process.pid}-${randomUUID()}.json`), JSON.stringify(record));
}

/** A checker of an app's answers against the document it serves (built at the first answer). */
export function answersOf(app: INestApplication): OpenApiAnswers {
  return new OpenApiAnswers(() => buildOpenApiDocument(app));
}

/**
 * A readable report for a failing test's message: one line per route, status and problem, with
 * how often it came and one path it came for.
 */
export function describeViolations(violations: readonly AnswerViolation[]): string {
  const grouped = new Map<string, { count: number; example: string }>();
  for (const v of violations) {
    const key = `${v.method} ${v.route ?? v.path} → ${v.status}: ${v.problem}`;
    const seen = grouped.get(key);
    if (seen) seen.count += 1;
    else grouped.set(key, { count: 1, example: v.path });
  }
  return [...grouped]
    .map(
      ([key, { count, example }]) => `${key}${count > 1 ? ` (${count}×, e.g. ${example})` : ` (${example})`}`,
    )
    .join('\n');
}

/** `METHOD template status`, as `checked`, `produced` and `documented` name an answer. */
function answerKey(method: string, template: string, status: number | string): string {
  return `${method.toUpperCase()} ${template} ${status}`;
}

function routeOf(template: string, operations: Route['operations']): Route {
  const segments = template.split('/').filter((segment) => segment !== '');
  const pattern = segments
    .map((segment) => (/^\{[^}]+\}$/.test(segment) ? '[^/]+' : escapeRegExp(segment)))
    .join('/');
  return {
    template,
    pattern: new RegExp(`^/${pattern}/?$`),
    literals: segments.filter((segment) => !segment.startsWith('{')).length,
    operations,
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A deep copy in which every object schema listing its properties allows no others. */
function strictObjects(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strictObjects);
  if (typeof schema !== 'object' || schema === null) return schema;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) copy[key] = strictObjects(value);
  if (typeof copy['properties'] === 'object' && !('additionalProperties' in copy))
    copy['additionalProperties'] = false;
  return copy;
}

/** The schema with its `#/components/…` references pointing into the document registered as `id`. */
function withRefsInto(schema: unknown, id: string): unknown {
  if (Array.isArray(schema)) return schema.map((item) => withRefsInto(item, id));
  if (typeof schema !== 'object' || schema === null) return schema;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema))
    copy[key] =
      key === '$ref' && typeof value === 'string' && value.startsWith('#/')
        ? `${id}${value}`
        : withRefsInto(value, id);
  return copy;
}

function describe(error: ErrorObject): string {
  const where = error.instancePath === '' ? 'the answer' : error.instancePath;
  if (error.keyword === 'additionalProperties')
    return `${where} has "${String(error.params['additionalProperty'])}", which the document does not name`;
  return `${where} ${error.message ?? error.keyword}`;
}
