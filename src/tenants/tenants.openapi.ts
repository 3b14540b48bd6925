import {
  described,
  errorResponse as error,
  jsonOf as json,
  type Paths,
  type Schemas,
  nullableString,
} from '../platform/http/openapi-parts.js';
import { WORKFLOWS } from '../../workflows/registry.js';
import { codesOf } from '../../workflows/taxonomy/taxonomy.js';
import { MIN_PUBLIC_COUNT } from './public-page.http.js';
import { ENGAGEMENT_MODES, POPULATION_BANDS } from './tenant.events.js';

/** A tenant's or an organisation's code (slug). */
const SLUG = '^[a-z][a-z0-9-]{1,62}$';
/** The code of a local sub-theme or of an organisation named in an agreement. */
const CODE = '^[a-z][a-z0-9-]{0,62}$';
const engagementMode = {
  type: 'integer',
  enum: [...ENGAGEMENT_MODES],
  description:
    'Engagementvorm: 1 verwerkt de signalen van het eigen personeel, 2 verwerkt signalen op het hele grondgebied ' +
    '(mandaat), 3 signaleert zonder verwerking, 4 neemt deel aan het beleid zonder toegang tot de tool',
};
/** A text as the server checks it (`text()` in tenant.decider.ts): trimmed, without control characters. */
const text = (min: number, max: number) => ({
  type: 'string',
  minLength: min,
  maxLength: max,
  description: `${min} tot ${max} tekens (zonder spaties rondom), zonder stuurtekens`,
});

const lifecycles = WORKFLOWS.filter((definition) => definition.name === 'signal-lifecycle');
const WORKFLOW_VERSIONS = lifecycles.map((definition) => definition.version);
/** Every state that has a deadline in some version of the signal lifecycle. */
const DEADLINE_STATES = [
  ...new Set(
    lifecycles.flatMap((definition) =>
      Object.entries(definition.states)
        .filter(([, state]) => !state.terminal)
        .map(([name]) => name),
    ),
  ),
];

/** The contact point (meldpunt), or null: none. Inline, as OpenAPI 3.0 cannot make a `$ref` nullable. */
const contactPoint = {
  type: 'object',
  nullable: true,
  additionalProperties: false,
  required: ['name', 'email'],
  description: 'Het meldpunt; leeg: geen',
  properties: {
    name: text(2, 120),
    email: { type: 'string', pattern: '^[^\\s@]{1,64}@[^\\s@]{1,190}\\.[A-Za-z]{2,}$' },
    phone: {
      type: 'string',
      nullable: true,
      pattern: '^\\+?[0-9 ./-]{6,20}$',
      description: 'Standaard leeg',
    },
  },
};

