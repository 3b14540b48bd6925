import {
  described,
  errorResponse as error,
  jsonOf as json,
  type Paths,
  type Schemas,
} from '../platform/http/openapi-parts.js';
import { BRIEF_FORMATS, CADENCES } from './brief.events.js';

const ref = (schema: string) => ({ $ref: `#/components/schemas/${schema}` });
const count = { type: 'integer', minimum: 0 };
const instant = { type: 'string', format: 'date-time' };
const SHA256 = { type: 'string', pattern: '^[0-9a-f]{64}$' };
const PERIOD_KINDS = ['month', 'quarter', 'year', 'range'];
const MONTH = '^\\d{4}-(0[1-9]|1[0-2])$';
const QUARTER = '^\\d{4}-Q[1-4]$';

/** What a brief's answer says of it, for a municipality's brief (/briefs) or the supra-local one. */
function briefView(scope: 'tenant' | 'supralocal') {
  const base = scope === 'tenant' ? '/briefs' : '/supralocal/briefs';
  return {
    type: 'object',
    required: [
      'briefId',
      scope === 'tenant' ? 'tenantId' : 'scope',
      'period',
      'periodKind',
      'from',
      'to',
      'n',
      'scheduled',
      'status',
      'requestedAt',
      'requestedBy',
      'progress',
    ],
    properties: {
      briefId: {
        type: 'string',
        description:
          scope === 'tenant' ? 'brief__<gemeente>__<periode>__<n>' : 'supralocal-brief__<kwartaal>__<n>',
      },
      ...(scope === 'tenant'
        ? { tenantId: { type: 'string', description: 'De gemeente van de brief' } }
        : {
            scope: {
              type: 'string',
              enum: ['supralocal'],
              description:
                'Een bovenlokale brief hoort bij geen gemeente (en noemt die van de aanvrager niet)',
            },
          }),
      period: {
        type: 'string',
        description:
          scope === 'tenant'
            ? 'Maand (2026-03), kwartaal (2026-Q3), jaar (2026) of bereik (2026-01-01_2026-02-15)'
            : 'Kwartaal (2026-Q3)',
        ...(scope === 'tenant' ? {} : { pattern: QUARTER }),
      },
      periodKind:
        scope === 'tenant' ? { type: 'string', enum: PERIOD_KINDS } : { type: 'string', enum: ['quarter'] },
      from: { ...instant, description: 'Begin van de periode (inbegrepen), 00:00 UTC' },
      to: { ...instant, description: 'Einde van de periode (niet inbegrepen), 00:00 UTC van de dag erna' },
      n: {
        type: 'integer',
        minimum: 1,
        description: '1 voor de eerste brief van deze periode, 2 voor de volgende, …',
      },
      scheduled: { type: 'boolean', description: 'Gepland (volgens het ritme) in plaats van aangevraagd' },
      status: {
        type: 'string',
        enum: ['queued', 'running', 'generated', 'failed'],
        description:
          'queued: wacht; running: wordt gemaakt; generated: klaar om te downloaden; failed: mislukt',
      },
      requestedAt: instant,
      requestedBy: {
        type: 'object',
        description: 'Enkel de rol van de aanvrager: een brief noemt nooit wie ze vroeg',
        required: ['role'],
        properties: {
          role: {
            type: 'string',
            enum:
              scope === 'tenant'
                ? ['official', 'lead-processor', 'system']
                : ['supralocal-analyst', 'system'],
            description: 'system: een geplande brief',
          },
        },
      },
      progress: {
        type: 'object',
        required: ['percent', 'stage', 'attemptsMade'],
        properties: {
          percent: { type: 'integer', minimum: 0, maximum: 100 },
          stage: {
            type: 'string',
            nullable: true,
            description: 'De stap die loopt (bv. "cijfers berekenen"), "klaar" als de brief klaar is',
          },
          attemptsMade: {
            type: 'integer',
            minimum: 0,
            nullable: true,
            description: 'Pogingen tot nu toe; null als de wachtrij de taak niet (meer) kent',
          },
        },
      },
      generated: {
        type: 'object',
        description: 'Enkel voor een gemaakte brief',
        required: ['at', 'contentHash', 'location', 'durationMs', 'formats'],
        properties: {
          at: instant,
          contentHash: {
            ...SHA256,
            description: 'SHA-256 van de cijfers: dezelfde cijfers geven dezelfde hash',
          },
          location: { type: 'string', description: 'Waar de bestanden bewaard zijn' },
          durationMs: { ...count, description: 'Hoe lang het maken duurde' },
          formats: {
            type: 'object',
            required: [...BRIEF_FORMATS],
            properties: Object.fromEntries(
              BRIEF_FORMATS.map((format) => [
                format,
                {
                  type: 'object',
                  required: ['bytes', 'sha256'],
                  properties: { bytes: count, sha256: SHA256 },
                },
              ]),
            ),
          },
        },
      },
      downloads: {
        type: 'object',
        description: 'Enkel voor een gemaakte brief: waar elk formaat te downloaden is',
        required: [...BRIEF_FORMATS],
        properties: Object.fromEntries(
          BRIEF_FORMATS.map((format) => [
            format,
            { type: 'string', example: `${base}/<briefId>/download?format=${format}` },
          ]),
        ),
      },
      failed: {
        type: 'object',
        description: 'Enkel voor een mislukte brief',
        required: ['at', 'reason'],
        properties: {
          at: instant,
          reason: {
            type: 'string',
            description:
              'Na hoeveel pogingen het mislukte en wat je kunt doen; de oorzaak zelf staat enkel in het logboek van de server',
          },
        },
      },
    },
  };
}

