import {
  described,
  errorResponse as error,
  jsonOf as json,
  type Paths,
  type Schemas,
  nullableString,
  MIN_POSITION_HEADER,
  STALE_HEADER,
} from '../platform/http/openapi-parts.js';
import { codesOf } from '../../workflows/taxonomy/taxonomy.js';
import { DOSSIER_COMMANDS, DOSSIER_PHASES, type DossierCommandName } from './dossier.decider.js';
import { DOSSIER_FIELDS } from './dossier-commands.validation.js';
import { ESCALATION_LEVELS } from './dossier.events.js';

const instant = { type: 'string', format: 'date-time' };
const uuid = { type: 'string', format: 'uuid' };
const uuids = { type: 'array', items: uuid };
const strings = { type: 'array', items: { type: 'string' } };
const phase = { type: 'string', enum: DOSSIER_PHASES };
/** When and by whom something was recorded on a dossier. */
const BY = { at: instant, by: { type: 'string', description: 'Wie het registreerde' } };

/** What every member of a dossier shows: the signal, and when and by whom it joined. */
const MEMBER_FIELDS = { signalId: uuid, ...BY };

export const DOSSIER_SCHEMAS: Schemas = {
  DossierCommandResult: {
    type: 'object',
    required: ['dossierId', 'revision', 'position', 'state', 'events'],
    properties: {
      dossierId: uuid,
      revision: { type: 'string', description: 'Revisie van het dossier na de opdracht (ook als ETag)' },
      position: { type: 'string', description: 'Globale positie: geef ze mee als minPosition' },
      state: phase,
      events: {
        type: 'array',
        items: {
          type: 'object',
          required: ['id', 'type'],
          properties: { id: { type: 'string' }, type: { type: 'string' } },
        },
      },
    },
  },
  DossierListItem: {
    type: 'object',
    description: 'Een dossier (bundel) zoals de lijst het toont',
    required: [
      'tenantId',
      'dossierId',
      'title',
      'themes',
      'state',
      'stateLabel',
      'open',
      'levels',
      'memberCount',
      'memberSignalIds',
      'createdAt',
      'createdBy',
      'updatedAt',
      'revision',
    ],
    properties: {
      tenantId: { type: 'string' },
      dossierId: uuid,
      title: { type: 'string' },
      themes: { ...strings, description: 'De thema’s van het dossier en die zijn analyse noemde' },
      state: phase,
      stateLabel: {
        type: 'string',
        description: 'De fase zoals mensen ze lezen (Bundelen, Geanalyseerd, …)',
      },
      open: { type: 'boolean' },
      levels: {
        type: 'array',
        description: 'Bereikte escalatieniveaus',
        items: { type: 'string', enum: [...ESCALATION_LEVELS] },
      },
      memberCount: { type: 'integer' },
      memberSignalIds: uuids,
      createdAt: instant,
      createdBy: { type: 'string' },
      updatedAt: instant,
      revision: { type: 'integer', description: 'Revisie van het dossier: de If-Match van een opdracht' },
    },
  },
  DossierPage: {
    type: 'object',
    required: ['items', 'total', 'hasMore', 'limit', 'offset'],
    properties: {
      items: { type: 'array', items: { $ref: '#/components/schemas/DossierListItem' } },
      total: { type: 'integer', nullable: true, description: 'Enkel met count=true' },
      hasMore: { type: 'boolean' },
      limit: { type: 'integer' },
      offset: { type: 'integer' },
    },
  },
  DossierMember: {
    description:
      'Een signaal in het dossier: wanneer en door wie het toegevoegd werd; titel, toestand en thema’s enkel voor een signaal binnen je bereik (visible)',
    oneOf: [
      {
        type: 'object',
        required: ['signalId', 'at', 'by', 'visible'],
        properties: { ...MEMBER_FIELDS, visible: { type: 'boolean', enum: [false] } },
      },
      {
        type: 'object',
        required: ['signalId', 'at', 'by', 'visible', 'title', 'state', 'stateLabel', 'themes'],
        properties: {
          ...MEMBER_FIELDS,
          visible: { type: 'boolean', enum: [true] },
          title: { ...nullableString, description: '[gewist] na wissing van de tekst' },
          state: { type: 'string' },
          stateLabel: { type: 'string' },
          themes: strings,
        },
      },
    ],
  },
  DossierDetail: {
    type: 'object',
    description: 'Een dossier met alles wat erop geregistreerd werd, en de opdrachten die je nu mag geven',
    required: [
      'tenantId',
      'dossierId',
      'title',
      'summary',
      'themes',
      'state',
      'stateLabel',
      'open',
      'createdAt',
      'createdBy',
      'updatedAt',
      'revision',
      'members',
      'removed',
      'analysis',
      'escalations',
      'decisions',
      'closed',
      'allowedCommands',
    ],
    properties: {
      tenantId: { type: 'string' },
      dossierId: uuid,
      title: { type: 'string' },
      summary: { type: 'string' },
      themes: strings,
      state: phase,
      stateLabel: { type: 'string' },
      open: { type: 'boolean' },
      createdAt: instant,
      createdBy: { type: 'string' },
      updatedAt: instant,
      revision: { type: 'integer', description: 'Revisie van het dossier (ook als ETag): de If-Match' },
      members: { type: 'array', items: { $ref: '#/components/schemas/DossierMember' } },
      removed: {
        type: 'array',
        description: 'Signalen die uit het dossier gehaald werden, met de reden',
        items: {
          type: 'object',
          required: ['signalId', 'reason', 'at', 'by'],
          properties: { signalId: uuid, reason: { type: 'string' }, ...BY },
        },
      },
      analysis: {
        type: 'object',
        nullable: true,
        description: 'De analyse; leeg zolang er geen is',
        required: ['conclusion', 'structural', 'themes', 'at', 'by'],
        properties: {
          conclusion: { type: 'string' },
          structural: { type: 'boolean' },
          themes: strings,
          ...BY,
        },
      },
      escalations: {
        type: 'array',
        items: {
          type: 'object',
          required: ['level', 'body', 'motivation', 'memberSignalIds', 'at', 'by'],
          properties: {
            level: { type: 'string', enum: [...ESCALATION_LEVELS] },
            body: { type: 'string', description: 'Het orgaan, bv. college, OCMW-raad, VVSG' },
            motivation: { type: 'string' },
            memberSignalIds: { ...uuids, description: 'De signalen die toen in het dossier zaten' },
            ...BY,
          },
        },
      },
      decisions: {
        type: 'array',
        items: {
          type: 'object',
          required: ['decision', 'actions', 'feedback', 'memberSignalIds', 'at', 'by'],
          properties: {
            decision: { type: 'string' },
            actions: strings,
            feedback: { type: 'string', description: 'De terugkoppeling aan de signaalgevers' },
            memberSignalIds: { ...uuids, description: 'De signalen die toen in het dossier zaten' },
            ...BY,
          },
        },
      },
      closed: {
        type: 'object',
        nullable: true,
        description: 'De afsluiting; leeg zolang het dossier open is',
        required: ['outcome', 'at', 'by'],
        properties: { outcome: { type: 'string' }, ...BY },
      },
      allowedCommands: {
        type: 'array',
        items: {
          type: 'object',
          required: ['name', 'label', 'path'],
          properties: { name: { type: 'string' }, label: { type: 'string' }, path: { type: 'string' } },
        },
      },
    },
  },
  SimilarSignals: {
    type: 'object',
    description: 'Gelijkaardige signalen binnen je bereik, sterkste eerst',
    required: ['signalId', 'scoring', 'items'],
    properties: {
      signalId: uuid,
      scoring: {
        type: 'object',
        description: 'Het gewicht van de tekst en van de thema’s in score',
        required: ['text', 'themes'],
        properties: { text: { type: 'number' }, themes: { type: 'number' } },
      },
      items: {
        type: 'array',
        items: {
          type: 'object',
          required: [
            'signalId',
            'title',
            'state',
            'themes',
            'dossierId',
            'score',
            'textScore',
            'themeScore',
            'sharedTerms',
          ],
          properties: {
            signalId: uuid,
            title: { ...nullableString, description: '[gewist] na wissing van de tekst' },
            state: { type: 'string' },
            themes: strings,
            dossierId: {
              ...uuid,
              nullable: true,
              description: 'Het open dossier waarin het voorgestelde signaal al zit',
            },
            score: { type: 'number', minimum: 0, maximum: 1 },
            textScore: { type: 'number', minimum: 0, maximum: 1 },
            themeScore: { type: 'number', minimum: 0, maximum: 1 },
            sharedTerms: { ...strings, description: 'De stammen die beide teksten delen, sterkste eerst' },
          },
        },
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
        properties[field] = { type: 'string', enum: [...ESCALATION_LEVELS] };
        break;
    }
  }
  return { type: 'object', additionalProperties: false, required: Object.keys(properties), properties };
}

const idParameter = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };

