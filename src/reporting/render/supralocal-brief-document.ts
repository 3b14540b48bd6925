import { dutchMonth } from '../../platform/dutch-months.js';
import { formatDay } from '../period.js';
import type { SupralocalBriefContent, SupralocalThemeRow } from '../supralocal-brief-content.js';
import { count, number, type Block, type BriefDocument, type BriefSection } from './brief-document.js';
import type { SupralocalBriefCharts } from './charts.js';

/** How a figure that is not published reads in every format. */
export const HIDDEN = '< drempel';

function figure(value: number | null): string {
  return value === null ? HIDDEN : number(value);
}

function growth(row: SupralocalThemeRow): string {
  if (row.growthPercent === null) {
    if (row.signals === null || row.previousSignals === null) return HIDDEN;
    return row.previousSignals === 0 && row.signals > 0 ? 'nieuw' : '–';
  }
  const sign = row.growthPercent > 0 ? '+' : row.growthPercent < 0 ? '-' : '±';
  return `${sign}${Math.abs(row.growthPercent).toLocaleString('nl-BE')} %`;
}

/**
 * The grand total adds the table's cells: a signal with two themes counts in both, so it is how
 * often the signals name a shared theme, not how many signals there were.
 */
function themeMentions(total: number | null): string {
  if (total === null)
    return 'Hoe vaak hun signalen samen een gedeeld thema noemden, blijft onder de drempel.';
  return `Hun signalen noemden samen ${total === 1 ? '1 keer' : `${number(total)} keer`} een gedeeld thema (een signaal met meer thema's telt bij elk van die thema's).`;
}

/** `2026-Q3` → `K3 2026`, as a column head. */
export function quarterHead(label: string): string {
  const match = /^(\d{4})-Q([1-4])$/.exec(label);
  return match ? `K${match[2]} ${match[1]}` : label;
}

/** `2026-07` → `juli 2026`, as a column head. */
export function monthHead(period: string): string {
  return dutchMonth(period);
}

function chart(key: keyof SupralocalBriefCharts, caption: string): Block {
  return { kind: 'chart', chart: key, caption };
}

