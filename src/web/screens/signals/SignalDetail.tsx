import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  Timeline,
  Title,
} from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../../api/client';
import { useAuth } from '../../auth/AuthContext';
import { assigneeName, useAssignees } from './assignees';
import { roleLabel, signalTitle, stateLabel } from '../../terms';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { Notice } from '../../ui/Notice';
import { Loading } from '../../ui/Loading';
import { useApi } from '../../ui/useApi';
import type {
  DossierCommandResult,
  DossierPage,
  SimilarSignalsAnswer,
} from '../../../dossiers/dossier-answers';
import { CommandForm } from './CommandForm';
import { READABLE_ALERT } from './readable';
import { fieldErrors, newIdempotencyKey } from './fieldErrors';
import { codeLabel, codeLabels, enumLabel, fieldLabel, formatDate } from './labels';
import { useSignalChanges } from './liveEvents';
import type {
  AllowedCommand,
  AllowedCommands,
  ErasureResult,
  SignalDetailAnswer as Detail,
  TimelineEntry,
} from '../../../signals/signal-answers';

/**
 * `/signalen/:id`: the signal, its history and the steps the person may take now (one button per
 * allowed command, each opening a form built from the command's fields). Refreshes by itself when
 * the signal changes elsewhere.
 */
export function SignalDetail() {
  const { id = '' } = useParams();
  const { hasRole, actor } = useAuth();
  const assignees = useAssignees();
  const [minPosition, setMinPosition] = useState<string | undefined>(undefined);
  const query = minPosition ? { minPosition } : undefined;
  const detail = useApi<Detail>(`/signals/${encodeURIComponent(id)}`, query);
  const allowed = useApi<AllowedCommands>(`/signals/${encodeURIComponent(id)}/allowed-commands`, query);
  // The form's If-Match: the revision the allowed commands were decided on (their answer's ETag),
  // taken when the form opens, so that a change made meanwhile is a conflict, not overwritten.
  const [open, setOpen] = useState<{ command: AllowedCommand; etag: string | null } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const reload = () => {
    detail.reload();
    allowed.reload();
  };
  useSignalChanges(reload, id);

  if (detail.error !== undefined) return <ErrorAlert error={detail.error} onRetry={reload} />;
  if (!detail.data) return <Loading label="Signaal laden…" />;
  const signal = detail.data;
  const processor = hasRole('lead-processor', 'processor', 'partner-processor');
  const lead = hasRole('lead-processor');
  const question = signal.state === 'awaiting-info' ? lastField(signal.timeline, 'question') : null;

  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Title order={2}>{signalTitle(signal)}</Title>
          <Group gap="xs">
            <Badge variant="light" size="lg">
              {`Status: ${signal.stateLabel || stateLabel(signal.state)}`}
            </Badge>
            {signal.overdue && (
              <Badge color="red" variant="light" size="lg">
                Over termijn
              </Badge>
            )}
            {signal.erased && (
              <Badge color="gray" variant="light" size="lg">
                Tekst gewist
              </Badge>
            )}
          </Group>
        </Stack>
        {processor && (
          <Anchor component={Link} to="/inbox">
            Terug naar de inbox
          </Anchor>
        )}
      </Group>

      {notice && <Notice onClose={() => setNotice(null)}>{notice}</Notice>}
      {question && (
        <Alert color="blue" styles={READABLE_ALERT} title="Vraag om informatie" role="note">
          {question}
        </Alert>
      )}

      <Paper withBorder p="md" component="section" aria-labelledby="signal-actions">
        <Title order={3} size="h4" id="signal-actions" mb="sm">
          Acties
        </Title>
        {allowed.error !== undefined && <ErrorAlert error={allowed.error} onRetry={allowed.reload} />}
        {allowed.data && allowed.data.commands.length === 0 && (
          <Text size="sm">Er is nu geen stap die je op dit signaal kan zetten.</Text>
        )}
        <Group gap="xs">
          {allowed.data?.commands.map((command) => (
            <Button
              key={command.name}
              variant={command.name === 'add-note' ? 'default' : 'filled'}
              onClick={() => setOpen({ command, etag: allowed.etag })}
            >
              {command.label}
            </Button>
          ))}
          {lead && (
            <EraseText signalId={id} erased={signal.erased} onDone={(position) => setMinPosition(position)} />
          )}
        </Group>
      </Paper>

      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Paper withBorder p="md" component="section" aria-labelledby="signal-fields">
          <Title order={3} size="h4" id="signal-fields" mb="sm">
            Gegevens
          </Title>
          <Table aria-label="Gegevens van het signaal" variant="vertical" layout="fixed">
            <Table.Tbody>
              <Row label={fieldLabel('description')}>
                <Text style={{ whiteSpace: 'pre-wrap' }}>{signal.description ?? '—'}</Text>
              </Row>
              <Row label={fieldLabel('themes')}>{codeLabels('themes', signal.themes) || '—'}</Row>
              <Row label={fieldLabel('targetGroups')}>
                {codeLabels('targetGroups', signal.targetGroups) || '—'}
              </Row>
              <Row label={fieldLabel('area')}>
                {signal.area ?? '—'}
                {signal.areaType ? ` (${codeLabel('areaTypes', signal.areaType).toLowerCase()})` : ''}
              </Row>
              <Row label={fieldLabel('estimatedPeopleAffected')}>{signal.estimatedPeopleAffected ?? '—'}</Row>
              <Row label={fieldLabel('urgency')}>{enumLabel(signal.urgency)}</Row>
              <Row label={fieldLabel('policyDomain')}>
                {signal.policyDomain ? codeLabel('policyDomains', signal.policyDomain) : '—'}
              </Row>
              {processor && (
                <Row label={fieldLabel('assigneeId')}>
                  {assigneeName(signal.assigneeId, actor?.id, assignees.data?.items)}
                </Row>
              )}
              <Row label={fieldLabel('structural')}>
                {signal.structural === null ? '—' : signal.structural ? 'Ja' : 'Nee'}
              </Row>
              <Row label="Ingediend">{formatDate(signal.submittedAt)}</Row>
              <Row label="Termijn">{formatDate(signal.dueAt)}</Row>
              {signal.dossier && (
                <Row label="Dossier">{signal.dossier.title ?? signal.dossier.dossierId}</Row>
              )}
              {signal.mergedInto && (
                <Row label="Samengevoegd met">
                  <Link to={`/signalen/${signal.mergedInto}`}>het andere signaal</Link>
                </Row>
              )}
            </Table.Tbody>
          </Table>
        </Paper>

        <Paper withBorder p="md" component="section" aria-labelledby="signal-timeline">
          <Title order={3} size="h4" id="signal-timeline" mb="sm">
            Verloop
          </Title>
          <Timeline active={signal.timeline.length - 1} bulletSize={18} lineWidth={2}>
            {signal.timeline.map((entry) => (
              <Timeline.Item key={entry.position} title={entryTitle(entry)}>
                <Text size="sm" c="dimmed">
                  {`${formatDate(entry.at)} · ${roleLabel(entry.actor.role)}`}
                </Text>
                <EntryFields
                  fields={entry.fields}
                  assignee={
                    processor
                      ? (assigneeId) => assigneeName(assigneeId, actor?.id, assignees.data?.items)
                      : null
                  }
                />
              </Timeline.Item>
            ))}
          </Timeline>
        </Paper>
      </SimpleGrid>

      {processor && (
        <SimilarSignals
          signalId={id}
          lead={lead}
          inDossier={signal.dossier !== null}
          onAdded={(position) => setMinPosition(position)}
        />
      )}

      {open && (
        <CommandForm
          command={open.command}
          etag={open.etag}
          onClose={() => setOpen(null)}
          onReload={() => {
            setOpen(null);
            reload();
          }}
          onDone={(outcome) => {
            setOpen(null);
            setNotice(`${open.command.label}: gelukt. Nieuwe status: ${stateLabel(outcome.state)}.`);
            setMinPosition(outcome.position);
          }}
        />
      )}
    </Stack>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Table.Tr>
      <Table.Th w="40%">{label}</Table.Th>
      <Table.Td>{children}</Table.Td>
    </Table.Tr>
  );
}

