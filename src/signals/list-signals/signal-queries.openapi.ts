import {
  described,
  errorResponse,
  jsonOf,
  type Paths,
  type Schemas,
  nullableString,
  MIN_POSITION_HEADER,
  STALE_HEADER,
} from '../../platform/http/openapi-parts.js';
import { FIELDS } from '../../../workflows/signal-lifecycle/fields.js';
import { ESCALATION_LEVELS } from '../../dossiers/dossier.events.js';
import { INBOX_PARAMETERS } from './inbox-query.js';

const instant = { type: 'string', format: 'date-time' };
const counts = { type: 'object', additionalProperties: { type: 'integer' } };
const workflowRef = {
  type: 'object',
  description: 'De workflowversie waaronder het signaal loopt',
  required: ['name', 'version'],
  properties: { name: { type: 'string' }, version: { type: 'integer' } },
};

/** The fields of a signal as the inbox keeps them: an item of GET /signals, and the start of its page. */
const SIGNAL_FIELDS = {
  tenantId: { type: 'string' },
  signalId: { type: 'string', format: 'uuid' },
  title: { ...nullableString, description: '[gewist] na wissing van de tekst' },
  state: { type: 'string' },
  open: { type: 'boolean', description: 'Onwaar in een eindtoestand (closed, rejected, merged)' },
  themes: { type: 'array', items: { type: 'string' } },
  targetGroups: { type: 'array', items: { type: 'string' } },
  policyDomain: nullableString,
  assigneeId: { ...nullableString, description: 'De toegewezen signaalverwerker' },
  givenBy: { type: 'string', description: 'De signaalgever' },
  organisationId: { ...nullableString, description: 'De organisatie van de signaalgever' },
  area: nullableString,
  areaType: {
    ...nullableString,
    description:
      'Soort gebied (deelgemeente, wijk, hele-gemeente); ontbreekt bij signalen van vóór de soorten',
  },
  urgency: { type: 'string', enum: [...FIELDS.urgency.values, null], nullable: true },
  structural: { type: 'boolean', nullable: true },
  submittedAt: instant,
  updatedAt: instant,
  stateEnteredAt: instant,
  dueAt: { ...instant, nullable: true, description: 'Termijn van de huidige toestand; leeg zonder termijn' },
  overdue: { type: 'boolean', description: 'Open en over de termijn van zijn toestand, nu' },
  workflow: workflowRef,
  revision: { type: 'integer', description: 'Revisie van het signaal: de If-Match van een opdracht' },
  erased: { type: 'boolean', description: 'De vrije tekst werd gewist' },
};

/** Every field but areaType, which documents of before the area types lack. */
const SIGNAL_REQUIRED = Object.keys(SIGNAL_FIELDS).filter((field) => field !== 'areaType');

/** A command the caller may give now: name, label and the path to post it to. */
const COMMAND_LINK = {
  type: 'object',
  required: ['name', 'label', 'path'],
  properties: {
    name: { type: 'string' },
    label: { type: 'string', description: 'Het opschrift van de knop' },
    path: { type: 'string', description: 'Waar de opdracht gepost wordt, bv. /signals/{id}/triage' },
  },
};

/** The dossier that holds a signal, as the signal's page shows it. */
const SIGNAL_DOSSIER = {
  type: 'object',
  nullable: true,
  description:
    'Het dossier (de bundel) waarin het signaal zit, met wat erover geëscaleerd en beslist werd; leeg als het in geen dossier zit',
  required: ['dossierId', 'title', 'addedAt', 'escalations', 'decisions'],
  properties: {
    dossierId: { type: 'string', format: 'uuid' },
    title: { type: 'string' },
    addedAt: { ...instant, description: 'Wanneer het signaal in het dossier kwam' },
    escalations: {
      type: 'array',
      items: {
        type: 'object',
        required: ['level', 'body', 'motivation', 'at'],
        properties: {
          level: { type: 'string', enum: [...ESCALATION_LEVELS] },
          body: { type: 'string', description: 'Het orgaan, bv. college, OCMW-raad, VVSG' },
          motivation: { type: 'string' },
          at: instant,
        },
      },
    },
    decisions: {
      type: 'array',
      items: {
        type: 'object',
        required: ['decision', 'feedback', 'at'],
        properties: {
          decision: { type: 'string' },
          feedback: { type: 'string', description: 'De terugkoppeling aan de signaalgever' },
          at: instant,
        },
      },
    },
  },
};

