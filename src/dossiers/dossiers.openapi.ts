import { errorResponse as error, type Paths, type Schemas } from '../platform/http/openapi-parts.js';
import { codesOf } from '../../workflows/taxonomy/taxonomy.js';
import { DOSSIER_COMMANDS, DOSSIER_PHASES, type DossierCommandName } from './dossier.decider.js';
import { DOSSIER_FIELDS } from './dossier-commands.validation.js';
import { ESCALATION_LEVELS } from './dossier.events.js';

export const DOSSIER_SCHEMAS: Schemas = {
  DossierCommandResult: {
    type: 'object',
    properties: {
      dossierId: { type: 'string', format: 'uuid' },
      revision: { type: 'string', description: 'Revisie van het dossier na de opdracht (ook als ETag)' },
      position: { type: 'string', description: 'Globale positie: geef ze mee als minPosition' },
      state: { type: 'string', enum: DOSSIER_PHASES },
      events: {
        type: 'array',
        items: { type: 'object', properties: { id: { type: 'string' }, type: { type: 'string' } } },
      },
    },
  },
};

function bodySchema(name: DossierCommandName) {
  const properties: Record<string, object> = {};
  for (const [field, rule] of Object.entries(DOSSIER_FIELDS[name])) {
    switch (rule.kind) {
      case 'text':
        properties[field] = { type: 'string', minLength: rule.min, maxLength: rule.max };
        break;
      case 'texts':
        properties[field] = {
          type: 'array',
          minItems: rule.min,
          maxItems: rule.max,
          items: { type: 'string', maxLength: rule.maxLength },
        };
        break;
      case 'themes':
        properties[field] = {
          type: 'array',
          minItems: rule.min,
          maxItems: rule.max,
          uniqueItems: true,
          items: { type: 'string', enum: codesOf('themes') },
        };
        break;
      case 'uuid':
        properties[field] = { type: 'string', format: 'uuid' };
        break;
      case 'uuids':
        properties[field] = {
          type: 'array',
          minItems: rule.min,
          maxItems: rule.max,
          uniqueItems: true,
          items: { type: 'string', format: 'uuid' },
        };
        break;
      case 'boolean':
        properties[field] = { type: 'boolean' };
        break;
      case 'level':
        properties[field] = { type: 'string', enum: ESCALATION_LEVELS };
        break;
    }
  }
  return { type: 'object', additionalProperties: false, required: Object.keys(properties), properties };
}

/** One path per dossier command (the controller has one route for them), with its body schema. */
export function dossierPaths(existing: Paths): Paths {
  const paths: Paths = {};
  for (const name of Object.keys(DOSSIER_COMMANDS) as DossierCommandName[]) {
    const spec = DOSSIER_COMMANDS[name];
    const path = name === 'create' ? '/dossiers' : `/dossiers/{id}/${name}`;
    paths[path] = {
      ...existing[path],
      post: {
        tags: ['dossiers'],
        summary: `${spec.label} (${name})`,
        description: `Rol: lead-processor. ${spec.from.length > 0 ? `In fase: ${spec.from.join(', ')}. ` : ''}Registreert ${spec.event}.`,
        security: [{ bearer: [] }],
        parameters: [
          ...(name === 'create'
            ? []
            : [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }]),
          {
            name: 'Idempotency-Key',
            in: 'header',
            required: false,
            schema: { type: 'string', maxLength: 200 },
          },
          { name: 'If-Match', in: 'header', required: false, schema: { type: 'string' } },
        ],
        requestBody: { required: true, content: { 'application/json': { schema: bodySchema(name) } } },
        responses: {
          [name === 'create' ? '201' : '200']: {
            description: 'Uitgevoerd',
            content: {
              'application/json': { schema: { $ref: '#/components/schemas/DossierCommandResult' } },
            },
          },
          '400': error('Ongeldige invoer (VALIDATION_FAILED, INVALID_BODY, …)'),
          '403': error('Alleen de hoofdsignaalverwerker (ROLE_NOT_ALLOWED)'),
          '404': error('DOSSIER_NOT_FOUND, UNKNOWN_COMMAND'),
          '409': error(
            'TRANSITION_NOT_ALLOWED, SIGNAL_IN_OTHER_DOSSIER, SIGNAL_ALREADY_IN_DOSSIER, DOSSIER_WOULD_BE_EMPTY, CONCURRENCY_CONFLICT',
          ),
          '412': error('PRECONDITION_FAILED: If-Match is niet de huidige revisie'),
          '422': error(
            'SIGNAL_NOT_BUNDLABLE, SIGNAL_NOT_IN_DOSSIER, PERSONAL_DATA_DETECTED, IDEMPOTENCY_KEY_REUSED',
          ),
        },
      },
    } as Paths[string];
  }
  const query = (name: string, description: string) => ({
    name,
    in: 'query',
    required: false,
    schema: { type: 'string' },
    description,
  });
  paths['/dossiers'] = {
    ...paths['/dossiers'],
    get: {
      ...existing['/dossiers']?.get,
      tags: ['dossiers'],
      summary: 'Dossiers van de gemeente',
      parameters: [
        query('state', `fasen, komma-gescheiden: ${DOSSIER_PHASES.join(', ')}`),
        query('theme', 'themacodes, komma-gescheiden'),
        query('level', 'local, supralocal'),
        query('open', 'true of false'),
        query('signal', 'signaal-id’s: de dossiers die ze bevatten'),
        query('sort', 'createdAt of updatedAt, - voor aflopend'),
        query('limit', '1–100'),
        query('offset', '0–100000'),
        query('count', 'true telt alle treffers'),
        query('minPosition', 'positie uit een antwoord op een opdracht'),
      ],
      responses: { '200': { description: 'items, hasMore, total' }, '400': error('INVALID_QUERY') },
    },
  } as Paths[string];
  const similar = existing['/signals/{id}/similar']?.get;
  if (similar) {
    paths['/signals/{id}/similar'] = {
      get: {
        ...similar,
        tags: ['signalen'],
        summary: 'Gelijkaardige signalen (suggesties om te bundelen)',
        description:
          'score = 0,8 × cosinus van de TF-IDF-vectoren van titel en beschrijving (Nederlandse stopwoorden, Snowball-stammen) + 0,2 × overlap (Jaccard) van de thema’s.',
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
          query('limit', '1–50, standaard 10'),
          query('minPosition', 'positie uit een antwoord op een opdracht'),
        ],
      },
    } as Paths[string];
  }
  return paths;
}
