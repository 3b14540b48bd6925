import {
  Alert,
  Button,
  Group,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { Loading } from '../../ui/Loading';
import { useApi } from '../../ui/useApi';
import { fieldErrorOf, type FieldErrors } from './fields';
import { ENGAGEMENT_MODES } from './themes';
import type { OrganisationAnswer, OrganisationPage } from '../../../tenants/tenant-answers';

/** The partner organisations: list, register one, change an engagement mode. */
export function OrganisationsPanel() {
  const list = useApi<OrganisationPage>('/organisations');
  const [changeError, setChangeError] = useState<unknown>(null);
  const [changed, setChanged] = useState<string | null>(null);

  async function changeMode(organisation: OrganisationAnswer, mode: string | null) {
    if (!mode || Number(mode) === organisation.engagementMode) return;
    setChangeError(null);
    setChanged(null);
    try {
      await api(`/organisations/${encodeURIComponent(organisation.organisationId)}`, {
        method: 'PATCH',
        body: { engagementMode: Number(mode) },
      });
      setChanged(`De engagementvorm van ${organisation.name} is gewijzigd.`);
      list.reload();
    } catch (failure) {
      setChangeError(failure);
    }
  }

  return (
    <Stack>
      <Title order={3}>Organisaties</Title>
      {list.error !== undefined && <ErrorAlert error={list.error} onRetry={list.reload} />}
      {changeError !== null && <ErrorAlert error={changeError} />}
      {changed && (
        <Alert color="green" role="status">
          {changed}
        </Alert>
      )}
      {list.loading && !list.data && <Loading />}
      {list.data &&
        (list.data.items.length === 0 ? (
          <Text>Er zijn nog geen organisaties geregistreerd.</Text>
        ) : (
          <Table aria-label="Organisaties van het bestuur" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Organisatie</Table.Th>
                <Table.Th>Code</Table.Th>
                <Table.Th>Engagementvorm</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.items.map((o) => (
                <Table.Tr key={o.organisationId}>
                  <Table.Td>
                    <Text fw={600}>{o.name}</Text>
                    {o.description && <Text size="sm">{o.description}</Text>}
                  </Table.Td>
                  <Table.Td>{o.organisationId}</Table.Td>
                  <Table.Td miw={280}>
                    <Select
                      aria-label={`Engagementvorm van ${o.name}`}
                      data={ENGAGEMENT_MODES}
                      value={String(o.engagementMode)}
                      onChange={(value) => void changeMode(o, value)}
                      allowDeselect={false}
                    />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        ))}
      <RegisterOrganisation onRegistered={list.reload} />
    </Stack>
  );
}

function RegisterOrganisation({ onRegistered }: { onRegistered(): void }) {
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [mode, setMode] = useState<string | null>('1');
  const [description, setDescription] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    setGeneral(null);
    setDone(null);
    try {
      await api('/organisations', {
        body: {
          id: id.trim(),
          name: name.trim(),
          engagementMode: Number(mode),
          description: description.trim() === '' ? null : description.trim(),
        },
      });
      setDone(`${name.trim()} is geregistreerd.`);
      setId('');
      setName('');
      setDescription('');
      onRegistered();
    } catch (failure) {
      const split = fieldErrorOf(failure, ['id', 'name', 'engagementMode', 'description'], {
        name: 'De naam telt 2 tot 200 tekens.',
        description: 'De beschrijving telt 2 tot 2000 tekens.',
      });
      setErrors(split.fields);
      setGeneral(split.general);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Paper withBorder p="md" component="form" onSubmit={submit} noValidate aria-labelledby="register-org">
      <Stack>
        <Title order={4} id="register-org">
          Organisatie registreren
        </Title>
        {general !== null && <ErrorAlert error={general} />}
        {done && (
          <Alert color="green" role="status">
            {done}
          </Alert>
        )}
        <Group grow align="flex-start">
          <TextInput
            label="Code"
            description="Kleine letters, cijfers en koppeltekens, bv. caw-oost"
            value={id}
            onChange={(e) => setId(e.currentTarget.value)}
            error={errors['id']}
            required
          />
          <TextInput
            label="Naam"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={errors['name']}
            required
          />
        </Group>
        <Select
          label="Engagementvorm"
          data={ENGAGEMENT_MODES}
          value={mode}
          onChange={setMode}
          error={errors['engagementMode']}
          allowDeselect={false}
          required
        />
        <Textarea
          label="Beschrijving (publiek)"
          autosize
          minRows={2}
          value={description}
          onChange={(e) => setDescription(e.currentTarget.value)}
          error={errors['description']}
        />
        <Group>
          <Button type="submit" loading={busy}>
            Registreren
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
