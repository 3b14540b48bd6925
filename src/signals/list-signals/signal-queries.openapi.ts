import { errorResponse, jsonOf, type Paths, type Schemas } from '../../platform/http/openapi-parts.js';
import { INBOX_PARAMETERS } from './inbox-query.js';

const nullableString = { type: 'string', nullable: true };
const counts = { type: 'object', additionalProperties: { type: 'integer' } };

/** The inbox's page and the dashboard as GET /signals and GET /dashboard answer them. */
export const READ_MODEL_SCHEMAS: Schemas = {
  SignalListItem: {
    type: 'object',
    description: 'Een signaal zoals de inbox het toont (zonder beschrijving: die staat op zijn pagina)',
    properties: {
      tenantId: { type: 'string' },
      signalId: { type: 'string', format: 'uuid' },
      title: { ...nullableString, description: '[gewist] na wissing van de tekst' },
      state: { type: 'string' },
      open: { type: 'boolean', description: 'Onwaar in een eindtoestand (closed, rejected, merged)' },
      themes: { type: 'array', items: { type: 'string' } },
      targetGroups: { type: 'array', items: { type: 'string' } },
      policyDomain: nullableString,
      assigneeId: nullableString,
      givenBy: { type: 'string' },
      organisationId: nullableString,
      area: nullableString,
      areaType: nullableString,
      urgency: nullableString,
      structural: { type: 'boolean', nullable: true },
      submittedAt: { type: 'string', format: 'date-time' },
      updatedAt: { type: 'string', format: 'date-time' },
      stateEnteredAt: { type: 'string', format: 'date-time' },
      dueAt: { type: 'string', format: 'date-time', nullable: true },
      overdue: { type: 'boolean', description: 'Open en over de termijn van zijn toestand, nu' },
      workflow: {
        type: 'object',
        properties: { name: { type: 'string' }, version: { type: 'integer' } },
      },
      revision: { type: 'integer', description: 'Revisie van het signaal: de If-Match van een opdracht' },
      erased: { type: 'boolean' },
    },
  },
  SignalPage: {
    type: 'object',
    properties: {
      items: { type: 'array', items: { $ref: '#/components/schemas/SignalListItem' } },
      total: { type: 'integer', nullable: true, description: 'Enkel met count=true' },
      hasMore: { type: 'boolean' },
      limit: { type: 'integer' },
      offset: { type: 'integer' },
    },
  },
  Dashboard: {
    type: 'object',
    description:
      'Het dashboard van het eigen bestuur: enkel tellingen, nooit de tekst van een signaal. Zonder signalen enkel tenantId en generatedAt; workload enkel voor de hoofdsignaalverwerker.',
    properties: {
      tenantId: { type: 'string' },
      generatedAt: { type: 'string', format: 'date-time' },
      asOf: { type: 'string', format: 'date-time' },
      total: { type: 'integer' },
      open: { type: 'integer' },
      overdue: { type: 'integer', description: 'Open signalen over hun termijn, op de dag juist' },
      byState: counts,
      byTheme: counts,
      byPolicyDomain: counts,
      perMonth: {
        type: 'object',
        description: 'Kolommen per maand vanaf from: ingediend, en afgesloten, afgewezen, samengevoegd',
        properties: {
          from: nullableString,
          submitted: { type: 'array', items: { type: 'integer' } },
          closed: { type: 'array', items: { type: 'integer' } },
          rejected: { type: 'array', items: { type: 'integer' } },
          merged: { type: 'array', items: { type: 'integer' } },
        },
      },
      leadTimeHours: {
        type: 'object',
        description: 'Doorlooptijd in uren (mediaan en p90) in totaal en per fase',
      },
      aging: { ...counts, description: 'Open signalen naar dagen sinds indiening: 0-7d, 8-30d, …' },
      workload: {
        type: 'object',
        description: 'Open signalen per signaalverwerker en beleidsdomein',
      },
    },
  },
};

const MIN_POSITION_HEADER = {
  name: 'X-Min-Position',
  in: 'header',
  required: false,
  schema: { type: 'string' },
  description: 'Als de parameter minPosition',
};

const STALE_HEADER = {
  'X-Read-Model-Stale': {
    description: 'true: de leesmodellen haalden minPosition niet binnen 2 s; het antwoord kan achterlopen',
    schema: { type: 'string', enum: ['true'] },
  },
};

/**
 * GET /signals and GET /dashboard, whose controllers read their parameters themselves: every
 * parameter the inbox accepts (INBOX_PARAMETERS, the list its query is checked against), the
 * read-your-writes position, the answer and its error codes.
 */
export function readModelPaths(paths: Paths): Paths {
  const inbox = paths['/signals']?.get;
  const dashboard = paths['/dashboard']?.get;
  return {
    '/signals': {
      ...paths['/signals'],
      get: {
        ...inbox,
        tags: ['signalen'],
        summary: 'De inbox: signalen gefilterd, gesorteerd en per pagina',
        description:
          'Volgens de rol: een signaalgever ziet enkel de eigen signalen, een signaalverwerker wat hem is toegewezen en zijn beleidsdomeinen, een partnerorganisatie haar mandaat, de hoofdsignaalverwerker het hele bestuur.',
        security: [{ bearer: [] }],
        parameters: [
          ...INBOX_PARAMETERS.map((parameter) => ({
            name: parameter.name,
            in: 'query',
            required: false,
            description: parameter.description,
            schema: parameter.schema,
            ...(parameter.list ? { style: 'form', explode: false } : {}),
          })),
          MIN_POSITION_HEADER,
        ],
        responses: {
          '200': {
            description: 'Een pagina van de inbox',
            headers: STALE_HEADER,
            content: jsonOf('SignalPage'),
          },
          '400': errorResponse('INVALID_QUERY: een onbekende parameter of waarde'),
          '401': errorResponse(
            'UNAUTHENTICATED, TOKEN_EXPIRED, TOKEN_INVALID, TOKEN_REVOKED: geen geldig token',
          ),
          '403': errorResponse('ROLE_NOT_ALLOWED: een mandataris, beheerder of auditor leest de inbox niet'),
        },
      },
    } as Paths[string],
    '/dashboard': {
      ...paths['/dashboard'],
      get: {
        ...dashboard,
        tags: ['dashboard'],
        summary: 'Het dashboard van het eigen bestuur',
        description: 'Voor mandatarissen, de hoofdsignaalverwerker en de beheerder van het bestuur.',
        security: [{ bearer: [] }],
        parameters: [
          {
            name: 'minPosition',
            in: 'query',
            required: false,
            description: INBOX_PARAMETERS.find((parameter) => parameter.name === 'minPosition')!.description,
            schema: { type: 'string', pattern: '^\\d{1,45}$' },
          },
          MIN_POSITION_HEADER,
        ],
        responses: {
          '200': {
            description: 'Het dashboard',
            headers: STALE_HEADER,
            content: jsonOf('Dashboard'),
          },
          '400': errorResponse('INVALID_QUERY: minPosition is geen positie'),
          '401': errorResponse(
            'UNAUTHENTICATED, TOKEN_EXPIRED, TOKEN_INVALID, TOKEN_REVOKED: geen geldig token',
          ),
          '403': errorResponse(
            'ROLE_NOT_ALLOWED: een signaalgever of signaalverwerker ziet het dashboard niet',
          ),
        },
      },
    } as Paths[string],
  };
}
