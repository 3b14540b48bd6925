import { WORKFLOWS } from '../../../workflows/registry.js';
import {
  described,
  errorResponse as error,
  jsonOf as json,
  type Paths,
  type Schemas,
} from '../../platform/http/openapi-parts.js';

/** The versions of the signal lifecycle this build knows: what fromVersion and toVersion may name. */
const VERSIONS = WORKFLOWS.filter((workflow) => workflow.name === 'signal-lifecycle').map(
  (workflow) => workflow.version,
);
/** As the controller checks them (migrate-signal-workflow.http.ts): at most 500 signals, state names. */
const MAX_SIGNALS = 500;
const STATE = { type: 'string', pattern: '^[a-z][a-z-]{0,49}$' };

/** Workflow migrations of signals (/signal-migrations): their answers' schemas, referred to from the route descriptions below. */
export const MIGRATION_SCHEMAS: Schemas = {
  SignalMigrationRequest: {
    type: 'object',
    additionalProperties: false,
    required: ['fromVersion', 'toVersion', 'stateMapping', 'signalIds'],
    properties: {
      fromVersion: {
        type: 'integer',
        enum: VERSIONS,
        description: 'De versie van signal-lifecycle waaronder de signalen nu lopen',
      },
      toVersion: { type: 'integer', enum: VERSIONS, description: 'De versie waarnaar ze gaan' },
      stateMapping: {
        type: 'object',
        minProperties: 1,
        additionalProperties: STATE,
        description:
          'Oude toestand → nieuwe toestand, bv. { "triaged": "triaged" }. Elke sleutel is een toestand van fromVersion, elke waarde een van toVersion; een signaal in een toestand die hier niet staat, blijft staan (NO_STATE_MAPPING).',
      },
      signalIds: {
        type: 'array',
        minItems: 1,
        maxItems: MAX_SIGNALS,
        items: { type: 'string', format: 'uuid' },
        description: 'De signalen van het eigen bestuur die mee moeten; dubbels tellen eenmaal',
      },
    },
  },
  SignalMigrationReport: {
    type: 'object',
    description: 'Welke signalen meegingen en welke niet (en waarom); wie niet meeging, bleef zoals het was',
    required: ['migrated', 'refused'],
    properties: {
      migrated: {
        type: 'array',
        items: {
          type: 'object',
          required: ['signalId', 'from', 'to', 'revision', 'position'],
          properties: {
            signalId: { type: 'string', format: 'uuid' },
            from: { type: 'string', description: 'versie:toestand ervoor, bv. 1:triaged' },
            to: { type: 'string', description: 'versie:toestand erna, bv. 2:triaged' },
            revision: { type: 'string', description: 'Revisie van het signaal na de migratie' },
            position: {
              type: 'string',
              description: 'Positie van de migratie: geef ze als minPosition om je eigen wijziging te lezen',
            },
          },
        },
      },
      refused: {
        type: 'array',
        items: {
          type: 'object',
          required: ['signalId', 'code', 'message'],
          properties: {
            signalId: { type: 'string', format: 'uuid' },
            code: {
              type: 'string',
              enum: [
                'SIGNAL_NOT_FOUND',
                'WORKFLOW_VERSION_MISMATCH',
                'NO_STATE_MAPPING',
                'CONCURRENCY_CONFLICT',
              ],
              description:
                'SIGNAL_NOT_FOUND: niet in het eigen bestuur; WORKFLOW_VERSION_MISMATCH: loopt niet onder fromVersion; NO_STATE_MAPPING: zijn toestand staat niet in stateMapping; CONCURRENCY_CONFLICT: het signaal wijzigde bij elke poging (vijf keer) terwijl het gemigreerd werd',
            },
            message: { type: 'string', description: 'Uitleg in het Nederlands' },
          },
        },
      },
    },
  },
};

/**
 * Workflow migrations of signals (/signal-migrations), described: each route's answers (status codes with their error codes, the JSON schema
 * of every JSON answer) beside what Nest derives from the controllers.
 */
export function migrationPaths(existing: Paths): Paths {
  if (existing['/signal-migrations']?.post === undefined) return {};
  return described(existing, {
    '/signal-migrations': {
      post: {
        tags: ['signalen'],
        summary: 'Signalen naar een andere versie van hun workflow brengen',
        description:
          'Enkel de hoofdsignaalverwerker. Brengt de gekozen signalen van het eigen bestuur van de ene versie van signal-lifecycle naar een andere, in de toestand die stateMapping noemt (één SignalWorkflowMigrated per signaal). Een signaal dat niet mee kan, blijft zoals het was en staat in refused.',
        requestBody: { required: true, content: json('SignalMigrationRequest') },
        responses: {
          '200': { description: 'Wat meeging en wat niet', content: json('SignalMigrationReport') },
          '400': error(
            'INVALID_MIGRATION_REQUEST (een onbekend of ongeldig veld), INVALID_STATE_MAPPING (zelfde versie, lege mapping, een onbekende toestand, of een open toestand naar een eindtoestand of omgekeerd), MALFORMED_JSON',
          ),
          '403': error('ROLE_NOT_ALLOWED (enkel de hoofdsignaalverwerker)'),
        },
      },
    },
  });
}