/** The tenant, its settings, organisations and public page (/tenant, /organisations, /public): their answers' schemas, referred to from the route descriptions below. */
export const TENANT_SCHEMAS: Schemas = {
  LocalSubTheme: {
    type: 'object',
    additionalProperties: false,
    required: ['code', 'label', 'theme'],
    properties: {
      code: {
        type: 'string',
        pattern: CODE,
        description: 'Eigen code: uniek, en geen code van een gedeeld thema',
      },
      label: text(2, 100),
      theme: {
        type: 'string',
        enum: codesOf('themes'),
        description: 'Het gedeelde thema waar het onder valt',
      },
    },
  },
  Agreement: {
    type: 'object',
    additionalProperties: false,
    required: ['title', 'summary'],
    properties: {
      title: text(2, 200),
      summary: text(2, 5_000),
      organisationIds: {
        type: 'array',
        maxItems: 50,
        items: { type: 'string', pattern: CODE },
        description: 'Organisaties die de afspraak aangaat (standaard geen)',
      },
    },
  },
  TenantSettings: {
    type: 'object',
    description: 'Elke instelling van het bestuur; zonder wijziging de standaardwaarden',
    required: [
      'workflowVersion',
      'deadlineOverrides',
      'supralocalOptIn',
      'localSubThemes',
      'contactPoint',
      'privacyStatement',
      'inviteInstructions',
      'agreements',
      'retentionYears',
    ],
    properties: {
      workflowVersion: {
        type: 'integer',
        enum: WORKFLOW_VERSIONS,
        description: 'Versie van de signaalworkflow waaronder nieuwe signalen starten',
      },
      deadlineOverrides: {
        type: 'object',
        additionalProperties: { type: 'integer', minimum: 1, maximum: 365 },
        description: `Termijn in dagen per toestand, in plaats van die van de workflow (toestanden: ${DEADLINE_STATES.join(', ')})`,
      },
      supralocalOptIn: { type: 'boolean', description: 'Of het bestuur deelneemt aan bovenlokale inzichten' },
      localSubThemes: { type: 'array', items: { $ref: '#/components/schemas/LocalSubTheme' } },
      contactPoint,
      privacyStatement: nullableString,
      inviteInstructions: {
        ...nullableString,
        description: 'Hoe een eerstelijnswerker een uitnodiging vraagt (op de publieke pagina)',
      },
      agreements: { type: 'array', items: { $ref: '#/components/schemas/Agreement' } },
      retentionYears: {
        type: 'integer',
        minimum: 1,
        maximum: 30,
        description: 'Jaren na het afsluiten van een signaal dat zijn vrije tekst bewaard blijft',
      },
    },
  },
  Tenant: {
    type: 'object',
    required: ['tenantId', 'name', 'nisCode', 'populationBand', 'settings'],
    properties: {
      tenantId: { type: 'string' },
      name: { type: 'string' },
      nisCode: { type: 'string', pattern: '^\\d{5}$', description: 'NIS-code van de gemeente' },
      populationBand: { type: 'string', enum: [...POPULATION_BANDS] },
      settings: { $ref: '#/components/schemas/TenantSettings' },
    },
  },
  TenantSettingsChanged: {
    type: 'object',
    required: ['settings', 'position'],
    properties: {
      settings: { $ref: '#/components/schemas/TenantSettings' },
      position: {
        ...nullableString,
        description: 'Globale positie van de wijziging; leeg als niets veranderde',
      },
    },
  },
  Organisation: {
    type: 'object',
    required: ['tenantId', 'organisationId', 'name', 'engagementMode', 'description'],
    properties: {
      tenantId: { type: 'string' },
      organisationId: { type: 'string', description: 'De code van de organisatie' },
      name: { type: 'string' },
      engagementMode,
      description: nullableString,
    },
  },
  OrganisationPage: {
    type: 'object',
    required: ['items'],
    properties: {
      items: {
        type: 'array',
        description: 'Op naam gesorteerd',
        items: { $ref: '#/components/schemas/Organisation' },
      },
    },
  },
  PublicTenantPage: {
    type: 'object',
    description: 'De publieke Lokaal Signaal-pagina: zonder persoonsgegevens, kleine aantallen niet getoond',
    required: [
      'tenant',
      'organisations',
      'agreements',
      'privacyStatement',
      'contactPoint',
      'howToGetAnInvite',
      'supralocalOptIn',
      'figures',
    ],
    properties: {
      tenant: {
        type: 'object',
        required: ['slug', 'name', 'nisCode'],
        properties: { slug: { type: 'string' }, name: { type: 'string' }, nisCode: { type: 'string' } },
      },
      organisations: {
        type: 'array',
        items: {
          type: 'object',
          required: ['id', 'name', 'engagementMode', 'engagement', 'description'],
          properties: {
            id: { type: 'string' },
            name: { type: 'string' },
            engagementMode,
            engagement: { type: 'string', description: 'De engagementvorm in woorden' },
            description: nullableString,
          },
        },
      },
      agreements: { type: 'array', items: { $ref: '#/components/schemas/Agreement' } },
      privacyStatement: nullableString,
      contactPoint,
      howToGetAnInvite: { type: 'string' },
      supralocalOptIn: { type: 'boolean' },
      figures: {
        type: 'object',
        description: `Signalen dit jaar; een aantal onder ${MIN_PUBLIC_COUNT} is leeg (niet getoond)`,
        required: ['year', 'minimumCount', 'received', 'closed', 'byTheme', 'note'],
        properties: {
          year: { type: 'integer' },
          minimumCount: { type: 'integer' },
          received: { type: 'integer', nullable: true },
          closed: { type: 'integer', nullable: true },
          byTheme: {
            type: 'array',
            description: `Enkel thema’s met minstens ${MIN_PUBLIC_COUNT} ontvangen signalen`,
            items: {
              type: 'object',
              required: ['theme', 'received', 'closed'],
              properties: {
                theme: { type: 'string', enum: codesOf('themes') },
                received: { type: 'integer' },
                closed: { type: 'integer', nullable: true },
              },
            },
          },
          note: { type: 'string' },
        },
      },
    },
  },
};

const nullable = (schema: object) => ({ ...schema, nullable: true });

/** PATCH /tenant/settings: the settings to change, each checked as tenant.decider.ts does. */
const SETTINGS_PATCH = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    workflowVersion: { type: 'integer', enum: WORKFLOW_VERSIONS },
    deadlineOverrides: {
      type: 'object',
      additionalProperties: { type: 'integer', minimum: 1, maximum: 365 },
      description:
        'Vervangt alle termijnen: toestand → dagen. Enkel toestanden met een termijn in de workflowversie ' +
        `(de nieuwe als workflowVersion meekomt): ${DEADLINE_STATES.join(', ')}`,
    },
    supralocalOptIn: { type: 'boolean' },
    localSubThemes: {
      type: 'array',
      maxItems: 200,
      items: { $ref: '#/components/schemas/LocalSubTheme' },
      description: 'Vervangt de lijst',
    },
    contactPoint,
    privacyStatement: nullable(text(20, 20_000)),
    inviteInstructions: nullable(text(10, 2_000)),
    agreements: {
      type: 'array',
      maxItems: 100,
      items: { $ref: '#/components/schemas/Agreement' },
      description: 'Vervangt de lijst',
    },
    retentionYears: { type: 'integer', minimum: 1, maximum: 30 },
  },
};

