import {
  described,
  errorResponse as error,
  jsonOf as json,
  type Paths,
  type Schemas,
  nullableString,
  MIN_POSITION_HEADER,
} from '../platform/http/openapi-parts.js';
import { FIELDS } from '../../workflows/signal-lifecycle/fields.js';
import { EMPTY_ATTRIBUTES } from '../signals/signal.decider.js';
import { VIOLATION_KINDS } from './core/violations.js';

/** The signal's attributes, which an asOf answer carries beside its state. */
const SIGNAL_ATTRIBUTES = Object.keys(EMPTY_ATTRIBUTES);

const instant = { type: 'string', format: 'date-time' };
const workflowRef = {
  type: 'object',
  required: ['name', 'version'],
  properties: { name: { type: 'string' }, version: { type: 'integer' } },
};
const actorRef = {
  type: 'object',
  required: ['id', 'role', 'organisationId'],
  properties: { id: nullableString, role: nullableString, organisationId: nullableString },
};

export const AUDIT_SCHEMAS: Schemas = {
  HistoryStep: {
    type: 'object',
    required: [
      'revision',
      'position',
      'at',
      'recordedAt',
      'event',
      'command',
      'from',
      'fromLabel',
      'to',
      'toLabel',
      'actor',
      'workflow',
      'motivation',
      'fields',
      'hash',
    ],
    properties: {
      revision: { type: 'integer' },
      position: { type: 'string', description: 'Globale positie van de gebeurtenis' },
      at: { ...instant, description: 'Wanneer de beslissing genomen werd' },
      recordedAt: { ...instant, description: 'Wanneer de gebeurtenis opgeslagen werd' },
      event: { type: 'string' },
      command: { ...nullableString, description: 'De opdracht; leeg voor een wissing van tekst' },
      from: nullableString,
      fromLabel: nullableString,
      to: nullableString,
      toLabel: nullableString,
      actor: actorRef,
      workflow: { ...workflowRef, nullable: true },
      motivation: { ...nullableString, description: 'motivation, of reason waar de opdracht die zo noemt' },
      fields: {
        type: 'object',
        description: 'De velden van de opdracht; vrije tekst leest [gewist] na wissing',
      },
      hash: { ...nullableString, description: 'Hash in de keten van het signaal' },
    },
  },
  DecisionHistory: {
    type: 'object',
    required: ['signalId', 'tenantId', 'workflow', 'revision', 'erased', 'steps'],
    properties: {
      signalId: { type: 'string', format: 'uuid' },
      tenantId: { type: 'string' },
      workflow: { ...workflowRef, nullable: true, description: 'De workflowversie van de indiening' },
      revision: { type: 'integer', description: 'Revisie van de laatste gebeurtenis' },
      erased: { type: 'boolean' },
      steps: {
        type: 'array',
        description: 'Oudste eerst; een signaalgever ziet de interne notities niet',
        items: { $ref: '#/components/schemas/HistoryStep' },
      },
    },
  },
  SignalAsOf: {
    type: 'object',
    description: 'Het signaal zoals het toen was, herberekend uit zijn gebeurtenissen',
    required: [
      'signalId',
      'tenantId',
      'asOf',
      'revision',
      'state',
      'stateLabel',
      'previousState',
      'workflow',
      'givenBy',
      'organisationId',
      'mergedInto',
      'submittedAt',
      'stateEnteredAt',
      'erased',
      ...SIGNAL_ATTRIBUTES,
    ],
    properties: {
      signalId: { type: 'string', format: 'uuid' },
      tenantId: { type: 'string' },
      asOf: {
        type: 'object',
        required: ['requested', 'revision', 'at'],
        properties: {
          requested: { type: 'string', description: 'asOf zoals gevraagd' },
          revision: { type: 'integer', description: 'De laatste revisie op of vóór asOf' },
          at: { ...instant, description: 'Wanneer die revisie gebeurde' },
        },
      },
      revision: { type: 'integer' },
      state: { type: 'string' },
      stateLabel: { type: 'string' },
      previousState: nullableString,
      workflow: workflowRef,
      givenBy: { type: 'string', description: 'De signaalgever' },
      organisationId: nullableString,
      mergedInto: { type: 'string', format: 'uuid', nullable: true },
      submittedAt: instant,
      stateEnteredAt: instant,
      title: { ...nullableString, description: '[gewist] na wissing, ook voor een tijdstip ervoor' },
      description: { ...nullableString, description: '[gewist] na wissing, ook voor een tijdstip ervoor' },
      themes: { type: 'array', items: { type: 'string' } },
      targetGroups: { type: 'array', items: { type: 'string' } },
      area: nullableString,
      areaType: nullableString,
      estimatedPeopleAffected: { type: 'integer', nullable: true },
      urgency: { type: 'string', enum: [...FIELDS.urgency.values, null], nullable: true },
      structural: { type: 'boolean', nullable: true },
      assigneeId: nullableString,
      policyDomain: nullableString,
      erased: { type: 'boolean' },
    },
  },
  Violation: {
    type: 'object',
    required: ['stream', 'revision', 'position', 'kind', 'detail'],
    properties: {
      stream: { type: 'string' },
      revision: { type: 'integer', description: 'Bij missing-event: de eerste ontbrekende revisie' },
      position: { ...nullableString, description: 'Leeg voor een ontbrekende gebeurtenis' },
      kind: { type: 'string', enum: [...VIOLATION_KINDS] },
      detail: { type: 'string', description: 'In het Engels, voor de beheerder' },
    },
  },
  VerifyReport: {
    type: 'object',
    required: [
      'ok',
      'tenant',
      'events',
      'eventsRead',
      'streams',
      'counts',
      'violations',
      'truncated',
      'startedAt',
      'durationMs',
      'eventsPerSecond',
    ],
    properties: {
      ok: { type: 'boolean' },
      tenant: nullableString,
      events: { type: 'integer', description: 'Geverifieerde gebeurtenissen van het bestuur' },
      eventsRead: {
        type: 'integer',
        description: 'Gelezen gebeurtenissen: alle in de opslag, ook die van andere besturen',
      },
      streams: { type: 'integer' },
      counts: {
        type: 'object',
        description: 'Inbreuken per soort',
        required: [...VIOLATION_KINDS],
        properties: Object.fromEntries(VIOLATION_KINDS.map((kind) => [kind, { type: 'integer' }])),
      },
      violations: { type: 'array', items: { $ref: '#/components/schemas/Violation' } },
      truncated: { type: 'boolean', description: 'Meer inbreuken dan opgesomd (ten hoogste 1000)' },
      startedAt: instant,
      durationMs: { type: 'integer' },
      eventsPerSecond: { type: 'integer' },
    },
  },
  AuditReadPage: {
    type: 'object',
    required: ['items', 'next'],
    properties: {
      items: {
        type: 'array',
        items: {
          type: 'object',
          required: [
            'revision',
            'at',
            'actor',
            'read',
            'signalId',
            'asOf',
            'format',
            'eventsChecked',
            'violations',
          ],
          properties: {
            revision: { type: 'integer' },
            at: instant,
            actor: actorRef,
            read: { type: 'string', enum: ['history', 'as-of', 'verify', null], nullable: true },
            signalId: nullableString,
            asOf: nullableString,
            format: { type: 'string', enum: ['json', 'csv', null], nullable: true },
            eventsChecked: { type: 'integer', nullable: true },
            violations: { type: 'integer', nullable: true },
          },
        },
      },
      next: { ...nullableString, description: 'Geef mee als before voor de volgende (oudere) pagina' },
    },
  },
};

