import {
  Badge,
  Button,
  Card,
  Group,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useMemo, useState } from 'react';
import { useAuth } from '../../auth/AuthContext';
import { countOf } from '../../terms';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { Loading } from '../../ui/Loading';
import { useApi } from '../../ui/useApi';
import type {
  CellRow,
  Patterns,
  Published,
  SuppressedCellRow,
  SupralocalEscalations,
  ThemeSeries,
} from '../../../supralocal/supralocal-answers';
import { Chart, type ChartTable } from './charts/Chart';
import { downloadCsv } from './csv-download';
import { formatDate, formatNumber, publishedText, SUPPRESSED_SECONDARY, themeName } from './format';

export const POPULATION_BANDS: Record<string, string> = {
  'lt-10000': 'minder dan 10.000 inwoners',
  '10000-25000': '10.000 tot 25.000 inwoners',
  '25000-50000': '25.000 tot 50.000 inwoners',
  '50000-100000': '50.000 tot 100.000 inwoners',
  'gt-100000': 'meer dan 100.000 inwoners',
};

/** The last `count` quarters up to the current one, newest first. */
function recentQuarters(count = 8, now = new Date()): string[] {
  let year = now.getFullYear();
  let quarter = Math.floor(now.getMonth() / 3) + 1;
  const quarters: string[] = [];
  while (quarters.length < count) {
    quarters.push(`${year}-Q${quarter}`);
    if (--quarter === 0) [year, quarter] = [year - 1, 4];
  }
  return quarters;
}

function cellText(cell: CellRow | SuppressedCellRow | undefined): string {
  if (!cell) return '–';
  return 'signals' in cell ? formatNumber(cell.signals) : SUPPRESSED_SECONDARY;
}

function growthText(growth: number | null): string {
  if (growth === null) return '–';
  const percent = Math.round(growth * 100);
  return `${percent > 0 ? '+' : ''}${formatNumber(percent)}%`;
}

/**
 * Supra-local patterns: themes rising across the participating municipalities, the themes ×
 * municipalities table, co-occurring themes and target groups, escalated dossiers with their
 * public summaries, and the CSV export. Every figure is suppressed on the server; a figure that
 * is not published reads "< drempel" or "niet gepubliceerd", never 0.
 */
export function PatternsScreen() {
  const { hasRole } = useAuth();
  const analyst = hasRole('supralocal-analyst');
  const quarters = useMemo(() => recentQuarters(), []);
  const [period, setPeriod] = useState(quarters[0]!);
  const [band, setBand] = useState<string | null>(null);
  const query = { period, populationBand: analyst ? (band ?? undefined) : undefined };
  const view = useApi<Patterns>('/supralocal/patterns', query);
  const [csvError, setCsvError] = useState<unknown>(null);

  async function exportCsv() {
    setCsvError(null);
    try {
      await downloadCsv('/supralocal/patterns', query, `bovenlokale-patronen-${period}.csv`);
    } catch (error) {
      setCsvError(error);
    }
  }

  return (
    <Stack gap="lg">
      <div>
        <Title order={2}>Bovenlokale patronen</Title>
        <Text c="dimmed" size="sm" maw={760}>
          {analyst
            ? 'Thema’s over de deelnemende besturen heen. '
            : 'De cijfers van je eigen bestuur, onderdrukt zoals in de volledige bovenlokale tabel; totalen over besturen zijn voor de bovenlokale analist. '}
          Een cijfer met te weinig signalen of signaalgevers tonen we als “&lt; drempel”; een cijfer waaruit
          je een verborgen cijfer zou kunnen afleiden als “niet gepubliceerd”. Nooit als 0.
        </Text>
      </div>

      <Group align="flex-end">
        <Select
          label="Kwartaal"
          data={quarters}
          value={period}
          onChange={(value) => value && setPeriod(value)}
          allowDeselect={false}
          w={160}
        />
        {analyst && (
          <Select
            label="Inwonersklasse"
            placeholder="Alle besturen"
            data={Object.entries(POPULATION_BANDS).map(([value, label]) => ({ value, label }))}
            value={band}
            onChange={setBand}
            clearable
            w={260}
          />
        )}
        <Button variant="default" onClick={() => void exportCsv()}>
          CSV downloaden
        </Button>
      </Group>
      {csvError !== null && <ErrorAlert error={csvError} />}

      {view.error ? (
        <ErrorAlert error={view.error} onRetry={view.reload} />
      ) : !view.data ? (
        <Loading label="Patronen laden…" />
      ) : (
        <PatternsView patterns={view.data} analyst={analyst} />
      )}

      <Escalations period={period} />
    </Stack>
  );
}

