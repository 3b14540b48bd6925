import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  MultiSelect,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useAuth } from '../../auth/AuthContext';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { Loading } from '../../ui/Loading';
import { formatDayOf, signalTitle } from '../../terms';
import { useApi } from '../../ui/useApi';
import type { DossierPage } from '../../../dossiers/dossier-answers';
import { bundlable, dossierCommand, idempotencyKey, type InboxSignal } from './dossier-api';
import { fieldErrorOf, type FieldErrors } from './fields';
import { themeLabel, THEMES } from './themes';

const PHASES = [
  { value: 'open', label: 'Bundelen' },
  { value: 'analysed', label: 'Geanalyseerd' },
  { value: 'escalated', label: 'Geagendeerd bij beleid' },
  { value: 'decided', label: 'Beleidsbeslissing genomen' },
  { value: 'closed', label: 'Afgesloten' },
];

/** Dossiers: signals bundled around one structural problem (list, filter, create). */
export function DossiersPage() {
  const { hasRole } = useAuth();
  const [state, setState] = useState<string | null>(null);
  const [theme, setTheme] = useState<string | null>(null);
  const list = useApi<DossierPage>('/dossiers', {
    state,
    theme,
    sort: '-updatedAt',
    limit: 50,
  });
  const lead = hasRole('lead-processor');

  useEffect(() => {
    document.title = 'Dossiers - Lokaal Signaal';
  }, []);

  return (
    <Stack>
      <Title order={2}>Dossiers</Title>
      <Text>
        Een dossier bundelt signalen over hetzelfde structurele probleem, om het samen te analyseren en bij
        het beleid te agenderen.
      </Text>
      <Group align="flex-end">
        <Select
          label="Fase"
          data={PHASES}
          value={state}
          onChange={setState}
          clearable
          placeholder="Alle fasen"
        />
        <Select
          label="Thema"
          data={THEMES.map((t) => ({ value: t.code, label: t.label }))}
          value={theme}
          onChange={setTheme}
          clearable
          searchable
          placeholder="Alle thema's"
        />
      </Group>
      {list.error !== undefined && <ErrorAlert error={list.error} onRetry={list.reload} />}
      {list.loading && !list.data && <Loading />}
      {list.data &&
        (list.data.items.length === 0 ? (
          <Text>Geen dossiers gevonden.</Text>
        ) : (
          <Table.ScrollContainer minWidth={720}>
            <Table aria-label="Dossiers" striped highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Dossier</Table.Th>
                  <Table.Th>Fase</Table.Th>
                  <Table.Th>Thema's</Table.Th>
                  <Table.Th>Signalen</Table.Th>
                  <Table.Th>Laatst gewijzigd</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.data.items.map((d) => (
                  <Table.Tr key={d.dossierId}>
                    <Table.Td>
                      <Anchor component={Link} to={`/dossiers/${d.dossierId}`}>
                        {d.title}
                      </Anchor>
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <Badge variant="light">{d.stateLabel}</Badge>
                    </Table.Td>
                    <Table.Td>{d.themes.map(themeLabel).join(', ')}</Table.Td>
                    <Table.Td>{d.memberCount}</Table.Td>
                    <Table.Td>{formatDayOf(d.updatedAt)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        ))}
      {lead && <CreateDossier />}
    </Stack>
  );
}

function CreateDossier() {
  const navigate = useNavigate();
  const signals = useApi<{ items: InboxSignal[] }>('/signals', {
    open: true,
    sort: '-updatedAt',
    limit: 100,
  });
  const [title, setTitle] = useState('');
  const [summary, setSummary] = useState('');
  const [themes, setThemes] = useState<string[]>([]);
  const [signalIds, setSignalIds] = useState<string[]>([]);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // One key per filled-in form: pressing again after a lost answer does not make a second dossier.
  const [key, setKey] = useState(idempotencyKey);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found: FieldErrors = {};
    if (title.trim().length < 3) found['title'] = 'De titel telt 3 tot 200 tekens.';
    if (summary.trim().length < 1) found['summary'] = 'Vat het structurele probleem samen.';
    if (themes.length === 0) found['themes'] = 'Kies minstens één thema.';
    if (signalIds.length === 0) found['signalIds'] = 'Kies minstens één signaal.';
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    setGeneral(null);
    try {
      const { body } = await dossierCommand(
        '/dossiers',
        { title: title.trim(), summary: summary.trim(), themes, signalIds },
        null,
        key,
      );
      setKey(idempotencyKey());
      // The detail waits for the read model to reach the new dossier (read-your-writes).
      navigate(`/dossiers/${body.dossierId}`, { state: { minPosition: body.position } });
    } catch (failure) {
      const split = fieldErrorOf(failure, ['title', 'summary', 'themes', 'signalIds']);
      setErrors(split.fields);
      setGeneral(split.general);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Paper withBorder p="md" component="form" onSubmit={submit} noValidate aria-labelledby="new-dossier">
      <Stack>
        <Title order={3} id="new-dossier">
          Nieuw dossier
        </Title>
        {general !== null && <ErrorAlert error={general} />}
        {signals.error !== undefined && (
          <Alert color="yellow" title="Signalen niet geladen">
            De open signalen konden niet geladen worden.
          </Alert>
        )}
        <TextInput
          label="Titel"
          value={title}
          onChange={(e) => setTitle(e.currentTarget.value)}
          error={errors['title']}
          required
        />
        <Textarea
          label="Samenvatting"
          description="Het structurele probleem, zonder gegevens over personen"
          value={summary}
          onChange={(e) => setSummary(e.currentTarget.value)}
          error={errors['summary']}
          autosize
          minRows={3}
          required
        />
        <MultiSelect
          label="Thema's"
          data={THEMES.map((t) => ({ value: t.code, label: t.label }))}
          value={themes}
          onChange={setThemes}
          error={errors['themes']}
          searchable
          required
        />
        <MultiSelect
          label="Signalen"
          description="Open signalen; je kan er later nog toevoegen"
          data={(signals.data?.items ?? [])
            .filter(bundlable)
            .map((s) => ({ value: s.signalId, label: signalTitle(s) }))}
          value={signalIds}
          onChange={setSignalIds}
          error={errors['signalIds']}
          searchable
          required
        />
        <Group>
          <Button type="submit" loading={busy}>
            Dossier aanmaken
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
