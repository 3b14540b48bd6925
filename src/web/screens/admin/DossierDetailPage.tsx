import {
  Alert,
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  Modal,
  MultiSelect,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { ApiFailure } from '../../api/client';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { Loading } from '../../ui/Loading';
import { countOf, formatDayOf, signalTitle } from '../../terms';
import { useApi } from '../../ui/useApi';
import type { DossierDetailAnswer, DossierMember } from '../../../dossiers/dossier-answers';
import { bundlable, dossierCommand, idempotencyKey, type InboxSignal } from './dossier-api';
import { fieldErrorOf, withLabels, type FieldErrors } from './fields';
import { themeLabel, THEMES } from './themes';

const LEVELS = [
  { value: 'local', label: 'Lokaal (college, raad, lokaal overleg)' },
  { value: 'supralocal', label: 'Bovenlokaal (VVSG, Vlaanderen, federaal)' },
];
const FIELD_LABELS: Record<string, string> = {
  signalId: 'Signaal',
  reason: 'Reden',
  conclusion: 'Conclusie',
  themes: "Thema's",
  level: 'Niveau',
  body: 'Orgaan',
  motivation: 'Motivering',
  decision: 'Beslissing',
  actions: 'Acties',
  feedback: 'Terugkoppeling',
  outcome: 'Resultaat',
};
const THEME_OPTIONS = THEMES.map((t) => ({ value: t.code, label: t.label }));
const date = formatDayOf;
/** Reloads after a 412 while the page still shows the refused revision: 20 × 250 ms. */
const STALE_RELOADS = 20;
const STALE_RELOAD_MS = 250;

/** What a command's form reports to the page. */
interface CommandOutcome {
  text: string;
  /** Global position of the command's events: the next read waits for it. */
  position?: string;
  conflict?: boolean;
  /** The If-Match revision a 412 refused: the page reloads until it shows another. */
  refusedRevision?: string;
}

/** One dossier: its member signals, analysis, escalations, decisions, and the commands allowed now. */
export function DossierDetailPage() {
  const { id = '' } = useParams();
  // Coming from "Dossier aanmaken": the position of the creation, so the first read sees it.
  const created = (useLocation().state as { minPosition?: string } | null)?.minPosition ?? null;
  const [minPosition, setMinPosition] = useState<string | null>(created);
  const dossier = useApi<DossierDetailAnswer>(`/dossiers/${encodeURIComponent(id)}`, { minPosition });
  const [command, setCommand] = useState<string | null>(null);
  const [removing, setRemoving] = useState<DossierMember | null>(null);
  const [notice, setNotice] = useState<{ text: string; conflict: boolean } | null>(null);
  // After a 412 the dossier's read model may not have the change that caused it yet (it follows
  // the event store a moment later): reload until the page shows a revision other than the
  // refused one, a few times at most.
  const [refused, setRefused] = useState<{ revision: string; reloads: number } | null>(null);
  // The revision the page shows (its ETag), once loaded.
  const shown = dossier.etag ?? (dossier.data ? `"${dossier.data.revision}"` : null);
  const { loading, reload } = dossier;

  useEffect(() => {
    document.title = `${dossier.data?.title ?? 'Dossier'} - Lokaal Signaal`;
  }, [dossier.data]);

  useEffect(() => {
    if (refused === null || loading) return;
    if (shown !== refused.revision || refused.reloads >= STALE_RELOADS) {
      if (shown === refused.revision)
        setNotice({
          text: 'Iemand anders wijzigde dit dossier terwijl je het bekeek, maar die wijziging is hier nog niet zichtbaar. Laad de pagina over enkele ogenblikken opnieuw.',
          conflict: true,
        });
      setRefused(null);
      return;
    }
    const timer = setTimeout(() => {
      setRefused({ revision: refused.revision, reloads: refused.reloads + 1 });
      reload();
    }, STALE_RELOAD_MS);
    return () => clearTimeout(timer);
  }, [refused, shown, loading, reload]);

  if (dossier.error !== undefined && !dossier.data)
    return <ErrorAlert error={dossier.error} onRetry={dossier.reload} />;
  if (!dossier.data) return <Loading />;
  const d = dossier.data;
  const allowed = new Map(d.allowedCommands.map((c) => [c.name, c]));
  const revision = shown!; // the revision the page shows: the next If-Match

  /** After a command: show the dossier as it is now; after a conflict: reload and explain. */
  const done = (result: CommandOutcome) => {
    setCommand(null);
    setRemoving(null);
    setNotice({ text: result.text, conflict: result.conflict === true });
    if (result.position) setMinPosition(result.position);
    if (result.refusedRevision) setRefused({ revision: result.refusedRevision, reloads: 0 });
    dossier.reload();
  };

  return (
    <Stack>
      <Anchor component={Link} to="/dossiers" size="sm">
        ← Alle dossiers
      </Anchor>
      <Group justify="space-between" align="flex-start">
        <Title order={2}>{d.title}</Title>
        <Badge size="lg" variant="light">
          {d.stateLabel}
        </Badge>
      </Group>
      {notice && (
        <Alert
          color={notice.conflict ? 'yellow' : 'green'}
          role={notice.conflict ? 'alert' : 'status'}
          title={notice.conflict ? 'Intussen gewijzigd' : undefined}
          withCloseButton
          closeButtonLabel="Melding sluiten"
          onClose={() => setNotice(null)}
        >
          {notice.text}
        </Alert>
      )}
      <Text style={{ whiteSpace: 'pre-line' }}>{d.summary}</Text>
      <Text size="sm">
        Thema's: {d.themes.map(themeLabel).join(', ')} · aangemaakt op {date(d.createdAt)}
      </Text>

      {d.allowedCommands.length > 0 && (
        <Group>
          {d.allowedCommands
            .filter((c) => c.name !== 'remove-signal')
            .map((c) => (
              <Button
                key={c.name}
                variant={c.name === 'add-signal' ? 'filled' : 'default'}
                onClick={() => setCommand(c.name)}
              >
                {c.label}
              </Button>
            ))}
        </Group>
      )}

      <Title order={3}>Signalen in dit dossier ({d.members.length})</Title>
      <Table aria-label="Signalen in dit dossier" striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Signaal</Table.Th>
            <Table.Th>Toestand</Table.Th>
            <Table.Th>Thema's</Table.Th>
            <Table.Th>Toegevoegd</Table.Th>
            {allowed.has('remove-signal') && <Table.Th>Actie</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {d.members.map((m) => (
            <Table.Tr key={m.signalId}>
              <Table.Td>
                {m.visible ? (
                  <Anchor component={Link} to={`/signalen/${m.signalId}`}>
                    {signalTitle(m)}
                  </Anchor>
                ) : (
                  <Text size="sm">Signaal buiten je toegang</Text>
                )}
              </Table.Td>
              <Table.Td>{m.visible ? m.stateLabel : '-'}</Table.Td>
              <Table.Td>{m.visible ? m.themes.map(themeLabel).join(', ') : ''}</Table.Td>
              <Table.Td>{date(m.at)}</Table.Td>
              {allowed.has('remove-signal') && (
                <Table.Td>
                  <Button size="xs" variant="default" onClick={() => setRemoving(m)}>
                    Verwijderen uit dossier
                  </Button>
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {d.removed.length > 0 && (
        <Text size="sm">
          Eerder verwijderd: {d.removed.length} signaal/signalen ({d.removed.map((r) => r.reason).join('; ')}
          ).
        </Text>
      )}

      <SimpleGrid cols={{ base: 1, md: 2 }}>
        {d.analysis && (
          <Section title="Analyse">
            <Text style={{ whiteSpace: 'pre-line' }}>{d.analysis.conclusion}</Text>
            <Text size="sm">
              {d.analysis.structural ? 'Structureel probleem' : 'Geen structureel probleem'} ·{' '}
              {d.analysis.themes.map(themeLabel).join(', ')} · {date(d.analysis.at)}
            </Text>
          </Section>
        )}
        {d.escalations.map((e, i) => (
          <Section key={i} title={`Geagendeerd bij ${e.body}`}>
            <Text size="sm">
              {e.level === 'supralocal' ? 'Bovenlokaal' : 'Lokaal'} · {date(e.at)} ·{' '}
              {countOf(e.memberSignalIds.length, 'signaal', 'signalen')}
            </Text>
            <Text style={{ whiteSpace: 'pre-line' }}>{e.motivation}</Text>
          </Section>
        ))}
        {d.decisions.map((dec, i) => (
          <Section key={i} title={`Beleidsbeslissing van ${date(dec.at)}`}>
            <Text style={{ whiteSpace: 'pre-line' }}>{dec.decision}</Text>
            {dec.actions.length > 0 && (
              <ul>
                {dec.actions.map((a, j) => (
                  <li key={j}>{a}</li>
                ))}
              </ul>
            )}
            <Text size="sm">Terugkoppeling aan de signaalgevers: {dec.feedback}</Text>
          </Section>
        ))}
        {d.closed && (
          <Section title={`Afgesloten op ${date(d.closed.at)}`}>
            <Text style={{ whiteSpace: 'pre-line' }}>{d.closed.outcome}</Text>
          </Section>
        )}
      </SimpleGrid>

      {command && allowed.get(command) && (
        <CommandModal
          command={allowed.get(command)!}
          dossier={d}
          revision={revision}
          onClose={() => setCommand(null)}
          onDone={done}
        />
      )}
      {removing && allowed.get('remove-signal') && (
        <CommandModal
          command={allowed.get('remove-signal')!}
          dossier={d}
          revision={revision}
          member={removing}
          onClose={() => setRemoving(null)}
          onDone={done}
        />
      )}
    </Stack>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Paper withBorder p="md">
      <Stack gap="xs">
        <Title order={3} size="h4">
          {title}
        </Title>
        {children}
      </Stack>
    </Paper>
  );
}

/** The form of one dossier command; sends it with If-Match and an Idempotency-Key. */
function CommandModal({
  command,
  dossier,
  revision,
  member,
  onClose,
  onDone,
}: {
  command: { name: string; label: string; path: string };
  dossier: DossierDetailAnswer;
  revision: string;
  member?: DossierMember;
  onClose(): void;
  onDone(result: CommandOutcome): void;
}) {
  const [values, setValues] = useState<Record<string, string>>({});
  const [themes, setThemes] = useState<string[]>(dossier.analysis?.themes ?? dossier.themes);
  const [structural, setStructural] = useState(true);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [key] = useState(idempotencyKey);
  const signals = useApi<{ items: InboxSignal[] }>(command.name === 'add-signal' ? '/signals' : null, {
    open: true,
    sort: '-updatedAt',
    limit: 100,
  });
  const value = (name: string) => values[name] ?? '';
  const set = (name: string) => (text: string) => setValues((v) => ({ ...v, [name]: text }));

  function body(): Record<string, unknown> {
    switch (command.name) {
      case 'add-signal':
        return { signalId: value('signalId') };
      case 'remove-signal':
        return { signalId: member?.signalId, reason: value('reason').trim() };
      case 'record-analysis':
        return { conclusion: value('conclusion').trim(), structural, themes };
      case 'escalate':
        return {
          level: value('level'),
          body: value('body').trim(),
          motivation: value('motivation').trim(),
        };
      case 'record-policy-decision':
        return {
          decision: value('decision').trim(),
          actions: value('actions')
            .split('\n')
            .map((a) => a.trim())
            .filter((a) => a !== ''),
          feedback: value('feedback').trim(),
        };
      case 'close':
        return { outcome: value('outcome').trim() };
      default:
        return {};
    }
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    setGeneral(null);
    try {
      const { body: result } = await dossierCommand(command.path, body(), revision, key);
      onDone({ position: result.position, text: `${command.label}: gelukt.` });
    } catch (failure) {
      if (failure instanceof ApiFailure && failure.isConflict) {
        // 412 (If-Match) or a write race: someone else changed the dossier; other 409s are refusals
        // of the dossier as it now stands. Either way the screen reloads and says why.
        const raced = failure.status === 412 || failure.code === 'CONCURRENCY_CONFLICT';
        onDone({
          conflict: true,
          ...(raced ? { refusedRevision: revision } : {}),
          text: raced
            ? 'Iemand anders wijzigde dit dossier terwijl je het bekeek. Het is opnieuw geladen met die wijziging: controleer en probeer opnieuw.'
            : `${failure.message} Het dossier is opnieuw geladen.`,
        });
        return;
      }
      const split = fieldErrorOf(failure, Object.keys(FIELD_LABELS));
      setErrors(withLabels(split.fields, FIELD_LABELS));
      setGeneral(split.general);
    } finally {
      setBusy(false);
    }
  }

  const memberIds = new Set(dossier.members.map((m) => m.signalId));
  const text = (name: string, label: string, long = true, description?: string) =>
    long ? (
      <Textarea
        label={label}
        description={description}
        value={value(name)}
        onChange={(e) => set(name)(e.currentTarget.value)}
        error={errors[name]}
        autosize
        minRows={3}
        required
      />
    ) : (
      <TextInput
        label={label}
        description={description}
        value={value(name)}
        onChange={(e) => set(name)(e.currentTarget.value)}
        error={errors[name]}
        required
      />
    );

  return (
    <Modal
      opened
      onClose={onClose}
      closeButtonProps={{ 'aria-label': 'Venster sluiten' }}
      title={command.label}
      size="lg"
    >
      <Stack renderRoot={(props) => <form {...props} onSubmit={submit} noValidate />}>
        {general !== null && <ErrorAlert error={general} />}
        {command.name === 'add-signal' && (
          <Select
            label="Signaal"
            description="Open signalen die nog niet in dit dossier zitten"
            data={(signals.data?.items ?? [])
              .filter((s) => bundlable(s) && !memberIds.has(s.signalId))
              .map((s) => ({ value: s.signalId, label: signalTitle(s) }))}
            value={value('signalId') || null}
            onChange={(v) => set('signalId')(v ?? '')}
            error={errors['signalId']}
            searchable
            nothingFoundMessage="Geen open signalen gevonden"
            required
          />
        )}
        {command.name === 'remove-signal' && (
          <>
            <Text>Signaal: {member?.visible ? signalTitle(member) : 'signaal buiten je toegang'}</Text>
            {text('reason', 'Reden', true, 'Waarom hoort dit signaal niet (meer) bij het dossier?')}
          </>
        )}
        {command.name === 'record-analysis' && (
          <>
            {text('conclusion', 'Conclusie van de analyse')}
            <Checkbox
              label="Dit is een structureel probleem"
              checked={structural}
              onChange={(e) => setStructural(e.currentTarget.checked)}
            />
            <MultiSelect
              label="Thema's"
              data={THEME_OPTIONS}
              value={themes}
              onChange={setThemes}
              error={errors['themes']}
              searchable
              required
            />
          </>
        )}
        {command.name === 'escalate' && (
          <>
            <Select
              label="Niveau"
              data={LEVELS}
              value={value('level') || null}
              onChange={(v) => set('level')(v ?? '')}
              error={errors['level']}
              required
            />
            {text('body', 'Orgaan', false, 'Bijvoorbeeld: college van burgemeester en schepenen')}
            {text('motivation', 'Motivering')}
          </>
        )}
        {command.name === 'record-policy-decision' && (
          <>
            {text('decision', 'Beslissing')}
            {text('actions', 'Acties', true, 'Eén actie per regel (mag leeg)')}
            {text('feedback', 'Terugkoppeling aan de signaalgevers')}
          </>
        )}
        {command.name === 'close' && text('outcome', 'Resultaat')}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Annuleren
          </Button>
          <Button type="submit" loading={busy}>
            {command.label}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
