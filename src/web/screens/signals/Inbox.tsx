import {
  Badge,
  Button,
  Checkbox,
  Group,
  MultiSelect,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useActor } from '../../auth/AuthContext';
import { signalTitle, STATE_LABELS, stateLabel } from '../../terms';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { Loading } from '../../ui/Loading';
import { useApi } from '../../ui/useApi';
import { assigneeName, assigneeOptions, useAssignees } from './assignees';
import { CODE_OPTIONS, codeLabel, codeLabels, enumLabel, formatDate } from './labels';
import { useSignalChanges } from './liveEvents';
import { loadSavedFilters, storeSavedFilters, type SavedFilter } from './savedFilters';
import type { SignalPage } from '../../../signals/signal-answers';

const PAGE_SIZE = 25;
const FILTER_KEYS = ['state', 'theme', 'domain', 'assignee', 'overdue', 'open'] as const;
const STATE_OPTIONS = Object.entries(STATE_LABELS).map(([value, label]) => ({ value, label }));

/**
 * The inbox of the signal processors: one page at a time from the server (never the whole list),
 * filtered server-side; filters live in the address (shareable, back button) and can be saved
 * under a name. Refreshes by itself when a signal of the caller's scope changes.
 */
export function Inbox() {
  const actor = useActor();
  const [params, setParams] = useSearchParams();
  const offset = Number(params.get('offset') ?? '0') || 0;
  const list = (key: string) => (params.get(key) ?? '').split(',').filter(Boolean);
  const query = useMemo(() => {
    const q: Record<string, string> = { limit: String(PAGE_SIZE), offset: String(offset) };
    for (const key of FILTER_KEYS) {
      const value = params.get(key);
      if (value) q[key] = value;
    }
    return q;
  }, [params, offset]);
  const page = useApi<SignalPage>('/signals', query);
  useSignalChanges(page.reload);
  // Those who may list the processors (a lead processor, a tenant-admin) filter and read them by name.
  const assignees = useAssignees();
  const people = assignees.data?.items;

  const update = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    if (!('offset' in changes)) next.delete('offset');
    setParams(next);
  };

  const [saved, setSaved] = useState<SavedFilter[]>(() => loadSavedFilters(actor.id));
  const [name, setName] = useState('');
  const currentFilter = FILTER_KEYS.reduce<Record<string, string>>((acc, key) => {
    const value = params.get(key);
    if (value) acc[key] = value;
    return acc;
  }, {});
  const saveFilter = () => {
    const trimmed = name.trim();
    if (!trimmed) return;
    const next = [...saved.filter((f) => f.name !== trimmed), { name: trimmed, params: currentFilter }];
    setSaved(next);
    storeSavedFilters(actor.id, next);
    setName('');
  };
  const removeFilter = (filterName: string) => {
    const next = saved.filter((f) => f.name !== filterName);
    setSaved(next);
    storeSavedFilters(actor.id, next);
  };

  const data = page.data;
  return (
    <Stack>
      <Title order={2}>Inbox</Title>
      <Paper withBorder p="md" component="section" aria-labelledby="inbox-filters">
        <Title order={3} size="h4" id="inbox-filters" mb="sm">
          Filters
        </Title>
        <Group align="flex-end" wrap="wrap">
          <MultiSelect
            label="Status"
            data={STATE_OPTIONS}
            value={list('state')}
            onChange={(v) => update({ state: v.join(',') })}
            w={240}
            clearable
          />
          <MultiSelect
            label="Thema"
            data={CODE_OPTIONS.themes}
            value={list('theme')}
            onChange={(v) => update({ theme: v.join(',') })}
            w={240}
            searchable
            clearable
          />
          <MultiSelect
            label="Beleidsdomein"
            data={CODE_OPTIONS.policyDomains}
            value={list('domain')}
            onChange={(v) => update({ domain: v.join(',') })}
            w={220}
            clearable
          />
          {people ? (
            <Select
              label="Toegewezen aan"
              placeholder="Iedereen"
              data={withCurrent(assigneeOptions(people), params.get('assignee'), actor.id)}
              value={params.get('assignee')}
              onChange={(assignee) => update({ assignee })}
              w={260}
              searchable
              clearable
              nothingFoundMessage="Geen signaalverwerker met die naam."
            />
          ) : (
            <AssigneeFilter
              value={params.get('assignee') ?? ''}
              onCommit={(assignee) => update({ assignee })}
            />
          )}
          <Stack gap={6}>
            <Checkbox
              label="Aan mij toegewezen"
              checked={params.get('assignee') === actor.id}
              onChange={(e) => update({ assignee: e.currentTarget.checked ? actor.id : null })}
            />
            <Checkbox
              label="Over de termijn"
              checked={params.get('overdue') === 'true'}
              onChange={(e) => update({ overdue: e.currentTarget.checked ? 'true' : null })}
            />
            <Checkbox
              label="Alleen lopende signalen"
              checked={params.get('open') === 'true'}
              onChange={(e) => update({ open: e.currentTarget.checked ? 'true' : null })}
            />
          </Stack>
        </Group>
        <Group mt="md" align="flex-end" wrap="wrap">
          <TextInput
            label="Naam voor deze filter"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            w={220}
          />
          <Button variant="default" onClick={saveFilter} disabled={!name.trim()}>
            Filter bewaren
          </Button>
          {saved.length > 0 && (
            <Select
              label="Bewaarde filters"
              placeholder="Kies een bewaarde filter"
              data={saved.map((f) => f.name)}
              value={null}
              onChange={(chosen) => {
                const filter = saved.find((f) => f.name === chosen);
                if (filter) setParams(new URLSearchParams(filter.params));
              }}
              w={240}
            />
          )}
          <Button variant="subtle" onClick={() => setParams(new URLSearchParams())}>
            Filters wissen
          </Button>
        </Group>
        {saved.length > 0 && (
          <Group mt="sm" gap="xs" aria-label="Bewaarde filters beheren">
            {saved.map((f) => (
              <Button
                key={f.name}
                size="compact-xs"
                variant="light"
                color="gray"
                onClick={() => removeFilter(f.name)}
              >
                {`'${f.name}' verwijderen`}
              </Button>
            ))}
          </Group>
        )}
      </Paper>

      {page.error !== undefined && <ErrorAlert error={page.error} onRetry={page.reload} />}
      {!data && page.loading && <Loading label="Signalen laden…" />}
      {data && (
        <>
          {/* On a narrow screen the table scrolls in its own box, not the whole page. */}
          <Table.ScrollContainer minWidth={860}>
            <Table striped highlightOnHover aria-label="Signalen in de inbox">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Titel</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Thema's</Table.Th>
                  <Table.Th>Beleidsdomein</Table.Th>
                  {people && <Table.Th>Signaalverwerker</Table.Th>}
                  <Table.Th>Urgentie</Table.Th>
                  <Table.Th>Ingediend</Table.Th>
                  <Table.Th>Termijn</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.items.map((signal) => (
                  <Table.Tr key={signal.signalId}>
                    <Table.Td>
                      <Link to={`/signalen/${signal.signalId}`}>{signalTitle(signal)}</Link>
                    </Table.Td>
                    <Table.Td>{stateLabel(signal.state)}</Table.Td>
                    <Table.Td>{codeLabels('themes', signal.themes)}</Table.Td>
                    <Table.Td>
                      {signal.policyDomain ? codeLabel('policyDomains', signal.policyDomain) : '—'}
                    </Table.Td>
                    {people && <Table.Td>{assigneeName(signal.assigneeId, actor.id, people)}</Table.Td>}
                    <Table.Td>{enumLabel(signal.urgency)}</Table.Td>
                    <Table.Td>{formatDate(signal.submittedAt)}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      {signal.overdue ? (
                        <Badge color="red" variant="light">
                          Over termijn
                        </Badge>
                      ) : (
                        formatDate(signal.dueAt)
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {data.items.length === 0 && <Text>Geen signalen met deze filters.</Text>}
          <Group justify="space-between">
            <Text size="sm" role="status">
              {data.items.length > 0
                ? `Signalen ${data.offset + 1} tot ${data.offset + data.items.length}`
                : 'Geen signalen'}
            </Text>
            <Group>
              <Button
                variant="default"
                disabled={offset === 0}
                onClick={() => update({ offset: String(Math.max(0, offset - PAGE_SIZE)) })}
              >
                Vorige
              </Button>
              <Button
                variant="default"
                disabled={!data.hasMore}
                onClick={() => update({ offset: String(offset + PAGE_SIZE) })}
              >
                Volgende
              </Button>
            </Group>
          </Group>
        </>
      )}
    </Stack>
  );
}

/**
 * The choices, with the one in the address kept when it is not among them ("aan mij toegewezen"
 * for a lead processor who takes no signals, a person no longer assignable, a shared link): "jij"
 * or the id rather than dropped.
 */
function withCurrent(
  options: { value: string; label: string }[],
  current: string | null,
  selfId: string,
): { value: string; label: string }[] {
  if (current === null || options.some((option) => option.value === current)) return options;
  return [...options, { value: current, label: assigneeName(current, selfId, undefined) }];
}

/**
 * A person id typed in full, for those who cannot list the processors: applied on Enter or when
 * leaving the field, not on every keystroke.
 */
function AssigneeFilter({ value, onCommit }: { value: string; onCommit(value: string | null): void }) {
  const [text, setText] = useState(value);
  const [shown, setShown] = useState(value);
  if (value !== shown) {
    // The address changed (a saved filter, "aan mij", wissen): show what it holds now.
    setShown(value);
    setText(value);
  }
  const commit = () => {
    if (text.trim() !== value) onCommit(text.trim() || null);
  };
  return (
    <TextInput
      label="Toegewezen aan (persoons-id)"
      description="Enter om toe te passen"
      value={text}
      onChange={(e) => setText(e.currentTarget.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') commit();
      }}
      w={220}
    />
  );
}
