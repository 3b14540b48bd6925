import {
  emailField,
  OIDC_CODE_FLOW_NOT_CONFIGURED,
  OIDC_FIELDS,
  OIDC_401,
  OIDC_PROOF,
  rateLimited,
  tenantField,
} from '../auth/auth.openapi.js';
import {
  described,
  errorResponse as error,
  jsonOf as json,
  type Paths,
  type Schemas,
  nullableString,
} from '../platform/http/openapi-parts.js';
import { ROLES } from '../../workflows/roles.js';
import { codesOf } from '../../workflows/taxonomy/taxonomy.js';
import { ERASURE_REASON_MAX, ERASURE_REASON_MIN } from './person.decider.js';

const roles = { type: 'array', items: { type: 'string', enum: [...ROLES] } };
const policyDomains = { type: 'array', items: { type: 'string' }, description: 'Codes van beleidsdomeinen' };
const position = {
  type: 'string',
  description: 'Globale positie van de wijziging: geef ze mee als minPosition om ze te lezen',
};
const organisationId = {
  ...nullableString,
  description: 'De organisatie (code), of leeg voor het bestuur zelf',
};

/** Roles a signal or dossier can be assigned to a holder of (people.service.ts). */
const ASSIGNEE_ROLES = ['processor', 'partner-processor', 'lead-processor'];

/** People and their roles (/people) and invites (/invites): their answers' schemas, referred to from the route descriptions below. */
export const PEOPLE_SCHEMAS: Schemas = {
  PersonListItem: {
    type: 'object',
    required: [
      'personId',
      'name',
      'email',
      'erased',
      'organisationId',
      'roles',
      'policyDomains',
      'oidcLinked',
    ],
    properties: {
      personId: { type: 'string', format: 'uuid' },
      name: { type: 'string', description: '"[gewist]" na wissing' },
      email: { ...nullableString, description: 'Leeg na wissing' },
      erased: { type: 'boolean' },
      organisationId,
      roles,
      policyDomains,
      oidcLinked: { type: 'boolean', description: 'Of de persoon zich aanmeldt via de identiteitsprovider' },
    },
  },
  PersonPage: {
    type: 'object',
    required: ['items'],
    properties: { items: { type: 'array', items: { $ref: '#/components/schemas/PersonListItem' } } },
  },
  Assignee: {
    type: 'object',
    description: 'Iemand aan wie een signaal of dossier toegewezen kan worden: zonder e-mailadres',
    required: ['personId', 'name', 'roles', 'policyDomains', 'organisationId'],
    properties: {
      personId: { type: 'string', format: 'uuid' },
      name: { type: 'string' },
      roles: {
        type: 'array',
        minItems: 1,
        items: { type: 'string', enum: ASSIGNEE_ROLES },
        description: 'Enkel de rollen die signalen verwerken',
      },
      policyDomains,
      organisationId,
    },
  },
  AssigneePage: {
    type: 'object',
    required: ['items'],
    properties: {
      items: {
        type: 'array',
        description: 'Op naam gesorteerd; gewiste personen niet',
        items: { $ref: '#/components/schemas/Assignee' },
      },
    },
  },
  RolesChanged: {
    type: 'object',
    required: ['personId', 'roles', 'refreshTokensRevoked', 'position'],
    properties: {
      personId: { type: 'string', format: 'uuid' },
      roles: { ...roles, description: 'De rollen van de persoon na de wijziging' },
      refreshTokensRevoked: {
        type: 'integer',
        description: 'Ingetrokken vernieuwingstokens: de persoon meldt zich opnieuw aan',
      },
      position,
    },
  },
  PersonErased: {
    type: 'object',
    required: ['personId', 'erased', 'erasedAt', 'position'],
    properties: {
      personId: { type: 'string', format: 'uuid' },
      erased: { type: 'boolean', enum: [true] },
      erasedAt: { type: 'string', format: 'date-time' },
      position,
    },
  },
  InviteIssued: {
    type: 'object',
    required: [
      'inviteId',
      'token',
      'email',
      'organisationId',
      'roles',
      'policyDomains',
      'expiresAt',
      'position',
    ],
    properties: {
      inviteId: { type: 'string', format: 'uuid' },
      token: {
        type: 'string',
        description: 'De code voor de genodigde: enkel in dit antwoord (de server bewaart alleen een hash)',
      },
      email: { type: 'string', description: 'Het e-mailadres van de genodigde, in kleine letters' },
      organisationId,
      roles,
      policyDomains,
      expiresAt: { type: 'string', format: 'date-time' },
      position,
    },
  },
  InviteAccepted: {
    type: 'object',
    required: ['personId', 'tenant', 'email', 'roles', 'organisationId', 'position'],
    properties: {
      personId: { type: 'string', format: 'uuid' },
      tenant: { type: 'string' },
      email: { type: 'string', description: 'Het adres om mee aan te melden' },
      roles,
      organisationId,
      position,
      session: {
        allOf: [{ $ref: '#/components/schemas/TokenPair' }],
        description:
          'Enkel bij aanvaarden via de identiteitsprovider: meteen aangemeld. Niet waar de toegangstokens van de identiteitsprovider komen (JWKS_URL): dan meldt de persoon zich daar aan.',
      },
    },
  },
};

