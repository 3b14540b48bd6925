import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { errorResponse, type Operation } from './openapi-parts.js';
import { PUBLIC_EXTENSION, ROLES_EXTENSION } from '../../auth/auth.constants.js';
import { WORKFLOWS } from '../../../workflows/registry.js';
import { SYSTEM_ROLE } from '../../../workflows/roles.js';
import { commandBodySchema } from '../../signals/command-fields.validation.js';
import { AUDIT_SCHEMAS, auditPaths } from '../../audit/audit.openapi.js';
import { AUTH_SCHEMAS, authPaths } from '../../auth/auth.openapi.js';
import { privacyPaths } from '../../privacy/privacy.openapi.js';
import { DOSSIER_SCHEMAS, dossierPaths } from '../../dossiers/dossiers.openapi.js';
import { HEALTH_SCHEMAS, healthPaths } from '../../health/health.openapi.js';
import { PEOPLE_SCHEMAS, peoplePaths } from '../../people/people.openapi.js';
import {
  MIGRATION_SCHEMAS,
  migrationPaths,
} from '../../processes/migrate-signal-workflow/migrate-signal-workflow.openapi.js';
import { BRIEF_SCHEMAS, briefPaths } from '../../reporting/briefs.openapi.js';
import { READ_MODEL_SCHEMAS, readModelPaths } from '../../signals/list-signals/signal-queries.openapi.js';
import { SUPRALOCAL_SCHEMAS, supralocalPaths } from '../../supralocal/supralocal.openapi.js';
import { TENANT_SCHEMAS, tenantPaths } from '../../tenants/tenants.openapi.js';

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
  required: ['signalId', 'revision', 'position', 'state', 'events'],
  properties: {
    signalId: { type: 'string', format: 'uuid' },
    revision: { type: 'string', description: 'Revisie van het signaal na de opdracht (ook als ETag)' },
    position: {
      type: 'string',
      description: 'Globale positie: geef ze mee als minPosition om je wijziging te lezen',
    },
    state: { type: 'string' },
    events: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'type'],
        properties: { id: { type: 'string' }, type: { type: 'string' } },
      },
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
      'Signalen van eerstelijnswerkers omzetten in lokaal beleid. Alle fouten: { statusCode, code, message }. ' +
        'Elke route met een inhoud weigert ook een inhoud die geen JSON is (400 MALFORMED_JSON; 415 UNSUPPORTED_MEDIA_TYPE, ' +
        'UNSUPPORTED_ENCODING voor een andere tekenset dan UTF-8), die niet gedecomprimeerd kan worden volgens haar ' +
        'Content-Encoding (400 MALFORMED_CONTENT_ENCODING), met een andere compressie dan gzip, deflate of br ' +
        '(415 UNSUPPORTED_CONTENT_ENCODING), of groter dan 64 KiB (413 PAYLOAD_TOO_LARGE).',
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
    ...AUTH_SCHEMAS,
    ...TENANT_SCHEMAS,
    ...PEOPLE_SCHEMAS,
    ...SUPRALOCAL_SCHEMAS,
    ...BRIEF_SCHEMAS,
    ...MIGRATION_SCHEMAS,
    ...HEALTH_SCHEMAS,
  };
  delete document.paths['/signals/{id}/{command}'];
  Object.assign(document.paths, auditPaths(document.paths));
  Object.assign(document.paths, privacyPaths(document.paths));
  delete document.paths['/dossiers/{id}/{command}'];
  Object.assign(document.paths, dossierPaths(document.paths));
  Object.assign(document.paths, readModelPaths(document.paths));
  for (const describe of [
    authPaths,
    tenantPaths,
    peoplePaths,
    supralocalPaths,
    briefPaths,
    migrationPaths,
    healthPaths,
  ])
    Object.assign(document.paths, describe(document.paths));

  Object.assign(document.paths, signalCommandPaths(document.paths));
  addGuardAndBodyAnswers(document);
  addCorrelation(document);
  return document;
}

const COMMAND_HEADERS = [
  {
    name: 'Idempotency-Key',
    in: 'header',
    required: false,
    schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,200}$' },
    description:
      'Maakt een nieuwe poging veilig: dezelfde sleutel met dezelfde inhoud geeft hetzelfde antwoord',
  },
  {
    name: 'If-Match',
    in: 'header',
    required: false,
    schema: { type: 'string' },
    description:
      'ETag (revisie) van het signaal: de opdracht gebeurt enkel als het signaal niet intussen wijzigde',
  },
];