function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} en ${items[items.length - 1]}`;
}

/** The supra-local brief as a renderer-neutral document (the same sentences in HTML, PDF, Markdown). */
export function buildSupralocalBriefDocument(content: SupralocalBriefContent): BriefDocument {
  const { rules, participants } = content;
  const quarter = content.period.description;
  const before = content.previousPeriod.description;
  const strongest = content.rising.slice(0, 3).map((row) => `${row.label} (${growth(row)})`);
  const sections: BriefSection[] = [
    {
      heading: 'Samenvatting',
      blocks: [
        {
          kind: 'paragraph',
          text:
            participants.count === 0
              ? `In ${quarter} nam geen enkele gemeente deel aan de bovenlokale analyse; deze brief bevat daarom geen cijfers.`
              : `In ${quarter} ${participants.count === 1 ? 'nam' : 'namen'} ${count(participants.count, 'gemeente', 'gemeenten')} deel aan de bovenlokale analyse. ${themeMentions(content.totalSignals)}`,
        },
        {
          kind: 'paragraph',
          text:
            content.rising.length === 0
              ? `Geen enkel thema steeg aantoonbaar tegenover ${before} (alleen gepubliceerde totalen worden vergeleken).`
              : `${count(content.rising.length, 'thema steeg', "thema's stegen")} tegenover ${before}; het sterkst ${list(strongest)}.`,
        },
        {
          kind: 'paragraph',
          text: `${content.escalations.length === 0 ? 'Geen dossiers werden' : count(content.escalations.length, 'dossier werd', 'dossiers werden')} dit kwartaal bovenlokaal geagendeerd. ${count(content.cells.published, 'cel', 'cellen')} (een thema in één gemeente) ${content.cells.published === 1 ? 'is' : 'zijn'} gepubliceerd, ${number(content.cells.hidden)} ${content.cells.hidden === 1 ? 'blijft' : 'blijven'} onder de drempel of ${content.cells.hidden === 1 ? 'is' : 'zijn'} verborgen om een andere cel te beschermen.`,
        },
      ],
    },
    {
      heading: 'Deelnemende gemeenten',
      blocks: [
        {
          kind: 'paragraph',
          text: 'Alleen gemeenten die instemden met bovenlokale deelname tellen mee, per inwonersklasse:',
        },
        {
          kind: 'table',
          head: ['inwonersklasse', 'gemeenten'],
          rows: participants.byPopulationBand.map((band) => [band.label, number(band.count)]),
        },
      ],
    },
    {
      heading: "Stijgende thema's",
      blocks:
        content.rising.length === 0
          ? [
              {
                kind: 'paragraph',
                text: `Geen thema met een gepubliceerd totaal steeg tegenover ${before}.`,
              },
            ]
          : [
              chart(
                'rising',
                `Signalen per stijgend thema, ${quarter} tegenover ${before}, over alle deelnemende gemeenten.`,
              ),
              themeTable(content.rising),
            ],
    },
    {
      heading: "Alle gedeelde thema's",
      blocks: [
        content.themes.length === 0
          ? { kind: 'paragraph', text: 'Er zijn geen signalen van deelnemende gemeenten in dit kwartaal.' }
          : themeTable(content.themes),
      ],
    },
    {
      heading: 'Verloop per thema',
      blocks:
        content.trend.themes.length === 0
          ? [{ kind: 'paragraph', text: 'Geen thema heeft een gepubliceerd totaal in dit kwartaal.' }]
          : [
              chart(
                'trend',
                `Signalen per thema over de laatste ${content.trend.quarters.length} kwartalen (een totaal onder de drempel is een onderbreking van de lijn).`,
              ),
              {
                kind: 'table',
                head: ['thema', ...content.trend.quarters.map(quarterHead)],
                rows: content.trend.themes.map((row) => [row.label, ...row.signals.map(figure)]),
              },
            ],
    },
    {
      heading: 'Per maand',
      blocks:
        content.months.themes.length === 0
          ? [{ kind: 'paragraph', text: 'Er zijn geen signalen van deelnemende gemeenten in dit kwartaal.' }]
          : [
              {
                kind: 'paragraph',
                text: `Signalen per thema en maand van indiening, alle deelnemende gemeenten samen. Deze cijfers zijn samen met de tabel per gemeente onderdrukt: ook uit de maanden en de kwartaaltotalen samen is geen verborgen cijfer terug te rekenen.`,
              },
              {
                kind: 'table',
                head: ['thema', ...content.months.periods.map(monthHead)],
                rows: [
                  ...content.months.themes.map((row) => [row.label, ...row.signals.map(figure)]),
                  ["alle thema's", ...content.months.totals.map(figure)],
                ],
              },
            ],
    },
    {
      heading: "Thema's die samen voorkomen",
      blocks: [
        content.cooccurrence.length === 0
          ? {
              kind: 'paragraph',
              text: "Geen paar thema's komt vaak genoeg samen voor om te publiceren.",
            }
          : {
              kind: 'table',
              head: ['thema', 'samen met', 'signalen'],
              rows: content.cooccurrence.map((pair) => [
                pair.labels[0],
                pair.labels[1],
                number(pair.signals),
              ]),
            },
      ],
    },
    listSection(
      'Doelgroepen',
      'Geen doelgroep komt vaak genoeg voor bij een thema om te publiceren.',
      ['thema', 'doelgroep', 'signalen'],
      content.targetGroups,
    ),
    listSection(
      'Soort gebied',
      'Geen soort gebied (deelgemeente, wijk, hele gemeente) komt vaak genoeg voor bij een thema om te publiceren.',
      ['thema', 'soort gebied', 'signalen'],
      content.areaTypes,
    ),
    {
      heading: 'Vergelijking per inwonersklasse',
      blocks:
        content.populationBands.length === 0 || content.populationBands[0]!.themes.length === 0
          ? [
              {
                kind: 'paragraph',
                text: 'Er zijn geen gepubliceerde cijfers om per inwonersklasse te vergelijken.',
              },
            ]
          : [
              {
                kind: 'paragraph',
                text: 'Gemeenten van vergelijkbare grootte naast elkaar: per thema de signalen in de gepubliceerde cellen van die inwonersklasse en in hoeveel gemeenten. Een cel onder de drempel telt niet mee, dus elk cijfer is een ondergrens.',
              },
              chart('bands', 'Signalen per thema en inwonersklasse, alleen gepubliceerde cellen.'),
              {
                kind: 'table',
                head: [
                  'thema',
                  ...content.populationBands.map((band) => `${band.label} (${number(band.municipalities)})`),
                ],
                rows: content.populationBands[0]!.themes.map((theme, index) => [
                  theme.label,
                  ...content.populationBands.map((band) => bandCell(band.themes[index])),
                ]),
              },
            ],
    },
    {
      heading: 'Bovenlokale agenderingen',
      blocks:
        content.escalations.length === 0
          ? [{ kind: 'paragraph', text: 'Geen dossiers werden dit kwartaal bovenlokaal geagendeerd.' }]
          : content.escalations.map((escalation) => ({
              kind: 'bullets' as const,
              nested: true,
              items: [
                `${escalation.title} — ${escalation.municipality}, ${formatDay(escalation.escalatedAt)}, naar ${escalation.body}; ${count(escalation.signalCount, 'signaal', 'signalen')}; thema's: ${escalation.themes.join(', ') || '–'}`,
                ...(escalation.summary ? [`Samenvatting: ${escalation.summary}`] : []),
              ],
            })),
    },
    {
      heading: 'Methode en onderdrukking van kleine aantallen',
      blocks: [
        {
          kind: 'paragraph',
          text: `Deze brief telt alleen signalen van gemeenten die instemden met bovenlokale deelname, in het kwartaal waarin ze werden ingediend, onder de gedeelde thema's die ze nu hebben. Niet aanvaarde en samengevoegde signalen tellen niet mee. De brief bevat geen namen, geen signaalteksten en geen gegevens over personen.`,
        },
        {
          kind: 'paragraph',
          text: `Een cel (een thema in één gemeente) of een totaal wordt alleen gepubliceerd als ze minstens ${count(rules.minSignals, 'signaal', 'signalen')} van minstens ${count(rules.minGivers, 'verschillende signaalgever', 'verschillende signaalgevers')} telt. Dat is de drempel van dit platform (instellingen SUPRALOCAL_MIN_SIGNALS en SUPRALOCAL_MIN_GIVERS; nooit lager dan 5 signalen en 3 signaalgevers).`,
        },
        {
          kind: 'paragraph',
          text: `Daarna worden zo nodig nog andere cellen of totalen verborgen (secundaire onderdrukking), zodat geen verborgen cijfer kan worden teruggerekend uit de gepubliceerde cellen en totalen. Een verborgen cijfer staat in deze brief als "${HIDDEN}": het wordt niet gepubliceerd, ook niet in de grafieken of in de JSON-versie, en geldt niet als nul.`,
        },
        {
          kind: 'paragraph',
          text: `Thema's die samen voorkomen, doelgroepen en soorten gebied zijn lijsten zonder totalen: alleen wat de drempel haalt, staat erin; signalen zonder soort gebied worden nooit apart getoond. De vergelijking per inwonersklasse toont de cellen van de hele tabel, met dezelfde onderdrukking, en telt alleen gepubliceerde cellen op. Groei tegenover ${before} wordt alleen berekend als beide totalen gepubliceerd zijn.`,
        },
      ],
    },
  ];
  return {
    title: `Bovenlokale patronen — ${quarter}`,
    subtitle: `Kwartaalbrief voor VVSG: signalen van ${count(participants.count, 'deelnemende gemeente', 'deelnemende gemeenten')} per gedeeld thema, vergeleken met ${before}.`,
    sections,
    footer: `Aangemaakt op ${formatDay(content.generatedAt)} door Lokaal Signaal. Cijfers uit de bovenlokale patroonweergaven, met onderdrukking van kleine aantallen (drempel ${count(rules.minSignals, 'signaal', 'signalen')}, ${count(rules.minGivers, 'signaalgever', 'signaalgevers')}); geen namen van signaalgevers of persoonsgegevens.`,
  };
}

