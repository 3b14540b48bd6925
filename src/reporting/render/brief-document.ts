import { TAXONOMY } from '../../../workflows/taxonomy/taxonomy.js';
import type { BreakdownRow, BriefContent, Trend } from '../brief-content.js';
import { dutchMonth } from '../../platform/dutch-months.js';
import { formatDay } from '../period.js';

const THEME_NAMES = new Map(TAXONOMY.themes.map((entry) => [entry.code, entry.label]));
const DOMAIN_NAMES = new Map(TAXONOMY.policyDomains.map((entry) => [entry.code, entry.label]));

/** A theme's Dutch name ("Armoede en inkomen"); a code outside the shared list stays as it is. */
export function themeName(code: string): string {
  return THEME_NAMES.get(code) ?? code;
}

/** A policy domain's Dutch name ("Werk en economie"); "zonder beleidsdomein" stays as it is. */
export function domainName(code: string): string {
  return DOMAIN_NAMES.get(code) ?? code;
}

/** A renderer-neutral brief: the same headings, sentences and tables in HTML, PDF and Markdown. */
export interface BriefDocument {
  title: string;
  subtitle: string;
  sections: BriefSection[];
  footer: string;
}

export interface BriefSection {
  heading: string;
  blocks: Block[];
}

export type Block =
  | { kind: 'paragraph'; text: string }
  | {
      kind: 'bullets';
      items: string[];
      /** The first item is the head, the others hang below it. */
      nested?: boolean;
    }
  | { kind: 'table'; head: string[]; rows: string[][] }
  /** A chart by its key in the rendered chart set (`BriefCharts`, `SupralocalBriefCharts`). */
  | { kind: 'chart'; chart: string; caption: string };

/** Rendered SVG charts by key, as the document's chart blocks name them. */
export type ChartSet = Readonly<Record<string, string>>;

/** The SVG of a chart block; a block naming a chart that was not rendered is a programming error. */
export function chartSvg(charts: ChartSet, key: string): string {
  const svg = charts[key];
  if (svg === undefined) throw new Error(`chart "${key}" was not rendered`);
  return svg;
}

const LEVEL = { local: 'lokaal', supralocal: 'bovenlokaal' } as const;

export function number(value: number): string {
  return value.toLocaleString('nl-BE');
}

/** "1 signaal werd", "3 signalen werden" (and 0): a count with the noun (and verb) in the right number. */
export function count(value: number, one: string, many: string): string {
  return `${number(value)} ${value === 1 ? one : many}`;
}

/** As `count`, but "geen" for none: "geen agenderingen", not "0 agenderingen". */
function countOrNone(value: number, one: string, many: string): string {
  return value === 0 ? `geen ${many}` : count(value, one, many);
}

export function trendText(trend: Trend): string {
  if (trend.previous === 0 && trend.current === 0) return 'gelijk (0)';
  if (trend.percent === null) return `nieuw (vorige periode 0)`;
  const sign = trend.delta > 0 ? '+' : trend.delta < 0 ? '-' : '±';
  return `${sign}${number(Math.abs(trend.delta))} (${sign}${Math.abs(trend.percent).toLocaleString('nl-BE')} %)`;
}

function days(value: number | null): string {
  return value === null ? '–' : `${value.toLocaleString('nl-BE')} d`;
}

function breakdownTable(first: string, rows: readonly BreakdownRow[], name: (key: string) => string): Block {
  return {
    kind: 'table',
    head: [first, 'ontvangen', 'trend', 'afgesloten', 'trend'],
    rows: rows.map((row) => [
      name(row.key),
      number(row.received.current),
      trendText(row.received),
      number(row.closed.current),
      trendText(row.closed),
    ]),
  };
}

