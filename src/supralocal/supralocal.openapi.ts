import {
  described,
  errorResponse as error,
  jsonOf as json,
  type Paths,
  type Schemas,
} from '../platform/http/openapi-parts.js';
import { codesOf } from '../../workflows/taxonomy/taxonomy.js';
import { DOSSIER_PHASES } from '../dossiers/dossier.decider.js';
import { POPULATION_BANDS } from '../tenants/tenant.events.js';

const ref = (schema: string) => ({ $ref: `#/components/schemas/${schema}` });
const count = { type: 'integer', minimum: 0 };
const QUARTER = '^\\d{4}-Q[1-4]$';
const MONTH = '^\\d{4}-(0[1-9]|1[0-2])$';
const themeCode = { type: 'string', description: 'Themacode uit de gedeelde thema-indeling' };
const themeLabel = { type: 'string', description: 'Naam van het thema' };

/**
 * An entry of the suppressed table that may be missing: OpenAPI 3.0 has no null type, so null is
 * a branch of its own beside the published and the hidden figures.
 */
const entryOrNull = (description: string) => ({
  description,
  oneOf: [
    ref('SupralocalFigures'),
    ref('SupralocalSuppressed'),
    { type: 'object', nullable: true, enum: [null], description: 'Geen cijfer' },
  ],
});

/** The figures of one theme per month of submission, over all participating municipalities. */
const monthFigures = {
  type: 'array',
  description: 'De maanden in volgorde',
  items: {
    type: 'object',
    required: ['period', 'figures'],
    properties: {
      period: { type: 'string', pattern: MONTH, description: 'Maand (JJJJ-MM)' },
      figures: entryOrNull('De cijfers van de maand; null voor een maand zonder signalen van het thema'),
    },
  },
};

