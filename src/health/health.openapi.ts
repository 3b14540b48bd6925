import { described, jsonOf as json, type Paths, type Schemas } from '../platform/http/openapi-parts.js';

/** Where a role that one instance at a time runs is running (RolePlacement). */
const PLACEMENT = {
  type: 'object',
  required: ['state', 'lease'],
  properties: {
    state: {
      type: 'string',
      enum: ['standby', 'starting', 'leading', 'stopped', 'inline', 'off'],
      description:
        'leading/starting: deze instantie heeft de lease; standby: een andere; inline: in de thread van de app, zonder lease; off: niet in dit proces',
    },
    lease: { type: 'string', enum: ['sqlite', 'redis', null], nullable: true },
    holder: {
      type: 'string',
      nullable: true,
      description: 'Wie de lease houdt (host:pid:…); alleen met HEALTH_DETAILS=on',
    },
  },
};

/** The health check (/health): their answers' schemas, referred to from the route descriptions below. */
export const HEALTH_SCHEMAS: Schemas = {
  Health: {
    type: 'object',
    required: ['status', 'eventStore', 'projections', 'projectionRunner', 'processWorkflows'],
    properties: {
      status: { type: 'string', enum: ['ok', 'unavailable'] },
      eventStore: {
        type: 'object',
        required: ['adapter', 'ok'],
        properties: {
          adapter: { type: 'string', enum: ['sqlite', 'eventstoredb'] },
          ok: { type: 'boolean' },
          lastPosition: {
            type: 'string',
            description: 'Laatste globale positie, als de opslag ze goedkoop kent',
          },
          detail: {
            type: 'string',
            description: 'Toelichting van de opslag (host, foutmelding); alleen met HEALTH_DETAILS=on',
          },
        },
      },
      projections: {
        type: 'array',
        description: 'Elk leesmodel en zijn achterstand; leeg als de opslag onbereikbaar is',
        items: {
          type: 'object',
          required: [
            'name',
            'version',
            'checkpoint',
            'caughtUp',
            'rebuildingBeside',
            'lagEvents',
            'lagMs',
            'parked',
          ],
          properties: {
            name: { type: 'string' },
            version: { type: 'integer' },
            checkpoint: { type: 'string', nullable: true, description: 'Laatst verwerkte positie' },
            caughtUp: { type: 'boolean' },
            rebuildingBeside: {
              type: 'integer',
              nullable: true,
              description: 'De versie die ernaast opnieuw opgebouwd wordt',
            },
            lagEvents: {
              type: 'integer',
              nullable: true,
              description: 'Achterstand in gebeurtenissen (SQLite)',
            },
            lagMs: { type: 'integer' },
            parked: { type: 'integer', description: 'Geweigerde gebeurtenissen' },
          },
        },
      },
      projectionRunner: PLACEMENT,
      processWorkflows: PLACEMENT,
    },
  },
};

/**
 * The health check (/health), described: each route's answers (status codes with their error codes, the JSON schema
 * of every JSON answer) beside what Nest derives from the controllers.
 */
export function healthPaths(existing: Paths): Paths {
  if (existing['/health']?.get === undefined) return {};
  return described(existing, {
    '/health': {
      get: {
        tags: ['status'],
        summary: 'De toestand van de dienst',
        description:
          'Zonder token. De toestand van de gebeurtenissenopslag, de achterstand van elk leesmodel, en waar de projecties en de procesworkflows lopen. Wie een lease houdt en de toelichting van de opslag (host, foutmelding) staan er alleen in met HEALTH_DETAILS=on; anders gaat die toelichting naar het logboek.',
        responses: {
          '200': { description: 'De opslag is bereikbaar (status ok)', content: json('Health') },
          '503': {
            description: 'De opslag is niet bereikbaar (status unavailable, zonder leesmodellen)',
            content: json('Health'),
          },
        },
      },
    },
  });
}