export function buildBriefDocument(content: BriefContent, tenantName: string): BriefDocument {
  const { totals, backlog, leadTimes, structuralSignals, dossiers } = content;
  const sections: BriefSection[] = [
    {
      heading: 'Samenvatting',
      blocks: [
        {
          kind: 'paragraph',
          text: `In ${content.period.description} ontving ${tenantName} ${count(totals.received.current, 'signaal', 'signalen')} (${trendText(totals.received)} tegenover ${content.previousPeriod.description}). ${count(totals.closed.current, 'signaal werd', 'signalen werden')} afgesloten (${trendText(totals.closed)}) en ${number(totals.rejected.current)} niet aanvaard.`,
        },
        {
          kind: 'paragraph',
          text: `Op ${formatDay(backlog.asOf)} ${backlog.open === 1 ? 'stond' : 'stonden'} ${count(backlog.open, 'signaal', 'signalen')} open, waarvan ${number(backlog.overdue)} over ${backlog.open === 1 ? 'zijn' : 'hun'} termijn. ${dossiers.count === 0 ? 'Geen dossiers waren' : count(dossiers.count, 'dossier was', 'dossiers waren')} actief; ${countOrNone(dossiers.escalations.length, 'agendering', 'agenderingen')} bij beleid en ${countOrNone(dossiers.decisions.length, 'beleidsbeslissing', 'beleidsbeslissingen')} vielen in deze periode.`,
        },
      ],
    },
    {
      heading: 'Signalen per thema',
      blocks: [
        {
          kind: 'chart',
          chart: 'themes',
          caption: 'Ontvangen en afgesloten signalen per thema in deze periode.',
        },
        breakdownTable('thema', content.byTheme, themeName),
      ],
    },
    {
      heading: 'Signalen per beleidsdomein',
      blocks: [breakdownTable('beleidsdomein', content.byPolicyDomain, domainName)],
    },
    {
      heading: 'Verloop per maand',
      blocks: [
        { kind: 'chart', chart: 'monthly', caption: 'Ontvangen en afgesloten signalen per maand.' },
        {
          kind: 'table',
          head: ['maand', 'ontvangen', 'afgesloten'],
          rows: content.monthly.map((row) => [
            dutchMonth(row.month),
            number(row.received),
            number(row.closed),
          ]),
        },
      ],
    },
    {
      heading: 'Achterstand en doorlooptijden',
      blocks: [
        {
          kind: 'paragraph',
          text: `Doorlooptijd van indiening tot afsluiting voor ${count(leadTimes.closed, 'afgesloten signaal', 'afgesloten signalen')}: mediaan ${days(leadTimes.medianDays)}, 90e percentiel ${days(leadTimes.p90Days)}, gemiddeld ${days(leadTimes.averageDays)}.`,
        },
        {
          kind: 'chart',
          chart: 'backlog',
          caption: `Openstaande signalen per beleidsdomein op ${formatDay(backlog.asOf)}.`,
        },
        {
          kind: 'table',
          head: ['beleidsdomein', 'openstaand', 'over termijn', 'afgesloten', 'mediane doorlooptijd'],
          rows: mergeDomains(content).map((row) => [
            domainName(row.key),
            number(row.open),
            number(row.overdue),
            number(row.closed),
            days(row.medianDays),
          ]),
        },
      ],
    },
    {
      heading: 'Belangrijkste dossiers',
      blocks:
        dossiers.main.length === 0
          ? [{ kind: 'paragraph', text: 'Er waren geen actieve dossiers in deze periode.' }]
          : dossiers.main.map((dossier) => ({
              kind: 'bullets' as const,
              nested: true,
              items: [
                `${dossier.title} — ${count(dossier.signalCount, 'signaal', 'signalen')}; thema's: ${dossier.themes.map(themeName).join(', ') || '–'}${dossier.structural ? '; structureel' : ''}${dossier.closed ? '; afgesloten' : ''}`,
                ...dossier.analyses.map(
                  (analysis) => `Analyse (${formatDay(analysis.at)}): ${analysis.conclusion}`,
                ),
              ],
            })),
    },
    {
      heading: 'Structurele signalen',
      blocks: [
        {
          kind: 'paragraph',
          text: `${count(structuralSignals.count, 'signaal van deze periode werd', 'signalen van deze periode werden')} als structureel beoordeeld${structuralSignals.byTheme.length ? `: ${structuralSignals.byTheme.map((row) => `${themeName(row.key)} ${number(row.count)}`).join(', ')}` : ''}.`,
        },
        ...(structuralSignals.titles.length
          ? [
              {
                kind: 'bullets' as const,
                items: structuralSignals.titles.map(
                  (signal) => `${signal.title} (${signal.themes.map(themeName).join(', ') || '–'})`,
                ),
              },
            ]
          : []),
      ],
    },
    {
      heading: 'Agenderingen en beleidsbeslissingen',
      blocks: [
        dossiers.escalations.length === 0
          ? { kind: 'paragraph', text: 'Geen dossiers geagendeerd in deze periode.' }
          : {
              kind: 'table',
              head: ['datum', 'dossier', 'niveau', 'orgaan', 'signalen'],
              rows: dossiers.escalations.map((row) => [
                formatDay(row.at),
                row.dossier,
                LEVEL[row.level],
                row.body,
                number(row.signalCount),
              ]),
            },
        dossiers.decisions.length === 0
          ? { kind: 'paragraph', text: 'Geen beleidsbeslissingen geregistreerd in deze periode.' }
          : {
              kind: 'table',
              head: ['datum', 'dossier', 'beslissing', 'acties'],
              rows: dossiers.decisions.map((row) => [
                formatDay(row.at),
                row.dossier,
                row.decision,
                row.actions.join('; ') || '–',
              ]),
            },
      ],
    },
  ];
  return {
    title: `Beleidsbrief ${tenantName} — ${content.period.description}`,
    subtitle: `Signalen, dossiers en beleid in ${content.period.description}, vergeleken met ${content.previousPeriod.description}.`,
    sections,
    footer: `Aangemaakt op ${formatDay(content.generatedAt)} door Lokaal Signaal. Cijfers uit de leesmodellen; geen namen van signaalgevers of persoonsgegevens.`,
  };
}

function mergeDomains(content: BriefContent) {
  const rows = new Map<
    string,
    { key: string; open: number; overdue: number; closed: number; medianDays: number | null }
  >();
  const row = (key: string) => {
    let found = rows.get(key);
    if (!found) rows.set(key, (found = { key, open: 0, overdue: 0, closed: 0, medianDays: null }));
    return found;
  };
  for (const domain of content.backlog.byPolicyDomain)
    Object.assign(row(domain.key), { open: domain.open, overdue: domain.overdue });
  for (const domain of content.leadTimes.byPolicyDomain)
    Object.assign(row(domain.key), { closed: domain.closed, medianDays: domain.medianDays });
  return [...rows.values()].sort((a, b) => b.open - a.open || a.key.localeCompare(b.key));
}

/** The municipality's name for a slug: `sint-niklaas` → `Sint-Niklaas`. */
export function tenantDisplayName(slug: string): string {
  return slug
    .split('-')
    .map((part) => (part.length ? part[0]!.toUpperCase() + part.slice(1) : part))
    .join('-');
}

/** Columns whose cells are all figures (counts, trends, days): right-aligned in every format. */
export function numericColumns(block: { head: string[]; rows: string[][] }): boolean[] {
  return block.head.map(
    (_, column) =>
      column > 0 && block.rows.length > 0 && block.rows.every((row) => /^[-+±–<\d]/.test(row[column] ?? '')),
  );
}