/** A change against the period before. */
const TREND = {
  type: 'object',
  required: ['current', 'previous', 'delta', 'percent'],
  properties: {
    current: count,
    previous: count,
    delta: { type: 'integer' },
    percent: {
      type: 'number',
      nullable: true,
      description: 'Verandering in procent van de vorige periode (op 0,1); null als die er geen had',
    },
  },
};
const BREAKDOWN_ROW = {
  type: 'object',
  required: ['key', 'received', 'closed'],
  properties: { key: { type: 'string' }, received: ref('BriefTrend'), closed: ref('BriefTrend') },
};
const periodOf = (kinds: string[]) => ({
  type: 'object',
  required: ['label', ...(kinds.length > 1 ? ['kind'] : []), 'from', 'to', 'description'],
  properties: {
    label: { type: 'string' },
    ...(kinds.length > 1 ? { kind: { type: 'string', enum: kinds } } : {}),
    from: instant,
    to: instant,
    description: { type: 'string', description: 'De periode in woorden, bv. "3de kwartaal 2026"' },
  },
});
const PREVIOUS_PERIOD = {
  type: 'object',
  required: ['label', 'description'],
  properties: { label: { type: 'string' }, description: { type: 'string' } },
};
const strings = { type: 'array', items: { type: 'string' } };
/** A figure of the supra-local brief: null when it is hidden ("< drempel"). */
const hidden = { type: 'integer', minimum: 0, nullable: true };
const themeSignals = {
  type: 'array',
  items: {
    type: 'object',
    required: ['theme', 'label', 'signals'],
    properties: {
      theme: { type: 'string' },
      label: { type: 'string' },
      signals: { type: 'array', items: hidden },
    },
  },
};
const BODY_400 =
  'MALFORMED_JSON, BODY_INVALID (geen JSON-object), FIELD_NOT_ALLOWED (een ander veld dan period)';

