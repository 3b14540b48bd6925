import {
  arrayMaxSize,
  arrayMinSize,
  arrayUnique,
  isArray,
  isBoolean,
  isDefined,
  isIn,
  isInt,
  isString,
  isUUID,
  length,
  matches,
  max,
  min,
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  validateSync,
  type ValidationError,
} from 'class-validator';
import type { CommandDefinition, WorkflowDefinition } from '../../workflows/definition.js';
import { FIELDS, isFieldName, type FieldSpec } from '../../workflows/signal-lifecycle/fields.js';
import { codesOf } from '../../workflows/taxonomy/taxonomy.js';
import { WORKFLOWS } from '../../workflows/registry.js';
import { ApiError, notPlainJsonBody } from '../platform/http/api-error.js';
import { plainJsonFault, type JsonObject } from '../platform/json.js';

type PropertyDecorator_ = (target: object, propertyKey: string) => void;

/**
 * class-validator decorators for one field of the catalogue, with Dutch messages. The DTO classes
 * are built from the workflow definitions, so a new definition version needs no hand-written DTO.
 */
function decoratorsFor(name: string, spec: FieldSpec): PropertyDecorator_[] {
  const m = (message: string) => ({ message: `Het veld '${name}' ${message}.` });
  switch (spec.kind) {
    case 'text':
      return [
        IsString(m('moet tekst zijn')),
        Length(
          spec.minLength,
          spec.maxLength,
          m(`moet ${spec.minLength} tot ${spec.maxLength} tekens lang zijn`),
        ),
      ];
    case 'codes':
      return [
        IsArray(m('moet een lijst zijn')),
        ArrayMinSize(spec.minItems, m(`moet minstens ${spec.minItems} code(s) bevatten`)),
        ArrayMaxSize(spec.maxItems, m(`mag hoogstens ${spec.maxItems} codes bevatten`)),
        ArrayUnique(m('bevat een code twee keer')),
        IsIn(codesOf(spec.of), { each: true, ...m('bevat een onbekende code') }),
      ];
    case 'code':
      return [IsIn(codesOf(spec.of), m('bevat een onbekende code'))];
    case 'enum':
      return [IsIn([...spec.values], m(`moet een van ${spec.values.join(', ')} zijn`))];
    case 'integer':
      return [
        IsInt(m('moet een geheel getal zijn')),
        Min(spec.min, m(`moet minstens ${spec.min} zijn`)),
        Max(spec.max, m(`mag hoogstens ${spec.max} zijn`)),
      ];
    case 'boolean':
      return [IsBoolean(m('moet true of false zijn'))];
    case 'uuid':
      return [IsUUID('all', m('moet een geldige id (UUID) zijn'))];
    case 'subject':
      return [
        IsString(m('moet tekst zijn')),
        Matches(/^[\x21-\x7e]{1,200}$/, m('is geen geldige gebruikers-id')),
      ];
    default: {
      const unreachable: never = spec;
      return unreachable;
    }
  }
}

function buildDto(commandName: string, command: CommandDefinition): new () => object {
  const dto = { [`${commandName}Fields`]: class {} }[`${commandName}Fields`]!;
  const required = new Set(command.required);
  for (const name of [...command.required, ...command.optional]) {
    if (!isFieldName(name)) continue;
    const presence = required.has(name)
      ? IsDefined({ message: `Het veld '${name}' is verplicht.` })
      : IsOptional();
    for (const decorate of [presence, ...decoratorsFor(name, FIELDS[name])]) decorate(dto.prototype, name);
  }
  return dto;
}

type Check = (value: unknown) => boolean;

const SUBJECT = /^[\x21-\x7e]{1,200}$/;

/**
 * The same rules as `decoratorsFor`, as plain functions (class-validator's own, which its
 * decorators call): a body that passes them all is valid without class-validator looking up its
 * metadata for every request. Any body that fails one goes through class-validator, for the
 * messages.
 */
function checksFor(spec: FieldSpec): Check[] {
  switch (spec.kind) {
    case 'text':
      return [isString, (value) => length(value, spec.minLength, spec.maxLength)];
    case 'codes': {
      const codes = codesOf(spec.of);
      return [
        isArray,
        (value) => arrayMinSize(value, spec.minItems),
        (value) => arrayMaxSize(value, spec.maxItems),
        (value) => arrayUnique(value as unknown[]),
        (value) => (value as unknown[]).every((code) => isIn(code, codes)),
      ];
    }
    case 'code': {
      const codes = codesOf(spec.of);
      return [(value) => isIn(value, codes)];
    }
    case 'enum':
      return [(value) => isIn(value, [...spec.values])];
    case 'integer':
      return [isInt, (value) => min(value, spec.min), (value) => max(value, spec.max)];
    case 'boolean':
      return [isBoolean];
    case 'uuid':
      return [(value) => isUUID(value, 'all')];
    case 'subject':
      return [isString, (value) => matches(value as string, SUBJECT)];
    default: {
      const unreachable: never = spec;
      return unreachable;
    }
  }
}

interface CompiledField {
  required: boolean;
  checks: Check[];
}

