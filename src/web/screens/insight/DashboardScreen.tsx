import { Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useMemo } from 'react';
import { seriesRows } from '../../../reporting/render/chart-specs';
import { stateLabel } from '../../terms';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { Loading } from '../../ui/Loading';
import { useApi } from '../../ui/useApi';
import type { AgingBuckets, DashboardAnswer } from '../../../dashboard/dashboard-answer';
import { Chart } from './charts/Chart';
import {
  formatDateTime,
  formatHours,
  formatMonth,
  formatNumber,
  policyDomainName,
  themeName,
} from './format';

const AGING_LABELS: Record<keyof AgingBuckets, string> = {
  '0-7d': '0 tot 7 dagen',
  '8-30d': '8 tot 30 dagen',
  '31-90d': '31 tot 90 dagen',
  '91-365d': '91 tot 365 dagen',
  '>365d': 'meer dan een jaar',
};

const MONTH_SERIES = ['ontvangen', 'afgesloten', 'niet aanvaard'] as const;

/** Counts by size, largest first (ties by name), as [code, count]. */
function largestFirst(counts: Record<string, number> | undefined): Array<[string, number]> {
  return Object.entries(counts ?? {}).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/** Months since year 0 of a `YYYY-MM` month. */
function monthNumber(month: string): number {
  return Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
}

/** A column of the month table at a `YYYY-MM` month (0 outside it). */
function inMonth(
  answer: DashboardAnswer,
  column: 'submitted' | 'closed' | 'rejected',
  month: string,
): number {
  const table = answer.perMonth;
  if (!table?.from) return 0;
  return table[column][monthNumber(month) - monthNumber(table.from)] ?? 0;
}

/**
 * The months up to the dashboard's own month, oldest first: back to the first month with a figure,
 * at least 6 and at most 12, so that a month without signals shows as the zero it is.
 */
function lastMonths(answer: DashboardAnswer): string[] {
  const end = answer.generatedAt.slice(0, 7);
  const first = answer.perMonth?.from ?? end;
  const months: string[] = [];
  let [year, month] = [Number(end.slice(0, 4)), Number(end.slice(5, 7))];
  while (months.length < 12) {
    const label = `${year}-${String(month).padStart(2, '0')}`;
    if (months.length >= 6 && label < first) break;
    months.unshift(label);
    if (--month === 0) [year, month] = [year - 1, 12];
  }
  return months;
}

/**
 * The municipality's dashboard for officials and the lead processor: signals by theme and by
 * month, lead times, backlog aging and overdue signals. Aggregates only: this screen calls
 * nothing but GET /dashboard, so an official never receives a signal's text here.
 */
export function DashboardScreen() {
  const { data, error, loading } = useApi<DashboardAnswer>('/dashboard');

  const charts = useMemo(() => {
    if (!data) return null;
    const themes = seriesRows(largestFirst(data.byTheme), ([code]) => themeName(code), {
      signalen: ([, count]) => count,
    });
    const domains = seriesRows(largestFirst(data.byPolicyDomain), ([code]) => policyDomainName(code), {
      signalen: ([, count]) => count,
    });
    const months = seriesRows(
      lastMonths(data),
      formatMonth,
      {
        ontvangen: (month) => inMonth(data, 'submitted', month),
        afgesloten: (month) => inMonth(data, 'closed', month),
        'niet aanvaard': (month) => inMonth(data, 'rejected', month),
      },
      12,
    );
    const buckets = Object.keys(AGING_LABELS) as Array<keyof AgingBuckets>;
    const aging = seriesRows(buckets, (bucket) => AGING_LABELS[bucket], {
      'open signalen': (bucket) => data.aging?.[bucket] ?? 0,
    });
    return { themes, domains, months, aging: (data.open ?? 0) > 0 ? aging : [] };
  }, [data]);

  if (loading && !data) return <Loading label="Dashboard laden…" />;
  if (error) return <ErrorAlert error={error} />;
  if (!data || !charts) return null;

  const leadTime = data.leadTimeHours;
  return (
    <Stack gap="lg">
      <div>
        <Title order={2}>Dashboard</Title>
        <Text c="dimmed" size="sm">
          Cijfers van je bestuur, zonder de inhoud van signalen. Stand van {formatDateTime(data.generatedAt)}.
        </Text>
      </div>

      <SimpleGrid cols={{ base: 2, md: 4 }} component="dl" m={0} aria-label="Kerncijfers">
        <Figure label="Signalen in totaal" value={formatNumber(data.total ?? 0)} />
        <Figure label="Open signalen" value={formatNumber(data.open ?? 0)} />
        <Figure label="Over de termijn" value={formatNumber(data.overdue ?? 0)} />
        <Figure
          label="Doorlooptijd tot afsluiten"
          value={`mediaan ${formatHours(leadTime?.total.median ?? null)}`}
          detail={`90% binnen ${formatHours(leadTime?.total.p90 ?? null)}`}
        />
      </SimpleGrid>

      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="xl">
        <Chart
          kind="bar"
          rows={charts.themes}
          categoryTitle="Thema"
          options={{ title: 'Signalen per thema', valueTitle: 'aantal signalen', series: ['signalen'] }}
          emptyText="Nog geen signalen met een thema."
        />
        <Chart
          kind="line"
          rows={charts.months}
          categoryTitle="Maand"
          options={{ title: 'Signalen per maand', valueTitle: 'aantal signalen', series: MONTH_SERIES }}
          emptyText="Nog geen signalen."
        />
        <Chart
          kind="bar"
          rows={charts.aging}
          categoryTitle="Open sinds"
          options={{
            title: 'Open signalen naar ouderdom',
            valueTitle: 'aantal signalen',
            series: ['open signalen'],
          }}
          emptyText="Geen open signalen."
        />
        <Chart
          kind="bar"
          rows={charts.domains}
          categoryTitle="Beleidsdomein"
          options={{
            title: 'Signalen per beleidsdomein',
            valueTitle: 'aantal signalen',
            series: ['signalen'],
          }}
          emptyText="Nog geen signalen toegewezen aan een beleidsdomein."
        />
      </SimpleGrid>

      <Stack gap="xs">
        <Title order={3}>Doorlooptijden per fase</Title>
        {leadTime && Object.keys(leadTime.byStage).length > 0 ? (
          <Table striped withTableBorder aria-label="Doorlooptijden per fase">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Fase</Table.Th>
                <Table.Th scope="col" ta="right">
                  Keer verlaten
                </Table.Th>
                <Table.Th scope="col" ta="right">
                  Mediaan
                </Table.Th>
                <Table.Th scope="col" ta="right">
                  90e percentiel
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {Object.entries(leadTime.byStage).map(([stage, summary]) => (
                <Table.Tr key={stage}>
                  <Table.Th scope="row" fw={400}>
                    {stateLabel(stage)}
                  </Table.Th>
                  <Table.Td ta="right">{formatNumber(summary.count)}</Table.Td>
                  <Table.Td ta="right">{formatHours(summary.median)}</Table.Td>
                  <Table.Td ta="right">{formatHours(summary.p90)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        ) : (
          <Text c="dimmed">Nog geen signaal heeft een fase afgerond.</Text>
        )}
        <Text size="sm" c="dimmed">
          Mediaan en 90e percentiel zijn geschat uit een histogram (binnen 5%).
        </Text>
      </Stack>
    </Stack>
  );
}

function Figure({ label, value, detail }: { label: string; value: string; detail?: string }) {
  return (
    <Paper withBorder p="md" radius="md">
      <Text component="dt" size="sm" c="dimmed">
        {label}
      </Text>
      <Group component="dd" m={0} gap={4} display="block">
        <Text fw={700} fz="xl">
          {value}
        </Text>
        {detail && <Text size="sm">{detail}</Text>}
      </Group>
    </Paper>
  );
}
