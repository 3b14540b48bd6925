import {
  Badge,
  Button,
  Code,
  Group,
  Paper,
  SimpleGrid,
  Slider,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { roleLabel, stateLabel } from '../../terms';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { Loading } from '../../ui/Loading';
import { useApi } from '../../ui/useApi';
import { downloadCsv } from './csv-download';
import { commandLabel, formatDateTime, formatNumber, policyDomainName, themeName } from './format';
import { InsightAlert } from './InsightAlert';
import type {
  AuditReadPage,
  DecisionHistory,
  SignalAsOfView,
  StoreVerifyReport,
} from '../../../audit/audit-answers';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SIGNAL_STREAM =
  /^signal-[^-]+(?:-[^-]+)*?-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/**
 * The auditor's screen: find a signal by its id (an auditor may not list the inbox; the API
 * gives them a signal's history and its state as of a moment, each read recorded in the audit
 * log), step through its history with a time slider, and verify the integrity of the store.
 */
/** Steps no command records, in Dutch. */
const EVENT_LABELS: Record<string, string> = { SignalTextErased: 'Tekst gewist' };

export function AuditScreen() {
  const [params, setParams] = useSearchParams();
  const signalId = params.get('signaal');
  const open = (id: string) => setParams({ signaal: id });

  return (
    <Stack gap="xl">
      <div>
        <Title order={2}>Audit</Title>
        <Text c="dimmed" size="sm" maw={760}>
          Elke beslissing over een signaal staat onveranderlijk in zijn geschiedenis. Elke raadpleging hier
          wordt zelf ook vastgelegd.
        </Text>
      </div>
      <FindSignal current={signalId} onOpen={open} />
      {signalId && <SignalHistory key={signalId} signalId={signalId} />}
      <Verify onOpen={open} />
    </Stack>
  );
}

function FindSignal({ current, onOpen }: { current: string | null; onOpen: (id: string) => void }) {
  const [value, setValue] = useState(current ?? '');
  const [invalid, setInvalid] = useState(false);
  const reads = useApi<AuditReadPage>('/audit/reads', { limit: 50 });
  const recent = [
    ...new Set((reads.data?.items ?? []).map((item) => item.signalId).filter((id): id is string => !!id)),
  ].slice(0, 8);

  function submit(event: FormEvent) {
    event.preventDefault();
    const id = value.trim();
    setInvalid(!UUID.test(id));
    if (UUID.test(id)) onOpen(id.toLowerCase());
  }

  return (
    <Stack gap="xs">
      <Title order={3}>Signaal opzoeken</Title>
      <form onSubmit={submit}>
        <Group align="flex-start">
          <TextInput
            label="Signaal-id"
            description="De id van het signaal, bv. uit een verificatierapport of een vraag van een signaalgever."
            value={value}
            onChange={(event) => setValue(event.currentTarget.value)}
            error={invalid ? 'Dit is geen geldige signaal-id (een UUID).' : null}
            w={440}
          />
          <Button type="submit" mt={44}>
            Geschiedenis tonen
          </Button>
        </Group>
      </form>
      {recent.length > 0 && (
        <Group gap="xs">
          <Text size="sm">Onlangs geraadpleegd:</Text>
          {recent.map((id) => (
            <Button key={id} size="compact-xs" variant="subtle" onClick={() => onOpen(id)}>
              {id.slice(0, 8)}…
            </Button>
          ))}
        </Group>
      )}
    </Stack>
  );
}

function SignalHistory({ signalId }: { signalId: string }) {
  const history = useApi<DecisionHistory>(`/signals/${encodeURIComponent(signalId)}/history`);
  const [index, setIndex] = useState<number | null>(null);
  /** A moment typed in (ISO instant); moving the slider again clears it. */
  const [instant, setInstant] = useState<string | null>(null);
  const [moment, setMoment] = useState('');
  const [csvError, setCsvError] = useState<unknown>(null);
  const steps = history.data?.steps ?? [];
  const shown = index ?? steps.length - 1;
  const step = steps[shown];

  if (history.error) return <ErrorAlert error={history.error} onRetry={history.reload} />;
  if (!history.data) return <Loading label="Geschiedenis laden…" />;

  async function exportCsv() {
    setCsvError(null);
    try {
      await downloadCsv(
        `/signals/${encodeURIComponent(signalId)}/history`,
        {},
        `signaal-${signalId}-geschiedenis.csv`,
      );
    } catch (error) {
      setCsvError(error);
    }
  }

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={3}>
          Geschiedenis van signaal <Code>{signalId}</Code>
        </Title>
        <Button variant="default" onClick={() => void exportCsv()}>
          CSV downloaden
        </Button>
      </Group>
      {csvError !== null && <ErrorAlert error={csvError} />}
      {history.data.erased && (
        <InsightAlert color="gray" title="Tekst gewist">
          De vrije tekst van dit signaal is gewist (bewaartermijn of verzoek); de beslissingen blijven.
        </InsightAlert>
      )}
      {steps.length > 1 && step && (
        <Stack gap={4}>
          <Text id="audit-slider-label" fw={600}>
            Stand op een moment: {formatDateTime(step.at)} (revisie {step.revision})
          </Text>
          <Slider
            min={0}
            max={steps.length - 1}
            step={1}
            value={shown}
            onChange={(value) => {
              setIndex(value);
              setInstant(null);
            }}
            label={(value) => formatDateTime(steps[value]?.at ?? step.at)}
            marks={steps.map((_, i) => ({ value: i }))}
            thumbProps={{
              'aria-labelledby': 'audit-slider-label',
              'aria-valuetext': `${formatDateTime(step.at)}, revisie ${step.revision}`,
            }}
            mb="md"
          />
        </Stack>
      )}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          const at = Date.parse(moment);
          if (!Number.isNaN(at)) setInstant(new Date(at).toISOString());
        }}
      >
        <Group align="flex-end">
          <TextInput
            type="datetime-local"
            label="Of kies een tijdstip"
            description="In je eigen tijdzone; het signaal zoals het op dat moment was."
            value={moment}
            onChange={(event) => setMoment(event.currentTarget.value)}
            w={260}
          />
          <Button type="submit" variant="default">
            Stand tonen
          </Button>
        </Group>
      </form>
      {instant !== null ? (
        <AsOfView signalId={signalId} asOf={instant} />
      ) : (
        step && <AsOfView signalId={signalId} asOf={String(step.revision)} />
      )}
      <Table striped withTableBorder aria-label="Beslissingen over dit signaal, oudste eerst">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Rev.</Table.Th>
            <Table.Th scope="col">Wanneer</Table.Th>
            <Table.Th scope="col">Beslissing</Table.Th>
            <Table.Th scope="col">Van → naar</Table.Th>
            <Table.Th scope="col">Door</Table.Th>
            <Table.Th scope="col">Motivering</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {steps.map((row, i) => (
            <Table.Tr
              key={row.revision}
              aria-current={i === shown ? 'step' : undefined}
              fw={i === shown ? 600 : 400}
            >
              <Table.Td>{row.revision}</Table.Td>
              <Table.Td>{formatDateTime(row.at)}</Table.Td>
              <Table.Td>
                {row.command
                  ? commandLabel(row.command, row.workflow)
                  : (EVENT_LABELS[row.event] ?? row.event)}
              </Table.Td>
              <Table.Td>
                {row.fromLabel ?? (row.from ? stateLabel(row.from) : '–')} →{' '}
                {row.toLabel ?? (row.to ? stateLabel(row.to) : '–')}
              </Table.Td>
              <Table.Td>
                {row.actor.role ? roleLabel(row.actor.role) : 'systeem'}
                {row.actor.id && (
                  <Text size="xs" c="dimmed">
                    {row.actor.id}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{row.motivation ?? '–'}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

/** The signal as it stood at a revision or an instant (GET /signals/{id}?asOf=…; recorded as an audit read). */
function AsOfView({ signalId, asOf }: { signalId: string; asOf: string }) {
  // Waits a moment while the slider moves, so that one audit read is recorded per position chosen.
  const [settled, setSettled] = useState<string | null>(null);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(asOf), 250);
    return () => clearTimeout(timer);
  }, [asOf]);
  const view = useApi<SignalAsOfView>(settled === null ? null : `/signals/${encodeURIComponent(signalId)}`, {
    asOf: settled ?? undefined,
  });
  if (view.error) return <ErrorAlert error={view.error} onRetry={view.reload} />;
  if (!view.data) return <Loading label="Stand laden…" />;
  const s = view.data;
  return (
    <Paper withBorder p="md" aria-live="polite" aria-label={`Stand van het signaal op revisie ${s.revision}`}>
      <Group gap="xs" mb="xs">
        <Badge variant="light">{s.stateLabel}</Badge>
        <Text size="sm" c="dimmed">
          sinds {formatDateTime(s.stateEnteredAt)} · ingediend {formatDateTime(s.submittedAt)} · workflow{' '}
          {s.workflow.name} v{s.workflow.version}
        </Text>
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs" component="dl" m={0}>
        <Field label="Titel" value={s.erased ? 'gewist' : (s.title ?? '–')} />
        <Field label="Thema’s" value={s.themes.map(themeName).join(', ') || '–'} />
        <Field label="Beleidsdomein" value={s.policyDomain ? policyDomainName(s.policyDomain) : '–'} />
        <Field label="Toegewezen aan" value={s.assigneeId ?? '–'} />
        <Field label="Vorige status" value={s.previousState ? stateLabel(s.previousState) : '–'} />
        <Field label="Samengevoegd in" value={s.mergedInto ?? '–'} />
      </SimpleGrid>
    </Paper>
  );
}

function Field({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <Text component="dt" size="sm" c="dimmed">
        {label}
      </Text>
      <Text component="dd" m={0}>
        {value}
      </Text>
    </div>
  );
}

/** GET /audit/verify: the hash chains and every transition of the tenant's streams. */
function Verify({ onOpen }: { onOpen: (id: string) => void }) {
  const [report, setReport] = useState<StoreVerifyReport | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function run() {
    setBusy(true);
    setError(null);
    try {
      setReport((await api<StoreVerifyReport>('/audit/verify')).body);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Stack gap="xs">
      <Title order={3}>Integriteit controleren</Title>
      <Text size="sm" maw={760}>
        Controleert de hashketen van elke stroom van je bestuur en elke overgang tegen de versie van de
        workflow waarmee ze gebeurde.
      </Text>
      <Group>
        <Button onClick={() => void run()} loading={busy}>
          Verificatie starten
        </Button>
      </Group>
      {error !== null && <ErrorAlert error={error} />}
      {report && (
        <Stack gap="xs" role="status">
          <InsightAlert
            color={report.ok ? 'green' : 'red'}
            title={report.ok ? 'In orde' : 'Afwijkingen gevonden'}
          >
            {formatNumber(report.events)} gebeurtenissen in {formatNumber(report.streams)} stromen
            gecontroleerd in {formatNumber(report.durationMs)} ms
            {report.ok
              ? ': geen afwijkingen.'
              : `: ${formatNumber(Object.values(report.counts).reduce((sum, n) => sum + n, 0))} afwijkingen.`}
          </InsightAlert>
          {report.violations.length > 0 && (
            <Table striped withTableBorder aria-label="Afwijkingen">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Stroom</Table.Th>
                  <Table.Th scope="col">Rev.</Table.Th>
                  <Table.Th scope="col">Soort</Table.Th>
                  <Table.Th scope="col">Detail</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {report.violations.map((violation) => {
                  const signal = SIGNAL_STREAM.exec(violation.stream)?.[1];
                  return (
                    <Table.Tr key={`${violation.stream}|${violation.revision}|${violation.kind}`}>
                      <Table.Td>
                        {signal ? (
                          <Button size="compact-xs" variant="subtle" onClick={() => onOpen(signal)}>
                            {violation.stream}
                          </Button>
                        ) : (
                          violation.stream
                        )}
                      </Table.Td>
                      <Table.Td>{violation.revision}</Table.Td>
                      <Table.Td>{violation.kind}</Table.Td>
                      <Table.Td>{violation.detail}</Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          )}
          {report.truncated && <Text size="sm">De lijst is ingekort; de tellingen zijn volledig.</Text>}
        </Stack>
      )}
    </Stack>
  );
}