const COMMAND_ANSWER_HEADERS = {
  ETag: { description: 'De revisie van het signaal na de opdracht', schema: { type: 'string' } },
  'Idempotent-Replayed': {
    description: 'true: dezelfde Idempotency-Key werd al uitgevoerd; dit is het antwoord van toen',
    schema: { type: 'string', enum: ['true'] },
  },
};

/**
 * Every signal command of the shipped definitions on its own path (the controller has one route
 * for them), with its body schema; a command of several lifecycle versions once, naming each
 * version's roles and states. Commands only the engine gives (role `system`) are left out: no
 * token carries that role.
 */
function signalCommandPaths(existing: OpenAPIObject['paths']): OpenAPIObject['paths'] {
  const byPath = new Map<string, Array<{ definition: (typeof WORKFLOWS)[number]; name: string }>>();
  for (const definition of WORKFLOWS)
    for (const [name, command] of Object.entries(definition.commands)) {
      if (command.roles.every((role) => role === SYSTEM_ROLE)) continue;
      const path = command.from.length === 0 ? '/signals' : `/signals/{id}/${name}`;
      byPath.set(path, [...(byPath.get(path) ?? []), { definition, name }]);
    }
  const paths: OpenAPIObject['paths'] = {};
  for (const [path, versions] of byPath) {
    const isSubmit = path === '/signals';
    const { definition: latest, name } = versions[versions.length - 1]!;
    const command = latest.commands[name]!;
    const perVersion = versions.map(({ definition }) => {
      const spec = definition.commands[name]!;
      const roles = spec.roles.filter((role) => role !== SYSTEM_ROLE).join(', ');
      const from = isSubmit ? '' : ` vanuit ${spec.from.join(', ')}`;
      return `${definition.name} v${definition.version}: ${roles}${from}`;
    });
    // A command some versions lack answers 404 UNKNOWN_COMMAND on a signal of such a version.
    const inEveryVersion =
      versions.length === WORKFLOWS.filter((definition) => definition.name === latest.name).length;
    const bodies = versions.map(({ definition }) => commandBodySchema(definition.commands[name]!));
    const distinctBodies = bodies.filter(
      (body, i) => bodies.findIndex((other) => JSON.stringify(other) === JSON.stringify(body)) === i,
    );
    paths[path] = {
      ...existing[path],
      post: {
        tags: ['signalen'],
        summary: `${command.label} (${name})`,
        description: `Registreert ${command.event}. Rollen en toestanden per versie van de levenscyclus (een signaal volgt de versie waarmee het werd ingediend): ${perVersion.join('; ')}.`,
        security: [{ bearer: [] }],
        parameters: [
          ...(isSubmit
            ? []
            : [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }]),
          ...COMMAND_HEADERS,
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: distinctBodies.length === 1 ? distinctBodies[0] : { oneOf: distinctBodies },
            },
          },
        },
        responses: {
          [isSubmit ? '201' : '200']: {
            description: isSubmit ? 'Ingediend; Location wijst naar het signaal' : 'Uitgevoerd',
            headers: isSubmit
              ? {
                  ...COMMAND_ANSWER_HEADERS,
                  Location: { description: '/signals/{id}', schema: { type: 'string' } },
                }
              : COMMAND_ANSWER_HEADERS,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/SignalCommandResult' } } },
          },
          '400': errorResponse(
            `Ongeldige invoer (${isSubmit ? '' : 'INVALID_ID, '}INVALID_BODY, VALIDATION_FAILED, FIELD_REQUIRED, FIELD_NOT_ALLOWED, FIELD_INVALID, INVALID_IF_MATCH, INVALID_IDEMPOTENCY_KEY, MALFORMED_JSON, MALFORMED_CONTENT_ENCODING)`,
          ),
          '403': errorResponse(
            'Je rol mag deze opdracht niet geven, of niet op dit signaal (ROLE_NOT_ALLOWED)',
          ),
          ...(isSubmit
            ? {}
            : {
                '404': errorResponse(
                  `Het signaal bestaat niet of valt buiten je bereik (SIGNAL_NOT_FOUND)${inEveryVersion ? '' : ', of de opdracht bestaat niet in de versie van de levenscyclus die het signaal volgt (UNKNOWN_COMMAND)'}`,
                ),
              }),
          '409': errorResponse(
            isSubmit
              ? 'Het signaal bestaat al (SIGNAL_ALREADY_EXISTS) of gelijktijdige wijziging (CONCURRENCY_CONFLICT)'
              : 'Niet in deze toestand (TRANSITION_NOT_ALLOWED), of gelijktijdige wijziging (CONCURRENCY_CONFLICT)',
          ),
          '412': errorResponse('If-Match komt niet overeen met de huidige revisie (PRECONDITION_FAILED)'),
          '422': errorResponse(
            `Persoonsgegevens in vrije tekst (PERSONAL_DATA_DETECTED), Idempotency-Key hergebruikt met een andere inhoud (IDEMPOTENCY_KEY_REUSED)${name === 'merge-into' ? ', of geen geldig signaal om mee samen te voegen (MERGE_TARGET_INVALID)' : ''}`,
          ),
        },
      },
    } as OpenAPIObject['paths'][string];
  }
  return paths;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/**
 * The answers every route can give before its handler runs, where its description leaves them
 * out: the guard's 401 and 503 (every route but a `@Public()` one, which gets `security: []`) and 403
 * (a route with `@Roles()`, which are listed), and the body parser's 400, 413 and 415 on a route
 * that takes a body. The decorators' extensions are read here and left out of the document.
 */