function compile(command: CommandDefinition): Map<string, CompiledField> {
  const fields = new Map<string, CompiledField>();
  const required = new Set(command.required);
  for (const name of [...command.required, ...command.optional]) {
    if (isFieldName(name))
      fields.set(name, { required: required.has(name), checks: checksFor(FIELDS[name]) });
  }
  return fields;
}

/** True when every rule holds; false sends the body to class-validator for the messages. */
function passes(fields: ReadonlyMap<string, CompiledField>, body: Record<string, unknown>): boolean {
  for (const key of Object.keys(body)) if (!fields.has(key)) return false;
  for (const [name, field] of fields) {
    const value = body[name];
    // IsDefined and IsOptional: null counts as absent.
    if (!isDefined(value)) {
      if (field.required) return false;
      continue;
    }
    for (const check of field.checks) if (!check(value)) return false;
  }
  return true;
}

const compiled = new Map<string, Map<string, CompiledField>>();
const dtos = new Map<string, new () => object>();
function dtoKey(definition: WorkflowDefinition, command: string): string {
  return `${definition.name}@${definition.version}:${command}`;
}
for (const definition of WORKFLOWS) {
  for (const [name, command] of Object.entries(definition.commands)) {
    dtos.set(dtoKey(definition, name), buildDto(name, command));
    compiled.set(dtoKey(definition, name), compile(command));
  }
}

/** All command names of every shipped definition: what `/signals/:id/:command` may name. */
export const KNOWN_COMMANDS: ReadonlySet<string> = new Set(WORKFLOWS.flatMap((d) => Object.keys(d.commands)));

/**
 * Checks a request body for a command: a plain JSON object (no `__proto__`, no operators sneaking
 * in as objects), only the command's fields (whitelist, unknown ones refused), each valid.
 */
export function validateCommandBody(
  definition: WorkflowDefinition,
  command: string,
  body: unknown,
  /** false: class-validator alone (the reference the faster check is tested against). */
  fastPath = true,
): JsonObject {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError(400, 'INVALID_BODY', 'De inhoud van het verzoek moet een JSON-object zijn.');
  }
  const fault = plainJsonFault(body, 'body');
  if (fault) throw notPlainJsonBody(fault);
  const dto = dtos.get(dtoKey(definition, command));
  const spec = definition.commands[command];
  if (!dto || !spec) throw new ApiError(404, 'UNKNOWN_COMMAND', `De opdracht '${command}' bestaat niet.`);
  // A command without fields has no decorated property for the whitelist to work from.
  const allowed = new Set([...spec.required, ...spec.optional]);
  const unknown = Object.keys(body).filter((key) => !allowed.has(key));
  if (unknown.length > 0) {
    throw new ApiError(
      400,
      'VALIDATION_FAILED',
      unknown.map((key) => `Het veld '${key}' hoort niet bij deze opdracht.`).join(' '),
      unknown.map((field) => ({ field, messages: ['Dit veld hoort niet bij deze opdracht.'] })),
    );
  }
  if (fastPath && passes(compiled.get(dtoKey(definition, command))!, body as Record<string, unknown>)) {
    return body as JsonObject;
  }
  const instance = Object.assign(new dto(), body);
  const errors = validateSync(instance, {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: false,
  });
  if (errors.length > 0) {
    const details = errors.map(describe);
    throw new ApiError(400, 'VALIDATION_FAILED', details.map((d) => d.messages.join(' ')).join(' '), details);
  }
  return body as JsonObject;
}

function describe(error: ValidationError): { field: string; messages: string[] } {
  const constraints = error.constraints ?? {};
  const messages = Object.entries(constraints).map(([rule, message]) =>
    rule === 'whitelistValidation' ? `Het veld '${error.property}' hoort niet bij deze opdracht.` : message,
  );
  return { field: error.property, messages };
}

/** JSON Schema of a command's body, for the OpenAPI document. */
export function commandBodySchema(command: CommandDefinition): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const name of [...command.required, ...command.optional]) {
    if (isFieldName(name)) properties[name] = fieldSchema(FIELDS[name]);
  }
  return {
    type: 'object',
    additionalProperties: false,
    required: command.required,
    properties,
    ...(command.requireOneOf
      ? { description: `Minstens een van: ${command.requireOneOf.map((g) => g.join(' / ')).join('; ')}` }
      : {}),
  };
}

function fieldSchema(spec: FieldSpec): Record<string, unknown> {
  const base = { description: spec.label };
  switch (spec.kind) {
    case 'text':
      return { ...base, type: 'string', minLength: spec.minLength, maxLength: spec.maxLength };
    case 'codes':
      return {
        ...base,
        type: 'array',
        uniqueItems: true,
        minItems: spec.minItems,
        maxItems: spec.maxItems,
        items: { type: 'string', enum: codesOf(spec.of) },
      };
    case 'code':
      return { ...base, type: 'string', enum: codesOf(spec.of) };
    case 'enum':
      return { ...base, type: 'string', enum: spec.values };
    case 'integer':
      return { ...base, type: 'integer', minimum: spec.min, maximum: spec.max };
    case 'boolean':
      return { ...base, type: 'boolean' };
    case 'uuid':
      return { ...base, type: 'string', format: 'uuid' };
    case 'subject':
      return { ...base, type: 'string', maxLength: 200 };
    default: {
      const unreachable: never = spec;
      return unreachable;
    }
  }
}
