import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { errorResponse } from './openapi-parts.js';
import { WORKFLOWS } from '../../../workflows/registry.js';
import { commandBodySchema } from '../../signals/command-fields.validation.js';
import { AUDIT_SCHEMAS, auditPaths } from '../../audit/audit.openapi.js';
import { privacyPaths } from '../../privacy/privacy.openapi.js';
import { DOSSIER_SCHEMAS, dossierPaths } from '../../dossiers/dossiers.openapi.js';
import { READ_MODEL_SCHEMAS, readModelPaths } from '../../signals/list-signals/signal-queries.openapi.js';

const ERROR_SCHEMA = {
  type: 'object',
  required: ['statusCode', 'code', 'message'],
  properties: {
    statusCode: { type: 'integer' },
    code: { type: 'string', description: 'Stabiele foutcode, bv. TRANSITION_NOT_ALLOWED' },
    message: { type: 'string', description: 'Uitleg in het Nederlands' },
    details: {},
  },
};

const RESULT_SCHEMA = {
  type: 'object',
  properties: {
    signalId: { type: 'string', format: 'uuid' },
    revision: { type: 'string', description: 'Revisie van het signaal na de opdracht (ook als ETag)' },
    position: {
      type: 'string',
      description: 'Globale positie: geef ze mee als minPosition om uw wijziging te lezen',
    },
    state: { type: 'string' },
    events: {
      type: 'array',
      items: { type: 'object', properties: { id: { type: 'string' }, type: { type: 'string' } } },
    },
  },
};

/**
 * The OpenAPI document at /docs. Signal commands share one route in the controller; here every
 * command of every shipped definition gets its own path with its body schema.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Lokaal Signaal API')
    .setDescription(
      'Signalen van eerstelijnswerkers omzetten in lokaal beleid. Alle fouten: { statusCode, code, message }.',
    )
    .setVersion('1')
    .addBearerAuth()
    .build();
  const document = SwaggerModule.createDocument(app, config);
  document.components ??= {};
  document.components.schemas = {
    ...document.components.schemas,
    ApiError: ERROR_SCHEMA,
    SignalCommandResult: RESULT_SCHEMA,
    ...AUDIT_SCHEMAS,
    ...DOSSIER_SCHEMAS,
    ...READ_MODEL_SCHEMAS,
  };
  delete document.paths['/signals/{id}/{command}'];
  Object.assign(document.paths, auditPaths(document.paths));
  Object.assign(document.paths, privacyPaths(document.paths));
  delete document.paths['/dossiers/{id}/{command}'];
  Object.assign(document.paths, dossierPaths(document.paths));
  Object.assign(document.paths, readModelPaths(document.paths));

  const headers = [
    { name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 200 } },
    {
      name: 'If-Match',
      in: 'header',
      required: false,
      schema: { type: 'string' },
      description: 'ETag (revisie) van het signaal',
    },
  ];
  const responses = {
    '400': errorResponse('Ongeldige invoer (VALIDATION_FAILED, FIELD_REQUIRED, …)'),
    '401': errorResponse('Geen of ongeldig token'),
    '403': errorResponse('Rol mag deze opdracht niet uitvoeren (ROLE_NOT_ALLOWED)'),
    '404': errorResponse('Signaal bestaat niet of valt buiten uw bereik'),
    '409': errorResponse('Opdracht kan niet in deze toestand, of gelijktijdige wijziging'),
    '412': errorResponse('If-Match komt niet overeen met de huidige revisie'),
    '422': errorResponse('Persoonsgegevens in vrije tekst, of Idempotency-Key hergebruikt'),
  };
  for (const definition of WORKFLOWS) {
    for (const [name, command] of Object.entries(definition.commands)) {
      const isSubmit = command.from.length === 0;
      const path = isSubmit ? '/signals' : `/signals/{id}/${name}`;
      document.paths[path] = {
        ...document.paths[path],
        post: {
          tags: ['signalen'],
          summary: `${command.label} (${name})`,
          description: `Rollen: ${command.roles.join(', ')}. ${isSubmit ? '' : `Vanuit: ${command.from.join(', ')}. `}Registreert ${command.event}. Workflow ${definition.name} v${definition.version}.`,
          security: [{ bearer: [] }],
          parameters: [
            ...(isSubmit
              ? []
              : [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }]),
            ...headers,
          ],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: commandBodySchema(command) } },
          },
          responses: {
            [isSubmit ? '201' : '200']: {
              description: 'Uitgevoerd',
              content: {
                'application/json': { schema: { $ref: '#/components/schemas/SignalCommandResult' } },
              },
            },
            ...responses,
          },
        },
      } as OpenAPIObject['paths'][string];
    }
  }
  return document;
}

export function setupOpenApi(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), { jsonDocumentUrl: 'docs/openapi.json' });
}