/** The inbox's page, a signal's page and the dashboard as GET /signals, GET /signals/{id} and GET /dashboard answer them. */
export const READ_MODEL_SCHEMAS: Schemas = {
  SignalListItem: {
    type: 'object',
    description: 'Een signaal zoals de inbox het toont (zonder beschrijving: die staat op zijn pagina)',
    required: SIGNAL_REQUIRED,
    properties: SIGNAL_FIELDS,
  },
  SignalPage: {
    type: 'object',
    required: ['items', 'total', 'hasMore', 'limit', 'offset'],
    properties: {
      items: { type: 'array', items: { $ref: '#/components/schemas/SignalListItem' } },
      total: { type: 'integer', nullable: true, description: 'Enkel met count=true' },
      hasMore: { type: 'boolean' },
      limit: { type: 'integer' },
      offset: { type: 'integer' },
    },
  },
  TimelineEntry: {
    type: 'object',
    description: 'Eén stap in de geschiedenis van een signaal, oudste eerst',
    required: ['position', 'revision', 'type', 'at', 'actor', 'command', 'from', 'to', 'fields'],
    properties: {
      position: { type: 'string', description: 'Globale positie van de gebeurtenis' },
      revision: { type: 'integer' },
      type: { type: 'string', description: 'De gebeurtenis, bv. SignalTriaged' },
      at: instant,
      actor: {
        type: 'object',
        required: ['id', 'role'],
        properties: { id: { type: 'string' }, role: { type: 'string' } },
      },
      command: { ...nullableString, description: 'De opdracht; leeg voor een wissing van tekst' },
      from: { ...nullableString, description: 'Leeg bij de indiening' },
      to: { type: 'string' },
      fields: {
        type: 'object',
        description: 'De velden van de opdracht zoals geregistreerd; vrije tekst leest [gewist] na wissing',
      },
    },
  },
  SignalDetail: {
    type: 'object',
    description:
      'Een signaal op zijn pagina: de velden van de inbox, met zijn beschrijving, dossier en geschiedenis en de opdrachten die je nu mag geven',
    required: [
      ...SIGNAL_REQUIRED,
      'description',
      'estimatedPeopleAffected',
      'mergedInto',
      'dossier',
      'stateLabel',
      'timeline',
      'allowedCommands',
    ],
    properties: {
      ...SIGNAL_FIELDS,
      description: { ...nullableString, description: '[gewist] na wissing van de tekst' },
      estimatedPeopleAffected: { type: 'integer', nullable: true },
      mergedInto: {
        type: 'string',
        format: 'uuid',
        nullable: true,
        description: 'Het signaal waarmee dit samengevoegd werd',
      },
      dossier: SIGNAL_DOSSIER,
      stateLabel: {
        type: 'string',
        description: 'De naam van de toestand in de workflowversie van het signaal',
      },
      timeline: {
        type: 'array',
        description: 'De geschiedenis; een signaalgever ziet de interne notities (NoteAdded) niet',
        items: { $ref: '#/components/schemas/TimelineEntry' },
      },
      allowedCommands: { type: 'array', items: COMMAND_LINK },
    },
  },
  AllowedCommands: {
    type: 'object',
    description: 'De opdrachten die je nu op het signaal mag geven, met de velden die ze nemen',
    required: ['signalId', 'revision', 'commands'],
    properties: {
      signalId: { type: 'string', format: 'uuid' },
      revision: { type: 'string', description: 'Revisie van het signaal (ook als ETag): de If-Match' },
      commands: {
        type: 'array',
        items: {
          type: 'object',
          required: ['name', 'label', 'required', 'optional', 'path'],
          properties: {
            name: { type: 'string' },
            label: { type: 'string' },
            required: { type: 'array', items: { type: 'string' }, description: 'Verplichte velden' },
            optional: { type: 'array', items: { type: 'string' }, description: 'Facultatieve velden' },
            requireOneOf: {
              type: 'array',
              description:
                'Groepen velden waarvan er minstens één gegeven moet worden (enkel waar de opdracht ze heeft)',
              items: { type: 'array', items: { type: 'string' } },
            },
            path: { type: 'string' },
          },
        },
      },
    },
  },
  Dashboard: {
    type: 'object',
    description:
      'Het dashboard van het eigen bestuur: enkel tellingen, nooit de tekst van een signaal. Zonder signalen enkel tenantId en generatedAt; workload enkel voor de hoofdsignaalverwerker.',
    required: ['tenantId', 'generatedAt'],
    properties: {
      tenantId: { type: 'string' },
      generatedAt: instant,
      asOf: instant,
      total: { type: 'integer' },
      open: { type: 'integer' },
      overdue: { type: 'integer', description: 'Open signalen over hun termijn, op de dag juist' },
      byState: counts,
      byTheme: counts,
      byPolicyDomain: counts,
      perMonth: {
        type: 'object',
        description: 'Kolommen per maand vanaf from: ingediend, en afgesloten, afgewezen, samengevoegd',
        required: ['from', 'submitted', 'closed', 'rejected', 'merged'],
        properties: {
          from: { ...nullableString, description: 'De eerste maand (JJJJ-MM); leeg zonder cijfers' },
          submitted: { type: 'array', items: { type: 'integer' } },
          closed: { type: 'array', items: { type: 'integer' } },
          rejected: { type: 'array', items: { type: 'integer' } },
          merged: { type: 'array', items: { type: 'integer' } },
        },
      },
      leadTimeHours: {
        type: 'object',
        description: 'Doorlooptijd in uren (mediaan en p90) in totaal en per fase',
        required: ['total', 'byStage'],
        properties: {
          total: { $ref: '#/components/schemas/LeadTimeSummary' },
          byStage: { type: 'object', additionalProperties: { $ref: '#/components/schemas/LeadTimeSummary' } },
        },
      },
      aging: {
        type: 'object',
        description: 'Open signalen naar dagen sinds indiening',
        required: ['0-7d', '8-30d', '31-90d', '91-365d', '>365d'],
        properties: Object.fromEntries(
          ['0-7d', '8-30d', '31-90d', '91-365d', '>365d'].map((bucket) => [bucket, { type: 'integer' }]),
        ),
      },
      workload: {
        type: 'object',
        description: 'Open signalen per signaalverwerker en beleidsdomein, grootste eerst',
        required: ['tenantId', 'open', 'unassigned', 'byAssignee', 'byPolicyDomain'],
        properties: {
          tenantId: { type: 'string' },
          open: { type: 'integer' },
          unassigned: { type: 'integer', description: 'Open signalen zonder signaalverwerker' },
          byAssignee: {
            type: 'array',
            items: {
              type: 'object',
              required: ['assigneeId', 'open'],
              properties: { assigneeId: { type: 'string' }, open: { type: 'integer' } },
            },
          },
          byPolicyDomain: {
            type: 'array',
            items: {
              type: 'object',
              required: ['policyDomain', 'open'],
              properties: { policyDomain: { type: 'string' }, open: { type: 'integer' } },
            },
          },
        },
      },
    },
  },
  LeadTimeSummary: {
    type: 'object',
    required: ['count', 'median', 'p90'],
    properties: {
      count: { type: 'integer', description: 'Hoe vaak een signaal de fase verliet (of afgesloten werd)' },
      median: { type: 'number', nullable: true, description: 'Uren, geschat (op 5% na); leeg zonder meting' },
      p90: { type: 'number', nullable: true },
    },
  },
};

