import { Badge, Button, Group, Progress, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiFailure, download } from '../../api/client';
import { roleLabel } from '../../terms';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { Loading } from '../../ui/Loading';
import { useApi } from '../../ui/useApi';
import { formatDateTime, formatPeriodDays } from './format';
import { InsightAlert } from './InsightAlert';
import type { BriefPage, BriefView } from '../../../reporting/brief-answers';

/**
 * Where a kind of brief lives in the API. The municipality's policy brief is `/briefs`; the
 * supra-local brief (supralocal-analyst) gets its own entry and route in routes.ts when its API is
 * merged, and reuses <BriefsPanel> as is: same list, request, polling and downloads.
 */
export interface BriefKind {
  /** The API collection: GET lists, POST requests, `/{id}` and `/{id}/download` follow. */
  basePath: string;
  heading: string;
  intro: string;
  /** The period the request form proposes. */
  defaultPeriod(now?: Date): string;
  /** File names of downloads: `<prefix>-<period>-<n>.<ext>`. */
  filePrefix: string;
}

export const MUNICIPAL_BRIEFS: BriefKind = {
  basePath: '/briefs',
  heading: 'Beleidsbriefs',
  intro:
    'Een beleidsbrief vat de signalen van een periode samen in cijfers en grafieken, zonder de tekst van signalen. ' +
    'Vraag er een aan; ze is na enkele ogenblikken klaar om te downloaden.',
  defaultPeriod: (now) => currentQuarter(now),
  filePrefix: 'beleidsbrief',
};

/** The quarterly VVSG pattern brief: opted-in municipalities, suppressed as the pattern views are. */
export const SUPRALOCAL_BRIEFS: BriefKind = {
  basePath: '/supralocal/briefs',
  heading: 'Bovenlokale briefs',
  intro:
    'De bovenlokale brief bundelt per afgelopen kwartaal de patronen van de deelnemende gemeenten: stijgende ' +
    "thema's, thema's die samen voorkomen, vergelijking per inwonersklasse en bovenlokale agenderingen. Kleine " +
    'aantallen worden niet gepubliceerd. Eén brief per kwartaal.',
  defaultPeriod: (now) => previousQuarter(now),
  filePrefix: 'bovenlokale-brief',
};

/** The formats a person downloads (JSON is for machines: the API serves it too). */
const FORMATS = [
  { format: 'pdf', label: 'PDF', extension: 'pdf' },
  { format: 'html', label: 'HTML', extension: 'html' },
  { format: 'md', label: 'Markdown', extension: 'md' },
] as const;

/** White on these is ≥ 4.5:1 (Mantine's light badges are not, in green and grey); the word says it too. */
const STATUS: Record<BriefView['status'], { label: string; color: string }> = {
  queued: { label: 'In de wachtrij', color: '#495057' },
  running: { label: 'Wordt gemaakt', color: '#1f5aa6' },
  generated: { label: 'Klaar', color: '#1e6b2e' },
  failed: { label: 'Mislukt', color: '#a61e1e' },
};

const POLL_MS = 2000;

/** The current quarter, as the default period ("2026-Q4"). */
function currentQuarter(now = new Date()): string {
  return `${now.getFullYear()}-Q${Math.floor(now.getMonth() / 3) + 1}`;
}

/** The last quarter that has ended ("2026-Q3" during 2026-Q4). */
function previousQuarter(now = new Date()): string {
  const quarter = Math.floor(now.getMonth() / 3);
  return quarter === 0 ? `${now.getFullYear() - 1}-Q4` : `${now.getFullYear()}-Q${quarter}`;
}

export function SupralocalBriefsScreen() {
  return <BriefsPanel kind={SUPRALOCAL_BRIEFS} />;
}

export function BriefsScreen() {
  return <BriefsPanel kind={MUNICIPAL_BRIEFS} />;
}

/** A kind of brief: request one, follow its status (polled while any is pending), download it. */
export function BriefsPanel({ kind }: { kind: BriefKind }) {
  const list = useApi<BriefPage>(kind.basePath);
  const pending = list.data?.items.some((brief) => brief.status === 'queued' || brief.status === 'running');
  const { reload } = list;

  useEffect(() => {
    if (!pending) return;
    const timer = setTimeout(reload, POLL_MS);
    return () => clearTimeout(timer);
  }, [pending, list.data, reload]);

  return (
    <Stack gap="lg">
      <div>
        <Title order={2}>{kind.heading}</Title>
        <Text c="dimmed" size="sm" maw={720}>
          {kind.intro}
        </Text>
      </div>
      <RequestBrief kind={kind} onRequested={reload} />
      <Stack gap="xs">
        <Title order={3}>Aangevraagde briefs</Title>
        {list.error ? (
          <ErrorAlert error={list.error} onRetry={reload} />
        ) : !list.data ? (
          <Loading label="Briefs laden…" />
        ) : list.data.items.length === 0 ? (
          <Text c="dimmed">Er zijn nog geen briefs. Vraag er hierboven een aan.</Text>
        ) : (
          <BriefTable briefs={list.data.items} kind={kind} />
        )}
      </Stack>
    </Stack>
  );
}