export const BRIEF_SCHEMAS: Schemas = {
  Brief: {
    ...briefView('tenant'),
    description: 'Een beleidsbrief van de gemeente: aanvraag, voortgang en uitkomst',
  },
  BriefPage: {
    type: 'object',
    required: ['items'],
    properties: { items: { type: 'array', description: 'Nieuwste aanvraag eerst', items: ref('Brief') } },
  },
  SupralocalBrief: {
    ...briefView('supralocal'),
    description: 'Een bovenlokale kwartaalbrief: aanvraag, voortgang en uitkomst',
  },
  SupralocalBriefPage: {
    type: 'object',
    required: ['items'],
    properties: {
      items: { type: 'array', description: 'Nieuwste aanvraag eerst', items: ref('SupralocalBrief') },
    },
  },
  BriefSchedule: {
    type: 'object',
    required: ['tenantId', 'cadence'],
    properties: {
      tenantId: { type: 'string' },
      cadence: {
        type: 'string',
        enum: [...CADENCES],
        description: 'Hoe vaak een brief gemaakt wordt zonder aanvraag (off: enkel op aanvraag)',
      },
    },
  },
  BriefTrend: TREND,
  BriefContent: {
    type: 'object',
    description:
      'De cijfers van een beleidsbrief (format=json). Nooit een signaalgever, een gebied of vrije tekst van een signaal; ' +
      'van dossiers enkel titel, thema’s, analyses, agenderingen en beslissingen.',
    required: [
      'tenantId',
      'period',
      'previousPeriod',
      'generatedAt',
      'totals',
      'byTheme',
      'byPolicyDomain',
      'monthly',
      'backlog',
      'leadTimes',
      'structuralSignals',
      'dossiers',
    ],
    properties: {
      tenantId: { type: 'string' },
      period: periodOf(PERIOD_KINDS),
      previousPeriod: PREVIOUS_PERIOD,
      generatedAt: instant,
      totals: {
        type: 'object',
        required: ['received', 'closed', 'rejected'],
        properties: { received: ref('BriefTrend'), closed: ref('BriefTrend'), rejected: ref('BriefTrend') },
      },
      byTheme: {
        type: 'array',
        description: 'Per thema ("zonder thema" voor een signaal zonder)',
        items: BREAKDOWN_ROW,
      },
      byPolicyDomain: {
        type: 'array',
        description: 'Per beleidsdomein ("zonder beleidsdomein" voor een signaal zonder)',
        items: BREAKDOWN_ROW,
      },
      monthly: {
        type: 'array',
        items: {
          type: 'object',
          required: ['month', 'received', 'closed'],
          properties: { month: { type: 'string', pattern: MONTH }, received: count, closed: count },
        },
      },
      backlog: {
        type: 'object',
        required: ['open', 'asOf', 'overdue', 'byPolicyDomain'],
        properties: {
          open: {
            ...count,
            description: 'Open op het einde van de periode (of nu, voor een lopende periode)',
          },
          asOf: instant,
          overdue: count,
          byPolicyDomain: {
            type: 'array',
            items: {
              type: 'object',
              required: ['key', 'open', 'overdue'],
              properties: { key: { type: 'string' }, open: count, overdue: count },
            },
          },
        },
      },
      leadTimes: {
        type: 'object',
        description: 'Doorlooptijden in dagen (op 0,1) van de signalen afgesloten in de periode',
        required: ['closed', 'medianDays', 'p90Days', 'averageDays', 'byPolicyDomain'],
        properties: {
          closed: count,
          medianDays: { type: 'number', nullable: true },
          p90Days: { type: 'number', nullable: true },
          averageDays: { type: 'number', nullable: true },
          byPolicyDomain: {
            type: 'array',
            items: {
              type: 'object',
              required: ['key', 'closed', 'medianDays'],
              properties: { key: { type: 'string' }, closed: count, medianDays: { type: 'number' } },
            },
          },
        },
      },
      structuralSignals: {
        type: 'object',
        required: ['count', 'byTheme', 'titles'],
        properties: {
          count,
          byTheme: {
            type: 'array',
            items: {
              type: 'object',
              required: ['key', 'count'],
              properties: { key: { type: 'string' }, count },
            },
          },
          titles: {
            type: 'array',
            description: 'De titels van de recentste structurele signalen (ten hoogste 10)',
            maxItems: 10,
            items: {
              type: 'object',
              required: ['title', 'themes'],
              properties: { title: { type: 'string' }, themes: strings },
            },
          },
        },
      },
      dossiers: {
        type: 'object',
        required: ['count', 'main', 'escalations', 'decisions'],
        properties: {
          count,
          main: {
            type: 'array',
            description: 'De grootste dossiers (ten hoogste 10)',
            maxItems: 10,
            items: {
              type: 'object',
              required: ['title', 'themes', 'signalCount', 'structural', 'analyses', 'closed'],
              properties: {
                title: { type: 'string' },
                themes: strings,
                signalCount: count,
                structural: { type: 'boolean' },
                analyses: {
                  type: 'array',
                  maxItems: 2,
                  items: {
                    type: 'object',
                    required: ['at', 'conclusion'],
                    properties: { at: instant, conclusion: { type: 'string' } },
                  },
                },
                closed: { type: 'boolean' },
              },
            },
          },
          escalations: {
            type: 'array',
            items: {
              type: 'object',
              required: ['dossier', 'at', 'level', 'body', 'signalCount'],
              properties: {
                dossier: { type: 'string', description: 'Titel van het dossier' },
                at: instant,
                level: { type: 'string', enum: ['local', 'supralocal'] },
                body: { type: 'string' },
                signalCount: count,
              },
            },
          },
          decisions: {
            type: 'array',
            items: {
              type: 'object',
              required: ['dossier', 'at', 'decision', 'actions', 'signalCount'],
              properties: {
                dossier: { type: 'string', description: 'Titel van het dossier' },
                at: instant,
                decision: { type: 'string' },
                actions: strings,
                signalCount: count,
              },
            },
          },
        },
      },
    },
  },
  SupralocalBriefThemeRow: {
    type: 'object',
    required: [
      'theme',
      'label',
      'signals',
      'previousSignals',
      'growthPercent',
      'municipalities',
      'risingIn',
      'hiddenCells',
    ],
    properties: {
      theme: { type: 'string' },
      label: { type: 'string' },
      signals: {
        ...hidden,
        description: 'Signalen van het kwartaal over alle besturen; null onder de drempel',
      },
      previousSignals: hidden,
      growthPercent: {
        type: 'number',
        nullable: true,
        description:
          'Groei tegenover het kwartaal ervoor in procent (op 0,1); null als een van beide verborgen is',
      },
      municipalities: count,
      risingIn: count,
      hiddenCells: { ...count, description: 'Cellen van het thema die niet gepubliceerd zijn' },
    },
  },
  SupralocalBriefContent: {
    type: 'object',
    description:
      'De cijfers van een bovenlokale kwartaalbrief (format=json), enkel uit wat de bovenlokale patronen publiceren: ' +
      'een verborgen cijfer is null ("< drempel").',
    required: [
      'kind',
      'period',
      'previousPeriod',
      'generatedAt',
      'rules',
      'participants',
      'totalSignals',
      'cells',
      'themes',
      'rising',
      'cooccurrence',
      'targetGroups',
      'areaTypes',
      'months',
      'populationBands',
      'trend',
      'escalations',
    ],
    properties: {
      kind: { type: 'string', enum: ['supralocal'] },
      period: periodOf(['quarter']),
      previousPeriod: PREVIOUS_PERIOD,
      generatedAt: instant,
      rules: ref('SupralocalRules'),
      participants: {
        type: 'object',
        required: ['count', 'byPopulationBand'],
        properties: {
          count,
          byPopulationBand: {
            type: 'array',
            items: {
              type: 'object',
              required: ['band', 'label', 'count'],
              properties: {
                band: { type: 'string', description: 'Inwonersklasse; leeg als niet opgegeven' },
                label: { type: 'string' },
                count,
              },
            },
          },
        },
      },
      totalSignals: hidden,
      cells: {
        type: 'object',
        required: ['published', 'hidden'],
        properties: { published: count, hidden: count },
      },
      themes: { type: 'array', items: ref('SupralocalBriefThemeRow') },
      rising: {
        type: 'array',
        description: 'Thema’s met een gepubliceerde groei boven nul, hoogste eerst',
        items: ref('SupralocalBriefThemeRow'),
      },
      cooccurrence: {
        type: 'array',
        items: {
          type: 'object',
          required: ['themes', 'labels', 'signals'],
          properties: {
            themes: { ...strings, minItems: 2, maxItems: 2 },
            labels: { ...strings, minItems: 2, maxItems: 2 },
            signals: count,
          },
        },
      },
      targetGroups: {
        type: 'array',
        items: {
          type: 'object',
          required: ['theme', 'themeLabel', 'targetGroup', 'label', 'signals'],
          properties: {
            theme: { type: 'string' },
            themeLabel: { type: 'string' },
            targetGroup: { type: 'string' },
            label: { type: 'string' },
            signals: count,
          },
        },
      },
      areaTypes: {
        type: 'array',
        items: {
          type: 'object',
          required: ['theme', 'themeLabel', 'areaType', 'label', 'signals'],
          properties: {
            theme: { type: 'string' },
            themeLabel: { type: 'string' },
            areaType: { type: 'string' },
            label: { type: 'string' },
            signals: count,
          },
        },
      },
      months: {
        type: 'object',
        required: ['periods', 'themes', 'totals'],
        properties: {
          periods: { type: 'array', items: { type: 'string', pattern: MONTH } },
          themes: themeSignals,
          totals: { type: 'array', items: hidden },
        },
      },
      populationBands: {
        type: 'array',
        items: {
          type: 'object',
          required: ['band', 'label', 'municipalities', 'themes'],
          properties: {
            band: { type: 'string' },
            label: { type: 'string' },
            municipalities: count,
            themes: {
              type: 'array',
              items: {
                type: 'object',
                required: ['theme', 'label', 'publishedCells', 'signalsInPublishedCells', 'hiddenCells'],
                properties: {
                  theme: { type: 'string' },
                  label: { type: 'string' },
                  publishedCells: count,
                  signalsInPublishedCells: {
                    ...count,
                    description:
                      'Som van de gepubliceerde cellen: een ondergrens, nooit een verborgen cijfer',
                  },
                  hiddenCells: count,
                },
              },
            },
          },
        },
      },
      trend: {
        type: 'object',
        required: ['quarters', 'themes'],
        properties: {
          quarters: { type: 'array', items: { type: 'string', pattern: QUARTER } },
          themes: themeSignals,
        },
      },
      escalations: {
        type: 'array',
        items: {
          type: 'object',
          required: ['municipality', 'title', 'summary', 'themes', 'body', 'escalatedAt', 'signalCount'],
          properties: {
            municipality: { type: 'string' },
            title: { type: 'string' },
            summary: { type: 'string' },
            themes: { ...strings, description: 'Namen van de thema’s' },
            body: { type: 'string' },
            escalatedAt: instant,
            signalCount: count,
          },
        },
      },
    },
  },
};

