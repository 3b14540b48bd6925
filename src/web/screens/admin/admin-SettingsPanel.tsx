import {
  ActionIcon,
  Alert,
  Button,
  Fieldset,
  Group,
  MultiSelect,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { Loading } from '../../ui/Loading';
import { useApi } from '../../ui/useApi';
import { fieldErrorOf, withLabels, type FieldErrors } from './fields';
import { THEMES } from './themes';
import { deadlineStates, WORKFLOW_VERSIONS } from './workflows';
import type { OrganisationPage, TenantAnswer, TenantSettingsValue } from '../../../tenants/tenant-answers';

interface Form {
  workflowVersion: string;
  deadlines: Record<string, number | string>;
  supralocalOptIn: boolean;
  subThemes: { code: string; label: string; theme: string | null }[];
  contactName: string;
  contactEmail: string;
  contactPhone: string;
  privacyStatement: string;
  inviteInstructions: string;
  agreements: { title: string; summary: string; organisationIds: string[] }[];
  retentionYears: number | string;
}

const FIELD_LABELS: Record<string, string> = {
  workflowVersion: 'Werkstroomversie',
  deadlineOverrides: 'Termijnen',
  supralocalOptIn: 'Bovenlokale samenwerking',
  localSubThemes: "Lokale subthema's",
  contactPoint: 'Meldpunt',
  privacyStatement: 'Privacyverklaring',
  inviteInstructions: 'Uitnodiging aanvragen',
  agreements: 'Samenwerkingsafspraken',
  retentionYears: 'Bewaartermijn',
};
const FIELDS = Object.keys(FIELD_LABELS);

function formOf(settings: TenantSettingsValue): Form {
  return {
    workflowVersion: String(settings.workflowVersion),
    deadlines: { ...settings.deadlineOverrides },
    supralocalOptIn: settings.supralocalOptIn,
    subThemes: settings.localSubThemes.map((s) => ({ ...s })),
    contactName: settings.contactPoint?.name ?? '',
    contactEmail: settings.contactPoint?.email ?? '',
    contactPhone: settings.contactPoint?.phone ?? '',
    privacyStatement: settings.privacyStatement ?? '',
    inviteInstructions: settings.inviteInstructions ?? '',
    agreements: settings.agreements.map((a) => ({ ...a, organisationIds: [...a.organisationIds] })),
    retentionYears: settings.retentionYears,
  };
}

/** The form as a settings patch; empty texts are "not set" (null). */
function patchOf(form: Form, version: number): Record<string, unknown> {
  const states = new Set(deadlineStates(version).map((s) => s.state));
  const deadlineOverrides: Record<string, number> = {};
  for (const [state, days] of Object.entries(form.deadlines)) {
    if (states.has(state) && days !== '' && days !== null) deadlineOverrides[state] = Number(days);
  }
  const contact = [form.contactName, form.contactEmail, form.contactPhone].some((v) => v.trim() !== '');
  return {
    workflowVersion: version,
    deadlineOverrides,
    supralocalOptIn: form.supralocalOptIn,
    localSubThemes: form.subThemes.map((s) => ({
      code: s.code.trim(),
      label: s.label.trim(),
      theme: s.theme ?? '',
    })),
    contactPoint: contact
      ? {
          name: form.contactName.trim(),
          email: form.contactEmail.trim(),
          phone: form.contactPhone.trim() === '' ? null : form.contactPhone.trim(),
        }
      : null,
    privacyStatement: form.privacyStatement.trim() === '' ? null : form.privacyStatement,
    inviteInstructions: form.inviteInstructions.trim() === '' ? null : form.inviteInstructions,
    agreements: form.agreements.map((a) => ({
      title: a.title,
      summary: a.summary,
      organisationIds: a.organisationIds,
    })),
    retentionYears: form.retentionYears === '' ? NaN : Number(form.retentionYears),
  };
}

export function SettingsPanel() {
  const tenant = useApi<TenantAnswer>('/tenant');
  const organisations = useApi<OrganisationPage>('/organisations');
  const [form, setForm] = useState<Form | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (tenant.data) setForm(formOf(tenant.data.settings));
  }, [tenant.data]);

  if (tenant.error !== undefined) return <ErrorAlert error={tenant.error} onRetry={tenant.reload} />;
  if (!form || !tenant.data) return <Loading />;

  const version = Number(form.workflowVersion);
  const set = (change: Partial<Form>) => {
    setSaved(false);
    setForm({ ...form, ...change });
  };
  const orgOptions = (organisations.data?.items ?? []).map((o) => ({
    value: o.organisationId,
    label: o.name,
  }));

  async function save(event: FormEvent) {
    event.preventDefault();
    if (!form) return;
    setBusy(true);
    setErrors({});
    setGeneral(null);
    setSaved(false);
    try {
      await api('/tenant/settings', { method: 'PATCH', body: patchOf(form, version) });
      setSaved(true);
      tenant.reload();
    } catch (failure) {
      const split = fieldErrorOf(failure, FIELDS);
      setErrors(withLabels(split.fields, FIELD_LABELS));
      setGeneral(split.general);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Stack renderRoot={(props) => <form {...props} onSubmit={save} noValidate />} maw={900}>
      <Title order={3}>Instellingen van {tenant.data.name}</Title>
      {general !== null && <ErrorAlert error={general} />}
      {Object.keys(errors).length > 0 && (
        <Alert color="red" role="alert" title="Niet bewaard">
          Controleer het veld met de foutmelding.
        </Alert>
      )}
      {saved && (
        <Alert color="green" role="status" title="Bewaard">
          De instellingen zijn bewaard.
        </Alert>
      )}

      <Fieldset legend="Werkstroom en termijnen">
        <Stack>
          <Select
            label="Werkstroomversie voor nieuwe signalen"
            description="Lopende signalen blijven in hun versie"
            data={WORKFLOW_VERSIONS.map((d) => ({ value: String(d.version), label: `Versie ${d.version}` }))}
            value={form.workflowVersion}
            onChange={(value) => value && set({ workflowVersion: value })}
            error={errors['workflowVersion']}
            allowDeselect={false}
          />
          <Table aria-label="Termijnen per toestand" withTableBorder>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Toestand</Table.Th>
                <Table.Th>Standaardtermijn</Table.Th>
                <Table.Th>Eigen termijn (dagen)</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {deadlineStates(version).map((s) => (
                <Table.Tr key={s.state}>
                  <Table.Td>{s.label}</Table.Td>
                  <Table.Td>{s.days === null ? 'geen' : `${s.days} dagen`}</Table.Td>
                  <Table.Td>
                    <NumberInput
                      aria-label={`Eigen termijn voor ${s.label}, in dagen`}
                      placeholder="standaard"
                      min={1}
                      max={365}
                      allowDecimal={false}
                      value={form.deadlines[s.state] ?? ''}
                      onChange={(value) => set({ deadlines: { ...form.deadlines, [s.state]: value } })}
                      size="xs"
                      w={140}
                    />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {errors['deadlineOverrides'] && (
            <Text c="red.8" size="sm" role="alert">
              {errors['deadlineOverrides']}
            </Text>
          )}
          <NumberInput
            label="Bewaartermijn (jaren)"
            description="Zo lang na het afsluiten van een signaal blijft de vrije tekst bewaard"
            min={1}
            max={30}
            allowDecimal={false}
            value={form.retentionYears}
            onChange={(value) => set({ retentionYears: value })}
            error={errors['retentionYears']}
            w={260}
          />
        </Stack>
      </Fieldset>

      <Fieldset legend="Bovenlokale samenwerking">
        <Switch
          label="Geanonimiseerde cijfers delen voor bovenlokale analyse (VVSG)"
          checked={form.supralocalOptIn}
          onChange={(e) => set({ supralocalOptIn: e.currentTarget.checked })}
          error={errors['supralocalOptIn']}
        />
      </Fieldset>

      <Fieldset legend="Lokale subthema's">
        <Stack gap="xs">
          {form.subThemes.map((s, i) => (
            <Group key={i} align="flex-end" wrap="wrap">
              <TextInput
                label="Code"
                value={s.code}
                onChange={(e) => {
                  const next = [...form.subThemes];
                  next[i] = { ...s, code: e.currentTarget.value };
                  set({ subThemes: next });
                }}
              />
              <TextInput
                label="Naam"
                value={s.label}
                onChange={(e) => {
                  const next = [...form.subThemes];
                  next[i] = { ...s, label: e.currentTarget.value };
                  set({ subThemes: next });
                }}
              />
              <Select
                label="Hoort bij thema"
                data={THEMES.map((t) => ({ value: t.code, label: t.label }))}
                value={s.theme}
                onChange={(value) => {
                  const next = [...form.subThemes];
                  next[i] = { ...s, theme: value };
                  set({ subThemes: next });
                }}
              />
              <Button
                variant="default"
                onClick={() => set({ subThemes: form.subThemes.filter((_, j) => j !== i) })}
                aria-label={`Subthema ${s.label || i + 1} verwijderen`}
              >
                Verwijderen
              </Button>
            </Group>
          ))}
          {errors['localSubThemes'] && (
            <Text c="red.8" size="sm" role="alert">
              {errors['localSubThemes']}
            </Text>
          )}
          <Group>
            <Button
              variant="light"
              onClick={() => set({ subThemes: [...form.subThemes, { code: '', label: '', theme: null }] })}
            >
              Subthema toevoegen
            </Button>
          </Group>
        </Stack>
      </Fieldset>

      <Fieldset legend="Meldpunt">
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <TextInput
            label="Naam meldpunt"
            value={form.contactName}
            onChange={(e) => set({ contactName: e.currentTarget.value })}
            error={errors['contactPoint']}
          />
          <TextInput
            label="E-mailadres meldpunt"
            type="email"
            value={form.contactEmail}
            onChange={(e) => set({ contactEmail: e.currentTarget.value })}
          />
          <TextInput
            label="Telefoon meldpunt"
            value={form.contactPhone}
            onChange={(e) => set({ contactPhone: e.currentTarget.value })}
          />
        </SimpleGrid>
      </Fieldset>

      <Fieldset legend="Publieke pagina">
        <Stack>
          <Textarea
            label="Privacyverklaring"
            autosize
            minRows={3}
            value={form.privacyStatement}
            onChange={(e) => set({ privacyStatement: e.currentTarget.value })}
            error={errors['privacyStatement']}
          />
          <Textarea
            label="Hoe vraagt een frontliniewerker een uitnodiging?"
            autosize
            minRows={2}
            value={form.inviteInstructions}
            onChange={(e) => set({ inviteInstructions: e.currentTarget.value })}
            error={errors['inviteInstructions']}
          />
        </Stack>
      </Fieldset>

      <Fieldset legend="Samenwerkingsafspraken">
        <Stack gap="sm">
          {form.agreements.map((a, i) => (
            <Stack key={i} gap="xs">
              <Group align="flex-end">
                <TextInput
                  label={`Titel afspraak ${i + 1}`}
                  value={a.title}
                  flex={1}
                  onChange={(e) => {
                    const next = [...form.agreements];
                    next[i] = { ...a, title: e.currentTarget.value };
                    set({ agreements: next });
                  }}
                />
                <ActionIcon
                  variant="default"
                  size="lg"
                  onClick={() => set({ agreements: form.agreements.filter((_, j) => j !== i) })}
                  aria-label={`Afspraak ${i + 1} verwijderen`}
                >
                  ×
                </ActionIcon>
              </Group>
              <Textarea
                label={`Samenvatting afspraak ${i + 1}`}
                autosize
                minRows={2}
                value={a.summary}
                onChange={(e) => {
                  const next = [...form.agreements];
                  next[i] = { ...a, summary: e.currentTarget.value };
                  set({ agreements: next });
                }}
              />
              <MultiSelect
                label={`Partners bij afspraak ${i + 1}`}
                data={orgOptions}
                value={a.organisationIds}
                onChange={(value) => {
                  const next = [...form.agreements];
                  next[i] = { ...a, organisationIds: value };
                  set({ agreements: next });
                }}
              />
            </Stack>
          ))}
          {errors['agreements'] && (
            <Text c="red.8" size="sm" role="alert">
              {errors['agreements']}
            </Text>
          )}
          <Group>
            <Button
              variant="light"
              onClick={() =>
                set({ agreements: [...form.agreements, { title: '', summary: '', organisationIds: [] }] })
              }
            >
              Afspraak toevoegen
            </Button>
          </Group>
        </Stack>
      </Fieldset>

      <Group>
        <Button type="submit" loading={busy}>
          Instellingen bewaren
        </Button>
        <Button variant="default" onClick={() => tenant.data && setForm(formOf(tenant.data.settings))}>
          Wijzigingen ongedaan maken
        </Button>
      </Group>
    </Stack>
  );
}
