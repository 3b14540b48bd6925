import {
  described,
  errorResponse as error,
  jsonOf as json,
  type Paths,
  type Schemas,
  nullableString,
} from '../platform/http/openapi-parts.js';
import { ROLES } from '../../workflows/roles.js';

/** Sign-in and the caller (/auth/*, /me): their answers' schemas, referred to from the route descriptions below. */
export const AUTH_SCHEMAS: Schemas = {
  TokenPair: {
    type: 'object',
    description: 'Een aanmelding: een kortlevend toegangstoken en het vernieuwingstoken dat het vernieuwt',
    required: ['accessToken', 'tokenType', 'expiresIn', 'refreshToken', 'refreshExpiresIn'],
    properties: {
      accessToken: { type: 'string', description: 'Meegeven als Authorization: Bearer …' },
      tokenType: { type: 'string', enum: ['Bearer'] },
      expiresIn: { type: 'integer', description: 'Geldigheid van het toegangstoken, in seconden' },
      refreshToken: {
        type: 'string',
        description:
          'Eenmalig bruikbaar bij POST /auth/refresh; een tweede gebruik meldt de hele aanmelding af',
      },
      refreshExpiresIn: { type: 'integer', description: 'Geldigheid van het vernieuwingstoken, in seconden' },
    },
  },
  SignInOptions: {
    type: 'object',
    required: ['oidc', 'demoAccounts'],
    properties: {
      oidc: {
        type: 'object',
        nullable: true,
        description: 'De identiteitsprovider; leeg als aanmelden via een provider niet ingesteld is',
        required: ['issuer', 'audience', 'authorizationUrl', 'clientId', 'flow'],
        properties: {
          issuer: { type: 'string' },
          audience: { type: 'string' },
          authorizationUrl: {
            ...nullableString,
            description: 'Waar de browser de persoon heen stuurt; leeg: geen aanmeldknop',
          },
          clientId: nullableString,
          flow: {
            type: 'string',
            nullable: true,
            enum: ['code', 'id_token', null],
            description:
              'code: autorisatiecode met PKCE, door deze server ingeruild; id_token: de impliciete flow; leeg: geen aanmeldknop',
          },
        },
      },
      demoAccounts: {
        type: 'array',
        nullable: true,
        description:
          'Enkel op de ingebouwde demo-opstelling (DEMO_DATA): de demo-accounts, met hun openbare wachtwoord. Anders leeg.',
        items: {
          type: 'object',
          required: ['tenant', 'email', 'roles', 'password'],
          properties: {
            tenant: { type: 'string' },
            email: { type: 'string' },
            roles: { type: 'array', items: { type: 'string', enum: [...ROLES] } },
            password: { type: 'string' },
          },
        },
      },
    },
  },
  OidcNonce: {
    type: 'object',
    required: ['nonce', 'expiresIn'],
    properties: {
      nonce: {
        type: 'string',
        description:
          'Eenmalig: meegeven aan de identiteitsprovider; het ID-token moet het terugbrengen (claim nonce)',
      },
      expiresIn: { type: 'integer', description: 'Geldigheid in seconden (600)' },
    },
  },
  CurrentActor: {
    type: 'object',
    description: 'Wie belt, zoals het token het bewijst',
    required: ['id', 'tenantId', 'tenantName', 'roles', 'policyDomains'],
    properties: {
      id: { type: 'string', description: 'De persoon (claim sub)' },
      tenantId: { type: 'string', description: 'Het eigen bestuur (claim tenant)' },
      tenantName: {
        ...nullableString,
        description: 'De naam van het bestuur ("Gent"); leeg voor een bestuur dat niet aangemaakt werd',
      },
      roles: { type: 'array', items: { type: 'string', enum: [...ROLES] } },
      organisationId: {
        type: 'string',
        description: 'De organisatie (claim org), als het token er een noemt',
      },
      policyDomains: {
        type: 'array',
        items: { type: 'string' },
        description: 'Beleidsdomeinen (claim domains)',
      },
      partnerScope: {
        type: 'string',
        enum: ['organisation', 'territory', 'none'],
        description:
          'Enkel voor een signaalverwerker van een partnerorganisatie met een organisatie: wat de engagementvorm ' +
          'van die organisatie laat zien (1: eigen organisatie, 2: het grondgebied, 3 en 4: niets)',
      },
    },
  },
};

