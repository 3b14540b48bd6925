import {
  errorResponse as error,
  jsonOf as json,
  type Paths,
  type Schemas,
} from '../platform/http/openapi-parts.js';
import { VIOLATION_KINDS } from './core/violations.js';

const nullableString = { type: 'string', nullable: true };

export const AUDIT_SCHEMAS: Schemas = {
  HistoryStep: {
    type: 'object',
    properties: {
      revision: { type: 'integer' },
      position: { type: 'string' },
      at: { type: 'string', format: 'date-time', description: 'Wanneer de beslissing genomen werd' },
      recordedAt: { type: 'string', format: 'date-time' },
      event: { type: 'string' },
      command: { ...nullableString, description: 'De opdracht; leeg voor een wissing van tekst' },
      from: nullableString,
      fromLabel: nullableString,
      to: nullableString,
      toLabel: nullableString,
      actor: {
        type: 'object',
        properties: { id: nullableString, role: nullableString, organisationId: nullableString },
      },
      workflow: {
        type: 'object',
        nullable: true,
        properties: { name: { type: 'string' }, version: { type: 'integer' } },
      },
      motivation: { ...nullableString, description: 'motivation, of reason waar de opdracht die zo noemt' },
      fields: { type: 'object', description: 'De velden van de opdracht; vrije tekst leeg na wissing' },
      hash: { ...nullableString, description: 'Hash in de keten van het signaal' },
    },
  },
  DecisionHistory: {
    type: 'object',
    properties: {
      signalId: { type: 'string', format: 'uuid' },
      tenantId: { type: 'string' },
      workflow: { type: 'object', nullable: true },
      revision: { type: 'integer' },
      erased: { type: 'boolean' },
      steps: { type: 'array', items: { $ref: '#/components/schemas/HistoryStep' } },
    },
  },
  SignalAsOf: {
    type: 'object',
    description: 'Het signaal zoals het toen was, herberekend uit zijn gebeurtenissen',
    properties: {
      signalId: { type: 'string', format: 'uuid' },
      asOf: {
        type: 'object',
        properties: { requested: { type: 'string' }, revision: { type: 'integer' }, at: { type: 'string' } },
      },
      revision: { type: 'integer' },
      state: { type: 'string' },
      stateLabel: { type: 'string' },
      previousState: nullableString,
      workflow: { type: 'object' },
      givenBy: { type: 'string' },
      organisationId: nullableString,
      submittedAt: { type: 'string' },
      stateEnteredAt: { type: 'string' },
      title: nullableString,
      description: nullableString,
      erased: { type: 'boolean' },
    },
  },
  Violation: {
    type: 'object',
    properties: {
      stream: { type: 'string' },
      revision: { type: 'integer' },
      position: nullableString,
      kind: { type: 'string', enum: [...VIOLATION_KINDS] },
      detail: { type: 'string' },
    },
  },
  VerifyReport: {
    type: 'object',
    properties: {
      ok: { type: 'boolean' },
      tenant: nullableString,
      events: { type: 'integer' },
      streams: { type: 'integer' },
      counts: { type: 'object', additionalProperties: { type: 'integer' } },
      violations: { type: 'array', items: { $ref: '#/components/schemas/Violation' } },
      truncated: { type: 'boolean', description: 'Meer inbreuken dan opgesomd (ten hoogste 1000)' },
      startedAt: { type: 'string' },
      durationMs: { type: 'integer' },
      eventsPerSecond: { type: 'integer' },
    },
  },
  AuditReadPage: {
    type: 'object',
    properties: {
      items: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            revision: { type: 'integer' },
            at: { type: 'string' },
            actor: { type: 'object' },
            read: { type: 'string', enum: ['history', 'as-of', 'verify'] },
            signalId: nullableString,
            asOf: nullableString,
            format: nullableString,
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

/** The audit routes, described: they replace what Nest derives from the controllers. */
export function auditPaths(existing: Paths): Paths {
  const detail = existing['/signals/{id}']?.get;
  return {
    '/signals/{id}': {
      ...existing['/signals/{id}'],
      get: {
        ...detail,
        tags: ['signalen'],
        summary: 'Een signaal, of met asOf het signaal zoals het toen was',
        description:
          `Zonder asOf: uit de leesmodellen (signaalgever, hoofdsignaalverwerker, signaalverwerkers). ` +
          `Met asOf: herberekend uit de gebeurtenissen, ook voor de auditor (hele eigen bestuur). ${RECORDED}`,
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
            schema: { type: 'string' },
            description:
              'Zonder asOf: wacht tot de leesmodellen deze positie (uit een antwoord op een opdracht) verwerkt hebben',
          },
        ],
        responses: {
          '200': { description: 'Het signaal (met asOf: SignalAsOf)', content: json('SignalAsOf') },
          '400': error('INVALID_ID, INVALID_AS_OF'),
          '403': error('ROLE_NOT_ALLOWED (de auditor leest enkel met asOf)'),
          '404': error('SIGNAL_NOT_FOUND, REVISION_NOT_FOUND, AS_OF_BEFORE_SUBMISSION'),
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
        responses: {
          '200': { description: 'Verslag; ok is false bij een inbreuk', content: json('VerifyReport') },
          '403': error('ROLE_NOT_ALLOWED'),
          '429': error('VERIFY_IN_PROGRESS'),
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
            schema: { type: 'integer', minimum: 1, maximum: 200 },
          },
          { name: 'before', in: 'query', required: false, schema: { type: 'integer', minimum: 0 } },
        ],
        responses: {
          '200': { description: 'Nieuwste eerst', content: json('AuditReadPage') },
          '400': error('INVALID_QUERY'),
          '403': error('ROLE_NOT_ALLOWED'),
        },
      },
    },
  } as Paths;
}
