import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  Modal,
  MultiSelect,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import { useActor } from '../../auth/AuthContext';
import { ROLE_LABELS, roleLabel } from '../../terms';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { Loading } from '../../ui/Loading';
import { useApi } from '../../ui/useApi';
import { fieldErrorOf, type FieldErrors } from './fields';
import { POLICY_DOMAINS } from './themes';
import type { PersonListItem } from '../../../people/people-answers';

const ROLE_OPTIONS = Object.entries(ROLE_LABELS).map(([value, label]) => ({ value, label }));
const DOMAIN_OPTIONS = POLICY_DOMAINS.map((d) => ({ value: d.code, label: d.label }));
const ERASURE_REASON_MIN = 5;

/** The people of the bestuur: their roles (grant, revoke) and erasure of a person's data. */
export function PeoplePanel() {
  const list = useApi<{ items: PersonListItem[] }>('/people');
  // Organisations by name: the list shows "Stad Gent (sociaal huis)", not its code.
  const organisations = useApi<{ items: Array<{ organisationId: string; name: string }> }>('/organisations');
  const organisationName = (id: string | null) =>
    id === null ? '-' : (organisations.data?.items.find((o) => o.organisationId === id)?.name ?? id);
  const [editing, setEditing] = useState<PersonListItem | null>(null);
  const [erasing, setErasing] = useState<PersonListItem | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const actor = useActor();

  const done = (message: string) => {
    setEditing(null);
    setErasing(null);
    setNotice(message);
    list.reload();
  };

  return (
    <Stack>
      <Title order={3}>Personen</Title>
      {list.error !== undefined && <ErrorAlert error={list.error} onRetry={list.reload} />}
      {notice && (
        <Alert color="green" role="status">
          {notice}
        </Alert>
      )}
      {list.loading && !list.data && <Loading />}
      {list.data && (
        <Table aria-label="Personen met een account" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Naam</Table.Th>
              <Table.Th>Organisatie</Table.Th>
              <Table.Th>Rollen</Table.Th>
              <Table.Th>Acties</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data.items.map((p) => (
              <Table.Tr key={p.personId}>
                <Table.Td>
                  <Text fw={600}>{p.name}</Text>
                  {p.email && <Text size="sm">{p.email}</Text>}
                  {p.oidcLinked && <Text size="sm">Meldt zich aan via de identiteitsprovider</Text>}
                </Table.Td>
                <Table.Td>{organisationName(p.organisationId)}</Table.Td>
                <Table.Td>
                  {p.erased ? (
                    <Badge color="gray" variant="light">
                      Gegevens gewist
                    </Badge>
                  ) : (
                    <Group gap={4}>
                      {p.roles.map((r) => (
                        <Badge key={r} variant="light">
                          {roleLabel(r)}
                        </Badge>
                      ))}
                    </Group>
                  )}
                </Table.Td>
                <Table.Td>
                  {!p.erased && (
                    <Group gap="xs" wrap="nowrap">
                      <Button size="xs" variant="default" onClick={() => setEditing(p)}>
                        Rollen<VisuallyHidden component="span"> van {p.name}</VisuallyHidden>
                      </Button>
                      {p.personId !== actor.id && (
                        <Button size="xs" variant="default" color="red" onClick={() => setErasing(p)}>
                          Wissen<VisuallyHidden component="span"> {p.name}</VisuallyHidden>
                        </Button>
                      )}
                    </Group>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {editing && <RolesModal person={editing} onClose={() => setEditing(null)} onDone={done} />}
      {erasing && <EraseModal person={erasing} onClose={() => setErasing(null)} onDone={done} />}
    </Stack>
  );
}

function RolesModal({
  person,
  onClose,
  onDone,
}: {
  person: PersonListItem;
  onClose(): void;
  onDone(message: string): void;
}) {
  const [roles, setRoles] = useState<string[]>(person.roles);
  const [domains, setDomains] = useState<string[]>(person.policyDomains);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const added = roles.filter((r) => !person.roles.includes(r));
    const removed = person.roles.filter((r) => !roles.includes(r));
    const domainsChanged =
      domains.length !== person.policyDomains.length ||
      domains.some((d) => !person.policyDomains.includes(d));
    if (roles.length === 0) {
      setErrors({ grant: 'Een persoon houdt minstens één rol. Wis de persoon om de toegang te beëindigen.' });
      return;
    }
    const body: Record<string, unknown> = {};
    if (added.length > 0 || domainsChanged) {
      body['grant'] = added.length > 0 ? added : roles;
      body['policyDomains'] = domains;
    }
    if (removed.length > 0) body['revoke'] = removed;
    if (Object.keys(body).length === 0) return onClose();
    setBusy(true);
    setErrors({});
    setGeneral(null);
    try {
      await api(`/people/${person.personId}/roles`, { body });
      onDone(`De rollen van ${person.name} zijn gewijzigd. Bij de volgende aanmelding gelden ze.`);
    } catch (failure) {
      const split = fieldErrorOf(failure, ['grant', 'roles', 'revoke', 'policyDomains']);
      setErrors(split.fields);
      setGeneral(split.general);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      opened
      onClose={onClose}
      closeButtonProps={{ 'aria-label': 'Venster sluiten' }}
      title={`Rollen van ${person.name}`}
    >
      <Stack renderRoot={(props) => <form {...props} onSubmit={submit} noValidate />}>
        {general !== null && <ErrorAlert error={general} />}
        <MultiSelect
          label="Rollen"
          data={ROLE_OPTIONS}
          value={roles}
          onChange={setRoles}
          error={errors['grant'] ?? errors['roles'] ?? errors['revoke']}
          searchable
        />
        <MultiSelect
          label="Beleidsdomeinen"
          description="Voor een signaalverwerker of beleidsmaker: de domeinen die deze persoon volgt"
          data={DOMAIN_OPTIONS}
          value={domains}
          onChange={setDomains}
          error={errors['policyDomains']}
          searchable
        />
        <Text size="sm">Wijzigen meldt de persoon af op al haar toestellen.</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Annuleren
          </Button>
          <Button type="submit" loading={busy}>
            Rollen bewaren
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function EraseModal({
  person,
  onClose,
  onDone,
}: {
  person: PersonListItem;
  onClose(): void;
  onDone(message: string): void;
}) {
  const [reason, setReason] = useState('');
  const [confirmed, setConfirmed] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found: FieldErrors = {};
    if (reason.trim().length < ERASURE_REASON_MIN)
      found['reason'] = `Geef een reden van minstens ${ERASURE_REASON_MIN} tekens.`;
    if (!confirmed) found['confirm'] = 'Bevestig dat je de gegevens wil wissen.';
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    setGeneral(null);
    try {
      await api(`/people/${person.personId}/erase`, { body: { reason: reason.trim() } });
      onDone(`De gegevens van ${person.name} zijn gewist.`);
    } catch (failure) {
      const split = fieldErrorOf(failure, ['reason']);
      setErrors(split.fields);
      setGeneral(split.general);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      opened
      onClose={onClose}
      closeButtonProps={{ 'aria-label': 'Venster sluiten' }}
      title={`Gegevens van ${person.name} wissen`}
    >
      <Stack renderRoot={(props) => <form {...props} onSubmit={submit} noValidate />}>
        <Text size="sm">
          Naam en e-mailadres worden gewist en de persoon kan zich niet meer aanmelden. De geschiedenis houdt
          enkel een anonieme id. Dit kan je niet ongedaan maken.
        </Text>
        {general !== null && <ErrorAlert error={general} />}
        <Textarea
          label="Reden"
          description="Wordt bewaard in de audit"
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          error={errors['reason']}
          required
          autosize
          minRows={2}
        />
        <Checkbox
          label="Ik begrijp dat dit niet ongedaan kan worden"
          checked={confirmed}
          onChange={(e) => setConfirmed(e.currentTarget.checked)}
          error={errors['confirm']}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Annuleren
          </Button>
          <Button type="submit" color="red" loading={busy}>
            Gegevens wissen
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