export const SUPRALOCAL_SCHEMAS: Schemas = {
  SupralocalRules: {
    type: 'object',
    description: 'De drempels: een cijfer wordt enkel getoond vanaf zoveel signalen van zoveel signaalgevers',
    required: ['minSignals', 'minGivers'],
    properties: {
      minSignals: { type: 'integer', minimum: 1 },
      minGivers: { type: 'integer', minimum: 1 },
    },
  },
  SupralocalParticipant: {
    type: 'object',
    description: 'Een bestuur dat deelneemt aan de bovenlokale analyse',
    required: ['tenantId', 'name', 'populationBand'],
    properties: {
      tenantId: { type: 'string' },
      name: { type: 'string' },
      populationBand: {
        type: 'string',
        nullable: true,
        description: `Inwonersklasse (${POPULATION_BANDS.join(', ')}); null als het bestuur ze niet opgaf`,
      },
    },
  },
  SupralocalFigures: {
    type: 'object',
    description: 'Gepubliceerde cijfers (boven de drempels)',
    required: ['suppressed', 'signals', 'givers', 'organisations', 'escalations', 'dossiers'],
    properties: {
      suppressed: { type: 'boolean', enum: [false] },
      signals: count,
      givers: { ...count, description: 'Verschillende signaalgevers' },
      organisations: { ...count, description: 'Verschillende organisaties' },
      escalations: { ...count, description: 'Signalen bovenlokaal geagendeerd' },
      dossiers: { ...count, description: 'Dossiers bovenlokaal geagendeerd met deze signalen' },
    },
  },
  SupralocalSuppressed: {
    type: 'object',
    description: 'Onderdrukt: geen cijfers',
    required: ['suppressed', 'reason'],
    properties: {
      suppressed: { type: 'boolean', enum: [true] },
      reason: {
        type: 'string',
        enum: ['small', 'secondary'],
        description:
          'small: onder de drempels; secondary: verborgen zodat een andere verborgen cel niet te herberekenen is',
      },
    },
  },
  SupralocalCell: {
    description: 'Eén cel (thema × bestuur): de cijfers, of enkel dat ze onderdrukt is',
    oneOf: [
      {
        type: 'object',
        required: ['theme', 'tenantId', 'signals', 'givers', 'organisations', 'escalations', 'dossiers'],
        properties: {
          theme: themeCode,
          tenantId: { type: 'string' },
          signals: count,
          givers: count,
          organisations: count,
          escalations: count,
          dossiers: count,
        },
      },
      {
        type: 'object',
        required: ['theme', 'tenantId', 'suppressed'],
        properties: {
          theme: themeCode,
          tenantId: { type: 'string' },
          suppressed: { type: 'boolean', enum: [true] },
        },
      },
    ],
  },
  SupralocalThemeTrend: {
    type: 'object',
    required: ['theme', 'label', 'total', 'previousTotal', 'growth', 'municipalities', 'risingIn'],
    properties: {
      theme: themeCode,
      label: themeLabel,
      total: entryOrNull(
        'Totaal van het kwartaal over alle besturen; null zonder signalen dit kwartaal, en altijd voor een hoofdsignaalverwerker',
      ),
      previousTotal: entryOrNull('Totaal van het kwartaal ervoor; null zoals total'),
      growth: {
        type: 'number',
        nullable: true,
        description: '(nu − ervoor) / ervoor, op 0,001; null als een van beide niet gepubliceerd is',
      },
      municipalities: { ...count, description: 'Besturen met een gepubliceerde cel voor dit thema' },
      risingIn: {
        ...count,
        description: 'Besturen waar de gepubliceerde cel steeg tegenover het kwartaal ervoor',
      },
    },
  },
  SupralocalMonthRow: {
    type: 'object',
    required: ['theme', 'label', 'months'],
    properties: { theme: themeCode, label: themeLabel, months: monthFigures },
  },
  SupralocalPatterns: {
    type: 'object',
    description:
      'De bovenlokale patronen van een kwartaal. Alle cijfers zijn onderdrukt onder de drempels (ook secundair). ' +
      'Een hoofdsignaalverwerker ziet enkel de cellen van het eigen bestuur en geen totalen.',
    required: [
      'period',
      'previousPeriod',
      'rules',
      'municipalities',
      'themes',
      'cells',
      'grandTotal',
      'cooccurrence',
      'targetGroups',
      'areaTypes',
      'months',
    ],
    properties: {
      period: { type: 'string', pattern: QUARTER },
      previousPeriod: { type: 'string', pattern: QUARTER },
      rules: ref('SupralocalRules'),
      municipalities: {
        type: 'array',
        description: 'De getoonde besturen (met populationBand enkel die van die klasse)',
        items: ref('SupralocalParticipant'),
      },
      themes: {
        type: 'array',
        description: 'Stijgende thema’s eerst (hoogste groei), daarna volgens totaal',
        items: ref('SupralocalThemeTrend'),
      },
      cells: { type: 'array', items: ref('SupralocalCell') },
      grandTotal: entryOrNull(
        'Totaal over alle thema’s en besturen: de som van de cellen, dus een signaal met meer thema’s telt bij elk thema ' +
          '(signals is geen aantal verschillende signalen; givers en organisations wel verschillend); null zonder signalen, en altijd voor een hoofdsignaalverwerker',
      ),
      cooccurrence: {
        type: 'array',
        description:
          'Thema’s die samen genoemd worden, enkel boven de drempels, over alle deelnemende besturen (een inwonersklasse beperkt dit niet); leeg voor een hoofdsignaalverwerker',
        items: {
          type: 'object',
          required: ['themes', 'signals'],
          properties: {
            themes: { type: 'array', minItems: 2, maxItems: 2, items: themeCode },
            signals: count,
          },
        },
      },
      targetGroups: {
        type: 'array',
        description:
          'Doelgroepen per thema, enkel boven de drempels, over alle deelnemende besturen (een inwonersklasse beperkt dit niet); leeg voor een hoofdsignaalverwerker',
        items: {
          type: 'object',
          required: ['theme', 'targetGroup', 'label', 'signals'],
          properties: {
            theme: themeCode,
            targetGroup: { type: 'string', description: 'Code van de doelgroep' },
            label: { type: 'string', description: 'Naam van de doelgroep' },
            signals: count,
          },
        },
      },
      areaTypes: {
        type: 'array',
        description:
          'Soort gebied (deelgemeente, wijk, …) per thema, enkel boven de drempels, over alle deelnemende besturen (een inwonersklasse beperkt dit niet); leeg voor een hoofdsignaalverwerker',
        items: {
          type: 'object',
          required: ['theme', 'areaType', 'label', 'signals'],
          properties: {
            theme: themeCode,
            areaType: { type: 'string', description: 'Code van de soort gebied' },
            label: { type: 'string', description: 'Naam van de soort gebied' },
            signals: count,
          },
        },
      },
      months: {
        type: 'object',
        nullable: true,
        description:
          'Het kwartaal per maand van indiening over alle deelnemende besturen (een inwonersklasse beperkt dit niet); ' +
          'null voor een hoofdsignaalverwerker',
        required: ['periods', 'themes', 'totals'],
        properties: {
          periods: { type: 'array', items: { type: 'string', pattern: MONTH } },
          themes: { type: 'array', items: ref('SupralocalMonthRow') },
          totals: {
            type: 'array',
            items: {
              type: 'object',
              required: ['period', 'total'],
              properties: {
                period: { type: 'string', pattern: MONTH },
                total: entryOrNull('Totaal van de maand; null zonder signalen'),
              },
            },
          },
        },
      },
    },
  },
  SupralocalThemeSeries: {
    type: 'object',
    description:
      'Eén thema over de laatste kwartalen, per bestuur, met dezelfde onderdrukking als de patronen',
    required: ['theme', 'label', 'rules', 'municipalities', 'quarters'],
    properties: {
      theme: themeCode,
      label: themeLabel,
      rules: ref('SupralocalRules'),
      municipalities: { type: 'array', items: ref('SupralocalParticipant') },
      quarters: {
        type: 'array',
        description: 'Oudste kwartaal eerst',
        items: {
          type: 'object',
          required: ['period', 'total', 'cells', 'months'],
          properties: {
            period: { type: 'string', pattern: QUARTER },
            total: entryOrNull(
              'Totaal van het thema over alle besturen; null zonder signalen, en altijd voor een hoofdsignaalverwerker',
            ),
            cells: { type: 'array', items: ref('SupralocalCell') },
            months: {
              ...monthFigures,
              nullable: true,
              description: 'Het thema per maand van indiening; null voor een hoofdsignaalverwerker',
            },
          },
        },
      },
    },
  },
  SupralocalEscalation: {
    type: 'object',
    description:
      'Een dossier dat bovenlokaal geagendeerd werd, met zijn publieke samenvatting (geen signaaltekst, geen personen)',
    required: [
      'tenantId',
      'municipality',
      'dossierId',
      'title',
      'summary',
      'themes',
      'state',
      'memberCount',
      'escalatedAt',
      'body',
    ],
    properties: {
      tenantId: { type: 'string' },
      municipality: { type: 'string', description: 'Naam van het bestuur' },
      dossierId: { type: 'string', format: 'uuid' },
      title: { type: 'string' },
      summary: { type: 'string' },
      themes: { type: 'array', items: themeCode },
      state: { type: 'string', enum: DOSSIER_PHASES, description: 'Huidige fase van het dossier' },
      memberCount: { ...count, description: 'Signalen in het dossier' },
      escalatedAt: { type: 'string', format: 'date-time' },
      body: { type: 'string', description: 'Het orgaan waar het dossier naartoe ging (VVSG, Vlaanderen, …)' },
    },
  },
  SupralocalEscalations: {
    type: 'object',
    required: ['period', 'escalations'],
    properties: {
      period: {
        type: 'string',
        nullable: true,
        pattern: QUARTER,
        description: 'Het kwartaal van agendering; null: alle kwartalen',
      },
      escalations: {
        type: 'array',
        description: 'Nieuwste eerst',
        items: ref('SupralocalEscalation'),
      },
    },
  },
};