function addGuardAndBodyAnswers(document: OpenAPIObject): void {
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method] as (Operation & Record<string, unknown>) | undefined;
      if (!operation) continue;
      const isPublic = operation[PUBLIC_EXTENSION] === true;
      const roles = operation[ROLES_EXTENSION] as string[] | undefined;
      delete operation[PUBLIC_EXTENSION];
      delete operation[ROLES_EXTENSION];
      const responses = operation.responses;
      if (isPublic) operation.security = [];
      else {
        operation.security ??= [{ bearer: [] }];
        responses['401'] ??= errorResponse(
          'Geen, ongeldig, verlopen of ingetrokken token (UNAUTHENTICATED, TOKEN_INVALID, TOKEN_EXPIRED, TOKEN_REVOKED)',
        );
        responses['503'] ??= errorResponse(
          'De aanmeldingsdienst (OIDC) is tijdelijk niet bereikbaar (AUTH_PROVIDER_UNAVAILABLE)',
        );
      }
      if (roles !== undefined) {
        responses['403'] ??= errorResponse(`Enkel voor ${roles.join(', ')} (ROLE_NOT_ALLOWED)`);
        operation.description ??= `Rollen: ${roles.join(', ')}.`;
      }
      if (operation.requestBody !== undefined) {
        responses['400'] ??= errorResponse(
          'De inhoud is geen geldige JSON (MALFORMED_JSON), kan niet gedecomprimeerd worden (MALFORMED_CONTENT_ENCODING) of is ongeldig',
        );
        responses['413'] ??= errorResponse('Het verzoek is groter dan 64 KiB (PAYLOAD_TOO_LARGE)');
        responses['415'] ??= errorResponse(
          'De inhoud is geen JSON in UTF-8 (UNSUPPORTED_MEDIA_TYPE, UNSUPPORTED_ENCODING) of is gecomprimeerd met iets anders dan gzip, deflate of br (UNSUPPORTED_CONTENT_ENCODING)',
        );
      }
    }
  }
}

/**
 * Every route takes an X-Correlation-Id and answers with one (correlate(), correlation.ts): a
 * parameter and an answer header on every operation, declared once under components.
 */
function addCorrelation(document: OpenAPIObject): void {
  document.components ??= {};
  document.components.parameters = {
    ...document.components.parameters,
    CorrelationId: CORRELATION_PARAMETER,
  };
  document.components.headers = { ...document.components.headers, CorrelationId: CORRELATION_ANSWER_HEADER };
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method] as Operation | undefined;
      if (!operation) continue;
      operation.parameters = [
        ...(operation.parameters ?? []),
        { $ref: '#/components/parameters/CorrelationId' },
      ];
      for (const answer of Object.values(operation.responses)) {
        if (answer === undefined || '$ref' in answer) continue;
        answer.headers = {
          ...answer.headers,
          'X-Correlation-Id': { $ref: '#/components/headers/CorrelationId' },
        };
      }
    }
  }
}

const CORRELATION_PARAMETER = {
  name: 'X-Correlation-Id',
  in: 'header' as const,
  required: false,
  schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,100}$' },
  description:
    'Volgt het verzoek in de gebeurtenissen die het schrijft en in de logs; zonder (of ongeldig) maakt de server er een',
};

const CORRELATION_ANSWER_HEADER = {
  description: 'De meegegeven X-Correlation-Id, of de nieuwe die de server maakte',
  schema: { type: 'string' },
};

export function setupOpenApi(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), { jsonDocumentUrl: 'docs/openapi.json' });
}