const EVENT_TITLES: Record<string, string> = {
  SignalTextErased: 'Tekst gewist',
};

/** What happened: the step's own name where the new state alone would not say it, else the new state. */
function entryTitle(entry: TimelineEntry): string {
  if (EVENT_TITLES[entry.type]) return EVENT_TITLES[entry.type]!;
  const step = entry.command ? COMMAND_TITLES[entry.command] : undefined;
  if (step) return entry.from !== entry.to ? `${step} (${stateLabel(entry.to)})` : step;
  if (entry.from !== entry.to && entry.to) return stateLabel(entry.to);
  return entry.command ?? entry.type;
}

const COMMAND_TITLES: Record<string, string> = {
  'add-note': 'Interne notitie',
  'record-policy-decision': 'Beleidsbeslissing vastgelegd',
  'mark-overdue': 'Termijn verstreken',
  'escalate-overdue': 'Naar de hoofdsignaalverwerker (termijn)',
  'record-dossier-escalation': 'Dossier geagendeerd bij beleid',
  'record-dossier-decision': 'Beleidsbeslissing over het dossier',
  reassign: 'Opnieuw toegewezen',
  'request-info': 'Informatie gevraagd aan de signaalgever',
  'provide-info': 'Informatie bezorgd',
  reopen: 'Heropend',
};