const PERIOD = {
  name: 'period',
  in: 'query',
  required: false,
  schema: { type: 'string', pattern: QUARTER },
  description: 'Kwartaal van 2000 tot 2100, bv. 2026-Q3 (standaard het lopende kwartaal)',
};
const POPULATION_BAND = {
  name: 'populationBand',
  in: 'query',
  required: false,
  schema: { type: 'string', enum: [...POPULATION_BANDS] },
  description:
    `Enkel de cellen van de besturen van deze inwonersklasse (${POPULATION_BANDS.join(', ')}), zonder nieuwe totalen of lijsten; ` +
    'enkel voor de VVSG-analist (een hoofdsignaalverwerker ziet altijd enkel het eigen bestuur)',
};
const MIN_POSITION = {
  name: 'X-Min-Position',
  in: 'header',
  required: false,
  schema: { type: 'string', pattern: '^\\d{1,45}$' },
  description: 'Positie uit een antwoord op een opdracht: wacht tot de leesmodellen ze verwerkt hebben',
};
const STALE_HEADER = {
  'X-Read-Model-Stale': {
    description: 'true: de leesmodellen haalden X-Min-Position niet binnen 2 s; het antwoord kan achterlopen',
    schema: { type: 'string', enum: ['true'] },
  },
};
const FORBIDDEN = error(
  'ROLE_NOT_ALLOWED (enkel VVSG-analist en hoofdsignaalverwerker), ' +
    'SUPRALOCAL_NOT_OPTED_IN (het bestuur van de hoofdsignaalverwerker neemt niet deel)',
);
const WHO =
  'Rollen: supralocal-analyst (alle deelnemende besturen), lead-processor (enkel de cellen van het eigen bestuur, ' +
  'als dat deelneemt, zonder totalen). Enkel besturen die deelnemen aan de bovenlokale analyse tellen mee.';

/**
 * The supra-local views (/supralocal/*), described: each route's answers (status codes with their error codes, the JSON schema
 * of every JSON answer) beside what Nest derives from the controllers.
 */