/** A list without totals (only what passes the thresholds): theme, entry, signals. */
function listSection(
  heading: string,
  empty: string,
  head: string[],
  rows: ReadonlyArray<{ themeLabel: string; label: string; signals: number }>,
): BriefSection {
  return {
    heading,
    blocks: [
      rows.length === 0
        ? { kind: 'paragraph', text: empty }
        : { kind: 'table', head, rows: rows.map((row) => [row.themeLabel, row.label, number(row.signals)]) },
    ],
  };
}

function themeTable(rows: readonly SupralocalThemeRow[]): Block {
  return {
    kind: 'table',
    head: ['thema', 'signalen', 'vorig kwartaal', 'groei', 'gemeenten', 'stijgt in', 'cellen < drempel'],
    rows: rows.map((row) => [
      row.label,
      figure(row.signals),
      figure(row.previousSignals),
      growth(row),
      number(row.municipalities),
      number(row.risingIn),
      number(row.hiddenCells),
    ]),
  };
}

function bandCell(
  row: { publishedCells: number; signalsInPublishedCells: number; hiddenCells: number } | undefined,
): string {
  if (row === undefined || (row.publishedCells === 0 && row.hiddenCells === 0)) return '–';
  if (row.publishedCells === 0) return HIDDEN;
  const cells = `${number(row.signalsInPublishedCells)} in ${number(row.publishedCells)} gem.`;
  return row.hiddenCells > 0 ? `${cells} (+${number(row.hiddenCells)} ${HIDDEN})` : cells;
}