/**
 * A step's fields. The processor it was assigned to reads as in Gegevens: a name (or "jij") for
 * those who see the assignee there, left out for the others, who do not see it there either.
 */
function EntryFields({
  fields,
  assignee,
}: {
  fields: Record<string, unknown>;
  assignee: ((assigneeId: string) => string) | null;
}) {
  const shown = Object.entries(fields).filter(
    ([name, value]) =>
      value !== null && value !== undefined && value !== '' && (name !== 'assigneeId' || assignee !== null),
  );
  if (shown.length === 0) return null;
  return (
    <Stack gap={2} mt={4}>
      {shown.map(([name, value]) => (
        <Text size="sm" key={name}>
          <Text span fw={600} size="sm">
            {`${fieldLabel(name)}: `}
          </Text>
          {name === 'assigneeId' && assignee !== null && typeof value === 'string'
            ? assignee(value)
            : display(name, value)}
        </Text>
      ))}
    </Stack>
  );
}

function display(name: string, value: unknown): string {
  if (Array.isArray(value)) {
    const list = name === 'themes' ? 'themes' : name === 'targetGroups' ? 'targetGroups' : null;
    return list ? codeLabels(list, value as string[]) : value.join(', ');
  }
  if (typeof value === 'boolean') return value ? 'Ja' : 'Nee';
  if (name === 'policyDomain' && typeof value === 'string') return codeLabel('policyDomains', value);
  if ((name === 'urgency' || name === 'level') && typeof value === 'string') return enumLabel(value);
  return String(value);
}

function lastField(timeline: readonly TimelineEntry[], field: string): string | null {
  for (let i = timeline.length - 1; i >= 0; i--) {
    const value = timeline[i]!.fields[field];
    if (typeof value === 'string') return value;
  }
  return null;
}