export function supralocalPaths(existing: Paths): Paths {
  return described(existing, {
    '/supralocal/patterns': {
      get: {
        tags: ['bovenlokaal'],
        summary: 'Bovenlokale patronen van een kwartaal: thema’s per bestuur, onderdrukt',
        description:
          `${WHO} Stijgende thema’s, de cellen thema × bestuur, samen genoemde thema’s, doelgroepen en soorten gebied. ` +
          'JSON, of CSV met Accept: text/csv.',
        parameters: [PERIOD, POPULATION_BAND, MIN_POSITION],
        responses: {
          '200': {
            description: 'De patronen',
            headers: {
              ...STALE_HEADER,
              'Content-Disposition': {
                description: 'Enkel bij CSV: attachment; filename="bovenlokale-patronen-<kwartaal>.csv"',
                schema: { type: 'string' },
              },
            },
            content: {
              ...json('SupralocalPatterns'),
              'text/csv': {
                schema: {
                  type: 'string',
                  description:
                    'RFC 4180, UTF-8. Kolommen: periode, thema, themanaam, bestuur, naam, inwonersklasse, signalen, ' +
                    'signaalgevers, organisaties, bovenlokaal geagendeerd, dossiers, status (gepubliceerd of onderdrukt; ' +
                    'een onderdrukte rij heeft geen cijfers). Eén rij per cel, dan (voor de analist) één per thema en maand ' +
                    'over alle deelnemende besturen.',
                },
              },
            },
          },
          '400': error(
            'INVALID_QUERY: een onbekende parameter (enkel period en populationBand) of een parameter die twee keer ' +
              'voorkomt, period is geen kwartaal, populationBand is geen inwonersklasse, of X-Min-Position is ongeldig',
          ),
          '403': FORBIDDEN,
          '406': error('NOT_ACCEPTABLE: enkel application/json of text/csv'),
        },
      },
    },
    '/supralocal/escalations': {
      get: {
        tags: ['bovenlokaal'],
        summary: 'Dossiers die bovenlokaal geagendeerd werden, met hun publieke samenvatting',
        description:
          'Rollen: supralocal-analyst (de dossiers van alle deelnemende besturen), lead-processor (die van het eigen ' +
          'bestuur, als dat deelneemt). Titel, samenvatting, thema’s en het orgaan; geen tekst van een signaal, geen persoon.',
        parameters: [
          {
            ...PERIOD,
            schema: { type: 'string', pattern: `${QUARTER}|^$` },
            description: 'Kwartaal van agendering, bv. 2026-Q3; zonder (of leeg): alle kwartalen',
          },
          MIN_POSITION,
        ],
        responses: {
          '200': {
            description: 'De geagendeerde dossiers, nieuwste eerst',
            headers: STALE_HEADER,
            content: json('SupralocalEscalations'),
          },
          '400': error(
            'INVALID_QUERY: een onbekende parameter (enkel period) of een parameter die twee keer voorkomt, ' +
              'period is geen kwartaal, of X-Min-Position is geen positie',
          ),
          '403': FORBIDDEN,
        },
      },
    },
    '/supralocal/themes/{code}': {
      get: {
        tags: ['bovenlokaal'],
        summary: 'Eén gedeeld thema over de laatste kwartalen, per bestuur, onderdrukt',
        description: WHO,
        parameters: [
          {
            name: 'code',
            in: 'path',
            required: true,
            schema: { type: 'string', enum: codesOf('themes') },
            description: 'Themacode uit de gedeelde thema-indeling',
          },
          {
            ...PERIOD,
            description: 'Het laatste kwartaal van de reeks, bv. 2026-Q3 (standaard het lopende)',
          },
          {
            name: 'quarters',
            in: 'query',
            required: false,
            schema: { type: 'integer', minimum: 1, maximum: 12, default: 4 },
            description: 'Hoeveel kwartalen, tot en met period',
          },
          POPULATION_BAND,
          MIN_POSITION,
        ],
        responses: {
          '200': {
            description: 'Het thema per kwartaal',
            headers: STALE_HEADER,
            content: json('SupralocalThemeSeries'),
          },
          '400': error(
            'INVALID_QUERY: een onbekende parameter (enkel period, quarters en populationBand) of een parameter die ' +
              'twee keer voorkomt, period is geen kwartaal, quarters is geen geheel getal van 1 tot 12, ' +
              'populationBand is geen inwonersklasse, of X-Min-Position is ongeldig',
          ),
          '403': FORBIDDEN,
          '404': error('THEME_NOT_FOUND: geen thema van de gedeelde thema-indeling'),
        },
      },
    },
  });
}