const periodBody = (description: string, pattern?: string) => ({
  required: true,
  content: {
    'application/json': {
      schema: {
        type: 'object',
        additionalProperties: false,
        required: ['period'],
        properties: {
          period: {
            type: 'string',
            maxLength: 40,
            example: '2026-Q3',
            description,
            ...(pattern ? { pattern } : {}),
          },
        },
      },
    },
  },
});
const LOCATION = {
  Location: { description: 'Waar de brief te volgen is (GET)', schema: { type: 'string' } },
};
const idParameter = (description: string, pattern: string) => ({
  name: 'id',
  in: 'path',
  required: true,
  description,
  schema: { type: 'string', pattern },
});
const BRIEF_ID = idParameter(
  'brief__<gemeente>__<periode>__<n>',
  '^brief__[a-z0-9][a-z0-9-]{0,62}__[0-9Q_-]{4,21}__[1-9][0-9]{0,5}$',
);
const SUPRALOCAL_BRIEF_ID = idParameter(
  'supralocal-brief__<kwartaal>__<n>',
  '^supralocal-brief__\\d{4}-Q[1-4]__[1-9][0-9]{0,5}$',
);
const FORMAT = {
  name: 'format',
  in: 'query',
  required: true,
  schema: { type: 'string', enum: [...BRIEF_FORMATS] },
  description: 'pdf, html, md (Markdown) of json (de cijfers)',
};