const personId = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string', format: 'uuid' },
  description:
    'De persoon (personId uit GET /people); geen UUID geeft 400 INVALID_ID, een onbekende 404 PERSON_NOT_FOUND',
};

const grantedRoles = { type: 'array', minItems: 1, maxItems: 8, items: { type: 'string', enum: [...ROLES] } };
const grantedDomains = {
  type: 'array',
  nullable: true,
  maxItems: 20,
  items: { type: 'string', enum: codesOf('policyDomains') },
  description: 'Beleidsdomeinen (voor de collega-signaalverwerker)',
};
const GRANT_422 =
  'ORGANISATION_NOT_FOUND (de organisatie is niet geregistreerd), ORGANISATION_HAS_NO_ACCOUNTS (engagementvorm 4), ' +
  'ROLE_NOT_ALLOWED_FOR_ORGANISATION (engagementvorm 3: enkel signaalgever; partner-processor enkel bij engagementvorm 1 of 2)';

/**
 * People and their roles (/people) and invites (/invites), described: each route's answers (status codes with their error codes, the JSON schema
 * of every JSON answer) beside what Nest derives from the controllers.
 */
export function peoplePaths(existing: Paths): Paths {
  return described(existing, {
    '/people': {
      get: {
        tags: ['personen'],
        summary: 'De personen van het bestuur, met hun rollen',
        description: 'Rollen: tenant-admin. Een gewiste persoon staat er nog, zonder naam en e-mailadres.',
        parameters: [],
        responses: { '200': { description: 'Alle accounts van het bestuur', content: json('PersonPage') } },
      },
    },
    '/people/assignees': {
      get: {
        tags: ['personen'],
        summary: 'Aan wie een signaal of dossier toegewezen kan worden',
        description:
          'Rollen: lead-processor, tenant-admin. Wie signalen verwerkt (processor, partner-processor, lead-processor), ' +
          'met naam en beleidsdomeinen, zonder e-mailadres.',
        parameters: [],
        responses: { '200': { description: 'Op naam gesorteerd', content: json('AssigneePage') } },
      },
    },
    '/people/{id}/roles': {
      post: {
        tags: ['personen'],
        summary: 'Rollen toekennen of intrekken',
        description:
          'Rollen: tenant-admin. Registreert RolesGranted en/of RolesRevoked. Elk vernieuwingstoken van de persoon ' +
          'wordt ingetrokken; na een intrekking weigert de server ook haar bestaande toegangstokens (TOKEN_REVOKED).',
        parameters: [personId],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                additionalProperties: false,
                anyOf: [{ required: ['grant'] }, { required: ['revoke'] }],
                properties: {
                  grant: { ...grantedRoles, description: 'Toe te kennen rollen' },
                  revoke: {
                    type: 'array',
                    minItems: 1,
                    items: { type: 'string', enum: [...ROLES] },
                    description: 'In te trekken rollen: enkel rollen die de persoon heeft',
                  },
                  policyDomains: { ...grantedDomains, description: 'Beleidsdomeinen, samen met grant' },
                },
              },
            },
          },
        },
        responses: {
          '200': { description: 'Gewijzigd', content: json('RolesChanged') },
          '400': error(
            'INVALID_ID (geen id van een persoon), INVALID_BODY (geen object), FIELD_NOT_ALLOWED (een ander veld dan grant, revoke, policyDomains), ' +
              'FIELD_INVALID (grant, revoke of policyDomains in details.field), FIELD_REQUIRED (grant of revoke), MALFORMED_JSON',
          ),
          '404': error('PERSON_NOT_FOUND'),
          '409': error(
            'PERSON_ERASED (een gewiste persoon krijgt geen rollen), LAST_TENANT_ADMIN (de laatste beheerder houdt die rol), CONCURRENCY_CONFLICT',
          ),
          '422': error(`${GRANT_422}; voor de organisatie van de persoon`),
        },
      },
    },
    '/people/{id}/erase': {
      post: {
        tags: ['personen'],
        summary: 'De gegevens van een persoon wissen',
        description:
          'Rollen: tenant-admin. Naam en e-mailadres verdwijnen, aanmelden kan niet meer (wachtwoord, gekoppelde ' +
          'identiteit en tokens vervallen), een nog open uitnodiging voor het adres wordt ingetrokken. Registreert ' +
          'PersonErased met de reden; de geschiedenis houdt enkel de ondoorzichtige id.',
        parameters: [personId],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                additionalProperties: false,
                required: ['reason'],
                properties: {
                  reason: {
                    type: 'string',
                    minLength: ERASURE_REASON_MIN,
                    maxLength: ERASURE_REASON_MAX,
                    description:
                      `${ERASURE_REASON_MIN} tot ${ERASURE_REASON_MAX} tekens, zonder stuurtekens en zonder persoonsgegevens ` +
                      '(ook niet de naam of het e-mailadres van de persoon): de reden blijft bewaard in de geschiedenis',
                  },
                },
              },
            },
          },
        },
        responses: {
          '200': { description: 'Gewist', content: json('PersonErased') },
          '400': error(
            'INVALID_ID (geen id van een persoon), INVALID_BODY, FIELD_NOT_ALLOWED, ERASURE_REASON_REQUIRED, ERASURE_REASON_INVALID, MALFORMED_JSON',
          ),
          '404': error('PERSON_NOT_FOUND'),
          '409': error(
            'PERSON_ALREADY_ERASED, LAST_TENANT_ADMIN (de laatste beheerder van het bestuur wordt niet gewist), CONCURRENCY_CONFLICT',
          ),
          '422': error(
            'CANNOT_ERASE_SELF (vraag het aan een andere beheerder), ERASURE_REASON_HAS_PERSONAL_DATA',
          ),
        },
      },
    },
    '/invites': {
      post: {
        tags: ['uitnodigingen'],
        summary: 'Iemand uitnodigen',
        description:
          'Rollen: tenant-admin, lead-processor (die enkel signal-giver, processor en partner-processor toekent). ' +
          'Het antwoord bevat de code voor de genodigde, eenmalig. Ten hoogste INVITE_RATE_LIMIT uitnodigingen ' +
          'per uitnodiger (standaard 20 per uur).',
        parameters: [],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                additionalProperties: false,
                required: ['email', 'roles'],
                properties: {
                  email: { ...emailField, description: 'Het e-mailadres van de genodigde' },
                  organisationId: {
                    type: 'string',
                    nullable: true,
                    pattern: '^[a-z][a-z0-9-]{1,62}$',
                    description: 'Een geregistreerde organisatie van het bestuur; leeg: het bestuur zelf',
                  },
                  roles: { ...grantedRoles, description: 'De rollen die de genodigde krijgt' },
                  policyDomains: grantedDomains,
                  expiresInDays: {
                    type: 'integer',
                    nullable: true,
                    minimum: 1,
                    maximum: 30,
                    default: 14,
                    description: 'Hoeveel dagen de uitnodiging geldt',
                  },
                },
              },
            },
          },
        },
        responses: {
          '201': { description: 'Uitgenodigd', content: json('InviteIssued') },
          '400': error(
            'INVALID_BODY, FIELD_NOT_ALLOWED, FIELD_INVALID (email, organisationId, roles, policyDomains, expiresInDays), MALFORMED_JSON',
          ),
          '403': error(
            'ROLE_NOT_ALLOWED (enkel tenant-admin en lead-processor), ROLE_NOT_GRANTABLE (de hoofdsignaalverwerker kent die rol niet toe)',
          ),
          '422': error(GRANT_422),
          '429': rateLimited('te veel uitnodigingen'),
        },
      },
    },
    '/invites/accept': {
      post: {
        tags: ['uitnodigingen'],
        summary: 'Een uitnodiging aanvaarden: het account maken',
        description:
          'Zonder token. Met een wachtwoord (password), of via de identiteitsprovider (idToken, of code met ' +
          'codeVerifier en redirectUri): dan wordt de identiteit aan het account gekoppeld en is de persoon meteen ' +
          'aangemeld (session). Een uitnodiging van een ander bestuur bestaat hier niet (404).',
        parameters: [],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                additionalProperties: false,
                required: ['tenant', 'token', 'name'],
                oneOf: [{ required: ['password'] }, ...OIDC_PROOF.oneOf],
                properties: {
                  tenant: tenantField,
                  token: {
                    type: 'string',
                    minLength: 20,
                    maxLength: 200,
                    description: 'De code uit de uitnodiging',
                  },
                  name: {
                    type: 'string',
                    minLength: 2,
                    maxLength: 120,
                    description:
                      'Naam van de persoon: 2 tot 120 tekens (zonder spaties rondom), zonder stuurtekens',
                  },
                  password: { type: 'string', minLength: 12, maxLength: 200 },
                  ...OIDC_PROOF.properties,
                },
              },
            },
          },
        },
        responses: {
          '201': { description: 'Het account bestaat', content: json('InviteAccepted') },
          '400': error(
            'INVALID_BODY, FIELD_NOT_ALLOWED (een onbekend veld, of idToken én code), ' +
              `FIELD_INVALID (tenant, token, name, ${OIDC_FIELDS}), ` +
              'FIELD_REQUIRED (password, of de identiteitsprovider: één van beide), PASSWORD_TOO_WEAK, ' +
              `${OIDC_CODE_FLOW_NOT_CONFIGURED}, MALFORMED_JSON`,
          ),
          '401': error(OIDC_401),
          '404': error('INVITE_NOT_FOUND, OIDC_NOT_CONFIGURED'),
          '409': error(
            'INVITE_ALREADY_USED, ACCOUNT_EXISTS (er is al een account met dit e-mailadres of deze identiteit)',
          ),
          '410': error('INVITE_EXPIRED, INVITE_WITHDRAWN (het adres werd gewist met een persoon)'),
          '429': rateLimited('te veel pogingen van dit adres'),
          '503': error('AUTH_PROVIDER_UNAVAILABLE (de identiteitsprovider is niet bereikbaar)'),
        },
      },
    },
  });
}
