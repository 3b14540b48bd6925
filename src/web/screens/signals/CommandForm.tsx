import {
  Alert,
  Anchor,
  Button,
  Group,
  Modal,
  MultiSelect,
  NumberInput,
  Radio,
  Select,
  Stack,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useState, type FormEvent, type ReactNode } from 'react';
import { api, ApiFailure } from '../../api/client';
import { signalTitle, stateLabel } from '../../terms';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { useApi } from '../../ui/useApi';
import { READABLE_ALERT } from './readable';
import { fieldErrors, newIdempotencyKey } from './fieldErrors';
import { assigneeOptions, useAssignees } from './assignees';
import { CODE_OPTIONS, ENUM_LABELS, fieldLabel, fieldSpec } from './labels';
import type { SimilarSignalsAnswer } from '../../../dossiers/dossier-answers';
import type { AllowedCommand, SignalCommandResult } from '../../../signals/signal-answers';

type Value = string | string[] | number | boolean | null;

/** The Dutch explanation of a 409/412: the signal changed since the form was opened. */
export const CONFLICT_MESSAGE =
  'Iemand anders heeft dit signaal intussen gewijzigd. Laad het signaal opnieuw, bekijk wat er veranderde en probeer dan opnieuw.';

/**
 * A form for one command of the signal's workflow, built from what allowed-commands returns
 * (required and optional field names, `requireOneOf`) and the field catalogue
 * (workflows/signal-lifecycle/fields.ts: kind, limits, code list). Sent with `If-Match` (the
 * revision the person saw when they opened the form) and a fresh `Idempotency-Key`.
 */