const idParameter = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const RECORDED = 'Elke beantwoorde lezing wordt vastgelegd (AuditRead in audit-<tenant>).';
const NO_STORE = {
  'Cache-Control': {
    description: 'no-store: een auditantwoord wordt niet bewaard',
    schema: { type: 'string' },
  },
};

/** The audit routes, described: they replace what Nest derives from the controllers. */
export function auditPaths(existing: Paths): Paths {
  return described(existing, {
    '/signals/{id}': {
      get: {
        tags: ['signalen'],
        summary: 'Een signaal, of met asOf het signaal zoals het toen was',
        description:
          `Zonder asOf: de pagina van het signaal, uit de leesmodellen (signaalgever, hoofdsignaalverwerker, signaalverwerkers), ` +
          `met zijn geschiedenis en de opdrachten die je nu mag geven (SignalDetail). ` +
          `Met asOf: herberekend uit de gebeurtenissen, ook voor de auditor (hele eigen bestuur) (SignalAsOf). ${RECORDED}`,
        security: [{ bearer: [] }],
        parameters: [
          idParameter,
          {
            name: 'asOf',
            in: 'query',
            required: false,
            schema: { type: 'string' },
            description: 'Revisie (0, 1, …) of tijdstip in ISO 8601 met tijdzone, bv. 2026-03-02T10:00:00Z',
          },
          {
            name: 'minPosition',
            in: 'query',
            required: false,
            schema: { type: 'string', pattern: '^\\d{1,45}$' },
            description:
              'Zonder asOf: wacht tot 2 s tot de leesmodellen deze positie (uit een antwoord op een opdracht) verwerkt hebben; ook als header X-Min-Position',
          },
          MIN_POSITION_HEADER,
        ],
        responses: {
          '200': {
            description:
              'Zonder asOf: de pagina van het signaal (SignalDetail, met ETag); met asOf: het signaal zoals het toen was (SignalAsOf)',
            headers: {
              ETag: {
                description: 'Zonder asOf: de revisie van het signaal, voor If-Match',
                schema: { type: 'string' },
              },
              'X-Read-Model-Stale': {
                description:
                  'Zonder asOf, true: de leesmodellen haalden minPosition niet binnen 2 s; het antwoord kan achterlopen',
                schema: { type: 'string', enum: ['true'] },
              },
              'Cache-Control': {
                description: 'Met asOf: no-store, een auditantwoord wordt niet bewaard',
                schema: { type: 'string' },
              },
            },
            content: {
              'application/json': {
                schema: {
                  oneOf: [
                    { $ref: '#/components/schemas/SignalDetail' },
                    { $ref: '#/components/schemas/SignalAsOf' },
                  ],
                },
              },
            },
          },
          '400': error('INVALID_ID, INVALID_AS_OF, INVALID_QUERY (minPosition is geen positie)'),
          '403': error(
            'ROLE_NOT_ALLOWED: een mandataris, beheerder of VVSG-analist leest geen signaal; de auditor enkel met asOf',
          ),
          '404': error(
            'SIGNAL_NOT_FOUND (bestaat niet of valt buiten je bereik), REVISION_NOT_FOUND, AS_OF_BEFORE_SUBMISSION',
          ),
        },
      },
    },
    '/signals/{id}/history': {
      get: {
        tags: ['audit'],
        summary: 'Beslissingsgeschiedenis van een signaal',
        description:
          'Elke stap: wie (actor, rol, organisatie), wanneer, van toestand → naar toestand, de opdracht, ' +
          `de motivering en velden, en de workflowversie. JSON, of CSV met Accept: text/csv. ${RECORDED}`,
        security: [{ bearer: [] }],
        parameters: [idParameter],
        responses: {
          '200': {
            description: 'De geschiedenis',
            headers: NO_STORE,
            content: {
              ...json('DecisionHistory'),
              'text/csv': { schema: { type: 'string', description: 'RFC 4180, één rij per stap' } },
            },
          },
          '400': error('INVALID_ID'),
          '403': error('ROLE_NOT_ALLOWED'),
          '404': error('SIGNAL_NOT_FOUND'),
          '406': error('NOT_ACCEPTABLE: enkel application/json of text/csv'),
        },
      },
    },
    '/audit/verify': {
      get: {
        tags: ['audit'],
        summary: 'Verifieer de hashketen en elke overgang van het eigen bestuur (auditor)',
        description: `Herberekent de keten van elke stroom en toetst elke overgang aan de workflowversie die ze noemt. ${RECORDED}`,
        security: [{ bearer: [] }],
        parameters: [],
        responses: {
          '200': {
            description: 'Verslag; ok is false bij een inbreuk',
            headers: NO_STORE,
            content: json('VerifyReport'),
          },
          '403': error('ROLE_NOT_ALLOWED (enkel de auditor)'),
          '429': error('VERIFY_IN_PROGRESS: er loopt al een verificatie'),
        },
      },
    },
    '/audit/reads': {
      get: {
        tags: ['audit'],
        summary: 'Wie las welke auditgegevens, wanneer (hoofdsignaalverwerker, auditor)',
        security: [{ bearer: [] }],
        parameters: [
          {
            name: 'limit',
            in: 'query',
            required: false,
            schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
          },
          {
            name: 'before',
            in: 'query',
            required: false,
            schema: { type: 'integer', minimum: 0 },
            description: 'next van de vorige pagina',
          },
        ],
        responses: {
          '200': { description: 'Nieuwste eerst', headers: NO_STORE, content: json('AuditReadPage') },
          '400': error('INVALID_QUERY: een onbekende parameter, of limit of before buiten bereik'),
          '403': error('ROLE_NOT_ALLOWED'),
        },
      },
    },
  });
}