/**
 * GET /signals and GET /dashboard, whose controllers read their parameters themselves: every
 * parameter the inbox accepts (INBOX_PARAMETERS, the list its query is checked against), the
 * read-your-writes position, the answer and its error codes. And GET /signals/{id}/allowed-commands
 * and the live stream of changes, GET /events/stream.
 */
export function readModelPaths(existing: Paths): Paths {
  return described(existing, {
    '/signals': {
      get: {
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
    },
    '/signals/{id}/allowed-commands': {
      get: {
        tags: ['signalen'],
        summary: 'De opdrachten die je nu op een signaal mag geven',
        description:
          'Volgens de toestand van het signaal, je rol en je bereik, met de velden die elke opdracht neemt. Gelezen uit de gebeurtenissen van het signaal, niet uit de leesmodellen.',
        security: [{ bearer: [] }],
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
        responses: {
          '200': {
            description: 'De toegelaten opdrachten (mogelijk geen)',
            headers: {
              ETag: { description: 'De revisie van het signaal, voor If-Match', schema: { type: 'string' } },
            },
            content: jsonOf('AllowedCommands'),
          },
          '400': errorResponse('INVALID_ID: geen geldige signaal-id'),
          '403': errorResponse(
            'ROLE_NOT_ALLOWED: enkel signaalgever, hoofdsignaalverwerker en signaalverwerkers',
          ),
          '404': errorResponse('SIGNAL_NOT_FOUND: het signaal bestaat niet of valt buiten je bereik'),
        },
      },
    },
    '/events/stream': {
      get: {
        tags: ['signalen'],
        summary: 'Wijzigingen aan signalen, live (server-sent events)',
        description:
          'Eén bericht per nieuwe gebeurtenis op een signaal binnen je bereik: { signalId, type, position }. ' +
          'Nooit tekst. Een signaalgever krijgt enkel zijn eigen signalen, zonder interne notities. ' +
          'De stroom sluit na 10 minuten, of eerder als het token verloopt: maak dan opnieuw verbinding.',
        security: [{ bearer: [] }],
        parameters: [],
        responses: {
          '200': {
            description: 'De stroom',
            content: {
              'text/event-stream': {
                schema: {
                  type: 'string',
                  description:
                    'Per wijziging: id: <position>, event: signal-changed, data: {"signalId","type","position"} (JSON); tussendoor commentaarregels (: ping) om de 25 s',
                },
              },
            },
          },
          '401': errorResponse(
            'UNAUTHENTICATED, TOKEN_EXPIRED, TOKEN_INVALID, TOKEN_REVOKED (ook als je rollen wijzigden na de uitgifte van het token)',
          ),
          '403': errorResponse(
            'ROLE_NOT_ALLOWED: enkel signaalgever, hoofdsignaalverwerker en signaalverwerkers',
          ),
        },
      },
    },
    '/dashboard': {
      get: {
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
    },
  });
}