/**
 * One path per dossier command (the controller has one route for them), with its body schema;
 * the dossier list, a dossier's page, and the bundling suggestions of a signal.
 */
export function dossierPaths(existing: Paths): Paths {
  const paths: Paths = {};
  for (const name of Object.keys(DOSSIER_COMMANDS) as DossierCommandName[]) {
    const spec = DOSSIER_COMMANDS[name];
    const create = name === 'create';
    const path = create ? '/dossiers' : `/dossiers/{id}/${name}`;
    paths[path] = {
      ...existing[path],
      post: {
        tags: ['dossiers'],
        summary: `${spec.label} (${name})`,
        description: `Rol: lead-processor. ${spec.from.length > 0 ? `In fase: ${spec.from.join(', ')}. ` : ''}Registreert ${spec.event}.`,
        security: [{ bearer: [] }],
        parameters: [
          ...(create ? [] : [idParameter]),
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
          [create ? '201' : '200']: {
            description: 'Uitgevoerd',
            headers: {
              ETag: { description: 'De revisie van het dossier, voor If-Match', schema: { type: 'string' } },
              ...(create
                ? {
                    Location: { description: 'Het adres van het nieuwe dossier', schema: { type: 'string' } },
                  }
                : {}),
            },
            content: {
              'application/json': { schema: { $ref: '#/components/schemas/DossierCommandResult' } },
            },
          },
          '400': error(
            `Ongeldige invoer: ${create ? '' : 'INVALID_ID, '}MALFORMED_JSON, MALFORMED_CONTENT_ENCODING, INVALID_BODY, VALIDATION_FAILED, FIELD_INVALID, INVALID_IF_MATCH, INVALID_IDEMPOTENCY_KEY`,
          ),
          '403': error('Alleen de hoofdsignaalverwerker (ROLE_NOT_ALLOWED)'),
          ...(create ? {} : { '404': error('DOSSIER_NOT_FOUND') }),
          '409': error(
            create
              ? 'DOSSIER_ALREADY_EXISTS, SIGNAL_IN_OTHER_DOSSIER, CONCURRENCY_CONFLICT'
              : 'TRANSITION_NOT_ALLOWED, SIGNAL_IN_OTHER_DOSSIER, SIGNAL_ALREADY_IN_DOSSIER, DOSSIER_WOULD_BE_EMPTY, CONCURRENCY_CONFLICT',
          ),
          '412': error('PRECONDITION_FAILED: If-Match is niet de huidige revisie'),
          '422': error(
            'SIGNAL_NOT_BUNDLABLE, SIGNAL_NOT_IN_DOSSIER, DOSSIER_TOO_LARGE, PERSONAL_DATA_DETECTED, IDEMPOTENCY_KEY_REUSED',
          ),
        },
      },
    } as Paths[string];
  }
  const query = (name: string, description: string, schema: object = { type: 'string' }) => ({
    name,
    in: 'query',
    required: false,
    schema,
    description,
  });
  /** A list parameter, written as `a,b,c`: at most 20 values. */
  const list = (name: string, description: string, items: object) => ({
    ...query(name, description, { type: 'array', minItems: 1, maxItems: 20, items }),
    style: 'form',
    explode: false,
  });
  const minPosition = query('minPosition', 'positie uit een antwoord op een opdracht; wacht er tot 2 s op', {
    type: 'string',
    pattern: '^\\d{1,45}$',
  });
  // The reads, over the create command's path described above.
  const reads = described(
    { ...existing, ...paths },
    {
      '/dossiers': {
        get: {
          tags: ['dossiers'],
          summary: 'Dossiers van de gemeente',
          description:
            'Voor de hoofdsignaalverwerker en de signaalverwerkers: alle dossiers van het eigen bestuur.',
          parameters: [
            list('state', `fasen, komma-gescheiden: ${DOSSIER_PHASES.join(', ')}`, {
              type: 'string',
              enum: DOSSIER_PHASES,
            }),
            list('theme', 'themacodes, komma-gescheiden', { type: 'string', enum: codesOf('themes') }),
            list('level', 'local, supralocal', { type: 'string', enum: [...ESCALATION_LEVELS] }),
            query('open', 'true: enkel open dossiers, false: enkel afgesloten', { type: 'boolean' }),
            list('signal', 'signaal-id’s: de dossiers die ze bevatten', { type: 'string', format: 'uuid' }),
            query('sort', 'createdAt of updatedAt, - voor aflopend', {
              type: 'string',
              enum: ['createdAt', '-createdAt', 'updatedAt', '-updatedAt'],
              default: '-updatedAt',
            }),
            query('limit', '1–100', { type: 'integer', minimum: 1, maximum: 100, default: 25 }),
            query('offset', '0–100000', { type: 'integer', minimum: 0, maximum: 100_000, default: 0 }),
            query('count', 'true telt alle treffers (total); zonder is total null', {
              type: 'boolean',
              default: false,
            }),
            minPosition,
            MIN_POSITION_HEADER,
          ],
          responses: {
            '200': {
              description: 'Een pagina van de dossiers',
              headers: STALE_HEADER,
              content: json('DossierPage'),
            },
            '400': error('INVALID_QUERY: een onbekende parameter of waarde'),
            '403': error('ROLE_NOT_ALLOWED: enkel de hoofdsignaalverwerker en signaalverwerkers'),
          },
        },
      },
      '/dossiers/{id}': {
        get: {
          tags: ['dossiers'],
          summary: 'Een dossier',
          description:
            'Met zijn signalen zoals ze nu zijn (titel, toestand en thema’s enkel van signalen binnen je bereik), de analyse, escalaties, beslissingen en de opdrachten die je nu mag geven.',
          parameters: [idParameter, minPosition, MIN_POSITION_HEADER],
          responses: {
            '200': {
              description: 'Het dossier',
              headers: {
                ETag: {
                  description: 'De revisie van het dossier, voor If-Match',
                  schema: { type: 'string' },
                },
                ...STALE_HEADER,
              },
              content: json('DossierDetail'),
            },
            '400': error('INVALID_ID, INVALID_QUERY (minPosition is geen positie)'),
            '403': error('ROLE_NOT_ALLOWED: enkel de hoofdsignaalverwerker en signaalverwerkers'),
            '404': error('DOSSIER_NOT_FOUND'),
          },
        },
      },
      ...(existing['/signals/{id}/similar']?.get === undefined
        ? {}
        : {
            '/signals/{id}/similar': {
              get: {
                tags: ['signalen'],
                summary: 'Gelijkaardige signalen (suggesties om te bundelen)',
                description:
                  'Binnen je bereik. score = 0,8 × cosinus van de TF-IDF-vectoren van titel en beschrijving (Nederlandse stopwoorden, Snowball-stammen) + 0,2 × overlap (Jaccard) van de thema’s.',
                parameters: [
                  idParameter,
                  query('limit', '1–50, standaard 10', {
                    type: 'integer',
                    minimum: 1,
                    maximum: 50,
                    default: 10,
                  }),
                  query(
                    'minPosition',
                    'positie uit een antwoord op een opdracht; zonder wacht de index tot 2 s op de laatste positie',
                    { type: 'string', pattern: '^\\d{1,45}$' },
                  ),
                  MIN_POSITION_HEADER,
                ],
                responses: {
                  '200': {
                    description: 'De suggesties, sterkste eerst',
                    headers: {
                      'X-Read-Model-Stale': {
                        description:
                          'true: de index haalde de gevraagde positie niet binnen 2 s; het antwoord kan achterlopen',
                        schema: { type: 'string', enum: ['true'] },
                      },
                    },
                    content: json('SimilarSignals'),
                  },
                  '400': error(
                    'INVALID_ID, INVALID_QUERY: een onbekende parameter, limit of minPosition ongeldig',
                  ),
                  '403': error('ROLE_NOT_ALLOWED: enkel de hoofdsignaalverwerker en signaalverwerkers'),
                  '404': error('SIGNAL_NOT_FOUND: het signaal bestaat niet of valt buiten je bereik'),
                },
              },
            },
          }),
    },
  );
  return { ...paths, ...reads };
}