/** The answers of a download: the file in the chosen format, or why it cannot be had. */
function downloadResponses(content: string) {
  return {
    '200': {
      description: 'Het bestand (als bijlage)',
      headers: {
        'Content-Disposition': {
          description: 'attachment; filename="<briefId>.<format>"',
          schema: { type: 'string' },
        },
        ETag: { description: 'SHA-256 van het bestand', schema: { type: 'string' } },
      },
      content: {
        'application/pdf': { schema: { type: 'string', format: 'binary' } },
        'text/html': { schema: { type: 'string', description: 'UTF-8, met de grafieken als SVG' } },
        'text/markdown': { schema: { type: 'string', description: 'UTF-8' } },
        ...json(content),
      },
    },
    '400': error('FORMAT_INVALID (format ontbreekt of is geen pdf, html, md of json), BRIEF_ID_INVALID'),
    '404': error('BRIEF_NOT_FOUND'),
    '409': error('BRIEF_NOT_READY (nog niet klaar), BRIEF_FAILED (mislukt: vraag ze opnieuw aan)'),
    '410': error('BRIEF_FILE_MISSING: het bestand is er niet meer; vraag de brief opnieuw aan'),
  };
}

/**
 * Policy briefs (/briefs, /supralocal/briefs), described: each route's answers (status codes with their error codes, the JSON schema
 * of every JSON answer) beside what Nest derives from the controllers.
 */