/** The tenant a sign-in or an acceptance is for (the body's `tenant`). */
export const tenantField = {
  type: 'string',
  pattern: '^[a-z][a-z0-9-]{1,62}$',
  description: 'De korte naam van het bestuur, bv. gent',
};
/** An e-mail address as the server checks it: spaces around it are dropped, capitals do not matter. */
export const emailField = {
  type: 'string',
  maxLength: 254,
  pattern: '^\\s*[^\\s@]{1,64}@[^\\s@]{1,190}\\.[A-Za-z]{2,}\\s*$',
  description: 'Een e-mailadres (hoofdletters maken niet uit)',
};
const idToken = {
  type: 'string',
  maxLength: 8192,
  description: 'Het ID-token van de identiteitsprovider, met de nonce van POST /auth/oidc/nonce',
};
const code = {
  type: 'string',
  minLength: 1,
  maxLength: 2048,
  pattern: '^[!-~]+$',
  description:
    'De code die de identiteitsprovider terugstuurde (autorisatiecodeflow, als OIDC_TOKEN_URL ingesteld is)',
};
const codeVerifier = {
  type: 'string',
  pattern: '^[A-Za-z0-9._~-]{43,128}$',
  description: 'De PKCE-verificatiecode van deze aanmelding',
};
const redirectUri = {
  type: 'string',
  format: 'uri',
  maxLength: 2048,
  description: 'Het terugkeeradres van de aanmelding: een http(s)-adres zonder #',
};

/** The OIDC proof a sign-in or an acceptance brings: an ID token, or a code with its PKCE proof. */
export const OIDC_PROOF = {
  properties: { idToken, code, codeVerifier, redirectUri },
  /** Exactly one of the two ways. */
  oneOf: [{ required: ['idToken'] }, { required: ['code', 'codeVerifier', 'redirectUri'] }],
};

const refreshTokenBody = {
  required: true,
  content: {
    'application/json': {
      schema: {
        type: 'object',
        required: ['refreshToken'],
        properties: {
          refreshToken: {
            type: 'string',
            maxLength: 200,
            description: 'Het vernieuwingstoken uit de aanmelding',
          },
        },
      },
    },
  },
};

/** The headers of a sign-in's answer: tokens are not kept by caches. */
const noStore = {
  'Cache-Control': { description: 'no-store', schema: { type: 'string' } },
};

/** A refused attempt because of too many (429), with the wait in Retry-After. */
export const rateLimited = (description: string) => ({
  ...error(`RATE_LIMITED: ${description}`),
  headers: {
    'Retry-After': { description: 'Seconden wachten voor een nieuwe poging', schema: { type: 'integer' } },
  },
});

/** What issuing a session refuses for an erased person, beside what the route itself checks. */
const ACCOUNT_ERASED = 'ACCOUNT_ERASED (de gegevens van de persoon werden gewist)';
const WITHOUT_ROLES = error('ACCOUNT_WITHOUT_ROLES: het account heeft (nog) geen rol bij dit bestuur');
export const LOGIN_UNAVAILABLE =
  'LOGIN_UNAVAILABLE: deze installatie geeft zelf geen toegangstokens uit (die komen van de identiteitsprovider, JWKS_URL)';
export const OIDC_401 =
  'OIDC_TOKEN_INVALID, OIDC_TOKEN_EXPIRED, OIDC_NONCE_INVALID (nonce onbekend, verlopen of al gebruikt), ' +
  'OIDC_CODE_REFUSED (de provider weigerde de code; details.providerError)';
/** The body fields of the OIDC proof, for FIELD_INVALID. */
export const OIDC_FIELDS = 'idToken, code, codeVerifier, redirectUri';
export const OIDC_CODE_FLOW_NOT_CONFIGURED =
  'OIDC_CODE_FLOW_NOT_CONFIGURED (code gestuurd, maar deze installatie ruilt geen codes in)';

/**
 * Sign-in and the caller (/auth/*, /me), described: each route's answers (status codes with their error codes, the JSON schema
 * of every JSON answer) beside what Nest derives from the controllers.
 */