const organisationBody = (required: string[]) => ({
  required: true,
  content: {
    'application/json': {
      schema: {
        type: 'object',
        additionalProperties: false,
        ...(required.length > 0 ? { required } : {}),
        properties: {
          ...(required.includes('id')
            ? {
                id: { type: 'string', pattern: SLUG, description: 'De code van de organisatie, bv. cavaria' },
              }
            : {}),
          name: text(2, 200),
          engagementMode,
          description: nullable(text(2, 2_000)),
        },
      },
    },
  },
});

/**
 * The tenant, its settings, organisations and public page (/tenant, /organisations, /public), described: each route's answers (status codes with their error codes, the JSON schema
 * of every JSON answer) beside what Nest derives from the controllers.
 */
export function tenantPaths(existing: Paths): Paths {
  return described(existing, {
    '/tenant': {
      get: {
        tags: ['bestuur'],
        summary: 'Het eigen bestuur: profiel en instellingen',
        description:
          'Rollen: tenant-admin, lead-processor, official, auditor. Het bestuur komt uit het token.',
        parameters: [],
        responses: {
          '200': { description: 'Het bestuur', content: json('Tenant') },
          '404': error('TENANT_NOT_FOUND: de platformbeheerder maakte dit bestuur nog niet aan'),
        },
      },
    },
    '/tenant/settings': {
      patch: {
        tags: ['bestuur'],
        summary: 'Instellingen van het bestuur wijzigen',
        description:
          'Rollen: tenant-admin. Enkel de meegegeven instellingen; registreert TenantSettingsChanged met wat echt ' +
          'verandert (niets: geen gebeurtenis, position leeg).',
        parameters: [],
        requestBody: { required: true, content: { 'application/json': { schema: SETTINGS_PATCH } } },
        responses: {
          '200': { description: 'De instellingen zoals ze nu zijn', content: json('TenantSettingsChanged') },
          '400': error(
            'INVALID_BODY (geen object, of leeg), SETTING_UNKNOWN, SETTING_INVALID (details.field), MALFORMED_JSON',
          ),
          '404': error('TENANT_NOT_FOUND'),
          '409': error('CONCURRENCY_CONFLICT: iemand anders wijzigde het bestuur tegelijk'),
        },
      },
    },
    '/organisations': {
      get: {
        tags: ['organisaties'],
        summary: 'De partnerorganisaties van het bestuur, met hun engagementvorm',
        description: 'Rollen: tenant-admin, lead-processor, processor, partner-processor, official, auditor.',
        parameters: [],
        responses: { '200': { description: 'Op naam gesorteerd', content: json('OrganisationPage') } },
      },
      post: {
        tags: ['organisaties'],
        summary: 'Een organisatie registreren',
        description: 'Rollen: tenant-admin. Registreert OrganisationRegistered.',
        parameters: [],
        requestBody: organisationBody(['id', 'name', 'engagementMode']),
        responses: {
          '201': { description: 'Geregistreerd', content: json('Organisation') },
          '400': error(
            'INVALID_BODY, FIELD_NOT_ALLOWED, FIELD_INVALID (id, name, engagementMode, description), MALFORMED_JSON',
          ),
          '409': error('ORGANISATION_ALREADY_EXISTS, CONCURRENCY_CONFLICT'),
        },
      },
    },
    '/organisations/{id}': {
      patch: {
        tags: ['organisaties'],
        summary: 'Een organisatie wijzigen',
        description:
          'Rollen: tenant-admin. Enkel de meegegeven velden; registreert OrganisationChanged met wat echt verandert.',
        parameters: [
          {
            name: 'id',
            in: 'path',
            required: true,
            schema: { type: 'string', pattern: SLUG },
            description: 'De code van de organisatie',
          },
        ],
        requestBody: organisationBody([]),
        responses: {
          '200': { description: 'De organisatie zoals ze nu is', content: json('Organisation') },
          '400': error(
            'INVALID_BODY, FIELD_NOT_ALLOWED, FIELD_INVALID (name, engagementMode, description), MALFORMED_JSON',
          ),
          '404': error('ORGANISATION_NOT_FOUND'),
          '409': error(
            'ORGANISATION_HAS_ACCOUNTS (engagementvorm 4 terwijl medewerkers een rol hebben, of 3 terwijl ze meer dan signaalgever zijn), CONCURRENCY_CONFLICT',
          ),
        },
      },
    },
    '/public/{tenant}': {
      get: {
        tags: ['publieke pagina'],
        summary: 'De publieke Lokaal Signaal-pagina van een bestuur',
        description:
          'Zonder token. Wie deelneemt (organisaties en hun engagementvorm), de afspraken, de privacyverklaring, ' +
          `het meldpunt, hoe je een uitnodiging krijgt, en de aantallen van dit jaar (onder ${MIN_PUBLIC_COUNT} niet getoond).`,
        parameters: [
          {
            name: 'tenant',
            in: 'path',
            required: true,
            schema: { type: 'string', pattern: SLUG },
            description: 'De korte naam van het bestuur, bv. gent',
          },
        ],
        responses: {
          '200': { description: 'De pagina', content: json('PublicTenantPage') },
          '404': error('TENANT_NOT_FOUND'),
        },
      },
    },
  });
}