export function briefPaths(existing: Paths): Paths {
  const tags = ['beleidsbriefs'];
  const supralocalTags = ['bovenlokale briefs'];
  return described(existing, {
    '/briefs': {
      post: {
        tags,
        summary: 'Beleidsbrief aanvragen (registreert BriefRequested)',
        description:
          'Rollen: official, lead-processor. De brief wordt op de achtergrond gemaakt; volg ze met GET /briefs/{id}. ' +
          'Elke aanvraag van dezelfde periode geeft een nieuwe brief (n = 2, 3, …).',
        parameters: [],
        requestBody: periodBody(
          'Maand (2026-03), kwartaal (2026-Q3), jaar (2026) of bereik van dagen (2026-01-01..2026-02-15, ook met _), ' +
            'jaren 2000–2100, een bereik ten hoogste 1098 dagen; een periode die al begonnen is',
        ),
        responses: {
          '202': { description: 'Aangevraagd', headers: LOCATION, content: json('Brief') },
          '400': error(
            `PERIOD_INVALID (geen geldige periode), FIELD_REQUIRED (period ontbreekt of is geen tekst), ${BODY_400}`,
          ),
          '422': error('PERIOD_IN_FUTURE: de periode is nog niet begonnen'),
        },
      },
      get: {
        tags,
        summary: 'Beleidsbriefs van de gemeente, nieuwste aanvraag eerst',
        description: 'Rollen: official, lead-processor.',
        parameters: [],
        responses: { '200': { description: 'De brieven', content: json('BriefPage') } },
      },
    },
    '/briefs/schedule': {
      get: {
        tags,
        summary: 'Ritme van de geplande beleidsbriefs (standaard per kwartaal)',
        description: 'Rollen: lead-processor, tenant-admin, official.',
        parameters: [],
        responses: { '200': { description: 'Het ritme', content: json('BriefSchedule') } },
      },
      put: {
        tags,
        summary: 'Ritme instellen (registreert BriefScheduleSet)',
        description:
          'Rollen: lead-processor, tenant-admin. Een geplande brief gaat over de laatste volledige periode van het ritme.',
        parameters: [],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                additionalProperties: false,
                required: ['cadence'],
                properties: {
                  cadence: {
                    type: 'string',
                    enum: [...CADENCES],
                    description: 'month, quarter, year, of off (enkel op aanvraag)',
                  },
                },
              },
            },
          },
        },
        responses: {
          '200': { description: 'Ingesteld', content: json('BriefSchedule') },
          '400': error(
            'CADENCE_INVALID (cadence ontbreekt of is geen month, quarter, year of off), ' +
              'MALFORMED_JSON, BODY_INVALID (geen JSON-object), FIELD_NOT_ALLOWED (een ander veld dan cadence)',
          ),
        },
      },
    },
    '/briefs/{id}': {
      get: {
        tags,
        summary: 'Status en voortgang van een beleidsbrief',
        description: 'Rollen: official, lead-processor.',
        parameters: [BRIEF_ID],
        responses: {
          '200': { description: 'De brief', content: json('Brief') },
          '400': error('BRIEF_ID_INVALID'),
          '404': error('BRIEF_NOT_FOUND (ook een brief van een andere gemeente)'),
        },
      },
    },
    '/briefs/{id}/download': {
      get: {
        tags,
        summary: 'Beleidsbrief downloaden als PDF, HTML, Markdown of JSON',
        description: 'Rollen: official, lead-processor.',
        parameters: [BRIEF_ID, FORMAT],
        responses: downloadResponses('BriefContent'),
      },
    },
    '/supralocal/briefs': {
      post: {
        tags: supralocalTags,
        summary: 'Bovenlokale kwartaalbrief aanvragen (één brief per kwartaal)',
        description:
          'Rol: supralocal-analyst. Een kwartaal dat al een brief heeft (aangevraagd of klaar) geeft die brief terug; ' +
          'alleen na een mislukte brief komt er een nieuwe.',
        parameters: [],
        requestBody: periodBody('Een afgelopen kwartaal', QUARTER),
        responses: {
          '202': {
            description: 'Aangevraagd (of al aangevraagd)',
            headers: LOCATION,
            content: json('SupralocalBrief'),
          },
          '400': error(
            `PERIOD_INVALID (geen geldige periode, of geen kwartaal), FIELD_REQUIRED (period ontbreekt of is geen tekst), ${BODY_400}`,
          ),
          '422': error(
            'PERIOD_IN_FUTURE (het kwartaal is nog niet begonnen), QUARTER_NOT_ENDED (het kwartaal loopt nog)',
          ),
        },
      },
      get: {
        tags: supralocalTags,
        summary: 'Bovenlokale kwartaalbriefs, nieuwste aanvraag eerst',
        description: 'Rol: supralocal-analyst.',
        parameters: [],
        responses: {
          '200': { description: 'De brieven', content: json('SupralocalBriefPage') },
        },
      },
    },
    '/supralocal/briefs/{id}': {
      get: {
        tags: supralocalTags,
        summary: 'Status en voortgang van een bovenlokale kwartaalbrief',
        description: 'Rol: supralocal-analyst.',
        parameters: [SUPRALOCAL_BRIEF_ID],
        responses: {
          '200': { description: 'De brief', content: json('SupralocalBrief') },
          '400': error('BRIEF_ID_INVALID'),
          '404': error('BRIEF_NOT_FOUND (ook de id van een brief van een gemeente)'),
        },
      },
    },
    '/supralocal/briefs/{id}/download': {
      get: {
        tags: supralocalTags,
        summary: 'Bovenlokale kwartaalbrief downloaden als PDF, HTML, Markdown of JSON',
        description: 'Rol: supralocal-analyst.',
        parameters: [SUPRALOCAL_BRIEF_ID, FORMAT],
        responses: downloadResponses('SupralocalBriefContent'),
      },
    },
  });
}