export function CommandForm({
  command,
  etag,
  initial,
  onDone,
  onClose,
  onReload,
}: {
  command: AllowedCommand;
  etag: string | null;
  initial?: Record<string, Value>;
  onDone(outcome: SignalCommandResult): void;
  onClose(): void;
  onReload(): void;
}) {
  const fields = [...command.required, ...command.optional];
  const [values, setValues] = useState<Record<string, Value>>(() => {
    const start: Record<string, Value> = {};
    for (const name of fields) start[name] = initial?.[name] ?? emptyValue(name);
    return start;
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [conflict, setConflict] = useState(false);
  const [busy, setBusy] = useState(false);
  const [idempotencyKey, setIdempotencyKey] = useState(newIdempotencyKey);

  const set = (name: string, value: Value) => {
    setValues((v) => ({ ...v, [name]: value }));
    setErrors((e) => (name in e ? Object.fromEntries(Object.entries(e).filter(([k]) => k !== name)) : e));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const local: Record<string, string> = {};
    for (const name of command.required) {
      if (isEmpty(values[name] ?? null)) local[name] = `${fieldLabel(name)} is verplicht.`;
    }
    for (const group of command.requireOneOf ?? []) {
      if (group.every((name) => isEmpty(values[name] ?? null))) {
        const message = `Vul minstens één in: ${group.map(fieldLabel).join(' of ')}.`;
        for (const name of group) local[name] = message;
      }
    }
    if (Object.keys(local).length > 0) {
      setErrors(local);
      return;
    }
    const body: Record<string, unknown> = {};
    for (const name of fields) {
      const value = values[name] ?? null;
      if (isEmpty(value)) continue;
      body[name] = typeof value === 'string' ? value.trim() : value;
    }
    setBusy(true);
    setFailure(null);
    try {
      const headers: Record<string, string> = { 'Idempotency-Key': idempotencyKey };
      if (etag) headers['If-Match'] = etag;
      const answer = await api<SignalCommandResult>(command.path, { method: 'POST', body, headers });
      onDone(answer.body);
    } catch (error) {
      if (error instanceof ApiFailure && error.isConflict) {
        setConflict(true);
      } else {
        const byField = fieldErrors(error);
        setErrors(byField);
        if (Object.keys(byField).length === 0) setFailure(error);
      }
      // The request was answered: a new submit is a new request.
      if (error instanceof ApiFailure && error.status < 500) setIdempotencyKey(newIdempotencyKey());
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title={command.label} size="lg">
      <form onSubmit={submit} noValidate aria-label={command.label}>
        <Stack>
          {conflict && (
            <Alert
              color="orange"
              role="alert"
              styles={READABLE_ALERT}
              title="Het signaal is intussen gewijzigd"
            >
              <Text size="sm">{CONFLICT_MESSAGE}</Text>
              <Group mt="sm">
                <Button size="xs" variant="default" onClick={onReload}>
                  Signaal opnieuw laden
                </Button>
              </Group>
            </Alert>
          )}
          {failure !== null && <ErrorAlert error={failure} />}
          {fields.length === 0 && <Text>Bevestig deze stap.</Text>}
          {fields.map((name) => (
            <FieldInput
              key={name}
              signalId={signalIdOf(command.path)}
              name={name}
              required={command.required.includes(name)}
              value={values[name] ?? null}
              error={errors[name]}
              onChange={(value) => set(name, value)}
            />
          ))}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Annuleren
            </Button>
            <Button type="submit" loading={busy} disabled={conflict}>
              {command.label}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function emptyValue(name: string): Value {
  const spec = fieldSpec(name);
  if (spec?.kind === 'codes') return [];
  return null;
}

function isEmpty(value: Value): boolean {
  return value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

/** One field, its input kind chosen from the catalogue: text, long text, codes, enum, number, yes/no. */
function FieldInput({
  signalId,
  name,
  required,
  value,
  error,
  onChange,
}: {
  /** The signal the command is for (from its path), where a field names another signal. */
  signalId: string | null;
  name: string;
  required: boolean;
  value: Value;
  error: string | undefined;
  onChange(value: Value): void;
}): ReactNode {
  const spec = fieldSpec(name);
  const label = fieldLabel(name);
  const common = { label, required, error };
  if (!spec) {
    return (
      <TextInput {...common} value={String(value ?? '')} onChange={(e) => onChange(e.currentTarget.value)} />
    );
  }
  switch (spec.kind) {
    case 'text':
      return spec.maxLength > 200 ? (
        <Textarea
          {...common}
          autosize
          minRows={3}
          maxLength={spec.maxLength}
          value={String(value ?? '')}
          onChange={(e) => onChange(e.currentTarget.value)}
        />
      ) : (
        <TextInput
          {...common}
          maxLength={spec.maxLength}
          value={String(value ?? '')}
          onChange={(e) => onChange(e.currentTarget.value)}
        />
      );
    case 'codes':
      return (
        <MultiSelect
          {...common}
          data={CODE_OPTIONS[spec.of]}
          maxValues={spec.maxItems}
          searchable
          value={Array.isArray(value) ? value : []}
          onChange={onChange}
        />
      );
    case 'code':
      return (
        <Select
          {...common}
          data={CODE_OPTIONS[spec.of]}
          searchable
          clearable={!required}
          value={typeof value === 'string' ? value : null}
          onChange={onChange}
        />
      );
    case 'enum':
      return (
        <Select
          {...common}
          data={spec.values.map((v) => ({ value: v, label: ENUM_LABELS[v] ?? v }))}
          clearable={!required}
          value={typeof value === 'string' ? value : null}
          onChange={onChange}
        />
      );
    case 'integer':
      return (
        <NumberInput
          {...common}
          min={spec.min}
          max={spec.max}
          allowDecimal={false}
          value={typeof value === 'number' ? value : ''}
          onChange={(v) => onChange(typeof v === 'number' ? v : null)}
        />
      );
    case 'boolean':
      // Yes or no, chosen explicitly: an unticked box cannot tell "no" from "not answered".
      return (
        <Radio.Group
          {...common}
          value={value === true ? 'yes' : value === false ? 'no' : null}
          onChange={(v) => onChange(v === 'yes')}
        >
          <Group mt="xs">
            <Radio value="yes" label="Ja" />
            <Radio value="no" label="Nee" />
          </Group>
        </Radio.Group>
      );
    case 'uuid':
      if (name === 'targetSignalId' && signalId !== null)
        return <SignalTargetInput common={common} signalId={signalId} value={value} onChange={onChange} />;
      return <SignalIdInput common={common} value={value} onChange={onChange} />;
    case 'subject':
      return <AssigneeInput common={common} value={value} onChange={onChange} />;
  }
}

type FieldProps = {
  common: { label: string; required: boolean; error: string | undefined };
  value: Value;
  onChange(value: Value): void;
};

/** `/signals/{id}/{command}`: the signal's id. */
function signalIdOf(path: string): string | null {
  return /^\/signals\/([^/]+)\//.exec(path)?.[1] ?? null;
}

function SignalIdInput({ common, value, onChange, children }: FieldProps & { children?: ReactNode }) {
  return (
    <Stack gap={4}>
      <TextInput
        {...common}
        description="De id van het signaal (te vinden in de adresbalk van dat signaal)."
        value={String(value ?? '')}
        onChange={(e) => onChange(e.currentTarget.value)}
      />
      {children}
    </Stack>
  );
}

/**
 * The signal to merge into, chosen by title among the signals like this one (`GET
 * /signals/{id}/similar`, the lead processor's scope), or any other one by its id.
 */
function SignalTargetInput({ common, signalId, value, onChange }: FieldProps & { signalId: string }) {
  const similar = useApi<SimilarSignalsAnswer>(`/signals/${encodeURIComponent(signalId)}/similar`, {
    limit: 10,
  });
  const [byId, setById] = useState(false);
  const options = (similar.data?.items ?? []).map((item) => ({
    value: item.signalId,
    label: `${signalTitle(item)} (${stateLabel(item.state)})`,
  }));
  if (byId || similar.error !== undefined || (similar.data && options.length === 0)) {
    return (
      <SignalIdInput common={common} value={value} onChange={onChange}>
        {options.length > 0 && (
          <Anchor component="button" type="button" size="sm" onClick={() => setById(false)}>
            Kies uit de gelijkaardige signalen
          </Anchor>
        )}
      </SignalIdInput>
    );
  }
  return (
    <Stack gap={4}>
      <Select
        {...common}
        description="Kies het signaal op titel, uit de signalen die op dit signaal lijken."
        placeholder={similar.loading ? 'Gelijkaardige signalen laden…' : undefined}
        data={options}
        searchable
        nothingFoundMessage="Geen gelijkaardig signaal met die titel."
        value={typeof value === 'string' && value !== '' ? value : null}
        onChange={(next) => onChange(next ?? '')}
      />
      <Anchor component="button" type="button" size="sm" onClick={() => setById(true)}>
        Een ander signaal, met zijn id
      </Anchor>
    </Stack>
  );
}

/**
 * A signal processor chosen by name from `GET /people/assignees`; where that list is not
 * available (a caller without access to it), the person id typed as before.
 */
function AssigneeInput({ common, value, onChange }: FieldProps): ReactNode {
  const assignees = useAssignees();
  if (!assignees.allowed || assignees.error || (!assignees.loading && !assignees.data)) {
    return (
      <TextInput
        {...common}
        description="De persoons-id van de signaalverwerker (zie Beheer)."
        value={String(value ?? '')}
        onChange={(e) => onChange(e.currentTarget.value)}
      />
    );
  }
  const options = assigneeOptions(assignees.data?.items ?? []);
  return (
    <Select
      {...common}
      description="Kies de signaalverwerker op naam."
      placeholder={assignees.loading ? 'Signaalverwerkers laden…' : undefined}
      data={options}
      searchable
      clearable={!common.required}
      nothingFoundMessage="Geen signaalverwerker met die naam."
      value={typeof value === 'string' && value !== '' ? value : null}
      onChange={(next) => onChange(next ?? '')}
    />
  );
}
