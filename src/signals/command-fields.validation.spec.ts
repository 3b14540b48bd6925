import { describe, expect, it } from '@jest/globals';
import { WORKFLOWS } from '../../workflows/registry.js';
import { FIELDS, isFieldName, type FieldSpec } from '../../workflows/signal-lifecycle/fields.js';
import { codesOf } from '../../workflows/taxonomy/taxonomy.js';
import { ApiError } from '../platform/http/api-error.js';
import { validateCommandBody } from './command-fields.validation.js';

/** Values around every rule of a field: valid ones, each boundary, and wrong types. */
function candidates(spec: FieldSpec): unknown[] {
  const common: unknown[] = [null, undefined, 0, true, {}, [], 'x'];
  switch (spec.kind) {
    case 'text':
      return [
        ...common,
        'a'.repeat(spec.minLength),
        'a'.repeat(Math.max(0, spec.minLength - 1)),
        'a'.repeat(spec.maxLength),
        'a'.repeat(spec.maxLength + 1),
        // Surrogate pairs and variation selectors count as one character for class-validator.
        '😀'.repeat(spec.minLength),
        '😀'.repeat(Math.max(1, spec.minLength - 1)) + 'a',
        'é\uFE0F'.repeat(spec.minLength),
        '\uD800'.repeat(spec.minLength),
        'Gewone tekst van de juiste lengte voor het veld.'.slice(0, spec.maxLength),
      ];
    case 'codes': {
      const codes = codesOf(spec.of);
      return [
        ...common,
        codes.slice(0, spec.minItems),
        codes.slice(0, Math.max(1, spec.minItems)),
        codes.slice(0, spec.maxItems),
        codes.slice(0, spec.maxItems + 1),
        [codes[0], codes[0]],
        [codes[0], 'onbekend'],
        [1],
        [[codes[0]]],
        codes[0],
      ];
    }
    case 'code': {
      const codes = codesOf(spec.of);
      return [...common, codes[0], codes[codes.length - 1], 'onbekend', [codes[0]]];
    }
    case 'enum':
      return [...common, ...spec.values, 'onbekend', spec.values[0]!.toUpperCase()];
    case 'integer':
      return [...common, spec.min, spec.min - 1, spec.max, spec.max + 1, 1.5, '5', Number.NaN, Infinity];
    case 'boolean':
      return [...common, false, 'true', 1];
    case 'uuid':
      return [
        ...common,
        '01a225c9-0cd0-7001-85ec-af8ef3f6a66a',
        '4e51f5ba-6ae3-88a7-8544-0562fba954eb',
        '4E51F5BA-6AE3-88A7-8544-0562FBA954EB',
        '4e51f5ba6ae388a785440562fba954eb',
        '00000000-0000-0000-0000-000000000000',
        'not-a-uuid',
      ];
    case 'subject':
      return [...common, 'user-1', 'a'.repeat(200), 'a'.repeat(201), 'met spatie', 'é', ''];
    default: {
      const unreachable: never = spec;
      return unreachable;
    }
  }
}

function outcome(run: () => unknown): unknown {
  try {
    return { ok: run() };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return { status: error.getStatus(), response: error.getResponse() };
  }
}

describe('validateCommandBody: the compiled check answers as class-validator does', () => {
  for (const definition of WORKFLOWS) {
    for (const [command, spec] of Object.entries(definition.commands)) {
      it(`${definition.name} v${definition.version} ${command}`, () => {
        const fields = [...spec.required, ...spec.optional].filter(isFieldName);
        // A body with every field valid, then each field set to each candidate in turn.
        const valid: Record<string, unknown> = {};
        for (const name of fields) {
          const good = candidates(FIELDS[name]).find((value) => {
            if (value === undefined || value === null) return false;
            const result = outcome(() =>
              validateCommandBody(definition, command, { [name]: value }, false),
            ) as { ok?: unknown; response?: { code: string; details?: Array<{ field: string }> } };
            if ('ok' in result) return true;
            return (
              result.response?.code === 'VALIDATION_FAILED' &&
              !(result.response.details ?? []).some((detail) => detail.field === name)
            );
          });
          if (good !== undefined) valid[name] = good;
        }
        const bodies: unknown[] = [{}, valid, { ...valid, onbekend: 1 }];
        for (const name of fields) {
          for (const value of candidates(FIELDS[name])) bodies.push({ ...valid, [name]: value });
        }
        let accepted = 0;
        for (const body of bodies) {
          const fast = outcome(() => validateCommandBody(definition, command, body));
          const reference = outcome(() => validateCommandBody(definition, command, body, false));
          expect({ body, result: fast }).toEqual({ body, result: reference });
          if ('ok' in (fast as object)) accepted += 1;
        }
        // The cases cover both answers.
        expect(accepted).toBeGreaterThan(0);
        if (fields.length > 0) expect(accepted).toBeLessThan(bodies.length);
      });
    }
  }
});