export function authPaths(existing: Paths): Paths {
  return described(existing, {
    '/auth/options': {
      get: {
        tags: ['aanmelden'],
        summary: 'Wat de aanmeldpagina aanbiedt',
        description:
          'De identiteitsprovider (als die ingesteld is) en, enkel op de ingebouwde demo-opstelling, de demo-accounts.',
        parameters: [],
        responses: { '200': { description: 'De aanmeldmogelijkheden', content: json('SignInOptions') } },
      },
    },
    '/auth/login': {
      post: {
        tags: ['aanmelden'],
        summary: 'Aanmelden met e-mailadres en wachtwoord',
        description:
          'Geeft een toegangstoken en een vernieuwingstoken. Ten hoogste LOGIN_RATE_LIMIT pogingen per account ' +
          '(standaard 5 per 15 minuten) en tien keer zoveel per adres.',
        parameters: [],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['tenant', 'email', 'password'],
                properties: {
                  tenant: tenantField,
                  email: { ...emailField, description: 'Het e-mailadres van het account' },
                  password: { type: 'string', minLength: 1, maxLength: 200 },
                },
              },
            },
          },
        },
        responses: {
          '200': { description: 'Aangemeld', headers: noStore, content: json('TokenPair') },
          '400': error(
            'INVALID_BODY (geen JSON-object), FIELD_INVALID (tenant, email, password), FIELD_NOT_ALLOWED (een ander veld), MALFORMED_JSON',
          ),
          '401': error(`LOGIN_FAILED (e-mailadres of wachtwoord klopt niet), ${ACCOUNT_ERASED}`),
          '403': WITHOUT_ROLES,
          '429': rateLimited('te veel pogingen voor dit account of van dit adres'),
          '503': error(LOGIN_UNAVAILABLE),
        },
      },
    },
    '/auth/oidc/nonce': {
      post: {
        tags: ['aanmelden'],
        summary: 'Een nonce voor een aanmelding bij de identiteitsprovider',
        description:
          'Eenmalig bruikbaar en 10 minuten geldig; het ID-token van de provider moet ze terugbrengen, zodat een ' +
          'onderschept ID-token hier niet opnieuw kan dienen. Zonder inhoud.',
        parameters: [],
        responses: {
          '201': { description: 'De nonce', headers: noStore, content: json('OidcNonce') },
          '404': error('OIDC_NOT_CONFIGURED: aanmelden via een identiteitsprovider is niet ingesteld'),
          '429': rateLimited('te veel aanvragen van dit adres'),
        },
      },
    },
    '/auth/oidc/login': {
      post: {
        tags: ['aanmelden'],
        summary: 'Aanmelden via de identiteitsprovider',
        description:
          'Met het ID-token van de provider (idToken), of met de code van de autorisatiecodeflow met PKCE ' +
          '(code, codeVerifier, redirectUri), die deze server bij de provider inruilt. De identiteit moet ' +
          'gekoppeld zijn aan een account (bij het aanvaarden van een uitnodiging).',
        parameters: [],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['tenant'],
                ...OIDC_PROOF,
                properties: { tenant: tenantField, ...OIDC_PROOF.properties },
              },
            },
          },
        },
        responses: {
          '200': { description: 'Aangemeld', headers: noStore, content: json('TokenPair') },
          '400': error(
            `INVALID_BODY (geen JSON-object), FIELD_INVALID (tenant, ${OIDC_FIELDS}), FIELD_NOT_ALLOWED (idToken én code, of een ander veld), ` +
              `${OIDC_CODE_FLOW_NOT_CONFIGURED}, MALFORMED_JSON`,
          ),
          '401': error(
            `${OIDC_401}, OIDC_IDENTITY_NOT_LINKED (geen account van dit bestuur met deze identiteit), ${ACCOUNT_ERASED}`,
          ),
          '403': WITHOUT_ROLES,
          '404': error('OIDC_NOT_CONFIGURED: aanmelden via een identiteitsprovider is niet ingesteld'),
          '429': rateLimited('te veel pogingen van dit adres'),
          '503': error(
            `AUTH_PROVIDER_UNAVAILABLE (de identiteitsprovider is niet bereikbaar), ${LOGIN_UNAVAILABLE}`,
          ),
        },
      },
    },
    '/auth/refresh': {
      post: {
        tags: ['aanmelden'],
        summary: 'Een nieuw paar tokens voor een vernieuwingstoken',
        description:
          'Het vernieuwingstoken is eenmalig: het antwoord bevat een nieuw. Wie een al gebruikt vernieuwingstoken ' +
          'opnieuw stuurt, meldt de hele aanmelding af (REFRESH_TOKEN_REUSED).',
        parameters: [],
        requestBody: refreshTokenBody,
        responses: {
          '200': { description: 'Vernieuwd', headers: noStore, content: json('TokenPair') },
          '400': error('FIELD_INVALID (refreshToken), FIELD_NOT_ALLOWED (een ander veld), MALFORMED_JSON'),
          '401': error(
            `REFRESH_TOKEN_INVALID (onbekend, verlopen of ingetrokken), REFRESH_TOKEN_REUSED, ${ACCOUNT_ERASED}`,
          ),
          '403': WITHOUT_ROLES,
          '503': error(LOGIN_UNAVAILABLE),
        },
      },
    },
    '/auth/logout': {
      post: {
        tags: ['aanmelden'],
        summary: 'Afmelden',
        description: 'Trekt elk vernieuwingstoken van deze aanmelding in. Een onbekend token geeft ook 204.',
        parameters: [],
        requestBody: refreshTokenBody,
        responses: {
          '204': { description: 'Afgemeld' },
          '400': error('FIELD_INVALID (refreshToken), FIELD_NOT_ALLOWED (een ander veld), MALFORMED_JSON'),
        },
      },
    },
    '/me': {
      get: {
        tags: ['aanmelden'],
        summary: 'Wie ben ik',
        description:
          'Het bestuur, de rollen en de organisatie van wie belt, zonder het token zelf te ontleden.',
        parameters: [],
        responses: { '200': { description: 'Wie belt', content: json('CurrentActor') } },
      },
    },
  });
}