function PatternsView({ patterns, analyst }: { patterns: Patterns; analyst: boolean }) {
  const { rules } = patterns;
  // No entry means no signals: a zero is public (the server leaves it out of the table); a
  // suppressed total has no number, so its theme is not drawn (the table says why).
  const drawable = patterns.themes.filter(
    (trend) => !trend.total?.suppressed && !trend.previousTotal?.suppressed,
  );
  const trendRows = drawable.slice(0, 12).flatMap((trend) => [
    { category: trend.label, series: patterns.previousPeriod, value: signals(trend.previousTotal) },
    { category: trend.label, series: patterns.period, value: signals(trend.total) },
  ]);
  const trendTable: ChartTable = {
    columns: [patterns.previousPeriod, patterns.period, 'groei'],
    rows: patterns.themes.map((trend) => ({
      category: trend.label,
      values: [totalText(trend.previousTotal), totalText(trend.total), growthText(trend.growth)],
    })),
  };

  return (
    <Stack gap="xl">
      <Text size="sm">
        Drempel: minstens {rules.minSignals} signalen van minstens {rules.minGivers} verschillende
        signaalgevers.{' '}
        {patterns.grandTotal && (
          <>
            Alle thema’s samen in {patterns.period}: {publishedText(patterns.grandTotal)} (een signaal met
            meer thema’s telt bij elk thema).
          </>
        )}
      </Text>

      <Stack gap="xs">
        <Title order={3}>Stijgende thema’s</Title>
        {patterns.themes.length === 0 ? (
          <Text c="dimmed">Geen signalen in {patterns.period} of het kwartaal ervoor.</Text>
        ) : (
          <>
            {analyst && (
              <Chart
                kind="bar"
                rows={trendRows}
                categoryTitle="Thema"
                options={{
                  title: `Signalen per thema: ${patterns.previousPeriod} en ${patterns.period}`,
                  valueTitle: 'aantal signalen',
                  series: [patterns.previousPeriod, patterns.period],
                }}
                table={trendTable}
                emptyText="Geen thema met gepubliceerde totalen in beide kwartalen: zie de tabel."
              />
            )}
            <Table striped withTableBorder aria-label={`Thema’s in ${patterns.period}, stijgende eerst`}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Thema</Table.Th>
                  {analyst && (
                    <>
                      <Table.Th scope="col" ta="right">
                        {patterns.previousPeriod}
                      </Table.Th>
                      <Table.Th scope="col" ta="right">
                        {patterns.period}
                      </Table.Th>
                      <Table.Th scope="col" ta="right">
                        Groei
                      </Table.Th>
                    </>
                  )}
                  <Table.Th scope="col" ta="right">
                    Besturen met cijfer
                  </Table.Th>
                  <Table.Th scope="col" ta="right">
                    Stijgend in
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {patterns.themes.map((trend) => (
                  <Table.Tr key={trend.theme}>
                    <Table.Th scope="row" fw={400}>
                      {trend.label}
                    </Table.Th>
                    {analyst && (
                      <>
                        <Table.Td ta="right">{totalText(trend.previousTotal)}</Table.Td>
                        <Table.Td ta="right">{totalText(trend.total)}</Table.Td>
                        <Table.Td ta="right">{growthText(trend.growth)}</Table.Td>
                      </>
                    )}
                    <Table.Td ta="right">{formatNumber(trend.municipalities)}</Table.Td>
                    <Table.Td ta="right">{formatNumber(trend.risingIn)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </>
        )}
      </Stack>

      <CellsTable patterns={patterns} />

      {patterns.months && <MonthsTable patterns={patterns} months={patterns.months} />}

      {patterns.themes.length > 0 && <ThemeOverTime patterns={patterns} analyst={analyst} />}

      {analyst && (
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="xl">
          <ListTable
            title="Thema’s die samen voorkomen"
            label="Thema’s die samen in een signaal voorkomen"
            empty="Geen paar boven de drempel."
            heads={['Thema’s']}
            rows={patterns.cooccurrence.map((pair) => ({
              key: pair.themes.join('|'),
              cells: [pair.themes.map(themeName).join(' + ')],
              signals: pair.signals,
            }))}
          />
          <ListTable
            title="Doelgroepen per thema"
            empty="Geen doelgroep boven de drempel."
            heads={['Thema', 'Doelgroep']}
            rows={patterns.targetGroups.map((row) => ({
              key: `${row.theme}|${row.targetGroup}`,
              cells: [themeName(row.theme), row.label],
              signals: row.signals,
            }))}
          />
          <ListTable
            title="Soort gebied per thema"
            empty="Geen soort gebied boven de drempel."
            heads={['Thema', 'Soort gebied']}
            rows={patterns.areaTypes.map((row) => ({
              key: `${row.theme}|${row.areaType}`,
              cells: [themeName(row.theme), row.label],
              signals: row.signals,
            }))}
          />
        </SimpleGrid>
      )}
    </Stack>
  );
}

/** A list published above the thresholds (no totals): its entries and their signals, or why it is empty. */
function ListTable({
  title,
  label = title,
  empty,
  heads,
  rows,
}: {
  title: string;
  label?: string;
  empty: string;
  heads: string[];
  rows: Array<{ key: string; cells: string[]; signals: number }>;
}) {
  return (
    <Stack gap="xs">
      <Title order={3}>{title}</Title>
      {rows.length === 0 ? (
        <Text c="dimmed">{empty}</Text>
      ) : (
        <Table striped withTableBorder aria-label={label}>
          <Table.Thead>
            <Table.Tr>
              {heads.map((head) => (
                <Table.Th key={head} scope="col">
                  {head}
                </Table.Th>
              ))}
              <Table.Th scope="col" ta="right">
                Signalen
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row) => (
              <Table.Tr key={row.key}>
                {row.cells.map((cell, i) =>
                  i === 0 ? (
                    <Table.Th key={i} scope="row" fw={400}>
                      {cell}
                    </Table.Th>
                  ) : (
                    <Table.Td key={i}>{cell}</Table.Td>
                  ),
                )}
                <Table.Td ta="right">{formatNumber(row.signals)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

const MONTH = new Intl.DateTimeFormat('nl-BE', { month: 'long', year: 'numeric', timeZone: 'UTC' });

/** `2026-07` as "juli 2026". */
function monthName(period: string): string {
  return MONTH.format(new Date(`${period}-01T00:00:00Z`));
}

/** Themes × months of the quarter over all participating municipalities, suppressed with the cells. */
function MonthsTable({ patterns, months }: { patterns: Patterns; months: NonNullable<Patterns['months']> }) {
  if (months.themes.length === 0) return null;
  return (
    <Stack gap="xs">
      <Title order={3}>Signalen per thema en maand, alle besturen ({patterns.period})</Title>
      <div style={{ overflowX: 'auto' }} tabIndex={0} role="region" aria-label="Tabel per thema en maand">
        <Table striped withTableBorder aria-label={`Signalen per thema en maand in ${patterns.period}`}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Thema</Table.Th>
              {months.periods.map((period) => (
                <Table.Th key={period} scope="col" ta="right">
                  {monthName(period)}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {months.themes.map((row) => (
              <Table.Tr key={row.theme}>
                <Table.Th scope="row" fw={400}>
                  {row.label}
                </Table.Th>
                {row.months.map((month) => (
                  <Table.Td
                    key={month.period}
                    ta="right"
                    data-suppressed={month.figures?.suppressed ? 'true' : undefined}
                  >
                    {publishedText(month.figures)}
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
            <Table.Tr>
              <Table.Th scope="row">Alle thema’s</Table.Th>
              {months.totals.map((month) => (
                <Table.Td key={month.period} ta="right" fw={600}>
                  {publishedText(month.total)}
                </Table.Td>
              ))}
            </Table.Tr>
          </Table.Tbody>
        </Table>
      </div>
    </Stack>
  );
}

/** An analyst's theme total: no entry is no signals (0, public); suppressed ones say why. */
function totalText(figure: Published | null): string {
  return figure === null ? '0' : publishedText(figure);
}

function signals(figure: Published | null): number {
  return figure && !figure.suppressed ? figure.signals : 0;
}

/** Themes × municipalities of the quarter, grouped by population band (the comparison). */
function CellsTable({ patterns }: { patterns: Patterns }) {
  const columns = [...patterns.municipalities].sort(
    (a, b) => (a.populationBand ?? '').localeCompare(b.populationBand ?? '') || a.name.localeCompare(b.name),
  );
  const cells = new Map(patterns.cells.map((cell) => [`${cell.theme}|${cell.tenantId}`, cell]));
  const themes = [...new Set(patterns.cells.map((cell) => cell.theme))];
  return (
    <Stack gap="xs">
      <Title order={3}>Signalen per thema en bestuur ({patterns.period})</Title>
      {themes.length === 0 ? (
        <Text c="dimmed">Geen signalen in dit kwartaal bij deze besturen.</Text>
      ) : (
        <div style={{ overflowX: 'auto' }} tabIndex={0} role="region" aria-label="Tabel per thema en bestuur">
          <Table striped withTableBorder aria-label={`Signalen per thema en bestuur in ${patterns.period}`}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Thema</Table.Th>
                {columns.map((municipality) => (
                  <Table.Th key={municipality.tenantId} scope="col" ta="right">
                    {municipality.name}
                    <Text size="xs" c="dimmed" fw={400}>
                      {POPULATION_BANDS[municipality.populationBand ?? ''] ?? 'inwonersklasse onbekend'}
                    </Text>
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {themes.map((theme) => (
                <Table.Tr key={theme}>
                  <Table.Th scope="row" fw={400}>
                    {themeName(theme)}
                  </Table.Th>
                  {columns.map((municipality) => {
                    const cell = cells.get(`${theme}|${municipality.tenantId}`);
                    return (
                      <Table.Td
                        key={municipality.tenantId}
                        ta="right"
                        data-suppressed={cell && !('signals' in cell) ? 'true' : undefined}
                      >
                        {cellText(cell)}
                      </Table.Td>
                    );
                  })}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
      )}
      <Text size="sm" c="dimmed">
        “–”: geen signalen. “{SUPPRESSED_SECONDARY}”: onder de drempel, of af te leiden uit andere cijfers.
      </Text>
    </Stack>
  );
}

/** One theme over the last four quarters: its published total per quarter, and its cells. */
function ThemeOverTime({ patterns, analyst }: { patterns: Patterns; analyst: boolean }) {
  const [theme, setTheme] = useState(patterns.themes[0]!.theme);
  const [byMonth, setByMonth] = useState(false);
  const series = useApi<ThemeSeries>(`/supralocal/themes/${encodeURIComponent(theme)}`, {
    period: patterns.period,
    quarters: 4,
  });
  const data = series.data;
  // The analyst sees the theme's total per quarter; a lead processor (no totals) their own cell.
  // No entry is no signals (a public zero); a suppressed figure is left out of the line.
  const own = data?.municipalities.length === 1 ? data.municipalities[0] : undefined;
  const monthly =
    analyst && byMonth ? (data?.quarters ?? []).flatMap((quarter) => quarter.months ?? []) : null;
  const rows = monthly
    ? monthly.flatMap((month) =>
        month.figures?.suppressed
          ? []
          : [{ category: month.period, series: 'signalen', value: signals(month.figures) }],
      )
    : (data?.quarters ?? []).flatMap((quarter) => {
        if (analyst) {
          return quarter.total?.suppressed
            ? []
            : [{ category: quarter.period, series: 'signalen', value: signals(quarter.total) }];
        }
        const cell = quarter.cells.find((candidate) => candidate.tenantId === own?.tenantId);
        if (cell && !('signals' in cell)) return [];
        return [{ category: quarter.period, series: 'signalen', value: cell ? cell.signals : 0 }];
      });
  return (
    <Stack gap="xs">
      <Title order={3}>Thema in de tijd</Title>
      <Select
        label="Thema"
        data={patterns.themes.map((trend) => ({ value: trend.theme, label: trend.label }))}
        value={theme}
        onChange={(value) => value && setTheme(value)}
        allowDeselect={false}
        w={280}
      />
      {analyst && (
        <SegmentedControl
          aria-label="Per kwartaal of per maand"
          w="fit-content"
          value={byMonth ? 'month' : 'quarter'}
          onChange={(value) => setByMonth(value === 'month')}
          data={[
            { value: 'quarter', label: 'Per kwartaal' },
            { value: 'month', label: 'Per maand' },
          ]}
        />
      )}
      {series.error ? (
        <ErrorAlert error={series.error} onRetry={series.reload} />
      ) : !data ? (
        <Loading label="Thema laden…" />
      ) : monthly ? (
        <Chart
          kind="line"
          rows={rows}
          categoryTitle="Maand"
          options={{
            title: `${data.label}: signalen per maand, alle besturen`,
            valueTitle: 'aantal signalen',
            series: ['signalen'],
          }}
          table={{
            columns: ['alle besturen'],
            rows: monthly.map((month) => ({
              category: monthName(month.period),
              values: [publishedText(month.figures)],
            })),
          }}
          emptyText="Geen gepubliceerd maandcijfer in deze kwartalen: zie de tabel."
        />
      ) : (
        <Chart
          kind="line"
          rows={rows}
          categoryTitle="Kwartaal"
          options={{
            title: `${data.label}: signalen per kwartaal${own && !analyst ? ` in ${own.name}` : ''}`,
            valueTitle: 'aantal signalen',
            series: ['signalen'],
          }}
          table={{
            columns: [
              ...(analyst ? ['alle besturen'] : []),
              ...data.municipalities.map((municipality) => municipality.name),
            ],
            rows: data.quarters.map((quarter) => ({
              category: quarter.period,
              values: [
                ...(analyst ? [totalText(quarter.total)] : []),
                ...data.municipalities.map((municipality) =>
                  cellText(quarter.cells.find((cell) => cell.tenantId === municipality.tenantId)),
                ),
              ],
            })),
          }}
          emptyText="Geen gepubliceerd totaal in deze kwartalen: zie de tabel."
        />
      )}
    </Stack>
  );
}

/** Dossiers escalated to the supra-local level in the quarter, with their public summaries. */
function Escalations({ period }: { period: string }) {
  const answer = useApi<SupralocalEscalations>('/supralocal/escalations', { period });
  return (
    <Stack gap="xs">
      <Title order={3}>Bovenlokaal geagendeerde dossiers ({period})</Title>
      {answer.error ? (
        <ErrorAlert error={answer.error} onRetry={answer.reload} />
      ) : !answer.data ? (
        <Loading label="Dossiers laden…" />
      ) : answer.data.escalations.length === 0 ? (
        <Text c="dimmed">Geen dossiers bovenlokaal geagendeerd in dit kwartaal.</Text>
      ) : (
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          {answer.data.escalations.map((escalation) => (
            <Card key={`${escalation.tenantId}|${escalation.dossierId}|${escalation.escalatedAt}`} withBorder>
              <Title order={4}>{escalation.title}</Title>
              <Text size="sm" c="dimmed">
                {escalation.municipality} · {formatDate(escalation.escalatedAt)} · naar {escalation.body} ·{' '}
                {countOf(escalation.memberCount, 'signaal', 'signalen')}
              </Text>
              <Text mt="xs">{escalation.summary}</Text>
              <Group gap={4} mt="xs">
                {escalation.themes.map((code) => (
                  <Badge key={code} variant="outline" color="#495057">
                    {themeName(code)}
                  </Badge>
                ))}
              </Group>
            </Card>
          ))}
        </SimpleGrid>
      )}
    </Stack>
  );
}