function RequestBrief({ kind, onRequested }: { kind: BriefKind; onRequested: () => void }) {
  const { basePath } = kind;
  const [period, setPeriod] = useState(() => kind.defaultPeriod());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiFailure | null>(null);
  const [requested, setRequested] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setRequested(null);
    try {
      const { body } = await api<BriefView>(basePath, { method: 'POST', body: { period: period.trim() } });
      setRequested(body.period);
      onRequested();
    } catch (failure) {
      setError(
        failure instanceof ApiFailure
          ? failure
          : new ApiFailure(0, 'NETWORK', 'De aanvraag kwam niet aan. Controleer je verbinding.'),
      );
    } finally {
      setBusy(false);
    }
  }

  const fieldError =
    error && (error.field === 'period' || error.code.startsWith('PERIOD')) ? error.message : null;
  return (
    <form onSubmit={(event) => void submit(event)} aria-labelledby="brief-request-heading">
      <Stack gap="xs" maw={560}>
        <Title order={3} id="brief-request-heading">
          Brief aanvragen
        </Title>
        <Group align="flex-start">
          <TextInput
            label="Periode"
            description="Maand (2026-03), kwartaal (2026-Q3), jaar (2026) of bereik (2026-01-01..2026-02-15)"
            value={period}
            onChange={(event) => setPeriod(event.currentTarget.value)}
            error={fieldError}
            required
            style={{ flex: 1 }}
          />
        </Group>
        <Group>
          <Button type="submit" loading={busy}>
            Brief aanvragen
          </Button>
        </Group>
        {error && !fieldError && <ErrorAlert error={error} />}
        {requested && (
          <InsightAlert color="green" role="status" title="Aangevraagd">
            De brief over {requested} is aangevraagd. De status hieronder volgt vanzelf.
          </InsightAlert>
        )}
      </Stack>
    </form>
  );
}

function BriefTable({ briefs, kind }: { briefs: BriefView[]; kind: BriefKind }) {
  const { basePath } = kind;
  const [downloadError, setDownloadError] = useState<unknown>(null);

  async function fetchFile(brief: BriefView, format: string, extension: string) {
    setDownloadError(null);
    try {
      await download(
        `${basePath}/${encodeURIComponent(brief.briefId)}/download?format=${format}`,
        `${kind.filePrefix}-${brief.period}-${brief.n}.${extension}`,
      );
    } catch (error) {
      setDownloadError(error);
    }
  }

  return (
    <Stack gap="xs">
      {downloadError !== null && <ErrorAlert error={downloadError} />}
      <Table striped withTableBorder aria-label="Aangevraagde briefs, nieuwste eerst">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Periode</Table.Th>
            <Table.Th scope="col">Aangevraagd</Table.Th>
            <Table.Th scope="col">Status</Table.Th>
            <Table.Th scope="col">Downloaden</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {briefs.map((brief) => {
            const status = STATUS[brief.status] ?? { label: brief.status, color: '#495057' };
            const name = `${brief.period}${brief.n > 1 ? ` (${brief.n})` : ''}`;
            return (
              <Table.Tr key={brief.briefId}>
                <Table.Th scope="row" fw={400}>
                  <Text fw={600}>{name}</Text>
                  <Text size="sm" c="dimmed">
                    {formatPeriodDays(brief.from, brief.to)}
                  </Text>
                </Table.Th>
                <Table.Td>
                  <Text size="sm">{formatDateTime(brief.requestedAt)}</Text>
                  <Text size="sm" c="dimmed">
                    {brief.scheduled ? 'Gepland' : `Door ${roleLabel(brief.requestedBy.role).toLowerCase()}`}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Badge color={status.color} variant="filled" data-status={brief.status}>
                    {status.label}
                  </Badge>
                  {(brief.status === 'queued' || brief.status === 'running') && (
                    <Progress
                      mt={6}
                      value={brief.progress.percent}
                      aria-label={`Voortgang ${name}: ${brief.progress.percent}%`}
                    />
                  )}
                  {brief.failed && (
                    <Text size="sm" mt={4}>
                      {brief.failed.reason}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  {brief.status === 'generated' ? (
                    <Group gap="xs">
                      {FORMATS.map(({ format, label, extension }) => (
                        <Button
                          key={format}
                          size="xs"
                          variant="default"
                          onClick={() => void fetchFile(brief, format, extension)}
                          aria-label={`${label} van de brief ${name} downloaden`}
                        >
                          {label}
                        </Button>
                      ))}
                    </Group>
                  ) : (
                    <Text size="sm" c="dimmed">
                      Nog niet beschikbaar
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