/** Erasure of the signal's free text (lead processor): a reason, and a confirmation first. */
function EraseText({
  signalId,
  erased,
  onDone,
}: {
  signalId: string;
  erased: boolean;
  onDone(position: string): void;
}) {
  const [opened, setOpened] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [failure, setFailure] = useState<unknown>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const close = () => {
    setOpened(false);
    setConfirming(false);
    setReason('');
    setError(undefined);
    setFailure(null);
  };
  const erase = async () => {
    setBusy(true);
    try {
      // An erasure repeated is refused by the server (nothing left to erase), so no key is needed.
      const answer = await api<ErasureResult>(`/signals/${signalId}/erase-text`, {
        method: 'POST',
        body: { reason: reason.trim() },
      });
      close();
      onDone(answer.body.position);
    } catch (e) {
      const byField = fieldErrors(e);
      setConfirming(false);
      if (byField['reason']) setError(byField['reason']);
      else setFailure(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button color="red" variant="outline" onClick={() => setOpened(true)} disabled={erased}>
        Tekst wissen
      </Button>
      <Modal opened={opened} onClose={close} title="Tekst van het signaal wissen">
        <Stack>
          <Text size="sm">
            Wissen vervangt de titel, de beschrijving en alle vrije tekst van dit signaal door "[gewist]". Dat
            kan niet ongedaan gemaakt worden. De stappen en codes blijven bewaard.
          </Text>
          {failure !== null && <ErrorAlert error={failure} />}
          {!confirming ? (
            <>
              <Textarea
                label="Reden van het wissen"
                required
                minRows={3}
                autosize
                value={reason}
                error={error}
                onChange={(e) => {
                  setReason(e.currentTarget.value);
                  setError(undefined);
                }}
              />
              <Group justify="flex-end">
                <Button variant="default" onClick={close}>
                  Annuleren
                </Button>
                <Button
                  color="red"
                  onClick={() => {
                    if (reason.trim().length < 5) setError('Geef een reden van minstens 5 tekens.');
                    else setConfirming(true);
                  }}
                >
                  Verder
                </Button>
              </Group>
            </>
          ) : (
            <>
              <Alert color="red" role="alert" styles={READABLE_ALERT} title="Ben je zeker?">
                De tekst van dit signaal wordt definitief gewist.
              </Alert>
              <Group justify="flex-end">
                <Button variant="default" onClick={() => setConfirming(false)}>
                  Terug
                </Button>
                <Button color="red" loading={busy} onClick={erase}>
                  Definitief wissen
                </Button>
              </Group>
            </>
          )}
        </Stack>
      </Modal>
    </>
  );
}

/** Similar signals (bundling suggestions) and, for the lead processor, adding this one to a dossier. */
function SimilarSignals({
  signalId,
  lead,
  inDossier,
  onAdded,
}: {
  signalId: string;
  lead: boolean;
  inDossier: boolean;
  /** With the command's position: the page reads its write (`minPosition`). */
  onAdded(position: string): void;
}) {
  const similar = useApi<SimilarSignalsAnswer>(`/signals/${signalId}/similar`, { limit: 5 });
  const dossiers = useApi<DossierPage>(lead ? '/dossiers' : null, { open: 'true', limit: 100 });
  const [dossierId, setDossierId] = useState<string | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [added, setAdded] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const add = async () => {
    if (!dossierId) return;
    setBusy(true);
    setFailure(null);
    try {
      const answer = await api<DossierCommandResult>(`/dossiers/${dossierId}/add-signal`, {
        method: 'POST',
        body: { signalId },
        headers: { 'Idempotency-Key': newIdempotencyKey() },
      });
      setAdded(dossiers.data?.items.find((d) => d.dossierId === dossierId)?.title ?? 'het dossier');
      onAdded(answer.body.position);
    } catch (e) {
      setFailure(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }}>
      <Paper withBorder p="md" component="section" aria-labelledby="signal-similar">
        <Title order={3} size="h4" id="signal-similar" mb="sm">
          Gelijkaardige signalen
        </Title>
        {similar.error !== undefined && <ErrorAlert error={similar.error} onRetry={similar.reload} />}
        {similar.data && similar.data.items.length === 0 && (
          <Text size="sm">Geen gelijkaardige signalen gevonden.</Text>
        )}
        {similar.data && similar.data.items.length > 0 && (
          <Table aria-label="Gelijkaardige signalen">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Titel</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Gelijkenis</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {similar.data.items.map((item) => (
                <Table.Tr key={item.signalId}>
                  <Table.Td>
                    <Link to={`/signalen/${item.signalId}`}>{signalTitle(item)}</Link>
                  </Table.Td>
                  <Table.Td>{stateLabel(item.state)}</Table.Td>
                  <Table.Td>{`${Math.round(item.score * 100)}%`}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>
      {lead && (
        <Paper withBorder p="md" component="section" aria-labelledby="signal-dossier">
          <Title order={3} size="h4" id="signal-dossier" mb="sm">
            Toevoegen aan dossier
          </Title>
          {inDossier && <Text size="sm">Dit signaal zit al in een dossier.</Text>}
          {added && (
            <Alert color="green" role="status" mb="sm">
              {`Toegevoegd aan ${added}.`}
            </Alert>
          )}
          {failure !== null && <ErrorAlert error={failure} />}
          {dossiers.error !== undefined && <ErrorAlert error={dossiers.error} onRetry={dossiers.reload} />}
          {dossiers.data && dossiers.data.items.length === 0 && (
            <Text size="sm">Er zijn geen lopende dossiers.</Text>
          )}
          {dossiers.data && dossiers.data.items.length > 0 && (
            <Group align="flex-end">
              <Select
                label="Dossier"
                placeholder="Kies een lopend dossier"
                data={dossiers.data.items.map((d) => ({
                  value: d.dossierId,
                  label: `${d.title} (${d.stateLabel})`,
                }))}
                value={dossierId}
                onChange={setDossierId}
                searchable
                w={320}
              />
              <Button onClick={add} loading={busy} disabled={!dossierId || inDossier}>
                Toevoegen aan dossier
              </Button>
            </Group>
          )}
        </Paper>
      )}
    </SimpleGrid>
  );
}
